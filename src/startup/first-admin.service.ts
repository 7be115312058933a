import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { PasswordHasher } from '../auth/password-hasher';
import { AppConfig } from '../config/app-config';
import { Database } from '../database/database.service';
import { RAISED_TOKEN_VERSION, User } from '../users/user.entity';

export const DEVELOPMENT_ADMIN_EMAIL = 'admin@essor.local';

export type FirstAdminOutcome =
  | { kind: 'exists' }
  | { kind: 'created-from-environment'; email: string }
  | { kind: 'generated'; email: string; password: string }
  | { kind: 'none' };

/**
 * Makes sure someone can administer a fresh installation: the admin of ADMIN_EMAIL/ADMIN_PASSWORD when set, or,
 * outside production, a generated one whose password is shown once. A password the user chose is never logged.
 */
@Injectable()
export class FirstAdminService {
  private readonly logger = new Logger('FirstAdmin');

  constructor(
    private readonly config: AppConfig,
    private readonly database: Database,
    private readonly hasher: PasswordHasher,
  ) {}

  async ensure(): Promise<FirstAdminOutcome> {
    const fromEnvironment = this.config.admin;
    const generatedPassword = randomBytes(12).toString('base64url');
    const email = fromEnvironment?.email.toLowerCase() ?? DEVELOPMENT_ADMIN_EMAIL;
    if (!fromEnvironment && this.config.nodeEnv === 'production') {
      const exists = await this.database.dataSource.getRepository(User).existsBy({ role: 'admin' });
      return exists ? { kind: 'exists' } : { kind: 'none' };
    }
    const passwordHash = await this.hasher.hash(fromEnvironment?.password ?? generatedPassword);
    const created = await this.database.write(async (manager) => {
      if (await manager.existsBy(User, { role: 'admin' })) return false;
      const holder = await manager.findOneBy(User, { email });
      if (holder) {
        await manager.update(User, { id: holder.id }, { role: 'admin', passwordHash, disabled: false, tokenVersion: RAISED_TOKEN_VERSION });
      } else {
        await manager.insert(User, { email, passwordHash, displayName: 'Administrateur', role: 'admin', metropolisId: null, disabled: false });
      }
      return true;
    });
    if (!created) return { kind: 'exists' };
    return fromEnvironment ? { kind: 'created-from-environment', email } : { kind: 'generated', email, password: generatedPassword };
  }

  /** Logs the outcome and returns the line for the start banner (in French: the person starting Essor reads it). */
  report(outcome: FirstAdminOutcome): string | undefined {
    switch (outcome.kind) {
      case 'created-from-environment':
        this.logger.log(`Admin account ${outcome.email} created from ADMIN_EMAIL/ADMIN_PASSWORD`);
        return `Compte administrateur ${outcome.email} créé (mot de passe : celui d'ADMIN_PASSWORD).`;
      case 'generated':
        this.logger.warn(`First run: admin account ${outcome.email} created; its generated password is shown once in the start banner`);
        return (
          `Premier démarrage : connectez-vous avec ${outcome.email} et le mot de passe « ${outcome.password} » ` +
          "(affiché cette seule fois ; ADMIN_EMAIL et ADMIN_PASSWORD permettent de choisir les vôtres, npm run admin:create d'en créer un autre)."
        );
      case 'none':
        this.logger.warn('No admin account exists: set ADMIN_EMAIL and ADMIN_PASSWORD, or run `npm run admin:create -- <email>`');
        return 'Aucun compte administrateur : définissez ADMIN_EMAIL et ADMIN_PASSWORD, ou lancez « npm run admin:create -- <email> ».';
      case 'exists':
        return undefined;
    }
  }
}
