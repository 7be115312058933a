import type { EntityManager } from 'typeorm';
import { foldForSearch } from '../common/text';
import { runSql } from '../database/sql';

export const HANDLE_MIN_LENGTH = 3;
export const HANDLE_MAX_LENGTH = 30;
/** Lowercase ASCII letters, digits, dots, hyphens and underscores, beginning and ending with a letter or a digit. */
export const HANDLE_PATTERN = /^[a-z0-9][a-z0-9._-]{1,28}[a-z0-9]$/;

/** « Camille Dupont-Léger » → camille.dupont-leger: the display name folded to ASCII, words joined by dots. */
export function baseHandle(displayName: string): string {
  const folded = foldForSearch(displayName.replace(/œ/gi, 'oe').replace(/æ/gi, 'ae'))
    .replace(/[\s'’]+/g, '.')
    .replace(/[^a-z0-9._-]+/g, '')
    .replace(/([._-])[._-]+/g, '$1');
  const trimmed = trimPunctuation(trimPunctuation(folded).slice(0, HANDLE_MAX_LENGTH));
  if (trimmed.length >= HANDLE_MIN_LENGTH) return trimmed;
  return trimmed ? `membre.${trimmed}` : 'membre';
}

/** The base handle, then the base followed by 2, 3, 4…, each within the length limit. */
function* handleCandidates(displayName: string): Generator<string> {
  const base = baseHandle(displayName);
  yield base;
  for (let number = 2; ; number += 1) {
    const suffix = String(number);
    yield `${trimPunctuation(base.slice(0, HANDLE_MAX_LENGTH - suffix.length))}${suffix}`;
  }
}

export function firstFreeHandle(displayName: string, isTaken: (handle: string) => boolean): string {
  for (const candidate of handleCandidates(displayName)) if (!isTaken(candidate)) return candidate;
  throw new Error('unreachable: handle candidates never end');
}

/** The first handle made from the display name that nobody holds or held, read in the caller's transaction. */
export async function firstFreeHandleIn(manager: EntityManager, displayName: string): Promise<string> {
  // every candidate begins with the base's first 24 characters (a suffix takes at most 6)
  const prefix = baseHandle(displayName).slice(0, HANDLE_MAX_LENGTH - 6);
  const rows = await runSql<{ handle: string }[]>(
    manager,
    'SELECT "handle" FROM "users" WHERE "handle" LIKE :prefix UNION ALL SELECT "handle" FROM "handle_aliases" WHERE "handle" LIKE :prefix',
    { prefix: `${prefix}%` },
  );
  const taken = new Set(rows.map((row) => row.handle));
  return firstFreeHandle(displayName, (candidate) => taken.has(candidate));
}

function trimPunctuation(text: string): string {
  return text.replace(/^[._-]+|[._-]+$/g, '');
}
