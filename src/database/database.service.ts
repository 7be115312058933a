import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { DateUtils } from 'typeorm/util/DateUtils';
import { isSqliteDataSource } from './data-source-options';

/** Any constant shared by every instance of Essor. */
const MIGRATION_LOCK_KEY = 4_281_989;

/** Enough to amortise a commit over a burst of posts, few enough that the first of them is not kept waiting. */
const MAX_WRITES_PER_COMMIT = 64;

/** Open while a write's work (or a SQLite group) runs: what its async calls inherit. */
interface WriteScope {
  open: boolean;
}

/** Tells a write's own statements from everything else: reads, and writes wrongly started inside a write. */
const writeScope = new AsyncLocalStorage<WriteScope>();

export class NestedWriteError extends Error {
  constructor() {
    super(
      'Database.write() was called inside another write: pass the EntityManager the outer write gives instead ' +
        '(a nested write would wait forever for the queue its caller holds)',
    );
  }
}

interface QueuedWrite {
  work: (manager: EntityManager) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

type AfterCommit = () => void;

/**
 * The one way to write. PostgreSQL runs write transactions concurrently, with row locks where an order matters (a
 * thread's seq). SQLite allows one writer, and TypeORM's SQLite driver shares a single connection between all
 * callers (two transactions at once would silently nest as savepoints of each other), so on SQLite writes are queued
 * and committed in groups: the writes that arrive while one group runs form the next group, one transaction in which
 * each write has a savepoint of its own. A write that fails rolls back to its savepoint and fails alone; every write
 * of a group is answered only once the group has committed, so nothing is acknowledged before it is durable. One
 * commit for many posts is what lets SQLite keep up with a busy session (a commit writes the WAL, and with
 * `synchronous = FULL` waits for the disk).
 *
 * The SQLite connection is shared by reads too, so reads are kept out of an open group: a read waits until the group
 * has committed (or rolled back), and a group starts once the reads already running are done. A read never sees rows
 * that are not committed, with either driver (`sqlite3` runs statements on a thread and yields between them).
 */
@Injectable()
export class Database implements OnModuleInit {
  private readonly sqlite: boolean;
  private readonly sqliteQueue: QueuedWrite[] = [];
  private sqliteGroupScheduled = false;
  private writesInFlight = 0;
  private readonly drainWaiters: Array<() => void> = [];
  /** What each write in progress asked to run once it is committed, by the manager its work was given. */
  private readonly afterCommits = new WeakMap<EntityManager, AfterCommit[]>();
  private readonly logger = new Logger(Database.name);
  /** Settles when the SQLite group under way has ended; reads wait for it. */
  private sqliteGroupRunning: Promise<void> | null = null;
  private readsInFlight = 0;
  private readsSettled: (() => void) | null = null;
  private readsHeld = 0;
  /**
   * sqlite3 runs each statement on a thread, so a read begun before a group may still be running when it starts: those
   * are counted, and waited for. better-sqlite3 runs a statement within the turn of the event loop that asked for it,
   * and a group starts on a turn of its own, so its reads need no counting.
   */
  private readonly readsOutliveTheirTurn: boolean;

  constructor(
    @InjectDataSource() readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {
    this.sqlite = isSqliteDataSource(dataSource.options);
    this.readsOutliveTheirTurn = dataSource.options.type === 'sqlite';
  }

  async onModuleInit(): Promise<void> {
    const { database } = this.config;
    if (database.type === 'sqlite') {
      // TypeORM's SQLite driver keeps one connection, so a pragma set once holds for the life of the process
      await this.dataSource.query(`PRAGMA synchronous = ${database.synchronous}`);
      await this.dataSource.runMigrations({ transaction: 'all' });
      this.holdReadsDuringGroups();
      return;
    }
    await this.migrateHoldingLock();
  }

  /** Instances starting together on one PostgreSQL database take turns, so each migration runs exactly once. */
  private async migrateHoldingLock(): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      await this.dataSource.runMigrations({ transaction: 'all' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
      await runner.release();
    }
  }

  get isSqlite(): boolean {
    return this.sqlite;
  }

  /**
   * A time as a raw query parameter: SQLite keeps times as UTC text, which compares correctly only with text of the
   * same form; PostgreSQL takes the Date itself.
   */
  timestampParameter(date: Date): Date | string {
    return this.isSqlite ? (DateUtils.mixedDateToUtcDatetimeString(date) as string) : date;
  }

  async write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (writeScope.getStore()?.open) throw new NestedWriteError();
    this.writesInFlight += 1;
    try {
      return await (this.sqlite ? this.queueSqliteWrite(work) : this.writePostgres(work));
    } finally {
      this.writesInFlight -= 1;
      if (this.writesInFlight === 0) for (const resolve of this.drainWaiters.splice(0)) resolve();
    }
  }

  /**
   * Runs `callback` once the write whose manager this is has committed (never if it rolls back): what a write
   * announces (live events) must not be heard before it is stored. Errors of the callback are logged, not thrown.
   */
  afterCommit(manager: EntityManager, callback: AfterCommit): void {
    const callbacks = this.afterCommits.get(manager);
    if (!callbacks) throw new Error('afterCommit() takes the manager handed to the work of Database.write()');
    callbacks.push(callback);
  }

  private async writePostgres<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const callbacks: AfterCommit[] = [];
    const value = await this.dataSource.transaction((manager) => {
      this.afterCommits.set(manager, callbacks);
      return runInScope(work, manager);
    });
    this.runAfterCommit(callbacks);
    return value;
  }

  /** Outside any write's scope: what the callbacks start (reads, later writes) is an ordinary caller's. */
  private runAfterCommit(callbacks: AfterCommit[]): void {
    writeScope.exit(() => {
      for (const callback of callbacks) {
        try {
          callback();
        } catch (error) {
          this.logger.error(error);
        }
      }
    });
  }

  private queueSqliteWrite<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.sqliteQueue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.scheduleSqliteGroup();
    });
  }

  /**
   * The group starts on the next turn of the event loop rather than at once, so that the requests and live events
   * read in the same turn join it (and the reads that waited for the previous group run first).
   */
  private scheduleSqliteGroup(): void {
    if (this.sqliteGroupScheduled) return;
    this.sqliteGroupScheduled = true;
    setImmediate(() => void writeScope.run({ open: true }, () => this.commitNextSqliteGroup()));
  }

  private async commitNextSqliteGroup(): Promise<void> {
    let ended!: () => void;
    this.sqliteGroupRunning = new Promise((resolve) => (ended = resolve));
    try {
      await this.readsDone();
      await this.commitSqliteGroup(this.sqliteQueue.splice(0, MAX_WRITES_PER_COMMIT));
    } finally {
      this.sqliteGroupRunning = null;
      ended();
      this.sqliteGroupScheduled = false;
      if (this.sqliteQueue.length > 0) this.scheduleSqliteGroup();
    }
  }

  /**
   * Every statement on the shared SQLite connection passes here: the group's own go through, any other waits while a
   * group is under way, and is counted while it runs so that the next group waits for it.
   */
  private holdReadsDuringGroups(): void {
    const runner = this.dataSource.createQueryRunner();
    const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
    Object.assign(runner, { query: (...args: unknown[]) => this.isolatedQuery(() => query(...args)) });
  }

  /** Not async on the way of a write's statement or of a read with no group open: no promise hop is added there. */
  private isolatedQuery<T>(run: () => Promise<T>): Promise<T> {
    if (writeScope.getStore()?.open) return run();
    if (this.sqliteGroupRunning) return this.readAfterGroup(run);
    if (!this.readsOutliveTheirTurn) return run();
    this.readsInFlight += 1;
    return run().finally(() => {
      this.readsInFlight -= 1;
      if (this.readsInFlight === 0) this.readsSettled?.();
    });
  }

  private async readAfterGroup<T>(run: () => Promise<T>): Promise<T> {
    while (this.sqliteGroupRunning) {
      this.readsHeld += 1;
      await this.sqliteGroupRunning.finally(() => (this.readsHeld -= 1));
    }
    return this.isolatedQuery(run);
  }

  private readsDone(): Promise<void> {
    if (this.readsInFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.readsSettled = () => {
        this.readsSettled = null;
        resolve();
      };
    });
  }

  private async commitSqliteGroup(group: QueuedWrite[]): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    const outcomes: Array<{ ok: true; value: unknown; callbacks: AfterCommit[] } | { ok: false; error: unknown }> = [];
    try {
      // TypeORM's own transaction, so that save() and friends inside a write see one active and open none of their own
      await runner.startTransaction();
      for (const { work } of group) {
        await runner.query('SAVEPOINT essor_write');
        // the writes of a group share the runner's manager but run one after the other: the manager's callbacks are this write's
        const callbacks: AfterCommit[] = [];
        this.afterCommits.set(runner.manager, callbacks);
        try {
          const value = await runInScope(work, runner.manager);
          await runner.query('RELEASE essor_write');
          outcomes.push({ ok: true, value, callbacks });
        } catch (error) {
          await runner.query('ROLLBACK TO essor_write');
          await runner.query('RELEASE essor_write');
          outcomes.push({ ok: false, error });
        }
      }
      await runner.commitTransaction();
    } catch (error) {
      // the group's transaction itself failed (the disk, the database): nothing of it was stored
      await abandonTransaction(runner);
      for (const { reject } of group) reject(error);
      return;
    }
    group.forEach(({ resolve, reject }, index) => {
      const outcome = outcomes[index];
      if (outcome.ok) {
        this.runAfterCommit(outcome.callbacks);
        resolve(outcome.value);
      } else reject(outcome.error);
    });
  }

  /** Statements waiting for a SQLite group to end, as seen from outside (tests, diagnostics). */
  get readsWaiting(): number {
    return this.readsHeld;
  }

  /** Resolves once no write is under way: at shutdown, before the connection closes. */
  drain(): Promise<void> {
    if (this.writesInFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }
}

/** Runs one write's work in a scope of its own, closed when the work ends (what it left running is then a reader). */
async function runInScope<T>(work: (manager: EntityManager) => Promise<T>, manager: EntityManager): Promise<T> {
  const scope: WriteScope = { open: true };
  try {
    return await writeScope.run(scope, () => work(manager));
  } finally {
    scope.open = false;
  }
}

/**
 * Rolls back whatever is left of a failed group. SQLite may already have rolled the transaction back itself (a full
 * disk, an I/O error), in which case ROLLBACK fails and TypeORM keeps believing a transaction is open: its flags are
 * reset so that the next group begins a transaction of its own instead of a savepoint.
 */
async function abandonTransaction(runner: QueryRunner): Promise<void> {
  if (!runner.isTransactionActive) return;
  await runner.rollbackTransaction().catch(() => Object.assign(runner, { isTransactionActive: false, transactionDepth: 0 }));
}
