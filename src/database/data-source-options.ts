import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { DatabaseConfig } from '../config/app-config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migration-list';
import { NewUserSubscriber } from '../users/new-user.subscriber';
import { TimestampsSubscriber } from './timestamps.subscriber';

/** Milliseconds a SQLite statement waits for a lock held by another process before failing. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;
/** Prepared statements better-sqlite3 keeps: more than Essor's distinct queries, so none is prepared twice. */
const SQLITE_STATEMENT_CACHE_SIZE = 1000;

export function buildDataSourceOptions(database: DatabaseConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    subscribers: [TimestampsSubscriber, NewUserSubscriber],
    synchronize: false,
    migrationsRun: false,
  };
  if (database.type === 'postgres') {
    return { ...common, type: 'postgres', url: database.url, extra: { max: 20 } };
  }
  if (database.path !== ':memory:') mkdirSync(dirname(database.path), { recursive: true });
  // foreign_keys is switched on by TypeORM's SQLite drivers themselves; synchronous is set by the Database service
  if (database.driver === 'better-sqlite3') {
    return {
      ...common,
      type: 'better-sqlite3',
      database: database.path,
      enableWAL: true,
      timeout: SQLITE_BUSY_TIMEOUT_MS,
      statementCacheSize: SQLITE_STATEMENT_CACHE_SIZE,
    };
  }
  return {
    ...common,
    type: 'sqlite',
    driver: sqlite3WithoutStackTraces(),
    database: database.path,
    enableWAL: true,
    busyTimeout: SQLITE_BUSY_TIMEOUT_MS,
  };
}

/**
 * TypeORM switches `sqlite3` to verbose mode, which captures a stack trace at every statement and cost a fifth of a
 * busy server's CPU; handed a module whose verbose() is the plain module, it runs the same driver without that cost.
 */
function sqlite3WithoutStackTraces(): unknown {
  // loaded only when chosen: the driver is optional
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sqlite3 = require('sqlite3') as object;
  return Object.assign(Object.create(sqlite3) as object, { verbose: () => sqlite3 });
}

export function isSqliteDataSource(options: DataSourceOptions): boolean {
  return options.type === 'sqlite' || options.type === 'better-sqlite3';
}

/** SQLite's own "now" with milliseconds, as the migration's column defaults use. */
const SQLITE_NOW_WITH_MILLISECONDS = "(strftime('%Y-%m-%d %H:%M:%f', 'now'))";

/**
 * A data source whose creation and update dates keep milliseconds on SQLite too: TypeORM's SQLite driver fills them
 * with datetime('now'), to the second, which made rows created within one second tie in ordered lists.
 */
export function createDataSource(options: DataSourceOptions): DataSource {
  const dataSource = new DataSource(options);
  if (isSqliteDataSource(options)) {
    dataSource.driver.mappedDataTypes.createDateDefault = SQLITE_NOW_WITH_MILLISECONDS;
    dataSource.driver.mappedDataTypes.updateDateDefault = SQLITE_NOW_WITH_MILLISECONDS;
  }
  return dataSource;
}
