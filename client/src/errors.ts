/**
 * The server speaks French to people, errors included: its messages are shown as they are, with an API field name
 * that opens one (« title ne doit pas être vide. ») replaced by the form's label. An answer without a usable message
 * (a proxy's HTML page, a download refused) gets the French message of its status.
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

/** One of the server's messages, its leading field name (« links » in « Chaque valeur de links doit… ») as the form labels it. */
function withLabel(message: string): string {
  return message.replace(/^(Chaque valeur de )?([a-z][A-Za-z]*)(?= )/, (whole, each: string | undefined, field: string) => {
    const label = FIELD_LABELS[field];
    return label ? `${each ?? ''}« ${label} »` : whole;
  });
}

/** The French text for an HTTP error or a refused live event: the server's message, else its status's. */
export function frenchMessages(status: number, data: unknown): string {
  const message = data && typeof data === 'object' && 'message' in data ? data.message : undefined;
  const messages = Array.isArray(message) ? message.map(String) : typeof message === 'string' ? [message] : [];
  if (messages.length > 0) return messages.map(withLabel).join(' ');
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
