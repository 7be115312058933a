/** A person's card, where a mention's link (`#/people/HANDLE`) leads: name, handle and metropolis. */
import { api } from '../api';
import { h } from '../dom';
import type { DirectoryEntry } from '../mentions';
import { errorBox, loading, pageHeading, type View } from './view';

export const personView: View = async (main, { params: [handle] }) => {
  const status = loading();
  main.append(status);
  try {
    const found = await api<DirectoryEntry[]>('GET', `/users/directory?q=${encodeURIComponent(handle)}`);
    const person = found.find((p) => p.handle === handle);
    status.remove();
    if (!person) {
      main.append(pageHeading('Personne introuvable'), h('p', {}, `Personne n’a l’identifiant @${handle}.`));
      return;
    }
    main.append(
      pageHeading(person.displayName),
      h('p', { class: 'lead' }, `@${person.handle}`, person.metropolis ? ` · ${person.metropolis.name}` : ' · réseaux (sans métropole)'),
    );
  } catch (error) {
    status.replaceWith(errorBox(error));
  }
};
