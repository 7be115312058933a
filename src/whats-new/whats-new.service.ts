import { Injectable } from '@nestjs/common';
import { Database } from '../database/database.service';
import { ReadStateService } from '../follow-up/read-state.service';
import { UserVisit } from '../follow-up/user-visit.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { PracticesService } from '../practices/practices.service';
import { SessionsService } from '../sessions/sessions.service';
import { ThreadsService } from '../threads/threads.service';
import type { User } from '../users/user.entity';
import { WhatsNewView } from './whats-new.view';

/** Half an hour without a look at the home screen ends a visit. */
const VISIT_GAP_MS = 30 * 60 * 1000;
const UPCOMING_SESSIONS = 10;
const UNREAD_THREADS = 20;
const NEW_PRACTICES = 20;
const UNREAD_NOTIFICATIONS = 50;

/**
 * « What's new » since the person's previous visit: the next sessions, threads with unread posts, practice sheets
 * published since, unread notifications. Visits are told apart by the gap between two looks, and `since` is the
 * start of the previous one, so reloading the page during a visit shows the same thing rather than nothing.
 */
@Injectable()
export class WhatsNewService {
  constructor(
    private readonly database: Database,
    private readonly readState: ReadStateService,
    private readonly threads: ThreadsService,
    private readonly sessions: SessionsService,
    private readonly practices: PracticesService,
    private readonly notifications: NotificationsService,
  ) {}

  async forReader(reader: User): Promise<WhatsNewView> {
    const { since, firstVisit } = await this.recordVisit(reader);
    const [sessions, unread, practices, notifications] = await Promise.all([
      this.sessions.list(reader, { limit: UPCOMING_SESSIONS }),
      this.readState.unreadThreadIds(reader.id, UNREAD_THREADS),
      this.practices.publishedSince(since, NEW_PRACTICES),
      this.notifications.unread(reader, UNREAD_NOTIFICATIONS),
    ]);
    const views = await this.threads.viewsByIds([...unread.keys()]);
    const threads = [...unread].flatMap(([id, fields]) => {
      const view = views.get(id);
      return view ? [{ ...view, ...fields }] : [];
    });
    return {
      since: since.toISOString(),
      firstVisit,
      sessions: sessions.items.filter((session) => session.status !== 'closed'),
      threads,
      practices,
      notifications,
    };
  }

  /** Starts a new visit after a gap, and answers the start of the previous one (the registration before any). */
  private recordVisit(reader: User): Promise<{ since: Date; firstVisit: boolean }> {
    return this.database.write(async (manager) => {
      const now = new Date();
      const visit = await manager.findOneBy(UserVisit, { userId: reader.id });
      if (!visit) {
        await manager.insert(UserVisit, { userId: reader.id, currentStartedAt: now, previousStartedAt: null, lastSeenAt: now });
        return { since: reader.createdAt, firstVisit: true };
      }
      const newVisit = now.getTime() - visit.lastSeenAt.getTime() > VISIT_GAP_MS;
      const previousStartedAt = newVisit ? visit.currentStartedAt : visit.previousStartedAt;
      await manager.update(
        UserVisit,
        { userId: reader.id },
        newVisit ? { currentStartedAt: now, previousStartedAt, lastSeenAt: now } : { lastSeenAt: now },
      );
      return { since: previousStartedAt ?? reader.createdAt, firstVisit: previousStartedAt === null };
    });
  }
}
