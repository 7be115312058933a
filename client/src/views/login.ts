import { api, ApiError, type User } from '../api';
import { h, onSubmit } from '../dom';
import { errorText, pageHeading } from './view';

export function loginView(main: HTMLElement, { onSignedIn }: { onSignedIn: (user: User, accessToken: string) => void }): void {
  const email = h('input', { id: 'login-email', name: 'email', type: 'email', autocomplete: 'username', required: true });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const message = h('p', { class: 'error', role: 'alert', id: 'login-error' });
  const submit = h('button', { type: 'submit' }, 'Se connecter');
  const form = h(
    'form',
    { class: 'card narrow', 'aria-labelledby': 'login-title', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'login-email' }, 'Adresse e-mail'), email),
    h('div', { class: 'field' }, h('label', { for: 'login-password' }, 'Mot de passe'), password),
    message,
    submit,
  );
  onSubmit(form, async () => {
    message.textContent = '';
    if (!email.value.trim() || !password.value) {
      message.textContent = 'Saisissez votre adresse e-mail et votre mot de passe.';
      (email.value.trim() ? password : email).focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Connexion…';
    try {
      const answer = await api<{ accessToken: string; user: User }>('POST', '/auth/login', { email: email.value.trim(), password: password.value });
      onSignedIn(answer.user, answer.accessToken);
    } catch (error) {
      message.textContent = error instanceof ApiError && error.status === 401 ? 'Adresse e-mail ou mot de passe incorrect.' : errorText(error);
      submit.disabled = false;
      submit.textContent = 'Se connecter';
      password.focus();
    }
  });
  const heading = pageHeading('Connexion');
  heading.id = 'login-title';
  main.append(
    h(
      'section',
      { class: 'login' },
      heading,
      h('p', { class: 'lead' }, 'Groupe de travail « Métropoles, ESS et innovation sociale »'),
      form,
      forgotPasswordForm(),
      h('details', { class: 'card narrow' }, h('summary', {}, 'J’ai reçu une invitation : créer mon compte'), registerForm(onSignedIn)),
    ),
  );
  queueMicrotask(() => email.focus());
}

function registerForm(onSignedIn: (user: User, accessToken: string) => void): HTMLFormElement {
  const fields = {
    invitationCode: h('input', { id: 'reg-code', autocomplete: 'off' }),
    email: h('input', { id: 'reg-email', type: 'email', autocomplete: 'username' }),
    displayName: h('input', { id: 'reg-name', autocomplete: 'name', maxlength: 100 }),
    password: h('input', {
      id: 'reg-password',
      type: 'password',
      autocomplete: 'new-password',
      minlength: 8,
      'aria-describedby': 'reg-password-help',
    }),
  };
  const message = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'reg-code' }, 'Code d’invitation'), fields.invitationCode),
    h('div', { class: 'field' }, h('label', { for: 'reg-email' }, 'Adresse e-mail (celle de l’invitation)'), fields.email),
    h('div', { class: 'field' }, h('label', { for: 'reg-name' }, 'Nom affiché'), fields.displayName),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'reg-password' }, 'Choisissez un mot de passe'),
      fields.password,
      h('small', { id: 'reg-password-help' }, '8 caractères au moins.'),
    ),
    message,
    h('button', { type: 'submit' }, 'Créer mon compte'),
  );
  onSubmit(form, async () => {
    message.textContent = '';
    const body = {
      email: fields.email.value.trim(),
      displayName: fields.displayName.value.trim(),
      password: fields.password.value,
      ...(fields.invitationCode.value.trim() ? { invitationCode: fields.invitationCode.value.trim() } : {}),
    };
    if (!body.email || !body.displayName || body.password.length < 8) {
      message.textContent = 'Renseignez l’adresse e-mail, le nom affiché et un mot de passe de 8 caractères au moins.';
      return;
    }
    if (!fields.email.checkValidity()) {
      message.textContent = 'Adresse e-mail : une adresse e-mail valide est attendue.';
      return;
    }
    try {
      const answer = await api<{ accessToken: string; user: User }>('POST', '/auth/register', body);
      onSignedIn(answer.user, answer.accessToken);
    } catch (error) {
      message.textContent = errorText(error);
    }
  });
  return form;
}

/** The sign-in screen's « Mot de passe oublié ? »: the server answers the same whether or not the address is known. */
function forgotPasswordForm(): HTMLElement {
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
  onSubmit(form, async () => {
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
  });
  return h('details', { class: 'card narrow', id: 'forgot-password' }, h('summary', {}, 'Mot de passe oublié ?'), form);
}
