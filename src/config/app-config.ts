import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Environment, parseEnvironment } from './environment';

export type DatabaseConfig =
  { type: 'sqlite'; path: string; synchronous: 'NORMAL' | 'FULL'; driver: 'better-sqlite3' | 'sqlite3' } | { type: 'postgres'; url: string };

export interface MailConfig {
  /** Unset: messages are written as .eml files under outboxDir instead of being sent. */
  smtpUrl: string | undefined;
  from: string;
  /** Without a trailing slash. */
  publicUrl: string;
  outboxDir: string;
  mentionDelayMs: number;
  /** Europe/Paris. */
  digestHour: number;
  pollMs: number;
  retryBaseMs: number;
  claimTimeoutMs: number;
}

export type RegistrationMode = 'invitation' | 'open';

export interface AttachmentConfig {
  maxBytes: number;
  quotaBytes: number;
  storage: 'database' | 'directory';
  /** The folder of the directory storage. */
  dir: string;
  /** Where uploads stream to before they are checked; a folder per process inside it. */
  tempDir: string;
}

const MEGABYTE = 1024 * 1024;

/** The typed, validated configuration every part of Essor reads; built once from the environment at start. */
export class AppConfig {
  readonly nodeEnv: Environment['NODE_ENV'];
  readonly port: number;
  readonly host: string;
  readonly database: DatabaseConfig;
  readonly redisUrl: string | undefined;
  readonly jwtSecret: string;
  /** True when the secret was generated (and kept under the data folder) rather than given. */
  readonly jwtSecretGenerated: boolean;
  readonly admin: { email: string; password: string } | undefined;
  readonly registrationMode: RegistrationMode;
  readonly seed: boolean;
  readonly rateLimitRequestsPerMinute: number;
  readonly rateLimitPostsPer10s: number;
  readonly rateLimitSignInPerMinute: number;
  readonly logLevel: Environment['LOG_LEVEL'];
  readonly dataDir: string;
  readonly trustProxy: number;
  readonly shutdownDelayMs: number;
  readonly mail: MailConfig;
  readonly attachments: AttachmentConfig;

  constructor(env: Environment, jwtSecret?: string) {
    this.nodeEnv = env.NODE_ENV;
    this.port = env.PORT;
    this.host = env.HOST;
    this.database = env.DATABASE_URL.startsWith('sqlite:')
      ? { type: 'sqlite', path: env.DATABASE_URL.slice('sqlite:'.length), synchronous: env.SQLITE_SYNCHRONOUS, driver: env.SQLITE_DRIVER }
      : { type: 'postgres', url: env.DATABASE_URL };
    this.redisUrl = env.REDIS_URL;
    this.dataDir = env.DATA_DIR;
    this.trustProxy = env.TRUST_PROXY;
    this.shutdownDelayMs = env.SHUTDOWN_DELAY_MS;
    this.jwtSecretGenerated = !env.JWT_SECRET && !jwtSecret;
    this.jwtSecret = env.JWT_SECRET ?? jwtSecret ?? loadOrCreateSecret(join(env.DATA_DIR, 'jwt-secret'));
    this.admin = env.ADMIN_EMAIL && env.ADMIN_PASSWORD ? { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD } : undefined;
    this.registrationMode = env.REGISTRATION_MODE;
    this.seed = env.SEED;
    this.rateLimitRequestsPerMinute = env.RATE_LIMIT_REQUESTS_PER_MINUTE;
    this.rateLimitPostsPer10s = env.RATE_LIMIT_POSTS_PER_10S;
    this.rateLimitSignInPerMinute = env.RATE_LIMIT_SIGN_IN_PER_MINUTE;
    this.logLevel = env.LOG_LEVEL;
    this.mail = {
      smtpUrl: env.SMTP_URL,
      from: env.MAIL_FROM,
      // a newcomer's own instance on another port still writes links that work
      publicUrl: env.PUBLIC_URL ?? `http://localhost:${env.PORT}`,
      outboxDir: join(env.DATA_DIR, 'outbox'),
      mentionDelayMs: env.MENTION_EMAIL_DELAY_S * 1000,
      digestHour: env.DIGEST_HOUR,
      pollMs: env.MAIL_POLL_MS,
      retryBaseMs: env.MAIL_RETRY_BASE_MS,
      claimTimeoutMs: env.MAIL_CLAIM_TIMEOUT_MS,
    };
    this.attachments = {
      maxBytes: env.ATTACHMENT_MAX_MB * MEGABYTE,
      quotaBytes: env.ATTACHMENT_QUOTA_MB * MEGABYTE,
      storage: env.ATTACHMENT_STORAGE,
      dir: resolve(env.ATTACHMENT_DIR ?? join(env.DATA_DIR, 'attachments')),
      tempDir: resolve(join(env.DATA_DIR, 'uploads-in-progress')),
    };
  }

  /** Parses and validates the environment; throws a ConfigurationError naming the first bad variable. */
  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): AppConfig {
    return new AppConfig(parseEnvironment(env));
  }
}

/** Without JWT_SECRET (outside production) a random secret is generated once and kept, so tokens survive restarts. */
function loadOrCreateSecret(file: string): string {
  const path = resolve(file);
  if (existsSync(path)) {
    const stored = readFileSync(path, 'utf8').trim();
    if (stored.length >= 32) return stored;
  }
  const secret = randomBytes(48).toString('base64url');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, secret + '\n', { mode: 0o600 });
  return secret;
}
