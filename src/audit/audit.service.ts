import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { decodeCursor, Page, PageQueryDto, pageSize } from '../common/http/pagination';
import { Database } from '../database/database.service';
import { User } from '../users/user.entity';
import { AuditEntry } from './audit-entry.entity';
import { AuditEntryView } from './audit.view';

/** Records moderator and admin actions in the same transaction as the action itself. */
@Injectable()
export class AuditService {
  constructor(private readonly database: Database) {}

  /** The log, newest first. */
  async list(query: PageQueryDto): Promise<Page<AuditEntryView>> {
    const limit = pageSize(query);
    const after = decodeCursor(query.cursor, ['time', 'uuid']);
    const builder = this.database.dataSource
      .getRepository(AuditEntry)
      .createQueryBuilder('entry')
      .orderBy('entry.createdAt', 'DESC')
      .addOrderBy('entry.id', 'DESC')
      .take(limit + 1);
    if (after) {
      const at = this.database.timestampParameter(after[0]);
      builder.where('(entry.createdAt < :at OR (entry.createdAt = :at AND entry.id < :id))', { at, id: after[1] });
    }
    const rows = await builder.getMany();
    const actorIds = [...new Set(rows.map((row) => row.actorId))];
    const actors = actorIds.length ? await this.database.dataSource.getRepository(User).findBy(actorIds.map((id) => ({ id }))) : [];
    const names = new Map(actors.map((actor) => [actor.id, actor.displayName]));
    return Page.fromRows(
      rows,
      limit,
      (row) => ({
        id: row.id,
        actor: { id: row.actorId, displayName: names.get(row.actorId) ?? '' },
        action: row.action,
        targetType: row.targetType,
        targetId: row.targetId,
        details: row.details,
        createdAt: row.createdAt.toISOString(),
      }),
      (row) => [row.createdAt.toISOString(), row.id],
    );
  }

  async record(
    manager: EntityManager,
    actor: Pick<User, 'id'>,
    action: string,
    targetType: string,
    targetId: string,
    details: Record<string, unknown> | null = null,
  ): Promise<void> {
    await manager.save(AuditEntry, manager.create(AuditEntry, { actorId: actor.id, action, targetType, targetId, details }));
  }
}
