import { applyDecorators } from '@nestjs/common';
import { plainToInstance, Transform } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

const toBoolean = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const normalised = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(normalised)) return true;
  if (['false', '0', 'no', 'off'].includes(normalised)) return false;
  return value;
};
const toInteger = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value);
/** A whole number between min and max, given as text in the environment. */
// listed in the order stacked decorators are applied (bottom up), so the first message is « must be an integer »
const IntegerVariable = (min: number, max: number) => applyDecorators(Max(max), Min(min), IsInt(), Transform(toInteger));
const blankAsUnset = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/**
 * The environment variables of the public contract (docs/API.md, « Configuration »), plus a few operational ones.
 * Parsed and validated once at start; the first invalid variable is reported by name.
 */
export class Environment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IntegerVariable(0, 65535)
  PORT = 3000;

  @IsString()
  @MinLength(1)
  HOST = '0.0.0.0';

  @Matches(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, {
    message: 'DATABASE_URL must be sqlite:<path> or postgres://user:pass@host:port/db',
  })
  DATABASE_URL = 'sqlite:data/essor.sqlite';

  @Transform(blankAsUnset)
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @Transform(blankAsUnset)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters long' })
  JWT_SECRET?: string;

  @Transform(blankAsUnset)
  @IsOptional()
  @IsEmail({}, { message: 'ADMIN_EMAIL must be an email address' })
  ADMIN_EMAIL?: string;

  @Transform(blankAsUnset)
  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'ADMIN_PASSWORD must be at least 8 characters long' })
  ADMIN_PASSWORD?: string;

  @IsIn(['invitation', 'open'])
  REGISTRATION_MODE: 'invitation' | 'open' = 'invitation';

  @Transform(toBoolean)
  @IsIn([true, false], { message: 'SEED must be true or false' })
  SEED = true;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  RATE_LIMIT_REQUESTS_PER_MINUTE = 600;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  RATE_LIMIT_POSTS_PER_10S = 20;

  /** Sign-in and registration attempts per client address per minute. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  RATE_LIMIT_SIGN_IN_PER_MINUTE = 10;

  /** SQLite durability: NORMAL survives a crash of the process, FULL also a power cut (at a cost per commit). */
  @IsIn(['NORMAL', 'FULL'])
  SQLITE_SYNCHRONOUS: 'NORMAL' | 'FULL' = 'NORMAL';

  /** The SQLite driver package: better-sqlite3 is installed; sqlite3 needs `npm install sqlite3@5` first (see the README). */
  @IsIn(['better-sqlite3', 'sqlite3'])
  SQLITE_DRIVER: 'better-sqlite3' | 'sqlite3' = 'better-sqlite3';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' = 'info';

  /**
   * How many proxies stand in front of Essor (a load balancer: 1). Their X-Forwarded-For then gives the client
   * address that the rate limits count by. 0: none, the default.
   */
  @IntegerVariable(0, 10)
  TRUST_PROXY = 0;

  /**
   * At SIGTERM, how long the instance keeps serving while its health answers 503, so a load balancer stops sending
   * it new clients before its connections close.
   */
  @IntegerVariable(0, 120_000)
  SHUTDOWN_DELAY_MS = 0;

  /** Where the generated JWT secret and the default SQLite file are kept. */
  @IsString()
  @MinLength(1)
  DATA_DIR = 'data';

  /** Where e-mail goes: `smtp://user:pass@host:587` or `smtps://…`; unset, every message is written under DATA_DIR/outbox. */
  @Transform(blankAsUnset)
  @IsOptional()
  @Matches(/^smtps?:\/\/[^\s/]+/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@host:587' })
  SMTP_URL?: string;

  /** The sender of every e-mail, an address or `Name <address>`. */
  @Matches(/^([^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, { message: 'MAIL_FROM must be an address or "Name <address>"' })
  MAIL_FROM = 'Essor <essor@localhost>';

  /** The address people reach Essor at, for the links in e-mails and calendar feeds; unset, http://localhost:PORT. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s]+[^/\s]$/, { message: 'PUBLIC_URL must be an http:// or https:// URL without a trailing slash' })
  PUBLIC_URL?: string;

  /** How long a mention or reply may stay unread before it is e-mailed. */
  @IntegerVariable(0, 86_400)
  MENTION_EMAIL_DELAY_S = 120;

  /** The hour (Europe/Paris) at which daily and weekly (Monday) digests go out. */
  @IntegerVariable(0, 23)
  DIGEST_HOUR = 7;

  /** How often the mail scheduler looks for due work; tests shorten it so a short delay is not waited on a long timer. */
  @IntegerVariable(20, 60_000)
  MAIL_POLL_MS = 5_000;

  /** The first wait before a failed send is retried; each further failure doubles it, up to an hour. */
  @IntegerVariable(10, 3_600_000)
  MAIL_RETRY_BASE_MS = 30_000;

  /** How long an instance may hold a message it claimed before another may take it (an instance that died sending). */
  @IntegerVariable(100, 3_600_000)
  MAIL_CLAIM_TIMEOUT_MS = 300_000;

  /** The largest attached file, in MB (answered 413 beyond it). */
  @IntegerVariable(1, 1024)
  ATTACHMENT_MAX_MB = 20;

  /** The files one person may keep, all together, in MB (answered 413 beyond it). */
  @IntegerVariable(1, 1_048_576)
  ATTACHMENT_QUOTA_MB = 500;

  /** Where attached files are kept: in the database (shared by every instance) or in ATTACHMENT_DIR. */
  @IsIn(['database', 'directory'], { message: 'ATTACHMENT_STORAGE must be database or directory' })
  ATTACHMENT_STORAGE: 'database' | 'directory' = 'database';

  /** The folder of ATTACHMENT_STORAGE=directory; <DATA_DIR>/attachments when unset. */
  @Transform(blankAsUnset)
  @IsOptional()
  @IsString()
  @MinLength(1)
  ATTACHMENT_DIR?: string;
}

export class ConfigurationError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Invalid configuration: ${variable}: ${detail}`);
  }
}

const KNOWN_VARIABLES = Object.keys(new Environment()).concat([
  'REDIS_URL',
  'JWT_SECRET',
  'ADMIN_EMAIL',
  'ADMIN_PASSWORD',
  'SMTP_URL',
  'ATTACHMENT_DIR',
]);

/** Keeps only the variables Essor knows, so the rest of the process environment cannot fail validation. */
function pickKnown(env: NodeJS.ProcessEnv): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of KNOWN_VARIABLES) {
    const value = env[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

export function parseEnvironment(env: NodeJS.ProcessEnv): Environment {
  const parsed = plainToInstance(Environment, pickKnown(env));
  const [firstError] = validateSync(parsed, { whitelist: true, forbidUnknownValues: false });
  if (firstError) {
    // class-validator lists constraints from the last decorator up: the last one is the type check written first
    const detail = Object.values(firstError.constraints ?? {}).pop() ?? 'is invalid';
    throw new ConfigurationError(firstError.property, detail);
  }
  if (parsed.NODE_ENV === 'production' && !parsed.JWT_SECRET) {
    throw new ConfigurationError('JWT_SECRET', 'JWT_SECRET is required when NODE_ENV=production');
  }
  if ((parsed.ADMIN_EMAIL === undefined) !== (parsed.ADMIN_PASSWORD === undefined)) {
    const missing = parsed.ADMIN_EMAIL === undefined ? 'ADMIN_EMAIL' : 'ADMIN_PASSWORD';
    throw new ConfigurationError(missing, 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  }
  if (parsed.DATABASE_URL.startsWith('sqlite:') && !isInstalled(parsed.SQLITE_DRIVER)) {
    const version = parsed.SQLITE_DRIVER === 'sqlite3' ? 'sqlite3@5' : 'better-sqlite3@12';
    throw new ConfigurationError('SQLITE_DRIVER', `SQLITE_DRIVER=${parsed.SQLITE_DRIVER} needs its package: npm install ${version}`);
  }
  return parsed;
}

function isInstalled(packageName: string): boolean {
  try {
    require.resolve(packageName);
    return true;
  } catch {
    return false;
  }
}
