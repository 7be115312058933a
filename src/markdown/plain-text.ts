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
