import type { EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import type { Database } from './database.service';

/**
 * Reads one row inside a write transaction, locked on PostgreSQL (`FOR UPDATE`, or `FOR SHARE` for readers that only
 * need the row to stay as it is until they commit). SQLite needs no lock: Database.write runs one writer at a time.
 * No relation may be loaded here: PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
 */
export function findLocked<T extends ObjectLiteral>(
  database: Database,
  manager: EntityManager,
  entity: EntityTarget<T>,
  where: FindOptionsWhere<T>,
  mode: 'pessimistic_write' | 'pessimistic_read' = 'pessimistic_write',
): Promise<T | null> {
  return manager.findOne(entity, { where, ...(database.isSqlite ? {} : { lock: { mode } }) });
}
