import { randomUUID } from 'node:crypto';

/**
 * A UUID of version 7 (RFC 9562): the time in milliseconds in the first 48 bits, then random bits. Rows whose ids
 * follow time land at the end of the primary-key index, next to the rows just written, instead of on a random page of
 * it: a group of posts committed together writes a few index pages, not one page per post.
 */
export function timeOrderedUuid(now = Date.now()): string {
  const time = now.toString(16).padStart(12, '0');
  // randomUUID() is xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx: its version digit is replaced, its variant kept
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randomUUID().slice(15)}`;
}
