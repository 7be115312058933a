import { isAbort, type User } from '../api';
import { h } from '../dom';

export interface ViewContext {
  user: User;
  /** The route's captured parts, e.g. the thread id. */
  params: string[];
  /** The query part of the hash route (#/pratiques?lever=…), so filtered lists survive a reload. */
  query: URLSearchParams;
  navigate: (path: string) => void;
  /** Aborted when the reader leaves the view: pass it to every load, so nothing arrives, and nothing is drawn, after. */
  signal: AbortSignal;
  /** Registers what to undo when the reader leaves the view (live subscriptions, timers). */
  onLeave: (cleanup: () => void) => void;
  /** Draws the view again from scratch (« Réessayer » after a failed load). */
  retry: () => void;
}

/**
 * Mounts itself into its own container; returns what to undo when the route changes, or registers it with
 * `context.onLeave`. The container is taken off the page when the view is left, so a late answer lands nowhere.
 */
export type View = (container: HTMLElement, context: ViewContext) => void | (() => void) | Promise<void | (() => void)>;

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

/** The message of an error for a person, in French. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : 'Erreur inattendue.';
}

/** A failed load: what went wrong and, with `retry`, a « Réessayer » button. A load cancelled by leaving shows nothing. */
export function errorBox(error: unknown, retry?: () => void): HTMLElement {
  const box = h('div', { class: 'error-box' });
  if (isAbort(error)) return box;
  box.append(h('p', { class: 'error', role: 'alert' }, errorText(error)));
  if (retry) box.append(h('button', { type: 'button', class: 'secondary', onclick: retry }, 'Réessayer'));
  return box;
}

export const notFoundView: View = (main) => {
  main.append(pageHeading('Page introuvable'), h('p', {}, h('a', { href: '#/' }, 'Retour aux thèmes')));
};
