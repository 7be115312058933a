import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { OnEvent } from '@nestjs/event-emitter';
import { AppConfig } from '../config/app-config';
import type { DomainEvents } from '../events/domain-events';
import { Digests } from './digests.service';
import { MentionMails } from './mention-mails.service';
import { Outbox } from './outbox.service';
import { SessionReminders } from './session-reminders.service';

/**
 * The one timer of e-mail, bound to Nest's lifecycle. Every MAIL_POLL_MS, or sooner when a mention mail falls due
 * before (the tick adapts), it plans what became due (mention mails whose delay passed, digests whose hour came,
 * reminders of tomorrow's sessions) and sends the outbox's due messages; `wake()` runs it at once (a password reset
 * is not kept waiting). Every instance runs it: planning locks what it plans, sending claims what it sends, so they
 * share the work without doing any of it twice. At shutdown it stops and waits for the turn under way.
 */
@Injectable()
export class MailScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Mail');
  private timer: NodeJS.Timeout | undefined;
  private nextTurnAt = 0;
  private turn: Promise<number> | undefined;
  private wakeAgain = false;
  private stopped = false;
  private readonly planners: Array<{ name: string; plan: () => Promise<unknown> }>;

  constructor(
    private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly outbox: Outbox,
    private readonly mentions: MentionMails,
    digests: Digests,
    reminders: SessionReminders,
  ) {
    this.planners = [
      { name: 'mention mails', plan: () => mentions.planDue() },
      { name: 'digests', plan: () => digests.planDue() },
      { name: 'session reminders', plan: () => reminders.planDue() },
    ];
  }

  onApplicationBootstrap(): void {
    // a command-line context (npm run admin:create) has no HTTP server and sends no mail
    if (!this.adapterHost.httpAdapter) return;
    this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.turn;
  }

  /** Runs a turn as soon as possible (right after the one under way, if any). */
  wake(): void {
    if (this.stopped) return;
    if (this.turn) this.wakeAgain = true;
    else this.schedule(0);
  }

  /** A mention or reply made here: its mail falls due after the delay, maybe before the next poll. */
  @OnEvent('notifications.created')
  notificationsCreated(batch: DomainEvents['notifications.created']): void {
    if (batch.notification.kind !== 'mention' && batch.notification.kind !== 'reply') return;
    const dueAt = Date.now() + this.config.mail.mentionDelayMs;
    // a turn under way reads the next due time from the database when it ends
    if (!this.stopped && !this.turn && dueAt < this.nextTurnAt) this.schedule(dueAt - Date.now());
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.nextTurnAt = Date.now() + delayMs;
    this.timer = setTimeout(() => void this.runTurn(), delayMs);
  }

  private async runTurn(): Promise<void> {
    this.turn = this.work();
    const delay = await this.turn;
    this.turn = undefined;
    if (this.stopped) return;
    this.schedule(this.wakeAgain ? 0 : delay);
    this.wakeAgain = false;
  }

  /** The poll interval, or less when a mention mail falls due sooner (a new one is seen within a poll, long before). */
  private async nextDelay(): Promise<number> {
    const poll = this.config.mail.pollMs;
    try {
      const due = await this.mentions.nextDueAt();
      return due ? Math.min(poll, Math.max(0, due.getTime() - Date.now())) : poll;
    } catch (error) {
      this.logger.error(`Reading when the next mention mail is due failed: ${describe(error)}`);
      return poll;
    }
  }

  /** Plans, sends, and answers how long to wait before the next turn. */
  private async work(): Promise<number> {
    for (const { name, plan } of this.planners) {
      if (this.stopped) return 0;
      try {
        await plan();
      } catch (error) {
        this.logger.error(`Planning ${name} failed; tried again at the next turn: ${describe(error)}`);
      }
    }
    try {
      await this.outbox.sendDue({ shouldStop: () => this.stopped });
    } catch (error) {
      this.logger.error(`Sending e-mail failed; tried again at the next turn: ${describe(error)}`);
    }
    return this.stopped ? 0 : this.nextDelay();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
