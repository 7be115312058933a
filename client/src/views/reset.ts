/**
 * A forgotten password: « Mot de passe oublié ? » on the sign-in screen asks for the e-mail, and the link in that
 * e-mail (`/#/reset?token=…`) opens the screen that sets a new password and signs the person in.
 */
import { api, ApiError, type User } from '../api';
import { asyncListener, h } from '../dom';
import { errorText, pageHeading } from './view';

type SignedIn = (user: User, accessToken: string) => void;

/** The sign-in screen's « Mot de passe oublié ? »: the server answers the same whether or not the address is known. */
export function forgotPasswordForm(): HTMLElement {
  const email = h('input', { id: 'forgot-email', type: 'email', autocomplete: 'username' });
  const message = h('p', { role: 'status', id: 'forgot-status' });
  const form = h(
    'form',
    { novalidate: true },
    h('p', {}, 'Saisissez l’adresse de votre compte : nous vous écrirons un lien pour choisir un nouveau mot de passe.'),
    h('div', { class: 'field' }, h('label', { for: 'forgot-email' }, 'Adresse e-mail du compte'), email),
    message,
    h('button', { type: 'submit' }, 'Recevoir le lien'),
  );
  form.addEventListener(
    'submit',
    asyncListener(async (event) => {
      event.preventDefault();
      message.className = '';
      if (!/^\S+@\S+\.\S+$/.test(email.value.trim())) {
        message.className = 'error';
        message.textContent = 'Saisissez une adresse e-mail valide.';
        email.focus();
        return;
      }
      try {
        await api('POST', '/auth/password-reset', { email: email.value.trim() });
        message.textContent = `Si un compte existe pour ${email.value.trim()}, un e-mail vient de partir avec un lien valable quelques heures. Pensez à regarder dans les indésirables.`;
      } catch (error) {
        message.className = 'error';
        message.textContent = errorText(error);
      }
    }),
  );
  return h('details', { class: 'card narrow', id: 'forgot-password' }, h('summary', {}, 'Mot de passe oublié ?'), form);
}

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
  form.addEventListener(
    'submit',
    asyncListener(async (event) => {
      event.preventDefault();
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
    }),
  );
  heading.id = 'reset-title';
  main.append(h('section', { class: 'login' }, heading, form, backToSignIn()));
  queueMicrotask(() => password.focus());
}

function backToSignIn(): HTMLElement {
  return h('p', {}, h('a', { href: '#/connexion' }, 'Retour à la connexion'));
}
