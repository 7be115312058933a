import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Digests } from './digests.service';
import { MentionMails } from './mention-mails.service';
import { Outbox } from './outbox.service';
import { SessionReminders } from './session-reminders.service';

/**
 * The one timer of e-mail, bound to Nest's lifecycle: every MAIL_POLL_MS it plans what became due (mention mails
 * whose delay passed, digests whose hour came, reminders of tomorrow's sessions) and sends the outbox's due messages; `wake()` runs it at once (a
 * password reset is not kept waiting). Every instance runs it: planning locks what it plans, sending claims what it
 * sends, so they share the work without doing any of it twice. At shutdown it stops and waits for the turn under way.
 */
@Injectable()
export class MailScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Mail');
  private timer: NodeJS.Timeout | undefined;
  private turn: Promise<void> | undefined;
  private wakeAgain = false;
  private stopped = false;
  private readonly planners: Array<{ name: string; plan: () => Promise<unknown> }>;

  constructor(
    private readonly config: AppConfig,
    private readonly outbox: Outbox,
    mentions: MentionMails,
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

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.runTurn(), delayMs);
  }

  private async runTurn(): Promise<void> {
    this.turn = this.work();
    await this.turn;
    this.turn = undefined;
    if (this.stopped) return;
    this.schedule(this.wakeAgain ? 0 : this.config.mail.pollMs);
    this.wakeAgain = false;
  }

  private async work(): Promise<void> {
    for (const { name, plan } of this.planners) {
      if (this.stopped) return;
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
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
