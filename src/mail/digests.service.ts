import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { Database } from '../database/database.service';
import { runSql, sqlTime } from '../database/sql';
import type { DigestFrequency } from '../preferences/mail-preferences.entity';
import { PreferencesService } from '../preferences/preferences.service';
import { latestDigestSlot } from './digest-schedule';
import { booleanParameter, skipLocked } from './mail-sql';
import { MailComposer } from './mail-composer';
import { countOf, practiceBlock, sessionBlock, threadBlock, type MailThread } from './mail-templates';
import { MailedItem, type MailedItemType } from './mailed-item.entity';
import { Outbox, type SendReport } from './outbox.service';
import { planEach } from './plan-each';
import { PublicLinks } from './public-links';

/** Unread posts older than this are left to the web client: a digest is about recent weeks. */
const POST_HORIZON_MS = 30 * 86_400_000;
const MAX_POSTS = 200;
/** A thread shows its latest posts in full; the others are counted. */
const POSTS_SHOWN_PER_THREAD = 5;
const SESSION_HORIZON_MS = 14 * 86_400_000;

interface Candidate {
  id: string;
  digest: Exclude<DigestFrequency, 'never'>;
}

interface Recipient {
  email: string;
  displayName: string;
  createdAt: Date | string;
  lastDigestAt: Date | string | null;
  digest: Exclude<DigestFrequency, 'never'> | null;
}

interface DigestPost {
  id: string;
  threadId: string;
  seq: number;
  body: string;
  createdAt: Date | string;
  authorName: string;
  title: string;
}

const CANDIDATES = `SELECT u.id, COALESCE(mp.digest, 'daily') AS digest FROM users u LEFT JOIN mail_preferences mp ON mp."userId" = u.id
  WHERE u.disabled = :no AND COALESCE(mp.digest, 'daily') <> 'never'
  AND (:force = 1
    OR (COALESCE(mp.digest, 'daily') = 'daily' AND COALESCE(mp."lastDigestAt", u."createdAt") < :dailySlot)
    OR (mp.digest = 'weekly' AND COALESCE(mp."lastDigestAt", u."createdAt") < :weeklySlot))`;

const recipientSql = (database: Database) => `SELECT u.email, u."displayName" AS "displayName", u."createdAt" AS "createdAt",
  mp."lastDigestAt" AS "lastDigestAt", mp.digest FROM users u LEFT JOIN mail_preferences mp ON mp."userId" = u.id
  WHERE u.id = :userId AND u.disabled = :no ${skipLocked(database, 'u')}`;

/** Unread posts in watched threads, and those a notification still unread is about, never from a muted thread. */
const UNREAD_POSTS = `SELECT p.id, p."threadId" AS "threadId", p.seq, p.body, p."createdAt" AS "createdAt", a."displayName" AS "authorName", t.title
  FROM posts p JOIN threads t ON t.id = p."threadId" JOIN users a ON a.id = p."authorId"
  LEFT JOIN thread_watches w ON w."threadId" = p."threadId" AND w."userId" = :userId
  WHERE p."authorId" <> :userId AND p."deletedAt" IS NULL AND p."hiddenAt" IS NULL
    AND p."createdAt" > :since
    AND p.seq > COALESCE((SELECT r."lastReadSeq" FROM thread_reads r WHERE r."userId" = :userId AND r."threadId" = p."threadId"), 0)
    AND NOT EXISTS (SELECT 1 FROM mailed_items m WHERE m."userId" = :userId AND m."itemType" = 'post' AND m."itemId" = p.id)
    AND COALESCE(w.level, 'normal') <> 'muted'
    AND (w.level = 'watching'
      OR EXISTS (SELECT 1 FROM notifications n WHERE n."userId" = :userId AND n."postId" = p.id AND n."readAt" IS NULL))
  ORDER BY p."createdAt" DESC LIMIT ${MAX_POSTS}`;

const NEW_PRACTICES = `SELECT pr.id, pr.title, pr.summary, m.name AS metropolis FROM practices pr JOIN metropolises m ON m.id = pr."metropolisId"
  WHERE (pr."authorId" IS NULL OR pr."authorId" <> :userId) AND pr."createdAt" > :since
    AND NOT EXISTS (SELECT 1 FROM mailed_items mi WHERE mi."userId" = :userId AND mi."itemType" = 'practice' AND mi."itemId" = pr.id)
  ORDER BY pr."createdAt" ASC LIMIT 20`;

const NEXT_SESSIONS = `SELECT s.id, s.title, s."startsAt" AS "startsAt", s.location, s."videoUrl" AS "videoUrl" FROM work_sessions s
  WHERE s.status = 'scheduled' AND s."startsAt" > :now AND s."startsAt" < :until
    AND NOT EXISTS (SELECT 1 FROM mailed_items mi WHERE mi."userId" = :userId AND mi."itemType" = 'session' AND mi."itemId" = s.id)
  ORDER BY s."startsAt" ASC LIMIT 10`;

/**
 * Daily and weekly digests: what a person has not read and was not e-mailed about yet (unread posts in watched
 * threads or about them, new practice sheets, the next sessions), none from muted threads, nothing twice (what a mail
 * tells is recorded in `mailed_items` in the transaction that queues it), and no mail when there is nothing to say.
 */
@Injectable()
export class Digests {
  private readonly logger = new Logger('Mail');

  constructor(
    private readonly database: Database,
    private readonly config: AppConfig,
    private readonly outbox: Outbox,
    private readonly links: PublicLinks,
    private readonly preferences: PreferencesService,
    private readonly composer: MailComposer,
  ) {}

  /** Plans the digests due (every one with something to say when forced); returns their outbox ids. */
  async planDue(options: { force?: boolean; now?: Date } = {}): Promise<string[]> {
    const now = options.now ?? new Date();
    const hour = this.config.mail.digestHour;
    const candidates = await runSql<Candidate[]>(this.database.dataSource.manager, CANDIDATES, {
      no: booleanParameter(this.database, false),
      force: options.force ? 1 : 0,
      dailySlot: this.database.timestampParameter(latestDigestSlot(now, hour, 'daily')),
      weeklySlot: this.database.timestampParameter(latestDigestSlot(now, hour, 'weekly')),
    });
    return planEach(
      this.database,
      this.logger,
      candidates,
      (candidate) => `the digest of user ${candidate.id}`,
      (manager, candidate) => this.planOne(manager, candidate, now, options.force ?? false),
    );
  }

  /** `POST /api/admin/digests/run`: plans, then sends what it planned before answering. */
  async run(force: boolean): Promise<{ digests: number } & SendReport> {
    const ids = await this.planDue({ force });
    const report = await this.outbox.sendNow(ids);
    return { digests: ids.length, ...report };
  }

  private async planOne(manager: EntityManager, { id: userId }: Candidate, now: Date, force: boolean): Promise<string | null> {
    // the person's row is locked while their digest is planned: another instance planning at the same time skips them
    const [recipient] = await runSql<Recipient[]>(manager, recipientSql(this.database), { userId, no: booleanParameter(this.database, false) });
    if (!recipient) return null;
    const frequency = recipient.digest ?? 'daily';
    const lastDigestAt = recipient.lastDigestAt ? sqlTime(recipient.lastDigestAt) : null;
    const registeredAt = sqlTime(recipient.createdAt);
    if (!force && (lastDigestAt ?? registeredAt) >= latestDigestSlot(now, this.config.mail.digestHour, frequency)) return null;

    const since = lastDigestAt ?? registeredAt;
    const ts = (date: Date) => this.database.timestampParameter(date);
    const postsSince = new Date(Math.max(registeredAt.getTime(), now.getTime() - POST_HORIZON_MS));
    const posts = await runSql<DigestPost[]>(manager, UNREAD_POSTS, { userId, since: ts(postsSince) });
    const practices = await runSql<Array<{ id: string; title: string; summary: string; metropolis: string }>>(manager, NEW_PRACTICES, {
      userId,
      since: ts(since),
    });
    const sessions = await runSql<Array<{ id: string; title: string; startsAt: Date | string; location: string | null; videoUrl: string | null }>>(
      manager,
      NEXT_SESSIONS,
      { userId, now: ts(now), until: ts(new Date(now.getTime() + SESSION_HORIZON_MS)) },
    );
    await this.preferences.save(manager, userId, { lastDigestAt: now });
    if (posts.length + practices.length + sessions.length === 0) return null;

    const threads = groupByThread(posts, this.links);
    const html: string[] = [];
    const text: string[] = [];
    if (threads.length > 0) {
      html.push(`<h2>${countOf(posts.length, 'message')} non lu${posts.length > 1 ? 's' : ''}</h2>`);
      text.push(`== ${countOf(posts.length, 'message')} non lu${posts.length > 1 ? 's' : ''} ==`, '');
      for (const thread of threads) {
        const block = threadBlock(thread, this.config.mail.publicUrl, 'h3');
        html.push(block.html);
        text.push(block.text, '');
      }
    }
    if (practices.length > 0) {
      const blocks = practices.map((practice) => practiceBlock({ ...practice, link: this.links.practice(practice.id) }));
      html.push('<h2>Nouvelles fiches pratiques</h2>', `<ul>${blocks.map((block) => block.html).join('')}</ul>`);
      text.push('== Nouvelles fiches pratiques ==', '', ...blocks.map((block) => block.text), '');
    }
    if (sessions.length > 0) {
      const blocks = sessions.map((session) =>
        sessionBlock({
          title: session.title,
          startsAt: sqlTime(session.startsAt),
          place: session.location ?? session.videoUrl,
          link: this.links.session(session.id),
        }),
      );
      html.push('<h2>Prochaines séances</h2>', `<ul>${blocks.map((block) => block.html).join('')}</ul>`);
      text.push('== Prochaines séances ==', '', ...blocks.map((block) => block.text), '');
    }
    const label = frequency === 'weekly' ? 'hebdomadaire' : 'quotidien';
    const summary = [
      posts.length ? countOf(posts.length, 'message') + ` non lu${posts.length > 1 ? 's' : ''}` : '',
      practices.length ? countOf(practices.length, 'nouvelle fiche') : '',
      sessions.length ? countOf(sessions.length, 'séance') + ' à venir' : '',
    ].filter(Boolean);
    const id = await this.outbox.enqueue(manager, {
      userId,
      kind: 'digest',
      dedupeKey: `digest:${userId}:${force ? randomUUID() : now.toISOString()}`,
      recipient: recipient.email,
      subject: `Essor, votre résumé ${label} : ${summary.join(', ')}`,
      ...this.composer.compose(
        { userId, name: recipient.displayName },
        { html: html.join('\n'), text: text.join('\n'), footer: `Vous recevez ce résumé ${label} de ce que vous n’avez pas encore lu sur Essor.` },
        'digest',
      ),
    });
    const told: Array<[MailedItemType, string]> = [
      ...posts.map((post): [MailedItemType, string] => ['post', post.id]),
      ...practices.map((practice): [MailedItemType, string] => ['practice', practice.id]),
      ...sessions.map((session): [MailedItemType, string] => ['session', session.id]),
    ];
    await manager
      .createQueryBuilder()
      .insert()
      .into(MailedItem)
      .values(told.map(([itemType, itemId]) => ({ userId, itemType, itemId, outboxId: id })))
      .orIgnore()
      .execute();
    return id;
  }
}

/** Posts (newest first) as threads, the most recently active first, each showing its latest posts in order. */
function groupByThread(posts: DigestPost[], links: PublicLinks): MailThread[] {
  const threads = new Map<string, DigestPost[]>();
  for (const post of posts) threads.set(post.threadId, [...(threads.get(post.threadId) ?? []), post]);
  return [...threads.values()].map((newestFirst) => {
    const shown = newestFirst.slice(0, POSTS_SHOWN_PER_THREAD).reverse();
    const oldest = newestFirst[newestFirst.length - 1];
    return {
      title: oldest.title,
      link: links.post(oldest.threadId, oldest.seq),
      more: newestFirst.length - shown.length,
      posts: shown.map((post) => ({
        authorName: post.authorName,
        body: post.body,
        createdAt: sqlTime(post.createdAt),
        link: links.post(post.threadId, post.seq),
      })),
    };
  });
}
