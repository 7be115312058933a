/** Characters of a body looked at for an excerpt: enough for any excerpt, so a long post costs no more than a short one. */
const SOURCE_LIMIT = 1_000;

/**
 * A short plain-text excerpt of a Markdown text (a notification, a list): the marks of emphasis, headings, quotes,
 * lists, code and links dropped, whitespace collapsed, at most `maxLength` characters (an ellipsis ends a cut text).
 * Plain text, never HTML: whoever shows it escapes it as any text.
 */
export function plainExcerpt(markdown: string, maxLength = 200): string {
  const text = markdown
    .slice(0, SOURCE_LIMIT)
    .replace(/```[^\n]*\n?/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]*>/g, ' ')
    .replace(/^\s{0,3}(?:#{1,6}|>+|[-*+]|\d+[.)])\s+/gm, '')
    .replace(/(\*\*|__|~~|[*_`])(?=\S)([^\n]*?\S)\1/g, '$2')
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= maxLength) return text;
  return `${text.slice(0, maxLength - 1).trimEnd()}…`;
}

/**
 * What may make a text more than paragraphs of words, so that the plain-text paths (renderMarkdown's, the search
 * index's toPlainText) leave it to the full ones: a character of Markdown's inline syntax, of HTML or of an entity (a
 * backslash, a backtick, `* _ ~ [ ] < > & |`), `@` (a mention, an address), an autolink (`://`, `www.`), a control
 * character (a tab, `\r`) or a line separator; a line that starts or ends with whitespace (indented code, a hard
 * break), or that starts as a heading, a list item, a setext underline or a table's delimiter row would (`#`, `=`, `+`,
 * `-`, `:`, `1.`, `1)`).
 * Wider than Markdown needs on purpose: a text caught here for nothing only costs the full path.
 */
// eslint-disable-next-line no-control-regex -- control characters are among what it looks for
const NOT_PLAIN = /[\\`*_~[\]<>&|@\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]|:\/\/|www\.|^[^\S\n]|[^\S\n]$|^(?:[#=+:-]|\d+[.)])/im;

/** Whether a text is paragraphs of plain words: Markdown changes nothing in it but its paragraphs and line breaks. */
export const isPlainText = (source: string): boolean => !NOT_PLAIN.test(source);
