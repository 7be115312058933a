import { BadRequestException, Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { IsNull } from 'typeorm';
import { AuthService } from '../auth/auth.service';
import { AuthResponse } from '../auth/dto/auth.dto';
import { Database } from '../database/database.service';
import { findLocked } from '../database/row-lock';
import { MailComposer, type ComposedMail } from '../mail/mail-composer';
import { escapeHtml } from '../mail/mail-templates';
import { MailScheduler } from '../mail/mail-scheduler';
import { Outbox } from '../mail/outbox.service';
import { PublicLinks } from '../mail/public-links';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { PasswordResetConfirmDto } from './dto/password-reset.dto';
import { PasswordReset } from './password-reset.entity';

/** How long the link of a reset e-mail works. */
const RESET_LIFETIME_MS = 60 * 60_000;

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * Password reset by e-mail: a random token, of which only the hash is stored, valid about an hour and once. Asking
 * answers the same whether the address is known or not, so nobody learns who has an account.
 */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly database: Database,
    private readonly users: UsersService,
    private readonly auth: AuthService,
    private readonly outbox: Outbox,
    private readonly links: PublicLinks,
    private readonly composer: MailComposer,
    private readonly scheduler: MailScheduler,
  ) {}

  async request(email: string): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user || user.disabled) return;
    const token = randomBytes(32).toString('base64url');
    await this.database.write(async (manager) => {
      const id = randomUUID();
      await manager.insert(PasswordReset, {
        id,
        userId: user.id,
        tokenHash: hashToken(token),
        expiresAt: new Date(Date.now() + RESET_LIFETIME_MS),
        usedAt: null,
      });
      await this.outbox.enqueue(manager, {
        userId: user.id,
        kind: 'password-reset',
        dedupeKey: `password-reset:${id}`,
        recipient: user.email,
        ...this.render(user, token),
      });
    });
    this.scheduler.wake();
  }

  async confirm({ token, password }: PasswordResetConfirmDto): Promise<AuthResponse> {
    // the link is used up first, so a second submission of it cannot change the password again
    const userId = await this.database.write(async (manager) => {
      const reset = await findLocked(this.database, manager, PasswordReset, { tokenHash: hashToken(token), usedAt: IsNull() });
      const user = reset && reset.expiresAt.getTime() > Date.now() ? await manager.findOneBy(User, { id: reset.userId }) : null;
      if (!user || user.disabled) throw new BadRequestException('Ce lien de réinitialisation n’est plus valable : demandez-en un nouveau.');
      // every link sent to this person stops working, not only the one used
      await manager.update(PasswordReset, { userId: user.id, usedAt: IsNull() }, { usedAt: new Date() });
      return user.id;
    });
    // the one path of a password change: the account's token version goes up, so every older token stops working
    return this.auth.issue(await this.auth.setPassword(userId, password));
  }

  private render(user: User, token: string): ComposedMail & { subject: string } {
    const link = this.links.passwordReset(token);
    const intro = 'Quelqu’un (vous, sans doute) a demandé à changer le mot de passe de votre compte Essor.';
    const after =
      'Ce lien fonctionne une seule fois, pendant une heure. Si vous n’avez rien demandé, ignorez cet e-mail : votre mot de passe reste le même.';
    return {
      subject: 'Réinitialisation de votre mot de passe Essor',
      ...this.composer.compose(
        { userId: user.id, name: user.displayName },
        {
          html: `<p>${escapeHtml(intro)}</p><p><a href="${escapeHtml(link)}">Choisir un nouveau mot de passe</a></p><p>${escapeHtml(after)}</p>`,
          text: `${intro}\n\nChoisir un nouveau mot de passe : ${link}\n\n${after}`,
          footer: 'Vous recevez cet e-mail parce qu’une réinitialisation du mot de passe a été demandée pour votre adresse.',
        },
      ),
    };
  }
}
