/**
 * The server answers in English (NestJS's and class-validator's wording, which the API keeps for its clients); a
 * person reads French. Errors are turned into French here, by status and, for a refused field, by field and rule;
 * whatever is not recognised gets the French message of its status, never the English text.
 */

const STATUS_MESSAGES: Record<number, string> = {
  400: 'La demande est invalide.',
  401: 'Votre session a expiré : reconnectez-vous.',
  403: 'Vous n’avez pas le droit de faire cela.',
  404: 'Introuvable : ce contenu a peut-être été supprimé.',
  409: 'Conflit avec l’état actuel : rechargez la page.',
  413: 'Le contenu envoyé est trop volumineux.',
  429: 'Trop de demandes : patientez quelques secondes.',
};

/** The server's messages that are not about one field, as people should read them. */
const KNOWN_MESSAGES: Record<string, string> = {
  'Wrong email or password': 'Adresse e-mail ou mot de passe incorrect.',
  'An account with this email already exists': 'Un compte existe déjà pour cette adresse e-mail.',
  'This account is disabled': 'Ce compte est désactivé.',
  'This thread is locked': 'Ce fil est verrouillé.',
  'This topic is locked: only moderators open threads in it': 'Ce thème est verrouillé : seuls les modérateurs y ouvrent des fils.',
  'This topic is archived': 'Ce thème est archivé.',
  'This poll is closed': 'Ce sondage est clos.',
  'This poll is already closed': 'Ce sondage est déjà clos.',
  'This post was deleted': 'Ce message a été supprimé.',
  'A deleted post cannot be edited': 'Un message supprimé ne peut plus être modifié.',
  'You have already reported this post': 'Vous avez déjà signalé ce message.',
  'The agenda of a closed session cannot change': 'L’ordre du jour d’une séance close ne change plus.',
  'Only an admin invites a moderator or an admin': 'Seul un administrateur invite un modérateur ou un administrateur.',
  'Admins cannot disable or demote themselves': 'Un administrateur ne peut ni se désactiver ni se rétrograder.',
};

/** Field names of the API's request bodies, as the forms label them. */
const FIELD_LABELS: Record<string, string> = {
  agenda: 'Ordre du jour',
  body: 'Message',
  contact: 'Contact',
  description: 'Description',
  displayName: 'Nom affiché',
  durationMinutes: 'Durée',
  email: 'Adresse e-mail',
  endsAt: 'Fin',
  invitationCode: 'Code d’invitation',
  levers: 'Leviers',
  links: 'Liens',
  location: 'Lieu',
  metropolisId: 'Métropole',
  optionIndex: 'Réponse',
  options: 'Réponses possibles',
  parentId: 'Message auquel vous répondez',
  partners: 'Partenaires',
  password: 'Mot de passe',
  question: 'Question',
  reason: 'Motif',
  role: 'Rôle',
  stage: 'Stade',
  startsAt: 'Date et heure',
  summary: 'Résumé',
  title: 'Titre',
  topicIds: 'Thèmes',
  videoUrl: 'Lien de visioconférence',
};

/** class-validator's rules (and Essor's own), each with what it means for the person typing. */
const RULES: [RegExp, (match: RegExpMatchArray) => string][] = [
  [/must not be blank|should not be empty|is required/, () => 'obligatoire'],
  [/shorter than or equal to (\d+)/, (m) => `${m[1]} caractères au plus`],
  [/longer than or equal to (\d+)/, (m) => `${m[1]} caractères au moins`],
  [/URL/, () => 'une adresse web commençant par http:// ou https:// est attendue'],
  [/must be an email/, () => 'une adresse e-mail valide est attendue'],
  [/unknown, already used or expired/, () => 'inconnu, déjà utilisé ou expiré'],
  [/does not match the invitation/, () => 'ce n’est pas l’adresse de l’invitation'],
  [/must be after/, () => 'doit venir après le début'],
  [/no more than (\d+) elements/, (m) => `${m[1]} au plus`],
  [/at least (\d+) elements/, (m) => `${m[1]} au moins`],
  [/should not exist/, () => 'champ inattendu'],
  [/must name a post of the same thread/, () => 'introuvable dans ce fil'],
];

/** One of the server's field messages (« each value in links must be an http or https URL ») in French. */
export function frenchFieldMessage(message: string): string {
  const match = /^(?:each value in )?(?:property )?([A-Za-z]+)(?:\.[\w.]+)? (.*)$/.exec(message);
  const label = match ? FIELD_LABELS[match[1]] : undefined;
  const rule = RULES.find(([pattern]) => pattern.test(match?.[2] ?? message));
  const meaning = rule ? rule[1]((match?.[2] ?? message).match(rule[0])!) : 'valeur refusée';
  return `${label ?? 'Un champ'} : ${meaning}.`;
}

/** The French text for an HTTP error: its status, and for a 400 each refused field. */
export function frenchMessages(status: number, data: unknown): string {
  const message = data && typeof data === 'object' && 'message' in data ? data.message : undefined;
  const messages = Array.isArray(message) ? message.map(String) : typeof message === 'string' ? [message] : [];
  const known = messages.map((m) => KNOWN_MESSAGES[m]).filter(Boolean);
  if (known.length > 0) return known.join(' ');
  if (status === 400 && messages.length > 0) return messages.map(frenchFieldMessage).join(' ');
  return STATUS_MESSAGES[status] ?? (status >= 500 ? 'Erreur du serveur : réessayez plus tard.' : `Erreur ${status}.`);
}

/** The first rule a form's value breaks, in French, or null: checked in the browser before anything is sent. */
export function checkText(label: string, value: string, { required = false, max }: { required?: boolean; max?: number }): string | null {
  if (required && !value.trim()) return `${label} : obligatoire.`;
  if (max !== undefined && value.length > max) return `${label} : ${max} caractères au plus.`;
  return null;
}

/** Whether every line is an http(s) address, as the server requires for links and video links. */
export function checkUrls(label: string, values: string[]): string | null {
  for (const value of values) {
    try {
      const url = new URL(value);
      if (url.protocol === 'http:' || url.protocol === 'https:') continue;
    } catch {
      // not a URL at all: said below
    }
    return `${label} : « ${value} » n’est pas une adresse web commençant par http:// ou https://.`;
  }
  return null;
}
