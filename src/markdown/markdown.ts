import { Marked, type TokenizerAndRendererExtension, type Tokens } from 'marked';
import { HANDLE_PATTERN } from '../users/handles';
import { isPlainText } from './plain-text';
import { withinRendererLimits } from './renderer-limits';
import sanitizeHtml from 'sanitize-html';

/**
 * Markdown written by people, "cooked" once into HTML that is safe to show anywhere: the web client, e-mails, exports
 * and search snippets all take this output rather than rendering Markdown again. Two locks: raw HTML typed by a user
 * is turned into visible text by the renderer (never parsed as markup), then sanitize-html keeps only an allowlist of
 * tags and attributes and only http(s), mailto and relative URLs, so a script, an event handler, a style or a
 * `javascript:` link has no way through even if the renderer let something slip.
 */

const ALLOWED_TAGS = [
  'a',
  'p',
  'br',
  'hr',
  'strong',
  'em',
  'del',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
];

/** Headings of a post sit below the page's own h1 and h2. */
const SHIFTED_HEADINGS: Record<string, string> = { h1: 'h3', h2: 'h4', h3: 'h5', h4: 'h6', h5: 'h6', h6: 'h6' };

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `@handle` where an address or a path cannot be: at the start or after a character that is not part of a word. */
const MENTION_START = /(?:^|[^\w.@/-])@[a-z0-9]/i;
const MENTION = /^@([a-z0-9][a-z0-9._-]{1,28}[a-z0-9])(?![a-z0-9_-])/i;

interface MentionToken extends Tokens.Generic {
  type: 'mention';
  handle: string;
}

/** Which handles belong to somebody, for the rendering under way (rendering is synchronous, so one at a time). */
let isKnownHandle: (handle: string) => boolean = () => false;

const mentions: TokenizerAndRendererExtension = {
  name: 'mention',
  level: 'inline',
  start: (source: string) => {
    const match = MENTION_START.exec(source);
    return match ? match.index + match[0].length - 2 : undefined;
  },
  tokenizer: (source: string): MentionToken | undefined => {
    const match = MENTION.exec(source);
    const handle = match?.[1].toLowerCase();
    return match && handle && HANDLE_PATTERN.test(handle) ? { type: 'mention', raw: match[0], handle } : undefined;
  },
  renderer: (token) => {
    const { handle } = token as MentionToken;
    return isKnownHandle(handle) ? `<a class="mention" href="/#/people/${handle}">@${handle}</a>` : `@${handle}`;
  },
};

const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    // raw HTML typed by a user is shown as the text it is
    html: (token: Tokens.HTML | Tokens.Tag) => escapeHtml(token.text),
    // an image from elsewhere would be fetched by every reader (and every mail client): it becomes a plain link
    image: (token: Tokens.Image) => `<a href="${escapeHtml(token.href)}">${escapeHtml(token.text || token.href)}</a>`,
  },
  extensions: [mentions],
});

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: {
    a: ['href', 'title', 'rel', 'class'],
    ol: ['start'],
    th: ['align'],
    td: ['align'],
    code: ['class'],
  },
  allowedClasses: { code: [/^language-[\w-]+$/], a: ['mention'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  // unknown markup keeps its text, never its behaviour; script and style lose both
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript'],
  transformTags: {
    ...Object.fromEntries(Object.entries(SHIFTED_HEADINGS).map(([from, to]) => [from, to])),
    a: (tagName, attribs) => ({
      tagName,
      // links people post are theirs, not the platform's endorsement, and must not reach back into the page
      attribs: attribs.href && /^[a-z][a-z0-9+.-]*:/i.test(attribs.href) ? { ...attribs, rel: 'nofollow ugc noopener noreferrer' } : attribs,
    }),
  },
};

/**
 * The safe HTML of a Markdown text (a post body, a practice description). `@handle` of a person (one for which
 * `knownHandle` says yes: look them up with `mentionedHandles` first) becomes a link to them. A text past the
 * renderer's limits (renderer-limits.ts) is shown as typed, escaped.
 */
export function renderMarkdown(source: string, knownHandle: (handle: string) => boolean = () => false): string {
  if (isPlainText(source)) return renderPlainText(source);
  return withinRendererLimits(source) ? renderMarkdownInFull(source, knownHandle) : renderPlainText(escapeHtml(source));
}

/**
 * The two locks (the renderer, then sanitize-html), whatever the text: the path every text that is not plain takes,
 * and the reference the plain-text path is tested against.
 */
export function renderMarkdownInFull(source: string, knownHandle: (handle: string) => boolean = () => false): string {
  isKnownHandle = knownHandle;
  try {
    return sanitizeHtml(marked.parse(source) as string, SANITIZE_OPTIONS);
  } finally {
    isKnownHandle = () => false;
  }
}

/**
 * What the full path makes of a plain text, without its cost (marked, then sanitize-html parsing the HTML again: some
 * 20 µs a short post, 5 % of a post's CPU in the write-path bench): a paragraph per run of lines between blank lines,
 * a `<br />` per line break inside one (the renderer's `breaks`), the words as typed, since sanitize-html writes back
 * the quotes marked escaped. Safe without the two locks: with no `<`, `>` or `&`, no tag and no entity can come out of
 * such a text. The property test in markdown.spec.ts holds it to the full path's output.
 */
function renderPlainText(source: string): string {
  let html = '';
  for (const paragraph of source.split(/\n{2,}/)) {
    const lines = paragraph.split('\n').filter((line) => line !== '');
    if (lines.length > 0) html += `<p>${lines.join('<br />')}</p>\n`;
  }
  return html;
}

/**
 * The handles `@mentioned` in a Markdown text, lower-cased, each once; none inside code, and none in a text past the
 * renderer's limits (shown as typed, its mentions are no links either).
 */
export function mentionedHandles(source: string): string[] {
  if (!source.includes('@') || !withinRendererLimits(source)) return [];
  const found = new Set<string>();
  // synchronous: the callback returns nothing, so the array of its results holds no promise
  void marked.walkTokens(marked.lexer(source), (token) => {
    if (token.type === 'mention') found.add((token as MentionToken).handle);
  });
  return [...found];
}
