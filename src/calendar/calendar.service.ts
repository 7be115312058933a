import { Injectable, NotFoundException } from '@nestjs/common';
import ical, { ICalEventStatus } from 'ical-generator';
import { Brackets, In } from 'typeorm';
import { Database } from '../database/database.service';
import { PublicLinks } from '../mail/public-links';
import { SignedTokens } from '../mail/signed-tokens';
import { MailPreferences } from '../preferences/mail-preferences.entity';
import { PreferencesService } from '../preferences/preferences.service';
import { AgendaItem } from '../sessions/entities/agenda-item.entity';
import { SessionParticipant } from '../sessions/entities/session-participant.entity';
import { WorkSession } from '../sessions/entities/session.entity';
import { User } from '../users/user.entity';

/** A session without an end or an agenda of known length is shown as lasting this long. */
const DEFAULT_SESSION_MINUTES = 120;
/** Sessions a person attended stay in the feed this long; upcoming ones are always there. */
const FEED_HISTORY_DAYS = 365;

/**
 * Sessions as iCalendar: one session's event, and each person's secret feed (the sessions they registered for and
 * every upcoming one), served without sign-in at a URL whose signed token carries a version that a reset raises.
 * Times are written in UTC; the session's page is in DESCRIPTION (calendar clients ignore URL), the place or the
 * video link in LOCATION.
 */
@Injectable()
export class CalendarService {
  constructor(
    private readonly database: Database,
    private readonly links: PublicLinks,
    private readonly tokens: SignedTokens,
    private readonly preferences: PreferencesService,
  ) {}

  async sessionCalendar(sessionId: string): Promise<string> {
    const session = await this.database.dataSource.manager.findOneBy(WorkSession, { id: sessionId });
    if (!session) throw new NotFoundException('Séance introuvable.');
    return this.render(`Essor · ${session.title}`, [session]);
  }

  async feedUrl(user: User): Promise<{ url: string }> {
    const row = await this.database.dataSource.manager.findOneBy(MailPreferences, { userId: user.id });
    return { url: this.links.calendarFeed(this.tokens.sign('calendar', `${user.id}:${row?.calendarVersion ?? 0}`)) };
  }

  /** A new URL; the old one answers 404 from now on. */
  async resetFeed(user: User): Promise<{ url: string }> {
    await this.database.write(async (manager) => {
      const row = await manager.findOneBy(MailPreferences, { userId: user.id });
      await this.preferences.save(manager, user.id, { calendarVersion: (row?.calendarVersion ?? 0) + 1 });
    });
    return this.feedUrl(user);
  }

  /** The feed a token opens; 404 for a token not signed by Essor, revoked, or of a disabled account. */
  async feed(token: string): Promise<string> {
    const [userId, version] = this.tokens.verify('calendar', token)?.split(':') ?? [];
    const manager = this.database.dataSource.manager;
    const user = userId ? await manager.findOneBy(User, { id: userId }) : null;
    const row = user ? await manager.findOneBy(MailPreferences, { userId: user.id }) : null;
    if (!user || user.disabled || String(row?.calendarVersion ?? 0) !== version)
      throw new NotFoundException('Ce calendrier n’existe pas ou a été révoqué.');
    const since = this.database.timestampParameter(new Date(Date.now() - FEED_HISTORY_DAYS * 86_400_000));
    const sessions = await manager
      .createQueryBuilder(WorkSession, 'session')
      .leftJoin(SessionParticipant, 'participant', 'participant.sessionId = session.id AND participant.userId = :userId', { userId: user.id })
      .where(
        new Brackets((where) =>
          where
            .where("session.status IN ('scheduled', 'live')")
            .orWhere('(participant.userId IS NOT NULL AND session.startsAt >= :since)', { since }),
        ),
      )
      .orderBy('session.startsAt', 'ASC')
      .getMany();
    return this.render('Essor · séances du groupe de travail', sessions);
  }

  /** The .ics text of these sessions. */
  async render(name: string, sessions: WorkSession[]): Promise<string> {
    const durations = await this.agendaMinutes(sessions.map((session) => session.id));
    const calendar = ical({ name, prodId: { company: 'Essor', product: 'seances', language: 'FR' } });
    for (const session of sessions) {
      const link = this.links.session(session.id);
      const minutes = durations.get(session.id) || DEFAULT_SESSION_MINUTES;
      calendar.createEvent({
        id: `${session.id}@essor`,
        start: session.startsAt,
        end: session.endsAt ?? new Date(session.startsAt.getTime() + minutes * 60_000),
        summary: session.title,
        description: [session.description.trim(), `La séance sur Essor : ${link}`, session.videoUrl ? `Visio : ${session.videoUrl}` : '']
          .filter(Boolean)
          .join('\n\n'),
        location: session.location ?? session.videoUrl ?? undefined,
        url: link,
        status: ICalEventStatus.CONFIRMED,
        stamp: session.updatedAt,
      });
    }
    return calendar.toString();
  }

  private async agendaMinutes(sessionIds: string[]): Promise<Map<string, number>> {
    if (sessionIds.length === 0) return new Map();
    const rows = await this.database.dataSource.manager
      .createQueryBuilder(AgendaItem, 'item')
      .select('item.sessionId', 'sessionId')
      .addSelect('SUM(COALESCE(item.durationMinutes, 0))', 'minutes')
      .where({ sessionId: In(sessionIds) })
      .groupBy('item.sessionId')
      .getRawMany<{ sessionId: string; minutes: number | string }>();
    return new Map(rows.map((row) => [row.sessionId, Number(row.minutes)]));
  }
}
