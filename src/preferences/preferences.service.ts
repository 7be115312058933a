import { BadRequestException, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Database } from '../database/database.service';
import { SignedTokens } from '../mail/signed-tokens';
import { User } from '../users/user.entity';
import { PreferencesView, UpdatePreferencesDto } from './dto/preferences.dto';
import { MailPreferences } from './mail-preferences.entity';

/** The kinds of e-mail a one-click unsubscribe link turns off, one per preference. */
export const UNSUBSCRIBE_KINDS = { mentions: 'emailMentions', digest: 'digest', reminders: 'emailReminders' } as const;
export type UnsubscribeKind = keyof typeof UNSUBSCRIBE_KINDS;

const DEFAULTS: PreferencesView = { emailMentions: 'immediate', digest: 'daily', emailReminders: 'immediate' };

/** What each kind of mail is called on the unsubscribe page. */
const KIND_LABELS: Record<UnsubscribeKind, string> = {
  mentions: 'les e-mails de mentions et de réponses',
  digest: 'le résumé par e-mail',
  reminders: 'les rappels de séance par e-mail',
};

@Injectable()
export class PreferencesService {
  constructor(
    private readonly database: Database,
    private readonly tokens: SignedTokens,
  ) {}

  async get(user: User): Promise<PreferencesView> {
    return toPreferencesView(await this.database.dataSource.manager.findOneBy(MailPreferences, { userId: user.id }));
  }

  async update(user: User, dto: UpdatePreferencesDto): Promise<PreferencesView> {
    await this.database.write((manager) => this.save(manager, user.id, dto));
    return this.get(user);
  }

  /** The preferences row of a person, created with the defaults when missing (callers lock or change it). */
  async save(manager: EntityManager, userId: string, changes: Partial<MailPreferences>): Promise<void> {
    if (Object.keys(changes).length === 0) return;
    await manager.upsert(MailPreferences, { userId, ...changes }, { conflictPaths: ['userId'], skipUpdateIfNoValuesChanged: false });
  }

  /** The token of the one-click link that turns this kind of mail off for this person. */
  unsubscribeToken(userId: string, kind: UnsubscribeKind): string {
    return this.tokens.sign('unsubscribe', `${userId}:${kind}`);
  }

  /** What the link would turn off, for the confirmation page; a bad token is a 400. */
  describeUnsubscribe(token: string): string {
    return KIND_LABELS[this.readUnsubscribeToken(token).kind];
  }

  /** Turns off the kind of mail the token names; doing it twice changes nothing. */
  async unsubscribe(token: string): Promise<string> {
    const { userId, kind } = this.readUnsubscribeToken(token);
    await this.database.write(async (manager) => {
      // the account may have been deleted since the mail left; its preferences went with it
      if (!(await manager.existsBy(User, { id: userId }))) return;
      await this.save(manager, userId, { [UNSUBSCRIBE_KINDS[kind]]: 'never' });
    });
    return KIND_LABELS[kind];
  }

  private readUnsubscribeToken(token: string): { userId: string; kind: UnsubscribeKind } {
    const payload = this.tokens.verify('unsubscribe', token);
    const [userId, kind] = payload?.split(':') ?? [];
    if (!userId || !kind || !(kind in UNSUBSCRIBE_KINDS)) throw new BadRequestException('Ce lien de désabonnement n’est pas valide.');
    return { userId, kind: kind as UnsubscribeKind };
  }
}

export function toPreferencesView(row: MailPreferences | null): PreferencesView {
  if (!row) return { ...DEFAULTS };
  return { emailMentions: row.emailMentions, digest: row.digest, emailReminders: row.emailReminders };
}
