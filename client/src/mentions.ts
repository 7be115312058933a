/**
 * @mention completion for a message field: after `@` and a letter, the group's people matching what follows are
 * offered in a listbox under the field (GET /api/users/directory?q=). ↑ ↓ choose, Entrée or Tab insert `@handle`,
 * Échap closes; the field points at the chosen option with aria-activedescendant and the number offered is
 * announced. The textarea keeps its own role: ARIA in HTML allows no role on a textarea, so it is a textbox with
 * aria-autocomplete="list" rather than a combobox.
 */
import { api } from './api';
import { announce, h } from './dom';

export interface DirectoryEntry {
  id: string;
  displayName: string;
  handle: string;
  metropolis: { id: string; slug: string; name: string } | null;
}

/** `@` at the start or after a space or punctuation, then the handle typed so far, right before the caret. */
const MENTION_BEFORE_CARET = /(?:^|[\s([{«"'])@([a-z0-9._-]{1,30})$/i;
const ASK_AFTER_MS = 150;

let listCount = 0;

/** Wires completion into `field`; returns the listbox to place right after it. */
export function mentionCompletion(field: HTMLTextAreaElement | HTMLInputElement): HTMLElement {
  const listId = `mention-list-${++listCount}`;
  const list = h('ul', { role: 'listbox', id: listId, class: 'mention-list', 'aria-label': 'Personnes à mentionner', hidden: true });
  field.setAttribute('aria-autocomplete', 'list');
  field.setAttribute('aria-controls', listId);
  let people: DirectoryEntry[] = [];
  let active = -1;
  let start = -1;
  let timer = 0;
  let askId = 0;

  const close = (): void => {
    window.clearTimeout(timer);
    askId++;
    people = [];
    active = -1;
    list.hidden = true;
    list.replaceChildren();
    field.removeAttribute('aria-activedescendant');
  };
  const choose = (index: number): void => {
    active = index;
    list.querySelectorAll('[role="option"]').forEach((option, i) => option.setAttribute('aria-selected', String(i === index)));
    const option = document.getElementById(`${listId}-${index}`);
    if (!option) return;
    field.setAttribute('aria-activedescendant', option.id);
    option.scrollIntoView({ block: 'nearest' });
  };
  const insert = (person: DirectoryEntry): void => {
    const caret = field.selectionStart ?? field.value.length;
    const text = `@${person.handle} `;
    field.value = field.value.slice(0, start) + text + field.value.slice(caret);
    field.setSelectionRange(start + text.length, start + text.length);
    close();
    // the draft keeper and the typing notice hear the change as if typed
    field.dispatchEvent(new Event('input', { bubbles: true }));
    announce(`${person.displayName} mentionné·e.`);
  };
  const show = (found: DirectoryEntry[]): void => {
    people = found;
    if (found.length === 0) {
      close();
      announce('Aucune personne ne correspond.');
      return;
    }
    list.replaceChildren(
      ...found.map((person, i) => {
        const option = h(
          'li',
          { role: 'option', id: `${listId}-${i}`, 'aria-selected': 'false' },
          h('span', { class: 'name' }, person.displayName),
          ` @${person.handle}`,
          person.metropolis ? h('span', { class: 'meta' }, ` · ${person.metropolis.name}`) : null,
        );
        // pressing keeps the focus in the field, which the insertion needs
        option.addEventListener('mousedown', (event) => event.preventDefault());
        option.addEventListener('click', () => insert(person));
        return option;
      }),
    );
    list.hidden = false;
    choose(0);
    announce(
      `${found.length} personne${found.length > 1 ? 's' : ''} proposée${found.length > 1 ? 's' : ''} : flèches haut et bas pour choisir, Entrée pour insérer.`,
    );
  };
  const detect = (): void => {
    const caret = field.selectionStart ?? 0;
    const match = MENTION_BEFORE_CARET.exec(field.value.slice(0, caret));
    if (!match) return close();
    start = caret - match[1].length - 1;
    window.clearTimeout(timer);
    const id = ++askId;
    timer = window.setTimeout(() => {
      api<DirectoryEntry[]>('GET', `/users/directory?q=${encodeURIComponent(match[1])}`)
        .then((found) => id === askId && show(found))
        .catch(() => id === askId && close());
    }, ASK_AFTER_MS);
  };

  field.addEventListener('input', detect);
  field.addEventListener('click', detect);
  field.addEventListener('blur', close);
  field.addEventListener('keydown', (event: Event) => {
    const key = (event as KeyboardEvent).key;
    if (list.hidden || people.length === 0) return;
    if (key === 'ArrowDown' || key === 'ArrowUp') choose((active + (key === 'ArrowDown' ? 1 : people.length - 1)) % people.length);
    else if ((key === 'Enter' || key === 'Tab') && !(event as KeyboardEvent).ctrlKey && !(event as KeyboardEvent).metaKey) insert(people[active]);
    else if (key === 'Escape') close();
    else return;
    event.preventDefault();
    // Enter must not also send the message or close a surrounding form
    event.stopImmediatePropagation();
  });
  return list;
}
