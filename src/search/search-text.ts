import { foldForSearch } from '../common/text';

/** At most this many words of a query take part in a search: each one is a LIKE over the candidates. */
export const MAX_QUERY_WORDS = 8;

/**
 * The terms of a query: its words folded like `searchText`, split on anything but letters and digits (so « l’utilité »
 * and « l'utilite » agree), without repeats; one-letter words are dropped when the query has longer ones. Each term
 * lists the spellings that may stand for it: the stored fold turns « œ » into « o », so « coeur » and « cœur » both
 * look for « coeur » (typed out) and « cour » (how « cœur » is stored).
 */
export function searchTerms(query: string): string[][] {
  const expanded = query.normalize('NFC').replace(/œ/g, 'oe').replace(/Œ/g, 'Oe').replace(/æ/g, 'ae').replace(/Æ/g, 'Ae');
  const words = [
    ...new Set(
      foldForSearch(expanded)
        .split(/[^\p{L}\p{N}]+/u)
        .filter((word) => word.length > 0),
    ),
  ];
  const meaningful = words.filter((word) => word.length > 1);
  return (meaningful.length > 0 ? meaningful : words).slice(0, MAX_QUERY_WORDS).map((word) => {
    const ligature = word.replace(/oe/g, 'o').replace(/ae/g, 'a');
    return ligature === word ? [word] : [word, ligature];
  });
}

/** The first spelling of each term: the words as the reader typed them, folded. */
export function searchWords(query: string): string[] {
  return searchTerms(query).map(([word]) => word);
}

/** `%word%` for `LIKE … ESCAPE '\'`, with the wildcards of the word itself escaped. */
export function likePattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** The SQL that goes with likePattern: backslash is the escape character on SQLite and PostgreSQL alike. */
export const LIKE_ESCAPE = "ESCAPE '\\'";

/** A WHERE condition (and its parameters) true when the folded column holds one of the spellings of a term. */
export function likeCondition(column: string, spellings: string[], name: string): [string, Record<string, string>] {
  const parameters: Record<string, string> = {};
  const alternatives = spellings.map((word, index) => {
    parameters[`${name}_${index}`] = likePattern(word);
    return `${column} LIKE :${name}_${index} ${LIKE_ESCAPE}`;
  });
  return [`(${alternatives.join(' OR ')})`, parameters];
}

export interface FoldedText {
  folded: string;
  /** For each UTF-16 unit of `folded`: where its source character starts in the original text. */
  starts: number[];
  /** For each UTF-16 unit of `folded`: where its source character (and any marks folded away after it) ends. */
  ends: number[];
}

/**
 * Folds a text character by character, remembering where each folded unit came from, so that a match found in the
 * folded text maps back onto the original exactly, even where folding changed a length (a lone combining accent, İ).
 */
export function foldWithMap(text: string): FoldedText {
  let folded = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let index = 0;
  for (const char of text) {
    const next = index + char.length;
    const piece = foldForSearch(char);
    if (piece.length === 0 && ends.length > 0 && ends[ends.length - 1] === index) {
      // a mark folded away belongs to the character before it
      for (let back = ends.length - 1; back >= 0 && ends[back] === index; back--) ends[back] = next;
    }
    for (let unit = 0; unit < piece.length; unit++) {
      starts.push(index);
      ends.push(next);
    }
    folded += piece;
    index = next;
  }
  return { folded, starts, ends };
}

/** Every occurrence of every word, as [start, end) offsets into the original text, sorted and merged. */
export function highlightRanges(text: string, words: string[]): Array<[number, number]> {
  const { folded, starts, ends } = foldWithMap(text);
  const found: Array<[number, number]> = [];
  for (const word of words) {
    if (word.length === 0) continue;
    for (let at = folded.indexOf(word); at >= 0; at = folded.indexOf(word, at + word.length)) {
      found.push([starts[at], ends[at + word.length - 1]]);
    }
  }
  found.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Array<[number, number]> = [];
  for (const range of found) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

/** Markdown reduced to the words a reader sees, on one line: no markers, links keep their text. */
export function toPlainText(markdown: string): string {
  return markdown
    .normalize('NFC')
    .replace(/^\s*(```|~~~).*$/gm, ' ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<((?:https?|mailto):[^>\s]+)>/g, '$1')
    .replace(/^[ \t]{0,3}(?:#{1,6}|>+|[-*+]|\d{1,9}[.)])[ \t]+/gm, '')
    .replace(/\*\*|__|~~|`/g, '')
    .replace(/(^|[^\p{L}\p{N}])[*_]+(?=[\p{L}\p{N}])/gu, '$1')
    .replace(/(?<=[\p{L}\p{N}])[*_]+(?![\p{L}\p{N}])/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export const SNIPPET_LENGTH = 160;
const ELLIPSIS = '…';

export interface Snippet {
  snippet: string;
  highlights: Array<[number, number]>;
}

/**
 * About `length` characters of plain text around the first match of any word, cut between words, with « … » where
 * text was cut, and the offsets of every match inside the snippet.
 */
export function makeSnippet(text: string, words: string[], length = SNIPPET_LENGTH): Snippet {
  const plain = text.normalize('NFC').replace(/\s+/g, ' ').trim();
  let snippet = plain;
  if (plain.length > length) {
    const first = highlightRanges(plain, words)[0];
    const matchStart = first ? first[0] : 0;
    const matchEnd = first ? first[1] : 0;
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
    const middle = plain.slice(from, to).trim();
    snippet = `${from > 0 ? `${ELLIPSIS} ` : ''}${middle}${to < plain.length ? ` ${ELLIPSIS}` : ''}`;
  }
  return { snippet, highlights: highlightRanges(snippet, words) };
}

/** Never cut between the two halves of a surrogate pair (an emoji). */
function avoidSplitPair(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return at > 0 && at < text.length && code >= 0xdc00 && code <= 0xdfff ? at - 1 : at;
}

/** Occurrences of the terms in a folded text, each term counted at most `cap` times. */
export function countOccurrences(folded: string, terms: string[][], cap = 5): number {
  let total = 0;
  for (const spellings of terms) {
    let count = 0;
    for (const word of spellings) {
      for (let at = folded.indexOf(word); at >= 0 && count < cap; at = folded.indexOf(word, at + word.length)) count++;
    }
    total += count;
  }
  return total;
}

/**
 * How many terms start a word somewhere in the folded text: « coeur » is a word of « le coeur » but only a piece of
 * « parcours » (where its spelling « cour » hides), and the first should rank higher.
 */
export function countWordStarts(folded: string, terms: string[][]): number {
  const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return terms.filter((spellings) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${spellings.map(escape).join('|')})`, 'u').test(folded)).length;
}

/** True when every term has a spelling in the folded text. */
export function containsAll(folded: string, terms: string[][]): boolean {
  return terms.every((spellings) => spellings.some((word) => folded.includes(word)));
}

/**
 * True when the words appear in the folded text in order, separated by nothing but spaces, punctuation or a one-letter
 * elision (« de l'utilité » is the phrase « de utilite » once searchTerms dropped the l).
 */
export function containsPhrase(folded: string, terms: string[][]): boolean {
  if (terms.length < 2) return false;
  const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = terms.map((spellings) => `(?:${spellings.map(escape).join('|')})`).join('[^\\p{L}\\p{N}]+(?:\\p{L}[^\\p{L}\\p{N}]+)?');
  return new RegExp(pattern, 'u').test(folded);
}
