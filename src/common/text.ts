/** Lower-case and strip accents, so that « evaluation » finds « Évaluation ». Keeps one character per character. */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'o')
    .replace(/æ/g, 'a');
}

/** The lowercase ASCII form of a name with hyphens: « Métropole de Lyon » → metropole-de-lyon. */
export function slugify(name: string): string {
  const slug = foldForSearch(name.replace(/œ/gi, 'oe').replace(/æ/gi, 'ae'))
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'sans-titre';
}

/**
 * A Markdown text without the blank lines before it nor the whitespace after it, the indentation of its first line
 * kept: what `replace(/^\s*\n|\s+$/g, '')` gives (`trim` and `\s` know the same characters), in one pass. The pattern
 * tried `\s+$` from each space of a run before failing at its end: a body of 1 MB of spaces between two letters,
 * normalised before its length was checked, would have held the server for some twenty minutes.
 */
export function trimBlankEnds(text: string): string {
  const trimmed = text.trimEnd();
  const indentEnd = trimmed.length - trimmed.trimStart().length;
  const lastBreak = indentEnd === 0 ? -1 : trimmed.lastIndexOf('\n', indentEnd - 1);
  return lastBreak < 0 ? trimmed : trimmed.slice(lastBreak + 1);
}

/** An optional text that null or an empty text clears (its DTO trimmed it already). */
export function emptyAsNull(value: string | null | undefined): string | null {
  return value ? value : null;
}
