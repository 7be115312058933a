import { Injectable } from '@nestjs/common';
import { RateLimitedException } from '../common/http/rate-limited.exception';
import { Database } from '../database/database.service';
import { runSql, sqlTime } from '../database/sql';

/** Failed attempts on one account that cost nothing. */
export const FREE_FAILURES = 5;
/** The longest lock: a person whose account is under attack is never kept out for longer than this. */
export const MAX_LOCK_SECONDS = 300;
/** Failures are forgotten this long after the last one. */
export const FAILURES_KEPT_MS = 15 * 60_000;

/** How long an account is locked after its n-th failure in a row: nothing at first, then 1 s, 2 s, 4 s… up to 5 minutes. */
export function lockSeconds(failures: number): number {
  return failures <= FREE_FAILURES ? 0 : Math.min(2 ** (failures - FREE_FAILURES - 1), MAX_LOCK_SECONDS);
}

/** One more failure, counted from one again when the last is forgotten; two failures at once both count. */
const RECORD_FAILURE =
  'INSERT INTO "sign_in_failures" ("account", "failures", "lastFailureAt") VALUES (:account, 1, :now) ' +
  'ON CONFLICT ("account") DO UPDATE SET "failures" = CASE WHEN "sign_in_failures"."lastFailureAt" < :forgetBefore ' +
  'THEN 1 ELSE "sign_in_failures"."failures" + 1 END, "lastFailureAt" = :now';
const FORGET_OLD_FAILURES = 'DELETE FROM "sign_in_failures" WHERE "lastFailureAt" < :forgetBefore';

/**
 * Per-account backoff on failed password checks (sign-in and password change), beside the per-address limit:
 * guessing one person's password from many addresses slows down exponentially, while the cap keeps an attacker from
 * locking the person out for long; a success resets it. Attempts made while locked are refused before the password
 * is checked, and do not lengthen the lock. Counted in the database, so that every instance of a scaled-out Essor
 * sees the same count: an attacker gains nothing by spreading guesses over them.
 */
@Injectable()
export class SignInBackoff {
  constructor(private readonly database: Database) {}

  /**
   * Refuses the attempt with a 429 and Retry-After while the account is locked. Answers whether failures are on
   * record, which only then a success has to clear: most sign-ins write nothing here.
   */
  async assertOpen(account: string): Promise<boolean> {
    const [row] = await runSql<{ failures: number | string; lastFailureAt: Date | string }[]>(
      this.database.dataSource.manager,
      'SELECT "failures", "lastFailureAt" FROM "sign_in_failures" WHERE "account" = :account',
      { account },
    );
    if (!row) return false;
    const waitMs = sqlTime(row.lastFailureAt).getTime() + lockSeconds(Number(row.failures)) * 1000 - Date.now();
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new RateLimitedException(`Trop d’essais infructueux sur ce compte : réessayez dans ${seconds} s.`, seconds);
    }
    return true;
  }

  async failed(account: string): Promise<void> {
    const now = new Date();
    const parameters = {
      account,
      now: this.database.timestampParameter(now),
      forgetBefore: this.database.timestampParameter(new Date(now.getTime() - FAILURES_KEPT_MS)),
    };
    await this.database.write(async (manager) => {
      await runSql(manager, RECORD_FAILURE, parameters);
      // the addresses an attacker tried once and left: the table holds the last quarter of an hour only
      await runSql(manager, FORGET_OLD_FAILURES, parameters);
    });
  }

  /** After a right password: the failures on record (assertOpen said so) are forgotten. */
  async succeeded(account: string, failuresOnRecord: boolean): Promise<void> {
    if (!failuresOnRecord) return;
    await this.database.write((manager) => runSql(manager, 'DELETE FROM "sign_in_failures" WHERE "account" = :account', { account }));
  }
}
