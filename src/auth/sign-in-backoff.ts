import { Injectable } from '@nestjs/common';
import { ExpiringCache } from '../common/expiring-cache';
import { RateLimitedException } from '../common/http/rate-limited.exception';

/** Failed attempts on one account that cost nothing. */
export const FREE_FAILURES = 5;
/** The longest lock: a person whose account is under attack is never kept out for longer than this. */
export const MAX_LOCK_SECONDS = 300;
/** Failures are forgotten this long after the last one. */
const FAILURES_KEPT_MS = 15 * 60_000;
const ACCOUNTS_KEPT = 100_000;

/** How long an account is locked after its n-th failure in a row: nothing at first, then 1 s, 2 s, 4 s… up to 5 minutes. */
export function lockSeconds(failures: number): number {
  return failures <= FREE_FAILURES ? 0 : Math.min(2 ** (failures - FREE_FAILURES - 1), MAX_LOCK_SECONDS);
}

/**
 * Per-account backoff on failed password checks (sign-in and password change), beside the per-address limit:
 * guessing one person's password from many addresses slows down exponentially, while the cap keeps an attacker from
 * locking the person out for long; a success resets it. Attempts made while locked are refused before the password
 * is checked, and do not lengthen the lock. Kept in this instance's memory: with several instances each counts its own.
 */
@Injectable()
export class SignInBackoff {
  private readonly accounts = new ExpiringCache<string, { failures: number; lockedUntil: number }>(FAILURES_KEPT_MS, ACCOUNTS_KEPT);

  /** Refuses the attempt with a 429 and Retry-After while the account is locked. */
  assertOpen(account: string): void {
    const waitMs = (this.accounts.get(account)?.lockedUntil ?? 0) - Date.now();
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new RateLimitedException(`Trop d’essais infructueux sur ce compte : réessayez dans ${seconds} s.`, seconds);
    }
  }

  failed(account: string): void {
    const failures = (this.accounts.get(account)?.failures ?? 0) + 1;
    this.accounts.set(account, { failures, lockedUntil: Date.now() + lockSeconds(failures) * 1000 });
  }

  succeeded(account: string): void {
    this.accounts.delete(account);
  }
}
