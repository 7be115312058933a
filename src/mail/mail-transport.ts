import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import { AppConfig } from '../config/app-config';
import type { OutboxMail } from './outbox-mail.entity';

/** A server that stops answering fails the attempt (to be retried) instead of holding the sender for minutes. */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/**
 * Hands a rendered message to SMTP, or, without SMTP_URL, writes it as an .eml file under the outbox folder
 * (nodemailer's stream transport builds the same MIME message), so a newcomer can open what would have been sent.
 */
@Injectable()
export class MailTransport implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Mail');
  private readonly transporter: Transporter;
  private readonly outboxDir: string | undefined;
  private readonly messageIdDomain: string;

  constructor(private readonly config: AppConfig) {
    const { smtpUrl, outboxDir, publicUrl } = config.mail;
    this.outboxDir = smtpUrl ? undefined : resolve(outboxDir);
    this.transporter = smtpUrl
      ? createTransport({ url: smtpUrl, ...SMTP_TIMEOUTS })
      : createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    this.messageIdDomain = new URL(publicUrl).hostname;
  }

  async onModuleInit(): Promise<void> {
    if (!this.outboxDir) return;
    await mkdir(this.outboxDir, { recursive: true });
    this.logger.log(`No SMTP_URL: e-mails are written as .eml files to ${this.outboxDir} instead of being sent`);
  }

  onApplicationShutdown(): void {
    this.transporter.close();
  }

  /** Resolves once the SMTP server accepted the message (or the file is written); rejects with nodemailer's error. */
  async send(mail: OutboxMail): Promise<void> {
    const info = (await this.transporter.sendMail({
      from: this.config.mail.from,
      to: mail.recipient,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      headers: mail.headers,
      // the same Message-ID at every attempt: a receiver that saw a message already can tell it is the same one
      messageId: `<${mail.id}@${this.messageIdDomain}>`,
      attachments: mail.attachments.map(({ filename, contentType, content }) => ({ filename, contentType, content })),
    })) as { message?: Buffer };
    if (this.outboxDir && info.message) {
      const file = join(this.outboxDir, `${mail.createdAt.toISOString().replace(/[:.]/g, '-')}-${mail.kind}-${mail.id}.eml`);
      // written aside then renamed, so a reader of the folder never opens half a message
      await writeFile(`${file}.part`, info.message);
      await rename(`${file}.part`, file);
    }
  }
}

/** Whether an SMTP error says the message will never be accepted (a 5xx answer), rather than "try again later". */
export function isPermanentFailure(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}
