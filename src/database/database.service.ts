import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Mutex } from 'async-mutex';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { DateUtils } from 'typeorm/util/DateUtils';
import { isSqliteDataSource } from './data-source-options';

/**
 * The one way to write. TypeORM's SQLite driver shares a single connection between all callers, so two
 * transactions running at once would silently nest as savepoints of each other; on SQLite every write
 * transaction therefore waits its turn behind a process-wide mutex (SQLite allows one writer anyway).
 * PostgreSQL runs them concurrently, with row locks where an order matters (a thread's seq).
 */
/** Any constant shared by every instance of Essor. */
const MIGRATION_LOCK_KEY = 4_281_989;

@Injectable()
export class Database implements OnModuleInit {
  private readonly sqliteWriteLock: Mutex | undefined;
  private writesInFlight = 0;
  private readonly drainWaiters: Array<() => void> = [];

  constructor(
    @InjectDataSource() readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {
    this.sqliteWriteLock = isSqliteDataSource(dataSource.options) ? new Mutex() : undefined;
  }

  async onModuleInit(): Promise<void> {
    const { database } = this.config;
    if (database.type === 'sqlite') {
      // TypeORM's SQLite driver keeps one connection, so a pragma set once holds for the life of the process
      await this.dataSource.query(`PRAGMA synchronous = ${database.synchronous}`);
      await this.dataSource.runMigrations({ transaction: 'all' });
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
    return this.sqliteWriteLock !== undefined;
  }

  /**
   * A time as a raw query parameter: SQLite keeps times as UTC text, which compares correctly only with text of the
   * same form; PostgreSQL takes the Date itself.
   */
  timestampParameter(date: Date): Date | string {
    return this.isSqlite ? DateUtils.mixedDateToUtcDatetimeString(date) : date;
  }

  async write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const run = () => this.dataSource.transaction(work);
    this.writesInFlight += 1;
    try {
      return await (this.sqliteWriteLock ? this.sqliteWriteLock.runExclusive(run) : run());
    } finally {
      this.writesInFlight -= 1;
      if (this.writesInFlight === 0) for (const resolve of this.drainWaiters.splice(0)) resolve();
    }
  }

  /** Resolves once no write is under way: at shutdown, before the connection closes. */
  drain(): Promise<void> {
    if (this.writesInFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }
}
