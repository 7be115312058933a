/**
 * The screen the link of a password reset e-mail opens (`/#/reset?token=…`, asked for by « Mot de passe oublié ? » on
 * the sign-in screen): it sets a new password and signs the person in.
 */
import { api, ApiError, type User } from '../api';
import { h, onSubmit } from '../dom';
import { errorText, pageHeading } from './view';

type SignedIn = (user: User, accessToken: string) => void;

/** The screen reached from the e-mail's link; works signed out (and signed in, for another account's link). */
export function resetView(main: HTMLElement, query: URLSearchParams, onSignedIn: SignedIn): void {
  const resetToken = query.get('token') ?? '';
  const heading = pageHeading('Choisir un nouveau mot de passe');
  if (!resetToken) {
    main.append(
      heading,
      h('p', { class: 'error', role: 'alert' }, 'Ce lien est incomplet : ouvrez celui de l’e-mail reçu, ou demandez-en un nouveau.'),
      backToSignIn(),
    );
    return;
  }
  const password = h('input', { id: 'reset-password', type: 'password', autocomplete: 'new-password', 'aria-describedby': 'reset-password-help' });
  const confirm = h('input', { id: 'reset-confirm', type: 'password', autocomplete: 'new-password' });
  const message = h('p', { class: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit' }, 'Enregistrer et me connecter');
  const form = h(
    'form',
    { class: 'card narrow', novalidate: true, 'aria-labelledby': 'reset-title' },
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'reset-password' }, 'Nouveau mot de passe'),
      password,
      h('small', { id: 'reset-password-help' }, '8 caractères au moins.'),
    ),
    h('div', { class: 'field' }, h('label', { for: 'reset-confirm' }, 'Confirmez le mot de passe'), confirm),
    message,
    submit,
  );
  onSubmit(form, async () => {
    message.textContent = '';
    if (password.value.length < 8) return ((message.textContent = 'Le mot de passe doit compter 8 caractères au moins.'), password.focus());
    if (password.value !== confirm.value) return ((message.textContent = 'Les deux saisies diffèrent.'), confirm.focus());
    submit.disabled = true;
    try {
      const answer = await api<{ accessToken: string; user: User }>('POST', '/auth/password-reset/confirm', {
        token: resetToken,
        password: password.value,
      });
      onSignedIn(answer.user, answer.accessToken);
    } catch (error) {
      submit.disabled = false;
      // the password's length is checked above, so a refusal is the link: unknown, used or expired
      message.textContent =
        error instanceof ApiError && error.status === 400
          ? 'Ce lien n’est plus valable (déjà utilisé ou expiré) : demandez-en un nouveau depuis l’écran de connexion.'
          : errorText(error);
    }
  });
  heading.id = 'reset-title';
  main.append(h('section', { class: 'login' }, heading, form, backToSignIn()));
  queueMicrotask(() => password.focus());
}

function backToSignIn(): HTMLElement {
  return h('p', {}, h('a', { href: '#/connexion' }, 'Retour à la connexion'));
}
