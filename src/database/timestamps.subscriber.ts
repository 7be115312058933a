import { EntitySubscriberInterface, EventSubscriber, UpdateEvent } from 'typeorm';

/**
 * Stamps updatedAt with a millisecond time when an entity is saved: left to itself TypeORM writes CURRENT_TIMESTAMP,
 * which SQLite keeps to the second, so rows updated within one second would tie in lists ordered by it. Only saves of
 * loaded entities (which carry databaseEntity) are stamped, and only when the caller did not set the time itself.
 */
@EventSubscriber()
export class TimestampsSubscriber implements EntitySubscriberInterface {
  beforeUpdate(event: UpdateEvent<Record<string, unknown>>): void {
    const column = event.metadata.updateDateColumn;
    if (!column || !event.entity || !event.databaseEntity) return;
    const given: unknown = column.getEntityValue(event.entity);
    const stored: unknown = column.getEntityValue(event.databaseEntity);
    const untouched = given === undefined || (given instanceof Date && stored instanceof Date && given.getTime() === stored.getTime());
    if (untouched) column.setEntityValue(event.entity, new Date());
  }
}
