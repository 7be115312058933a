import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager, In } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { Database } from '../database/database.service';
import { isPermanentFailure, MailTransport } from './mail-transport';
import { OutboxMail, type MailKind, type OutboxAttachment } from './outbox-mail.entity';

export interface NewMail {
  userId: string;
  kind: MailKind;
  dedupeKey: string;
  recipient: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
  attachments?: OutboxAttachment[];
}

export interface SendReport {
  sent: number;
  /** Failed this time; retried later unless the server refused them for good. */
  failed: number;
}

/** The longest wait between two attempts at a message the SMTP server keeps refusing for now. */
const MAX_RETRY_DELAY_MS = 3_600_000;
const CLAIM_BATCH = 20;
const SETTLE_POLL_MS = 25;

/**
 * The durable queue of e-mails. Planners record what is due (`enqueue`, in their own transaction, with the change
 * that made it due); senders claim due messages in a transaction (`FOR UPDATE SKIP LOCKED` on PostgreSQL, the write
 * queue on SQLite) before handing them to SMTP, and record the outcome with the claim's token, so a message is sent
 * by one instance at a time, a restart resends what was claimed but not sent, and a failure waits longer each time.
 */
@Injectable()
export class Outbox {
  private readonly logger = new Logger('Mail');

  constructor(
    private readonly database: Database,
    private readonly config: AppConfig,
    private readonly transport: MailTransport,
  ) {}

  /** Records a message as due now, in the caller's transaction; returns its id. */
  async enqueue(manager: EntityManager, mail: NewMail): Promise<string> {
    const id = randomUUID();
    await manager.insert(OutboxMail, {
      id,
      ...mail,
      headers: mail.headers ?? {},
      attachments: mail.attachments ?? [],
      status: 'pending',
      attempts: 0,
      nextAttemptAt: new Date(),
    });
    return id;
  }

  /**
   * Claims and sends due messages until none is left (or `shouldStop` says so); with `ids`, only those. Resolves
   * with what happened to the messages this call claimed.
   */
  async sendDue(options: { ids?: string[]; shouldStop?: () => boolean } = {}): Promise<SendReport> {
    const report: SendReport = { sent: 0, failed: 0 };
    while (!options.shouldStop?.()) {
      const claim = await this.claim(options.ids);
      if (claim.mails.length === 0) break;
      for (const mail of claim.mails) {
        // stopping (shutdown): what is claimed and not sent goes back to the queue at once, not after the lease
        if (options.shouldStop?.()) {
          await this.release(claim.token);
          return report;
        }
        // a lease that ran out (a very slow batch) may have let another instance take this one: then it is theirs
        if (!(await this.renew(mail, claim.token))) continue;
        const ok = await this.sendOne(mail, claim.token);
        if (ok) report.sent += 1;
        else report.failed += 1;
      }
    }
    return report;
  }

  /**
   * Sends these messages now and resolves once each was tried, whoever sent it: another instance's scheduler may have
   * claimed some first, and is waited for (at most the length of a claim).
   */
  async sendNow(ids: string[]): Promise<SendReport> {
    const deadline = Date.now() + this.config.mail.claimTimeoutMs;
    for (;;) {
      await this.sendDue({ ids });
      const rows =
        ids.length > 0
          ? await this.database.dataSource.manager.find(OutboxMail, { where: { id: In(ids) }, select: { status: true, attempts: true } })
          : [];
      const settled = rows.every((row) => row.status === 'sent' || row.status === 'failed' || (row.status === 'pending' && row.attempts > 0));
      if (settled || Date.now() > deadline) {
        const sent = rows.filter((row) => row.status === 'sent').length;
        return { sent, failed: rows.length - sent };
      }
      await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    }
  }

  private async claim(ids: string[] | undefined): Promise<{ token: string; mails: OutboxMail[] }> {
    const token = randomUUID();
    const mails = await this.database.write(async (manager) => {
      const now = this.database.timestampParameter(new Date());
      const due = manager
        .createQueryBuilder(OutboxMail, 'mail')
        .select('mail.id', 'id')
        .where("((mail.status = 'pending' AND mail.nextAttemptAt <= :now) OR (mail.status = 'sending' AND mail.claimedUntil <= :now))", { now })
        .orderBy('mail.nextAttemptAt', 'ASC')
        .limit(CLAIM_BATCH);
      if (ids) due.andWhere('mail.id IN (:...ids)', { ids: ids.length > 0 ? ids : [randomUUID()] });
      // two instances claiming at once take different rows instead of waiting for each other
      if (!this.database.isSqlite) due.setLock('pessimistic_write').setOnLocked('skip_locked');
      const claimed = (await due.getRawMany<{ id: string }>()).map((row) => row.id);
      if (claimed.length === 0) return [];
      await manager.update(
        OutboxMail,
        { id: In(claimed) },
        {
          status: 'sending',
          claimToken: token,
          claimedUntil: new Date(Date.now() + this.config.mail.claimTimeoutMs),
          attempts: () => '"attempts" + 1',
        },
      );
      return manager.find(OutboxMail, { where: { id: In(claimed) }, order: { createdAt: 'ASC' } });
    });
    return { token, mails };
  }

  /** Extends the claim before a send; false when the message is no longer this claim's. */
  private async renew(mail: OutboxMail, token: string): Promise<boolean> {
    const result = await this.database.write((manager) =>
      manager.update(
        OutboxMail,
        { id: mail.id, claimToken: token, status: 'sending' },
        { claimedUntil: new Date(Date.now() + this.config.mail.claimTimeoutMs) },
      ),
    );
    return result.affected === 1;
  }

  private async release(token: string): Promise<void> {
    await this.database.write((manager) =>
      manager.update(
        OutboxMail,
        { claimToken: token, status: 'sending' },
        { status: 'pending', claimToken: null, claimedUntil: null, attempts: () => '"attempts" - 1' },
      ),
    );
  }

  private async sendOne(mail: OutboxMail, token: string): Promise<boolean> {
    try {
      await this.transport.send(mail);
    } catch (error) {
      await this.recordFailure(mail, token, error);
      return false;
    }
    // only the holder of the claim records the outcome: a late sender whose lease ran out cannot overwrite another's
    await this.database.write((manager) =>
      manager.update(
        OutboxMail,
        { id: mail.id, claimToken: token },
        { status: 'sent', sentAt: new Date(), claimToken: null, claimedUntil: null, lastError: null },
      ),
    );
    return true;
  }

  private async recordFailure(mail: OutboxMail, token: string, error: unknown): Promise<void> {
    const permanent = isPermanentFailure(error);
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
    const delay = retryDelayMs(mail.attempts, this.config.mail.retryBaseMs);
    this.logger.warn(
      `${mail.kind} e-mail ${mail.id} to user ${mail.userId} failed (attempt ${mail.attempts}): ${message}; ${permanent ? 'refused for good, not retried' : `retried in ${Math.round(delay / 1000)} s`}`,
    );
    await this.database.write((manager) =>
      manager.update(
        OutboxMail,
        { id: mail.id, claimToken: token },
        {
          status: permanent ? 'failed' : 'pending',
          nextAttemptAt: new Date(Date.now() + delay),
          claimToken: null,
          claimedUntil: null,
          lastError: message,
        },
      ),
    );
  }
}

/** The wait after the n-th failed attempt: the base, then doubled at each failure, never more than an hour. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS);
}
