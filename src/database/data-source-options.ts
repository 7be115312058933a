import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { DatabaseConfig } from '../config/app-config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migration-list';
import { TimestampsSubscriber } from './timestamps.subscriber';

/** Milliseconds a SQLite statement waits for a lock held by another process before failing. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

export function buildDataSourceOptions(database: DatabaseConfig): DataSourceOptions {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, subscribers: [TimestampsSubscriber], synchronize: false, migrationsRun: false };
  if (database.type === 'postgres') {
    return { ...common, type: 'postgres', url: database.url, extra: { max: 20 } };
  }
  if (database.path !== ':memory:') mkdirSync(dirname(database.path), { recursive: true });
  return {
    ...common,
    type: 'sqlite',
    database: database.path,
    enableWAL: true,
    busyTimeout: SQLITE_BUSY_TIMEOUT_MS,
    // foreign_keys is switched on by TypeORM's SQLite driver itself; synchronous is set by the Database service
  };
}

/** SQLite's own "now" with milliseconds, as the migration's column defaults use. */
const SQLITE_NOW_WITH_MILLISECONDS = "(strftime('%Y-%m-%d %H:%M:%f', 'now'))";

/**
 * A data source whose creation and update dates keep milliseconds on SQLite too: TypeORM's SQLite driver fills them
 * with datetime('now'), to the second, which made rows created within one second tie in ordered lists.
 */
export function createDataSource(options: DataSourceOptions): DataSource {
  const dataSource = new DataSource(options);
  if (options.type === 'sqlite') {
    dataSource.driver.mappedDataTypes.createDateDefault = SQLITE_NOW_WITH_MILLISECONDS;
    dataSource.driver.mappedDataTypes.updateDateDefault = SQLITE_NOW_WITH_MILLISECONDS;
  }
  return dataSource;
}
