import { Injectable, Logger } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { Database } from '../database/database.service';
import { runSql, sqlTime } from '../database/sql';
import { Notification } from '../notifications/notification.entity';
import { booleanParameter, skipLocked } from './mail-sql';
import { MailComposer } from './mail-composer';
import { threadBlock, type MailPost } from './mail-templates';
import { MailedItem } from './mailed-item.entity';
import { Outbox } from './outbox.service';
import { planEach } from './plan-each';
import { PublicLinks } from './public-links';

/** Mentions older than this are no longer e-mailed one by one (after a long outage): the digest tells them. */
const LOOKBACK_MS = 2 * 86_400_000;

interface DueGroup {
  userId: string;
  threadId: string;
}

interface PendingMention {
  id: string;
  kind: 'mention' | 'reply';
  postId: string;
  seq: number;
  authorName: string;
  body: string;
  createdAt: Date | string;
}

/**
 * Still to be e-mailed: the notification unread, the post not read (the thread's read mark below it), and the post not
 * told already by a digest that went first.
 */
const PENDING_CONDITIONS = `n.kind IN ('mention', 'reply') AND n."readAt" IS NULL AND n."emailedAt" IS NULL AND n."createdAt" > :lookback
  AND n.seq > COALESCE((SELECT r."lastReadSeq" FROM thread_reads r WHERE r."userId" = n."userId" AND r."threadId" = n."threadId"), 0)
  AND NOT EXISTS (SELECT 1 FROM mailed_items m WHERE m."userId" = n."userId" AND m."itemType" = 'post' AND m."itemId" = n."postId")`;

const DUE_GROUPS = `SELECT DISTINCT n."userId" AS "userId", n."threadId" AS "threadId" FROM notifications n
  JOIN users u ON u.id = n."userId" AND u.disabled = :no
  LEFT JOIN mail_preferences mp ON mp."userId" = n."userId"
  WHERE ${PENDING_CONDITIONS} AND n."createdAt" <= :dueBefore AND COALESCE(mp."emailMentions", 'immediate') = 'immediate'
  LIMIT 100`;

/** The oldest notification still waiting for its delay: the scheduler wakes when it falls due. */
const NEXT_DUE = `SELECT MIN(n."createdAt") AS "oldest" FROM notifications n
  WHERE n.kind IN ('mention', 'reply') AND n."readAt" IS NULL AND n."emailedAt" IS NULL AND n."createdAt" > :dueBefore`;

const groupSql = (
  database: Database,
) => `SELECT n.id, n.kind, n."postId" AS "postId", n.seq, a."displayName" AS "authorName", p.body, p."createdAt" AS "createdAt"
  FROM notifications n JOIN posts p ON p.id = n."postId" JOIN users a ON a.id = p."authorId"
  WHERE n."userId" = :userId AND n."threadId" = :threadId AND ${PENDING_CONDITIONS} AND p."deletedAt" IS NULL AND p."hiddenAt" IS NULL
  ORDER BY n.seq ${skipLocked(database, 'n')}`;

/**
 * The e-mails for mentions and replies still unread MENTION_EMAIL_DELAY_S after they were made (what Zulip does): one
 * mail per person and thread with every such post pending there, recorded in the outbox in the same transaction that
 * marks the notifications e-mailed, so a notification is e-mailed once whatever the number of instances.
 */
@Injectable()
export class MentionMails {
  private readonly logger = new Logger('Mail');

  constructor(
    private readonly database: Database,
    private readonly config: AppConfig,
    private readonly outbox: Outbox,
    private readonly links: PublicLinks,
    private readonly composer: MailComposer,
  ) {}

  /** Plans the mails now due; returns their outbox ids. */
  async planDue(now = new Date()): Promise<string[]> {
    const groups = await runSql<DueGroup[]>(this.database.dataSource.manager, DUE_GROUPS, {
      no: booleanParameter(this.database, false),
      lookback: this.database.timestampParameter(new Date(now.getTime() - LOOKBACK_MS)),
      dueBefore: this.database.timestampParameter(new Date(now.getTime() - this.config.mail.mentionDelayMs)),
    });
    return planEach(
      this.database,
      this.logger,
      groups,
      (group) => `the mention mail of user ${group.userId} in thread ${group.threadId}`,
      (manager, group) => this.planGroup(manager, group, now),
    );
  }

  /** When the next mention mail may fall due, if one is waiting: so it leaves on time whatever MAIL_POLL_MS. */
  async nextDueAt(now = new Date()): Promise<Date | null> {
    const [row] = await runSql<Array<{ oldest: Date | string | null }>>(this.database.dataSource.manager, NEXT_DUE, {
      dueBefore: this.database.timestampParameter(new Date(now.getTime() - this.config.mail.mentionDelayMs)),
    });
    return row?.oldest ? new Date(sqlTime(row.oldest).getTime() + this.config.mail.mentionDelayMs) : null;
  }

  private async planGroup(manager: EntityManager, { userId, threadId }: DueGroup, now: Date): Promise<string | null> {
    const lookback = this.database.timestampParameter(new Date(now.getTime() - LOOKBACK_MS));
    // another instance holding these rows is e-mailing them: skipped here, not waited for
    const pending = await runSql<PendingMention[]>(manager, groupSql(this.database), { userId, threadId, lookback });
    if (pending.length === 0) return null;
    const [recipient] = await runSql<Array<{ email: string; displayName: string; title: string }>>(
      manager,
      'SELECT u.email, u."displayName" AS "displayName", t.title FROM users u, threads t WHERE u.id = :userId AND t.id = :threadId',
      { userId, threadId },
    );
    if (!recipient) return null;
    const posts: MailPost[] = pending.map((row) => ({
      authorName: row.authorName,
      body: row.body,
      createdAt: sqlTime(row.createdAt),
      link: this.links.post(threadId, row.seq),
      reason: row.kind === 'mention' ? 'vous a mentionné' : 'vous a répondu',
    }));
    const thread = threadBlock(
      { title: recipient.title, link: this.links.post(threadId, pending[0].seq), posts, more: 0 },
      this.config.mail.publicUrl,
      'h2',
    );
    const first = pending[0];
    const subject =
      pending.length === 1
        ? `${first.authorName} ${first.kind === 'mention' ? 'vous a mentionné' : 'vous a répondu'} dans « ${recipient.title} »`
        : `${pending.length} nouveaux messages pour vous dans « ${recipient.title} »`;
    const id = await this.outbox.enqueue(manager, {
      userId,
      kind: 'mention',
      dedupeKey: `mention:${userId}:${first.id}`,
      recipient: recipient.email,
      subject: subject.slice(0, 300),
      ...this.composer.compose(
        { userId, name: recipient.displayName },
        { ...thread, footer: 'Vous recevez cet e-mail parce que ces messages vous concernent et que vous ne les aviez pas lus.' },
        'mentions',
      ),
    });
    await manager.update(Notification, { id: In(pending.map((row) => row.id)) }, { emailedAt: now });
    await manager
      .createQueryBuilder()
      .insert()
      .into(MailedItem)
      .values(pending.map((row) => ({ userId, itemType: 'post' as const, itemId: row.postId, outboxId: id })))
      .orIgnore()
      .execute();
    return id;
  }
}
