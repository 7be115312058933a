/**
 * The server cooks Markdown into safe HTML when a post or a practice is written (src/markdown/markdown.ts: marked,
 * then sanitize-html's allowlist). Here, as a second line of defence, that HTML is parsed in an inert document
 * (DOMParser runs no script and loads nothing) and rebuilt node by node from an allowlist: only known tags, only
 * text-like attributes, and URLs only when http(s), mailto or same-site. A rebuild, not a filter, so an event
 * handler, a style or a `javascript:` URL has no path into the page even if the server let one through.
 */

const ALLOWED_TAGS = new Set([
  'A',
  'P',
  'BR',
  'HR',
  'STRONG',
  'EM',
  'DEL',
  'CODE',
  'PRE',
  'BLOCKQUOTE',
  'UL',
  'OL',
  'LI',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'TABLE',
  'THEAD',
  'TBODY',
  'TR',
  'TH',
  'TD',
]);
/** The server already moved a post's headings below the page's own h1 and h2; any h1 or h2 left becomes an h3. */
const HEADING_SHIFT: Record<string, string> = { H1: 'h3', H2: 'h3' };
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The URL if it is safe to follow, else null. Relative URLs resolve against this site. */
export function safeUrl(raw: string | null): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw.trim(), location.href);
    if (!SAFE_PROTOCOLS.has(url.protocol)) return null;
    return url.href;
  } catch {
    return null;
  }
}

function rebuild(source: Node, target: Node): void {
  for (const child of Array.from(source.childNodes)) {
    if (child.nodeType === Node.TEXT_NODE) {
      target.appendChild(document.createTextNode(child.textContent ?? ''));
      continue;
    }
    if (!(child instanceof Element)) continue;
    const tag = child.tagName;
    if (!ALLOWED_TAGS.has(tag)) {
      // unknown markup keeps its text, never its behaviour (script and style lose both)
      if (tag !== 'SCRIPT' && tag !== 'STYLE') rebuild(child, target);
      continue;
    }
    const el = document.createElement(HEADING_SHIFT[tag] ?? tag.toLowerCase());
    const title = child.getAttribute('title');
    if (title) el.setAttribute('title', title);
    if (tag === 'A') {
      const href = safeUrl(child.getAttribute('href'));
      if (href) {
        el.setAttribute('href', href);
        if (new URL(href).origin !== location.origin) {
          el.setAttribute('target', '_blank');
          el.setAttribute('rel', 'noopener noreferrer nofollow ugc');
        }
      }
    } else if (tag === 'OL') {
      // a list without `start` begins at 1: Number(null) would have made it start at 0
      const start = child.getAttribute('start');
      if (start !== null && /^-?\d+$/.test(start.trim())) el.setAttribute('start', String(Number(start)));
    } else if (tag === 'TH' || tag === 'TD') {
      const align = child.getAttribute('align');
      if (align === 'left' || align === 'right' || align === 'center') el.setAttribute('align', align);
    }
    rebuild(child, el);
    target.appendChild(el);
  }
}

/** The server's cooked HTML (a post's `bodyHtml`, a practice's `descriptionHtml`) as a fragment safe to insert. */
export function safeHtml(html: string): DocumentFragment {
  const inert = new DOMParser().parseFromString(`<!doctype html><body>${html}`, 'text/html');
  const fragment = document.createDocumentFragment();
  rebuild(inert.body, fragment);
  return fragment;
}

/** Text shown as it was typed, paragraphs and line breaks kept: a post not stored yet, before the server cooks it. */
export function plainText(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const paragraph of text.split(/\n{2,}/)) {
    const p = document.createElement('p');
    p.textContent = paragraph;
    p.className = 'plain';
    fragment.append(p);
  }
  return fragment;
}
