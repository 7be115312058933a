import type { User } from '../api';
import { h } from '../dom';

export interface ViewContext {
  user: User;
  /** The route's captured parts, e.g. the thread id. */
  params: string[];
  /** The query part of the hash route (#/pratiques?lever=…), so filtered lists survive a reload. */
  query: URLSearchParams;
  navigate(path: string): void;
}

/** Mounts itself into `main`; returns what to undo when the route changes (sockets, listeners). */
export type View = (main: HTMLElement, context: ViewContext) => void | (() => void) | Promise<void | (() => void)>;

/** The page title for the tab and the heading that takes focus, so screen readers hear where they arrived. */
export function pageHeading(title: string): HTMLHeadingElement {
  document.title = `${title} — Essor`;
  const heading = h('h1', { tabindex: '-1' }, title);
  queueMicrotask(() => heading.focus({ preventScroll: false }));
  return heading;
}

/** A bar of a chart: the label and figure are text for everyone, the drawn bar is hidden from screen readers. */
export function barLine(label: Node | string, figure: string, fraction: number): HTMLElement[] {
  const fill = h('span', { class: 'bar-fill' });
  fill.style.width = `${Math.round(100 * fraction)}%`;
  return [h('div', { class: 'poll-line' }, label, h('span', { class: 'meta' }, figure)), h('span', { class: 'bar', 'aria-hidden': 'true' }, fill)];
}

export function loading(label = 'Chargement…'): HTMLElement {
  return h('p', { class: 'loading', role: 'status' }, label);
}

export function errorBox(error: unknown): HTMLElement {
  return h('p', { class: 'error', role: 'alert' }, error instanceof Error ? error.message : 'Erreur inattendue.');
}

export const notFoundView: View = (main) => {
  main.append(pageHeading('Page introuvable'), h('p', {}, h('a', { href: '#/' }, 'Retour aux thèmes')));
};
