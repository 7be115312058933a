import { DateTime } from 'luxon';
import type { DigestFrequency } from '../preferences/mail-preferences.entity';

/** The group meets in France: digests go out at DIGEST_HOUR in Paris, summer time or not. */
export const DIGEST_ZONE = 'Europe/Paris';

/**
 * The latest moment a digest of that frequency was scheduled at or before `now`: today's (or yesterday's) digest hour
 * for daily digests, the digest hour of the latest Monday for weekly ones. A person whose last digest is older is due.
 */
export function latestDigestSlot(now: Date, hour: number, frequency: Exclude<DigestFrequency, 'never'>): Date {
  const paris = DateTime.fromJSDate(now, { zone: DIGEST_ZONE });
  let slot = paris.set({ hour, minute: 0, second: 0, millisecond: 0 });
  if (slot > paris) slot = slot.minus({ days: 1 });
  if (frequency === 'weekly') slot = slot.minus({ days: slot.weekday - 1 });
  return slot.toJSDate();
}
