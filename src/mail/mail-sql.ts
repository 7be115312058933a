import type { Database } from '../database/database.service';

/** Row locks taken on PostgreSQL, where another instance may plan the same mail; SQLite runs writes one at a time. */
export function skipLocked(database: Database, table: string): string {
  return database.isSqlite ? '' : `FOR UPDATE OF ${table} SKIP LOCKED`;
}

/** A boolean as a raw query parameter: SQLite's drivers bind numbers only. */
export function booleanParameter(database: Database, value: boolean): boolean | number {
  return database.isSqlite ? Number(value) : value;
}
