/** Moderator tools beyond topics and threads: invitations, and (admin) the people and their roles. */
import { api, type InvitationShape, type Metropolis, type User } from '../api';
import { h, timeEl, onSubmit } from '../dom';
import type { LiveRole } from '../live';
import { hasRole } from './roles';
import { errorBox, errorText, loading, pageHeading, type View } from './view';

const ROLE_LABELS: Record<LiveRole, string> = { participant: 'participant·e', moderator: 'modérateur·rice', admin: 'administrateur·rice' };

export const adminView: View = async (main, { user, signal, retry }) => {
  main.append(pageHeading('Administration'));
  if (!hasRole(user.role, 'moderator')) {
    main.append(h('p', {}, 'Réservé aux modérateurs.'));
    return;
  }
  const status = loading();
  main.append(status);
  let metropolises: Metropolis[];
  try {
    metropolises = await api<Metropolis[]>('GET', '/metropolises', undefined, signal);
  } catch (error) {
    status.replaceWith(errorBox(error, retry));
    return;
  }
  status.remove();
  const admin = hasRole(user.role, 'admin');
  main.append(invitationForm(metropolises, admin));
  main.append(await usersTable(admin, user.id, signal, retry));
};

function invitationForm(metropolises: Metropolis[], admin: boolean): HTMLElement {
  const email = h('input', { id: 'invite-email', type: 'email', required: true, autocomplete: 'off' });
  const metropolis = h(
    'select',
    { id: 'invite-metropolis' },
    h('option', { value: '' }, 'Aucune (équipe des réseaux)'),
    metropolises.map((m) => h('option', { value: m.id }, m.name)),
  );
  const role = h(
    'select',
    { id: 'invite-role' },
    (admin ? (['participant', 'moderator', 'admin'] as const) : (['participant'] as const)).map((r) => h('option', { value: r }, ROLE_LABELS[r])),
  );
  const error = h('p', { class: 'error', role: 'alert' });
  const result = h('div', { role: 'status' });
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'invite-heading' },
    h('h2', { id: 'invite-heading' }, 'Inviter une personne'),
    h('div', { class: 'field' }, h('label', { for: 'invite-email' }, 'Adresse e-mail'), email),
    h('div', { class: 'field' }, h('label', { for: 'invite-metropolis' }, 'Métropole'), metropolis),
    h('div', { class: 'field' }, h('label', { for: 'invite-role' }, 'Rôle'), role),
    error,
    h('button', { type: 'submit' }, 'Créer l’invitation'),
    result,
  );
  onSubmit(form, async () => {
    error.textContent = '';
    result.replaceChildren();
    if (!email.value.trim() || !email.checkValidity()) {
      error.textContent = email.value.trim() ? 'Adresse e-mail : une adresse e-mail valide est attendue.' : 'Adresse e-mail : obligatoire.';
      return;
    }
    try {
      const invitation = await api<InvitationShape>('POST', '/invitations', {
        email: email.value.trim(),
        role: role.value,
        ...(metropolis.value ? { metropolisId: metropolis.value } : {}),
      });
      result.replaceChildren(
        h('p', {}, `Invitation créée pour ${invitation.email}. Code à transmettre : `, h('code', { class: 'invite-code' }, invitation.code)),
        h('p', { class: 'meta' }, 'Valable jusqu’au ', timeEl(invitation.expiresAt), '.'),
      );
      email.value = '';
    } catch (e) {
      error.textContent = errorText(e);
    }
  });
  return form;
}

async function usersTable(admin: boolean, myId: string, signal: AbortSignal, retry: () => void): Promise<HTMLElement> {
  // no name on the section: the scrolling table below is the region named by this heading, and a landmark's name is unique
  const section = h('section', {}, h('h2', { id: 'users-heading' }, 'Personnes inscrites'));
  let users: User[];
  try {
    users = await api<User[]>('GET', '/users?limit=200', undefined, signal);
  } catch (error) {
    section.append(errorBox(error, retry));
    return section;
  }
  const error = h('p', { class: 'error', role: 'alert' });
  const patch = async (id: string, changes: { role?: string; disabled?: boolean }): Promise<void> => {
    error.textContent = '';
    try {
      await api('PATCH', `/users/${id}`, changes);
    } catch (e) {
      error.textContent = errorText(e);
    }
  };
  section.append(
    error,
    h(
      'div',
      { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'users-heading' },
      h(
        'table',
        { class: 'grid users' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Nom', 'E-mail', 'Métropole', 'Rôle', 'Compte'].map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        h(
          'tbody',
          {},
          users.map((u) => {
            const editable = admin && u.id !== myId;
            const role = editable
              ? h(
                  'select',
                  {
                    'aria-label': `Rôle de ${u.displayName}`,
                    onchange: (e: Event) => void patch(u.id, { role: (e.target as HTMLSelectElement).value }),
                  },
                  (['participant', 'moderator', 'admin'] as const).map((r) => h('option', { value: r, selected: r === u.role }, ROLE_LABELS[r])),
                )
              : ROLE_LABELS[u.role];
            const disabled = editable
              ? h(
                  'label',
                  { class: 'check' },
                  h('input', {
                    type: 'checkbox',
                    checked: u.disabled,
                    onchange: (e: Event) => void patch(u.id, { disabled: (e.target as HTMLInputElement).checked }),
                  }),
                  h('span', {}, 'désactivé', h('span', { class: 'visually-hidden' }, ` : ${u.displayName}`)),
                )
              : u.disabled
                ? 'désactivé'
                : 'actif';
            return h(
              'tr',
              {},
              h('th', { scope: 'row' }, u.displayName),
              h('td', {}, u.email),
              h('td', {}, u.metropolis?.name ?? '—'),
              h('td', {}, role),
              h('td', {}, disabled),
            );
          }),
        ),
      ),
    ),
  );
  return section;
}
