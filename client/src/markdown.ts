/**
 * Markdown to safe DOM. marked renders, with raw HTML turned into visible text (never parsed as markup); then the
 * result is parsed in an inert document (DOMParser runs no script and loads nothing) and rebuilt node by node from
 * an allowlist: only known tags, only text-like attributes, and URLs only when http(s), mailto or same-site.
 * A rebuild, not a filter, so an event handler, a style or a `javascript:` URL has no path into the page.
 * (DOMPurify would do the same job but costs 30 KB of the 150 KB budget.)
 */
import { Marked } from 'marked';

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
  'IMG',
]);
/** Headings of a post sit below the page's own h1/h2. */
const HEADING_SHIFT: Record<string, string> = { H1: 'h3', H2: 'h4', H3: 'h5', H4: 'h6', H5: 'h6', H6: 'h6' };
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    // raw HTML typed by a user is displayed as text
    html: (token) => escapeHtml(token.text),
  },
});

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
    } else if (tag === 'IMG') {
      const src = safeUrl(child.getAttribute('src'));
      if (!src) continue;
      el.setAttribute('src', src);
      el.setAttribute('alt', child.getAttribute('alt') ?? '');
      el.setAttribute('loading', 'lazy');
    } else if (tag === 'OL') {
      const start = Number(child.getAttribute('start'));
      if (Number.isInteger(start)) el.setAttribute('start', String(start));
    } else if (tag === 'TH' || tag === 'TD') {
      const align = child.getAttribute('align');
      if (align === 'left' || align === 'right' || align === 'center') el.setAttribute('align', align);
    }
    rebuild(child, el);
    target.appendChild(el);
  }
}

/** Renders a post's Markdown into a fragment that is safe to insert. */
export function renderMarkdown(source: string): DocumentFragment {
  const html = marked.parse(source) as string;
  const inert = new DOMParser().parseFromString(`<!doctype html><body>${html}`, 'text/html');
  const fragment = document.createDocumentFragment();
  rebuild(inert.body, fragment);
  return fragment;
}
