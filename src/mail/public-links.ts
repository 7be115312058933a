import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';

/** Absolute links to the web client's screens (its routes are in client/src/app.ts) and to public API routes. */
@Injectable()
export class PublicLinks {
  private readonly base: string;

  constructor(config: AppConfig) {
    this.base = config.mail.publicUrl;
  }

  absolute(path: string): string {
    return `${this.base}${path}`;
  }

  /** The thread opened at that post: the client reads `?message=` (as its notification links do). */
  post(threadId: string, seq: number): string {
    return this.absolute(`/#/fils/${threadId}?message=${seq}`);
  }

  session(sessionId: string): string {
    return this.absolute(`/#/seances/${sessionId}`);
  }

  practice(practiceId: string): string {
    return this.absolute(`/#/pratiques/${practiceId}`);
  }

  settings(): string {
    return this.absolute('/#/parametres');
  }

  passwordReset(token: string): string {
    return this.absolute(`/#/reset?token=${encodeURIComponent(token)}`);
  }

  unsubscribe(token: string): string {
    return this.absolute(`/api/unsubscribe?token=${encodeURIComponent(token)}`);
  }

  calendarFeed(token: string): string {
    return this.absolute(`/api/calendar/${token}.ics`);
  }
}
