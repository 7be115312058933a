/**
 * « Paramètres »: the display name and handle, the password, how much e-mail the person gets, and their personal
 * calendar feed (copy, reset). Each part saves on its own and says so in its status line.
 */
import { api, ApiError, type User } from '../api';
import { asyncListener, h, onSubmit } from '../dom';
import { errorBox, errorText, loading, pageHeading, type View, type ViewContext } from './view';

interface Preferences {
  emailMentions: 'immediate' | 'never';
  digest: 'daily' | 'weekly' | 'never';
  emailReminders: 'immediate' | 'never';
}

const HANDLE_PATTERN = /^[a-z0-9._-]{3,30}$/;

export const settingsView: View = async (main, context) => {
  main.append(pageHeading('Paramètres'));
  const status = loading('Chargement de vos paramètres…');
  main.append(status);
  try {
    const [preferences, calendar] = await Promise.all([api<Preferences>('GET', '/me/preferences'), api<{ url: string }>('GET', '/me/calendar')]);
    status.remove();
    main.append(profileForm(context), passwordForm(context), preferencesForm(preferences), calendarCard(calendar.url));
  } catch (error) {
    status.replaceWith(errorBox(error));
  }
};

/** A titled card holding a form, with the status line that says what happened to the last save. */
function card(id: string, title: string, ...children: Node[]): { form: HTMLFormElement; say: (text: string, failed?: boolean) => void } {
  const message = h('p', { role: 'status', class: 'meta', id: `${id}-status` });
  const form = h('form', { class: 'card', 'aria-labelledby': id, novalidate: true }, h('h2', { id }, title), ...children, message);
  return {
    form,
    say: (text, failed = false) => {
      message.className = failed ? 'error' : 'meta';
      message.textContent = text;
    },
  };
}

function field(id: string, label: string, control: HTMLElement, help?: string): HTMLElement {
  if (help) control.setAttribute('aria-describedby', `${id}-help`);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, help ? h('small', { id: `${id}-help` }, help) : null);
}

function profileForm(context: ViewContext): HTMLElement {
  const displayName = h('input', { id: 'settings-name', autocomplete: 'name', maxlength: 100, value: context.user.displayName });
  const handle = h('input', { id: 'settings-handle', autocomplete: 'off', spellcheck: 'false', maxlength: 30, value: context.user.handle ?? '' });
  const { form, say } = card(
    'settings-profile',
    'Profil',
    field('settings-name', 'Nom affiché', displayName),
    field(
      'settings-handle',
      'Identifiant (pour les mentions @)',
      handle,
      '3 à 30 caractères : lettres minuscules sans accent, chiffres, point, tiret ou tiret bas.',
    ),
    h('button', { type: 'submit' }, 'Enregistrer le profil'),
  );
  onSubmit(form, async () => {
    const changes = { displayName: displayName.value.trim(), handle: handle.value.trim().replace(/^@/, '').toLowerCase() };
    if (!changes.displayName) return (say('Le nom affiché est obligatoire.', true), displayName.focus());
    if (!HANDLE_PATTERN.test(changes.handle))
      return (say('Identifiant invalide : 3 à 30 caractères parmi a-z, 0-9, point, tiret et tiret bas.', true), handle.focus());
    try {
      const user = await api<User>('PATCH', '/me', changes);
      handle.value = user.handle;
      context.session.userChanged(user);
      say('Profil enregistré.');
    } catch (error) {
      say(error instanceof ApiError && error.status === 409 ? 'Cet identifiant est déjà pris : choisissez-en un autre.' : errorText(error), true);
      handle.focus();
    }
  });
  return form;
}

function passwordForm(context: ViewContext): HTMLElement {
  const password = (id: string, autocomplete: string): HTMLInputElement => h('input', { id, type: 'password', autocomplete, required: true });
  const current = password('settings-current-password', 'current-password');
  const next = password('settings-new-password', 'new-password');
  const confirm = password('settings-confirm-password', 'new-password');
  const { form, say } = card(
    'settings-password',
    'Mot de passe',
    field('settings-current-password', 'Mot de passe actuel', current),
    field('settings-new-password', 'Nouveau mot de passe', next, '8 caractères au moins.'),
    field('settings-confirm-password', 'Confirmez le nouveau mot de passe', confirm),
    h('button', { type: 'submit' }, 'Changer le mot de passe'),
  );
  onSubmit(form, async () => {
    if (!current.value) return (say('Saisissez votre mot de passe actuel.', true), current.focus());
    if (next.value.length < 8) return (say('Le nouveau mot de passe doit compter 8 caractères au moins.', true), next.focus());
    if (next.value !== confirm.value) return (say('Les deux saisies du nouveau mot de passe diffèrent.', true), confirm.focus());
    try {
      const answer = await api<{ accessToken: string }>('PUT', '/me/password', { currentPassword: current.value, newPassword: next.value });
      // the old token no longer works: the session goes on with the new one
      context.session.tokenChanged(answer.accessToken);
      form.reset();
      say('Mot de passe changé. Vos autres appareils devront se reconnecter.');
    } catch (error) {
      // a wrong current password is refused as 401 or 403 depending on the server's reading: same answer here
      say(
        error instanceof ApiError && (error.status === 401 || error.status === 403) ? 'Le mot de passe actuel est incorrect.' : errorText(error),
        true,
      );
      current.focus();
    }
  });
  return form;
}

function preferencesForm(preferences: Preferences): HTMLElement {
  const radios = <T extends string>(name: string, legend: string, options: [T, string][], chosen: T): [HTMLElement, () => T] => {
    const inputs = options.map(([value, label]) => {
      const input = h('input', { type: 'radio', name, value, id: `settings-${name}-${value}`, checked: value === chosen });
      return [input, h('label', { for: input.id, class: 'check' }, input, ` ${label}`)] as const;
    });
    const chosenValue = (): T => (inputs.find(([input]) => input.checked)?.[0].value ?? chosen) as T;
    return [
      h(
        'fieldset',
        { class: 'field' },
        h('legend', {}, legend),
        inputs.map(([, label]) => label),
      ),
      chosenValue,
    ];
  };
  const [mentionSet, emailMentions] = radios<Preferences['emailMentions']>(
    'emailMentions',
    'Quand on vous mentionne ou vous répond',
    [
      ['immediate', 'M’écrire si je n’ai pas lu le message deux minutes après'],
      ['never', 'Ne pas m’écrire'],
    ],
    preferences.emailMentions,
  );
  const [digestSet, digest] = radios<Preferences['digest']>(
    'digest',
    'Résumé de ce que vous n’avez pas lu',
    [
      ['daily', 'Chaque jour'],
      ['weekly', 'Chaque semaine'],
      ['never', 'Jamais'],
    ],
    preferences.digest,
  );
  const [reminderSet, emailReminders] = radios<Preferences['emailReminders']>(
    'emailReminders',
    'Séances où vous êtes inscrit·e',
    [
      ['immediate', 'M’envoyer un rappel la veille (avec le fichier d’agenda)'],
      ['never', 'Pas de rappel par e-mail'],
    ],
    preferences.emailReminders,
  );
  const { form, say } = card(
    'settings-mail',
    'E-mails',
    mentionSet,
    digestSet,
    reminderSet,
    h('button', { type: 'submit' }, 'Enregistrer les préférences'),
  );
  onSubmit(form, async () => {
    try {
      await api<Preferences>('PATCH', '/me/preferences', { emailMentions: emailMentions(), digest: digest(), emailReminders: emailReminders() });
      say('Préférences enregistrées.');
    } catch (error) {
      say(errorText(error), true);
    }
  });
  return form;
}

function calendarCard(initialUrl: string): HTMLElement {
  const url = h('input', { id: 'settings-calendar-url', readonly: true, value: initialUrl, spellcheck: 'false' });
  const copy = h('button', { type: 'button', class: 'secondary' }, 'Copier le lien');
  const reset = h('button', { type: 'button', class: 'secondary' }, 'Réinitialiser le lien');
  const { form, say } = card(
    'settings-calendar',
    'Agenda personnel',
    h(
      'p',
      {},
      'Abonnez votre agenda (Outlook, Google Agenda, Thunderbird…) à ce lien : il suit les séances à venir et celles où vous êtes inscrit·e. Gardez-le pour vous.',
    ),
    field('settings-calendar-url', 'Lien de votre agenda', url),
    h('div', { class: 'row' }, copy, reset),
  );
  form.addEventListener('submit', (event) => event.preventDefault());
  copy.addEventListener(
    'click',
    asyncListener(async () => {
      try {
        await navigator.clipboard.writeText(url.value);
        say('Lien copié dans le presse-papiers.');
      } catch {
        // no clipboard permission (plain http): the link is selected for Ctrl+C
        url.select();
        say('Le lien est sélectionné : copiez-le avec Ctrl+C.');
      }
    }),
  );
  reset.addEventListener(
    'click',
    asyncListener(async () => {
      if (!window.confirm('Réinitialiser le lien ? L’ancien cessera de fonctionner dans les agendas abonnés.')) return;
      try {
        url.value = (await api<{ url: string }>('POST', '/me/calendar/reset')).url;
        say('Nouveau lien créé : l’ancien ne fonctionne plus.');
      } catch (error) {
        say(errorText(error), true);
      }
    }),
  );
  return form;
}
