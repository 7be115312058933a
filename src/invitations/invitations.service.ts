import { BadRequestException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { hasRole } from '../common/roles';
import { Database } from '../database/database.service';
import { Metropolis } from '../metropolises/metropolis.entity';
import type { User } from '../users/user.entity';
import { CreateInvitationDto, InvitationView } from './dto/create-invitation.dto';
import { Invitation } from './invitation.entity';

const INVITATION_VALIDITY_DAYS = 14;

@Injectable()
export class InvitationsService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
  ) {}

  async create(inviter: User, dto: CreateInvitationDto): Promise<InvitationView> {
    const role = dto.role ?? 'participant';
    if (role !== 'participant' && !hasRole(inviter.role, 'admin')) {
      throw new ForbiddenException('Seul un administrateur invite un modérateur ou un administrateur.');
    }
    const invitation = await this.database.write(async (manager) => {
      if (dto.metropolisId && !(await manager.existsBy(Metropolis, { id: dto.metropolisId }))) {
        throw new NotFoundException('Métropole introuvable.');
      }
      const created = await manager.save(
        Invitation,
        manager.create(Invitation, {
          code: randomBytes(18).toString('base64url'),
          email: dto.email,
          role,
          metropolisId: dto.metropolisId ?? null,
          invitedById: inviter.id,
          expiresAt: new Date(Date.now() + INVITATION_VALIDITY_DAYS * 24 * 3600 * 1000),
          usedAt: null,
          usedById: null,
        }),
      );
      await this.audit.record(manager, inviter, 'invitation.create', 'invitation', created.id, { email: dto.email, role });
      return created;
    });
    return toInvitationView(invitation);
  }

  /** Checks a code inside the registration transaction: unknown, used, expired or for another email is refused. */
  async redeem(manager: EntityManager, code: string, email: string): Promise<Invitation> {
    const invitation = await manager.findOneBy(Invitation, { code });
    if (!invitation || invitation.usedAt !== null || invitation.expiresAt.getTime() < Date.now()) {
      throw new BadRequestException(['invitationCode est inconnu, déjà utilisé ou expiré.']);
    }
    if (invitation.email.toLowerCase() !== email.toLowerCase()) {
      throw new BadRequestException(['email ne correspond pas à l’adresse de l’invitation.']);
    }
    return invitation;
  }

  async markUsed(manager: EntityManager, invitation: Invitation, user: User): Promise<void> {
    await manager.update(Invitation, { id: invitation.id }, { usedAt: new Date(), usedById: user.id });
  }
}

function toInvitationView(invitation: Invitation): InvitationView {
  return {
    code: invitation.code,
    email: invitation.email,
    metropolisId: invitation.metropolisId,
    role: invitation.role,
    expiresAt: invitation.expiresAt.toISOString(),
  };
}
