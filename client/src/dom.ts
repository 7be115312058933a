/** A tiny element builder: enough to bind each view's DOM without a framework. */
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = String(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

export function clear(el: Element): void {
  el.replaceChildren();
}

const dateFormat = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeStyle: 'short' });
export function formatDate(iso: string | null | undefined): string {
  return iso ? dateFormat.format(new Date(iso)) : '';
}

export function timeEl(iso: string): HTMLTimeElement {
  return h('time', { datetime: iso }, formatDate(iso));
}

/** Announces a short message to screen readers through the page's polite live region. */
export function announce(message: string): void {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  // a fresh text node in a later frame makes screen readers speak a repeated message again
  requestAnimationFrame(() => (region.textContent = message));
}

/**
 * Replaces what `container` holds. A keyboard user whose control was in it lands on the control now at the same
 * place (« Masquer » turned « Réafficher », « Point suivant » drawn anew) rather than at the top of the page, or, when
 * no control is left (a post just deleted), on `whenNoneLeft`.
 */
export function redraw(container: Element, children: (Node | string)[], whenNoneLeft?: HTMLElement): void {
  const controls = (): HTMLElement[] => Array.from(container.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea'));
  const at = controls().indexOf(document.activeElement as HTMLElement);
  container.replaceChildren(...children);
  if (at < 0) return;
  const now = controls();
  const next = now[at] ?? now[now.length - 1];
  if (next) return next.focus();
  if (!whenNoneLeft) return;
  // focusable by script only, so that it does not become a stop of the Tab order
  if (!whenNoneLeft.hasAttribute('tabindex')) whenNoneLeft.tabIndex = -1;
  whenNoneLeft.focus();
}

/**
 * Keeps what is typed in `field` in localStorage under `key`, so that a view drawn again (a reload, the agenda
 * moving on) gives it back; `fallback` fills the field when nothing is kept. Returns the function that forgets it.
 */
export function keepDraft(field: HTMLInputElement | HTMLTextAreaElement, key: string, fallback = ''): () => void {
  key = `essor.draft.${key}`;
  field.value = localStorage.getItem(key) ?? fallback;
  field.addEventListener('input', () => (field.value ? localStorage.setItem(key, field.value) : localStorage.removeItem(key)));
  return () => localStorage.removeItem(key);
}

/** A random UUID, also outside secure contexts (plain http on a LAN), where crypto.randomUUID is missing. */
export function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A listener that starts async work which reports its own failures: the event has no use for the promise. */
export function asyncListener<E extends Event>(run: (event: E) => Promise<void>): (event: E) => void {
  return (event) => void run(event);
}

/** A form's submission handled by the page, never by the browser's navigation; `handle` reports its own failures. */
export function onSubmit(form: HTMLFormElement, handle: (event: SubmitEvent) => Promise<void>): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void handle(event);
  });
}
