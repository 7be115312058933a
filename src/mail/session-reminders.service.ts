import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CalendarService } from '../calendar/calendar.service';
import { Database } from '../database/database.service';
import { runSql } from '../database/sql';
import { NotificationsService } from '../notifications/notifications.service';
import { WorkSession } from '../sessions/entities/session.entity';
import { booleanParameter, skipLocked } from './mail-sql';
import { MailComposer } from './mail-composer';
import { escapeHtml, frenchDateTime } from './mail-templates';
import { Outbox } from './outbox.service';
import { planEach } from './plan-each';
import { PublicLinks } from './public-links';
import { SessionReminder } from './session-reminder.entity';

/** Reminders go this long before a session starts (or at once for a session scheduled closer than that). */
const REMINDER_LEAD_MS = 24 * 3_600_000;

const DUE_SESSIONS = `SELECT s.id FROM work_sessions s
  WHERE s.status = 'scheduled' AND s."startsAt" > :now AND s."startsAt" <= :leadEnd
    AND NOT EXISTS (SELECT 1 FROM session_reminders sr WHERE sr."sessionId" = s.id)`;

const lockSession = (database: Database) => `SELECT s.id FROM work_sessions s WHERE s.id = :id ${skipLocked(database, 's')}`;

const PARTICIPANTS = `SELECT u.id, u.email, u."displayName" AS "displayName", COALESCE(mp."emailReminders", 'immediate') AS "emailReminders"
  FROM session_participants sp JOIN users u ON u.id = sp."userId" LEFT JOIN mail_preferences mp ON mp."userId" = u.id
  WHERE sp."sessionId" = :id AND u.disabled = :no`;

/**
 * The day before a session, those registered get a `session-reminder` notification and an e-mail with the session's
 * .ics attached, once: the reminder is recorded with them in one transaction, under a lock on the session's row.
 */
@Injectable()
export class SessionReminders {
  private readonly logger = new Logger('Mail');

  constructor(
    private readonly database: Database,
    private readonly outbox: Outbox,
    private readonly links: PublicLinks,
    private readonly composer: MailComposer,
    private readonly notifications: NotificationsService,
    private readonly calendar: CalendarService,
  ) {}

  /** Reminds of the sessions now due; returns their ids. */
  async planDue(now = new Date()): Promise<string[]> {
    const due = await runSql<Array<{ id: string }>>(this.database.dataSource.manager, DUE_SESSIONS, {
      now: this.database.timestampParameter(now),
      leadEnd: this.database.timestampParameter(new Date(now.getTime() + REMINDER_LEAD_MS)),
    });
    return planEach(
      this.database,
      this.logger,
      due.map((row) => row.id),
      (sessionId) => `the reminder of session ${sessionId}`,
      (manager, sessionId) => this.remind(manager, sessionId),
    );
  }

  /** Answers the session's id once reminded, null when it is not this call's to remind. */
  private async remind(manager: EntityManager, sessionId: string): Promise<string | null> {
    // another instance holding the session's row is reminding of it
    const [locked] = await runSql<Array<{ id: string }>>(manager, lockSession(this.database), { id: sessionId });
    if (!locked || (await manager.existsBy(SessionReminder, { sessionId }))) return null;
    const session = await manager.findOneByOrFail(WorkSession, { id: sessionId });
    await manager.insert(SessionReminder, { sessionId });
    const participants = await runSql<Array<{ id: string; email: string; displayName: string; emailReminders: string }>>(manager, PARTICIPANTS, {
      id: sessionId,
      no: booleanParameter(this.database, false),
    });
    await this.notifications.notify(
      manager,
      participants.map((participant) => participant.id),
      { kind: 'session-reminder', sessionId },
    );
    const ics = await this.calendar.render(`Essor · ${session.title}`, [session]);
    for (const participant of participants.filter((candidate) => candidate.emailReminders !== 'never')) {
      await this.outbox.enqueue(manager, {
        userId: participant.id,
        kind: 'reminder',
        dedupeKey: `reminder:${sessionId}:${participant.id}`,
        recipient: participant.email,
        subject: `Rappel : « ${session.title} », ${frenchDateTime(session.startsAt)}`.slice(0, 300),
        attachments: [{ filename: 'seance.ics', contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: ics }],
        ...this.composer.compose({ userId: participant.id, name: participant.displayName }, this.render(session), 'reminders'),
      });
    }
    return sessionId;
  }

  private render(session: WorkSession): { html: string; text: string; footer: string } {
    const link = this.links.session(session.id);
    const when = frenchDateTime(session.startsAt);
    const lines = [
      `La séance « ${session.title} » a lieu ${when}.`,
      session.location ? `Lieu : ${session.location}` : '',
      session.videoUrl ? `Visio : ${session.videoUrl}` : '',
    ].filter(Boolean);
    return {
      html: [
        ...lines.map((line) => `<p>${escapeHtml(line)}</p>`),
        `<p><a href="${escapeHtml(link)}">Voir la séance et son ordre du jour</a></p>`,
        '<p>Le fichier joint l’ajoute à votre agenda.</p>',
      ].join('\n'),
      text: [...lines, '', `Voir la séance et son ordre du jour : ${link}`, '', 'Le fichier joint l’ajoute à votre agenda.'].join('\n'),
      footer: 'Vous recevez ce rappel parce que vous êtes inscrit·e à cette séance.',
    };
  }
}
