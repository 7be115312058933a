import { newStemmer } from 'snowball-stemmers';
import { fra as FRENCH_STOP_WORDS } from 'stopword';
import { isPlainText } from '../markdown/plain-text';

/**
 * French text as the search index sees it, on SQLite (the stems written beside each row, and the query's) and for
 * highlighting on both engines: words are runs of letters and digits (so apostrophes of elision, both ' and ’, and
 * hyphens separate words), folded (lower case, accents removed, « œ » written « oe »), stop words and one-letter words
 * left out, then stemmed by Snowball's French algorithm. Folding before stemming makes « evaluations » and
 * « Évaluation » meet on one stem, as PostgreSQL's `french` configuration over `unaccent()` does.
 */

const stemmer = newStemmer('french');

/** Lower case, accents removed, ligatures written out: « Cœur » → coeur. */
export function foldWord(word: string): string {
  return word
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss');
}

const STOP_WORDS = new Set(FRENCH_STOP_WORDS.map(foldWord));

/**
 * Plurals in -x that Snowball's French algorithm leaves apart from their singular (it joins « -aux » and « -eaux »
 * itself, not these), folded: « tiers-lieux » and « tiers-lieu », « enjeux » and « enjeu » must find each other.
 * PostgreSQL's `french` configuration runs the same algorithm, so both engines read them as their singular first.
 */
const X_PLURALS = new Map(
  [
    ...['lieu', 'milieu', 'enjeu', 'jeu', 'feu', 'voeu', 'neveu', 'cheveu', 'adieu', 'essieu', 'pieu', 'moyeu', 'aieu'],
    ...['bijou', 'caillou', 'chou', 'genou', 'hibou', 'joujou', 'pou'],
  ].map((singular) => [`${singular}x`, singular]),
);

/**
 * A word ending in « ux », as written (any case, accents and ligatures as they come): the only candidates for
 * X_PLURALS. The lookbehind starts a match at a word's start only: without it, each letter of a long word would start
 * a scan to the word's end (a 20,000-letter word: 0.7 s instead of 0.2 ms).
 */
const UX_WORD = /(?<![\p{L}\p{N}])[\p{L}\p{N}]*[uU][xX](?![\p{L}\p{N}])/gu;

/**
 * The text with the plurals of X_PLURALS written as their singular, for PostgreSQL's parser (the index's text and the
 * query's words): what stemOf does on SQLite's side.
 */
export function singularXPlurals(text: string): string {
  return text.replace(UX_WORD, (word) => X_PLURALS.get(foldWord(word)) ?? word);
}

/** Whether the text holds a plural of X_PLURALS. */
export function hasXPlural(text: string): boolean {
  return singularXPlurals(text) !== text;
}

/** Stems already computed: a working group's vocabulary is small, and stemming is most of the cost of indexing. */
const stems = new Map<string, string>();
const MAX_REMEMBERED_STEMS = 50_000;

/** The stem of a folded word, or null for a stop word or a one-letter word (nothing a search can look for). */
export function stemOf(folded: string): string | null {
  if (folded.length < 2 || STOP_WORDS.has(folded)) return null;
  let stem = stems.get(folded);
  if (stem === undefined) {
    stem = stemmer.stem(X_PLURALS.get(folded) ?? folded);
    if (stems.size >= MAX_REMEMBERED_STEMS) stems.clear();
    stems.set(folded, stem);
  }
  return stem;
}

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * The stems of a text, in order, separated by spaces: what the SQLite index holds for it. Folding works character by
 * character, so the whole text is folded at once (every post pays this inside its write), then cut into words.
 */
export function stemText(text: string): string {
  const out: string[] = [];
  for (const [word] of foldWord(text).matchAll(WORD)) {
    const stem = stemOf(word);
    if (stem !== null) out.push(stem);
  }
  return out.join(' ');
}

/** A term of a query: one word, or the words of a phrase (« quoted », or joined by hyphens as in tiers-lieux). */
export interface QueryTerm {
  /** The words as typed (NFC), for PostgreSQL's own parser. */
  words: string[];
  /** Their stems, stop words left out: what the SQLite index is asked for, and what highlights mark. */
  stems: string[];
}

export interface ParsedQuery {
  include: QueryTerm[];
  exclude: QueryTerm[];
}

/** Terms a query may hold: a query is at most 200 characters, this only bounds the work on pathological input. */
const MAX_TERMS = 32;

const OPENING_QUOTES = '"«“„';
const CLOSING_QUOTES = '"»”“';

/**
 * Reads a query: words, « phrases » ("…", «…» or “…”; an unclosed quote runs to the end), and `-word` or `-"phrase"`
 * to exclude. Any other character only separates words, so no operator of either engine can be injected. Terms whose
 * words are all stop words drop out: a query of nothing else has no term to include.
 */
export function parseQuery(query: string): ParsedQuery {
  const parsed: ParsedQuery = { include: [], exclude: [] };
  const text = query.normalize('NFC');
  let at = 0;
  while (at < text.length && parsed.include.length + parsed.exclude.length < MAX_TERMS) {
    const char = text[at];
    if (/\s/u.test(char)) {
      at++;
      continue;
    }
    // a minus that starts a term excludes it; inside a word (tiers-lieux) it is a hyphen
    const excluded = char === '-' && at + 1 < text.length && !/\s/u.test(text[at + 1]);
    if (excluded) at++;
    let raw: string;
    if (OPENING_QUOTES.includes(text[at])) {
      const close = indexOfAny(text, CLOSING_QUOTES, at + 1);
      raw = text.slice(at + 1, close < 0 ? text.length : close);
      at = close < 0 ? text.length : close + 1;
    } else {
      const end = text.slice(at).search(/\s/u);
      raw = text.slice(at, end < 0 ? text.length : at + end);
      at = end < 0 ? text.length : at + end;
    }
    const words = [...raw.matchAll(WORD)].map(([word]) => word);
    const termStems = words.map((word) => stemOf(foldWord(word))).filter((stem): stem is string => stem !== null);
    if (termStems.length > 0) (excluded ? parsed.exclude : parsed.include).push({ words, stems: termStems });
  }
  return parsed;
}

function indexOfAny(text: string, chars: string, from: number): number {
  for (let index = from; index < text.length; index++) if (chars.includes(text[index])) return index;
  return -1;
}

/** An FTS5 string literal: every term is quoted, so nothing in it is read as an operator. */
const ftsString = (stems: string[]) => `"${stems.join(' ').replace(/"/g, '""')}"`;

/** The query as an FTS5 MATCH expression over the stemmed columns: every included term, none of the excluded. */
export function toFtsMatch(query: ParsedQuery, columns: string): string {
  const include = query.include.map((term) => ftsString(term.stems)).join(' AND ');
  const exclude = query.exclude.map((term) => ` NOT ${ftsString(term.stems)}`).join('');
  return `{${columns}} : (${include}${exclude})`;
}

/**
 * The query in the syntax of PostgreSQL's websearch_to_tsquery, rebuilt from its terms only. Every term is quoted,
 * single words too: websearch_to_tsquery reads a bare `or` as its OR operator, which SQLite's MATCH would not.
 */
export function toWebSearch(query: ParsedQuery): string {
  const term = (words: string[]) => `"${singularXPlurals(words.join(' '))}"`;
  return [...query.include.map((t) => term(t.words)), ...query.exclude.map((t) => `-${term(t.words)}`)].join(' ');
}

/**
 * Markdown reduced to the words a reader sees, on one line: no markers, links keep their text. Every post is indexed
 * inside its write, and most are plain text already, which needs only the last step. isPlainText is asked of the
 * normalised text: NFC may turn a character into a backtick or a semicolon.
 */
export function toPlainText(markdown: string): string {
  const text = markdown.normalize('NFC');
  return isPlainText(text) ? text.replace(/\s+/g, ' ').trim() : toPlainTextInFull(text);
}

/** Every step, whatever the text: the path of any text that is not plain, and the reference the plain path is tested against. */
export function toPlainTextInFull(markdown: string): string {
  return (
    markdown
      .normalize('NFC')
      // each pattern stops at the next character that could start another match, so that a text of thousands of
      // unclosed openers (« [a]( », « <https: », blank lines) is read once, not once from each of them
      .replace(/^[ \t]*(```|~~~).*$/gm, ' ')
      .replace(/!\[([^[\]]*)\]\([^()]*\)/g, '$1')
      .replace(/\[([^[\]]*)\]\([^()]*\)/g, '$1')
      .replace(/<((?:https?|mailto):[^<>\s]+)>/g, '$1')
      .replace(/^[ \t]{0,3}(?:#{1,6}|>+|[-*+]|\d{1,9}[.)])[ \t]+/gm, '')
      .replace(/\*\*|__|~~|`/g, '')
      .replace(/(^|[^\p{L}\p{N}*_])[*_]+(?=[\p{L}\p{N}])/gu, '$1')
      .replace(/(?<=[\p{L}\p{N}])[*_]+(?![\p{L}\p{N}])/gu, '')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/**
 * The [start, end) offsets of the words of `text` whose stem is one of `wanted`. A word is stemmed only when its
 * folded form could give such a stem (it begins like one), so a long text costs little more than a scan.
 */
export function matchingWords(text: string, wanted: ReadonlySet<string>): Array<[number, number]> {
  const prefixes = new Set([...wanted].map((stem) => stem.slice(0, Math.max(1, stem.length - 2))));
  const lengths = [...new Set([...prefixes].map((prefix) => prefix.length))];
  const found: Array<[number, number]> = [];
  for (const match of text.matchAll(WORD)) {
    const folded = foldWord(match[0]);
    if (!lengths.some((length) => prefixes.has(folded.slice(0, length)))) continue;
    const stem = stemOf(folded);
    if (stem !== null && wanted.has(stem)) found.push([match.index, match.index + match[0].length]);
  }
  return found;
}

export const SNIPPET_LENGTH = 160;
const ELLIPSIS = '…';

export interface Snippet {
  snippet: string;
  highlights: Array<[number, number]>;
}

/**
 * About `length` characters of plain text around the first matching word, cut between words, with « … » where text
 * was cut, and the offsets of every matching word inside it.
 */
export function makeSnippet(text: string, wanted: ReadonlySet<string>, length = SNIPPET_LENGTH): Snippet {
  const plain = text.normalize('NFC').replace(/\s+/g, ' ').trim();
  let snippet = plain;
  if (plain.length > length) {
    const [first] = matchingWords(plain, wanted);
    const [matchStart, matchEnd] = first ?? [0, 0];
    // a third of the room before the match, the rest after it
    let from = Math.max(0, matchStart - Math.floor(length / 3));
    let to = Math.min(plain.length, from + length);
    from = Math.max(0, to - length);
    if (from > 0 && plain[from - 1] !== ' ') {
      const space = plain.indexOf(' ', from);
      if (space >= 0 && space < matchStart) from = space + 1;
    }
    if (to < plain.length && plain[to] !== ' ') {
      const space = plain.lastIndexOf(' ', to);
      if (space > Math.max(from, matchEnd)) to = space;
    }
    from = avoidSplitPair(plain, from);
    to = avoidSplitPair(plain, to);
    snippet = `${from > 0 ? `${ELLIPSIS} ` : ''}${plain.slice(from, to).trim()}${to < plain.length ? ` ${ELLIPSIS}` : ''}`;
  }
  return { snippet, highlights: matchingWords(snippet, wanted) };
}

/** Never cut between the two halves of a surrogate pair (an emoji). */
function avoidSplitPair(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return at > 0 && at < text.length && code >= 0xdc00 && code <= 0xdfff ? at - 1 : at;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);

/** The snippet as HTML: every character escaped, each highlight wrapped in <mark>…</mark>. */
export function markHighlights({ snippet, highlights }: Snippet): string {
  let html = '';
  let at = 0;
  for (const [start, end] of highlights) {
    html += `${escapeHtml(snippet.slice(at, start))}<mark>${escapeHtml(snippet.slice(start, end))}</mark>`;
    at = end;
  }
  return html + escapeHtml(snippet.slice(at));
}
