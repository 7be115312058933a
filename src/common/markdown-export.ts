import { trimBlankEnds } from './text';

/**
 * Markdown written into files people download (thread exports, session minutes): names and titles escaped, and
 * people's Markdown kept as Markdown but made inert, so that a viewer rendering the file runs nothing.
 */

/** Text as inline Markdown: one line, with the characters that could restyle or restructure it escaped. */
export function escapeInline(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\`*_[\]<>#|~]/g, (char) => `\\${char}`)
    .replace(/^(\d+)\. /, '$1\\. ')
    .replace(/^([-+=]) /, '\\$1 ');
}

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
/** An inline link or image destination: `](dest` or `](<dest`. */
const LINK_DESTINATION = /(\]\(\s*<?)([^\s)>]*)/g;
/** A link reference definition: `[label]: dest`. */
const REFERENCE_DEFINITION = /^(\s{0,3}\[[^\]]+\]:\s*<?)(\S*?)(>?(?:\s|$))/;
/** The start of an HTML tag, closing tag, comment, declaration or processing instruction, or of an autolink. */
const HTML_START = /<(?=[A-Za-z/!?])/g;
/** The replacement of an unsafe destination: the link text stays, the link goes nowhere. */
const NOWHERE = '#';

/** http(s) and mailto links, and relative ones (no scheme: no colon, and no entity or escape that could spell one). */
function isSafeDestination(destination: string): boolean {
  return /^(https?:|mailto:)/i.test(destination) || !/[:&\\]/.test(destination);
}

function neutralizeText(text: string): string {
  return text
    .replace(LINK_DESTINATION, (_, opening: string, destination: string) => opening + (isSafeDestination(destination) ? destination : NOWHERE))
    .replace(HTML_START, '\\<');
}

/** One line outside code blocks: code spans are left as they are, the rest neutralised. */
function neutralizeLine(line: string): string {
  const definition = REFERENCE_DEFINITION.exec(line);
  if (definition && !isSafeDestination(definition[2])) return line.replace(REFERENCE_DEFINITION, `$1${NOWHERE}$3`);
  let result = '';
  let rest = line;
  for (let opening = /`+/.exec(rest); opening; opening = /`+/.exec(rest)) {
    const ticks = opening[0];
    const closing = rest.slice(opening.index + ticks.length).search(new RegExp(`(?<!\`)${ticks}(?!\`)`));
    if (closing < 0) break;
    const end = opening.index + ticks.length + closing + ticks.length;
    result += neutralizeText(rest.slice(0, opening.index)) + rest.slice(opening.index, end);
    rest = rest.slice(end);
  }
  return result + neutralizeText(rest);
}

/**
 * Markdown with raw HTML shown as text (`\<script>`) and links to anything but http(s), mailto or a relative address
 * (`javascript:`, `data:`…) pointed nowhere; fenced code blocks and code spans are kept as written.
 */
export function neutralizeMarkdown(markdown: string): string {
  let fence: string | null = null;
  return markdown
    .split('\n')
    .map((line) => {
      const marker = FENCE.exec(line)?.[1];
      if (fence) {
        if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
        return line;
      }
      if (marker) {
        fence = marker;
        return line;
      }
      return neutralizeLine(line);
    })
    .join('\n');
}

/** A post's body for a file: a notice in place of a deleted or hidden one; line ends unified, blank ends dropped, made inert. */
export function exportedPostBody(
  post: { body: string; deletedAt: Date | null; hiddenAt: Date | null },
  notices: { deleted: string; hidden: string },
): string {
  if (post.deletedAt) return notices.deleted;
  if (post.hiddenAt) return notices.hidden;
  return neutralizeMarkdown(trimBlankEnds(post.body.replace(/\r\n?/g, '\n')));
}
