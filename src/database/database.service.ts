import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { DateUtils } from 'typeorm/util/DateUtils';
import { isSqliteDataSource } from './data-source-options';
import { WAL_LIMIT_BYTES, WalCheckpointer } from './wal-checkpointer';

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

/** The writes waiting to form the next group of one key, and whether that group is already on its way. */
interface GroupQueue {
  writes: QueuedWrite[];
  scheduled: boolean;
}

/** SQLite groups every write, whatever group it names: they all share the one connection. */
const SQLITE_GROUP = '';

export interface WriteOptions {
  /**
   * Writes naming the same group may share one transaction: for writes that would otherwise queue on the same row lock,
   * as posts do on their thread's row. On PostgreSQL such a write may run twice, should another write of its group
   * fail (see commitGroup): what it does beyond the database belongs in afterCommit.
   */
  group?: string;
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
 * On PostgreSQL, writes that name the same group (the posts of one thread) are committed in groups the same way:
 * each would otherwise wait for the previous one's commit on the row lock they all take, one commit at a time; a group
 * takes the lock once and commits once. Writes of different groups, and writes of none, still run concurrently.
 *
 * The SQLite connection is shared by reads too, so reads are kept out of an open group: a read waits until the group
 * has committed (or rolled back), and a group starts once the reads already running are done. A read never sees rows
 * that are not committed, with either driver (`sqlite3` runs statements on a thread and yields between them).
 */
@Injectable()
export class Database implements OnModuleInit, OnModuleDestroy {
  private readonly sqlite: boolean;
  /** The writes waiting for a group, by group: on SQLite, one queue for all. */
  private readonly groups = new Map<string, GroupQueue>();
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
  /** On a better-sqlite3 file: checkpoints the WAL off the event loop. */
  private checkpointer: WalCheckpointer | undefined;

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
      // sqlite3 runs statements, the commit that checkpoints included, on libuv's threads; in memory there is no WAL
      if (database.driver === 'better-sqlite3' && database.path !== ':memory:') {
        await this.dataSource.query('PRAGMA wal_autocheckpoint = 0');
        // when this connection rewinds a WAL checkpointed to its end, its next commit cuts the file back to the limit:
        // the worker's TRUNCATE, skipped whenever a commit is under way, is then not the only way back
        await this.dataSource.query(`PRAGMA journal_size_limit = ${WAL_LIMIT_BYTES}`);
        this.checkpointer = new WalCheckpointer(database.path, database.synchronous);
      }
      return;
    }
    await this.migrateHoldingLock();
  }

  async onModuleDestroy(): Promise<void> {
    await this.checkpointer?.close();
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

  async write<T>(work: (manager: EntityManager) => Promise<T>, { group }: WriteOptions = {}): Promise<T> {
    if (writeScope.getStore()?.open) throw new NestedWriteError();
    this.writesInFlight += 1;
    try {
      if (this.sqlite) return await this.queueWrite(SQLITE_GROUP, work);
      return await (group === undefined ? this.writePostgres(work) : this.queueWrite(group, work));
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

  private queueWrite<T>(key: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    let queue = this.groups.get(key);
    if (!queue) this.groups.set(key, (queue = { writes: [], scheduled: false }));
    const waiting = queue;
    return new Promise<T>((resolve, reject) => {
      waiting.writes.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.scheduleGroup(key, waiting);
    });
  }

  /**
   * The group starts on the next turn of the event loop rather than at once, so that the requests and live events
   * read in the same turn join it (and, on SQLite, the reads that waited for the previous group run first).
   */
  private scheduleGroup(key: string, queue: GroupQueue): void {
    if (queue.scheduled) return;
    queue.scheduled = true;
    setImmediate(() => void writeScope.run({ open: true }, () => this.commitNextGroup(key, queue)));
  }

  private async commitNextGroup(key: string, queue: GroupQueue): Promise<void> {
    const group = queue.writes.splice(0, MAX_WRITES_PER_COMMIT);
    try {
      await (this.sqlite ? this.commitSqliteGroup(group) : this.commitPostgresGroup(group));
    } finally {
      queue.scheduled = false;
      if (queue.writes.length > 0) this.scheduleGroup(key, queue);
      else this.groups.delete(key);
    }
  }

  /** Reads are held while the group runs: they share its connection. */
  private async commitSqliteGroup(group: QueuedWrite[]): Promise<void> {
    let ended!: () => void;
    this.sqliteGroupRunning = new Promise((resolve) => (ended = resolve));
    try {
      await this.readsDone();
      await this.commitGroup(this.dataSource.createQueryRunner(), group);
      this.checkpointer?.committed();
    } finally {
      this.sqliteGroupRunning = null;
      ended();
    }
  }

  /** A connection of the pool for the group's transaction, back to the pool once it has ended. */
  private async commitPostgresGroup(group: QueuedWrite[]): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await this.commitGroup(runner, group);
    } finally {
      await runner.release();
    }
  }

  /** One round trip to PostgreSQL, which takes both statements at once; better-sqlite3 prepares one at a time. */
  private async moveSavepoint(runner: QueryRunner): Promise<void> {
    if (this.sqlite) {
      await runner.query('RELEASE essor_write');
      await runner.query('SAVEPOINT essor_write');
    } else await runner.query('RELEASE essor_write; SAVEPOINT essor_write');
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

  /**
   * A write of a group that fails rolls back to the savepoint taken before it, which then serves the next write; after
   * a write that succeeded the savepoint moves past it. A group of one needs none: its transaction is its savepoint.
   *
   * On PostgreSQL each savepoint costs a round trip while the group holds its thread's row lock, so a group first runs
   * without them: should one of its writes fail, that transaction is rolled back and the group runs again with a
   * savepoint per write, for the failing write to fail alone. A write of a group may thus run twice (its effects
   * beyond the database belong in afterCommit, which only the committed run calls).
   */
  private async commitGroup(runner: QueryRunner, group: QueuedWrite[]): Promise<void> {
    const savepoints = group.length > 1;
    if (savepoints && !this.sqlite && (await this.runGroup(runner, group, false)) === 'answered') return;
    await this.runGroup(runner, group, savepoints);
  }

  /**
   * Runs the group in one transaction and answers each write, unless a write fails where no savepoint can take it back
   * alone (`savepoints` false, several writes): then nothing is stored nor answered, and the group is to run again.
   */
  private async runGroup(runner: QueryRunner, group: QueuedWrite[], savepoints: boolean): Promise<'answered' | 'run again'> {
    const outcomes: Array<{ ok: true; value: unknown; callbacks: AfterCommit[] } | { ok: false; error: unknown }> = [];
    try {
      // TypeORM's own transaction, so that save() and friends inside a write see one active and open none of their own
      await runner.startTransaction();
      if (savepoints) await runner.query('SAVEPOINT essor_write');
      for (const { work } of group) {
        if (savepoints && outcomes.at(-1)?.ok) await this.moveSavepoint(runner);
        // the writes of a group share the runner's manager but run one after the other: the manager's callbacks are this write's
        const callbacks: AfterCommit[] = [];
        this.afterCommits.set(runner.manager, callbacks);
        try {
          outcomes.push({ ok: true, value: await runInScope(work, runner.manager), callbacks });
        } catch (error) {
          if (group.length === 1) throw error;
          if (!savepoints) {
            await abandonTransaction(runner);
            return 'run again';
          }
          await runner.query('ROLLBACK TO essor_write');
          outcomes.push({ ok: false, error });
        }
      }
      await runner.commitTransaction();
    } catch (error) {
      // the group's transaction itself failed (the disk, the database, the connection), or its one write did: nothing
      // of it was stored
      await abandonTransaction(runner);
      for (const { reject } of group) reject(error);
      return 'answered';
    }
    group.forEach(({ resolve, reject }, index) => {
      const outcome = outcomes[index];
      if (outcome.ok) {
        this.runAfterCommit(outcome.callbacks);
        resolve(outcome.value);
      } else reject(outcome.error);
    });
    return 'answered';
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
