import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createTestApp, type TestApp } from '../support/test-app';

/** A real SMTP server in the test process: what Essor sends is parsed by mailparser and kept in order. */
export interface SmtpCapture {
  url: string;
  mails: ParsedMail[];
  /** Resolves once `count` messages arrived (in total); fails after the bound with what did arrive. */
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  /** Stops listening, as a server that is down. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  /** While set, each message's DATA is held until the promise settles (to catch a sender in the middle). */
  holdData: Promise<void> | undefined;
  /** Messages received, including those held. */
  dataStarted: number;
  close(): Promise<void>;
}

export async function startSmtp(): Promise<SmtpCapture> {
  let server: SMTPServer | undefined;
  let port = 0;
  const capture: SmtpCapture = {
    url: '',
    mails: [],
    holdData: undefined,
    dataStarted: 0,
    async waitFor(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (capture.mails.length < count) {
        if (Date.now() > deadline) {
          throw new Error(`expected ${count} e-mails, got ${capture.mails.length}: ${capture.mails.map((mail) => mail.subject).join(' | ')}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return capture.mails;
    },
    async down() {
      const stopping = server;
      server = undefined;
      if (stopping) await new Promise<void>((resolve) => stopping.close(() => resolve()));
    },
    async up() {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onData(stream, _session, callback) {
          capture.dataStarted += 1;
          const held = capture.holdData;
          simpleParser(stream)
            .then(async (mail) => {
              if (held) await held;
              capture.mails.push(mail);
              callback();
            })
            .catch((error: Error) => callback(error));
        },
      });
      const listening = server;
      await new Promise<void>((resolve) => listening.listen(port, '127.0.0.1', () => resolve()));
      port = (listening.server.address() as { port: number }).port;
      capture.url = `smtp://127.0.0.1:${port}`;
    },
    close: () => capture.down(),
  };
  await capture.up();
  return capture;
}

/** Every link of a mail's plain-text part. */
export function linksOf(mail: ParsedMail): string[] {
  return [...(mail.text ?? '').matchAll(/https?:\/\/[^\s<>")]+/g)].map((match) => match[0]);
}

export function recipientsOf(mail: ParsedMail): string[] {
  const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
  return to.flatMap((address) => address.value.map((entry) => entry.address ?? ''));
}

/** The environment of a test app that mails to this server, with timers short enough for a test. */
export function mailEnv(smtp: SmtpCapture, extra: Record<string, string> = {}): Record<string, string> {
  return {
    SMTP_URL: smtp.url,
    PUBLIC_URL: 'https://essor.example.org',
    MAIL_FROM: 'Essor <essor@example.org>',
    MAIL_POLL_MS: '50',
    MAIL_RETRY_BASE_MS: '100',
    MENTION_EMAIL_DELAY_S: '1',
    ...extra,
  };
}

/** A header as it was sent (mailparser folds the List-* headers into a structure of its own). */
export function rawHeader(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((candidate) => candidate.key === name.toLowerCase())?.line;
  return line?.slice(line.indexOf(':') + 1).trim();
}

export interface MailTestApp {
  smtp: SmtpCapture;
  t: TestApp;
  close(): Promise<void>;
}

/** An SMTP server and the real app mailing to it (see mailEnv). */
export async function startMailTestApp(extra: Record<string, string> = {}): Promise<MailTestApp> {
  const smtp = await startSmtp();
  const t = await createTestApp({ env: mailEnv(smtp, extra) });
  return {
    smtp,
    t,
    async close() {
      await t.close();
      await smtp.close();
    },
  };
}
