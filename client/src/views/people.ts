/** A person's card, where a mention's link (`#/people/HANDLE`) leads: name, handle and metropolis. */
import { api, ApiError } from '../api';
import { h } from '../dom';
import type { DirectoryEntry } from '../mentions';
import { errorBox, loading, pageHeading, type View } from './view';

export const personView: View = async (main, { params: [handle] }) => {
  const status = loading();
  main.append(status);
  try {
    // a handle changed since the post was written still names its person, who now goes by another
    const person = await api<DirectoryEntry>('GET', `/users/handles/${encodeURIComponent(handle)}`);
    status.remove();
    main.append(
      pageHeading(person.displayName),
      h('p', { class: 'lead' }, `@${person.handle}`, person.metropolis ? ` · ${person.metropolis.name}` : ' · réseaux (sans métropole)'),
    );
    if (person.handle !== handle) main.append(h('p', {}, `@${handle} est l’ancien identifiant de ${person.displayName}.`));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      status.remove();
      main.append(pageHeading('Personne introuvable'), h('p', {}, `Personne n’a l’identifiant @${handle}.`));
      return;
    }
    status.replaceWith(errorBox(error));
  }
};
