import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { User } from '../users/user.entity';
import { AuditEntry } from './audit-entry.entity';

/** Records moderator and admin actions in the same transaction as the action itself. */
@Injectable()
export class AuditService {
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
