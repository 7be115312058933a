import { api, type Session } from '../api';
import { h, timeEl, onSubmit } from '../dom';
import { checkText, checkUrls } from '../errors';
import { attachmentPicker } from './attachments';
import { hasRole } from './roles';
import { errorBox, errorText, loading, pageHeading, type View } from './view';

export const SESSION_STATUS: Record<Session['status'], string> = { scheduled: 'à venir', live: 'en direct', closed: 'terminée' };

export const sessionsView: View = async (main, { user, navigate, signal, retry }) => {
  main.append(pageHeading('Séances du groupe de travail'));
  const status = loading('Chargement des séances…');
  main.append(status);
  try {
    const sessions = await api<Session[]>('GET', '/sessions', undefined, signal);
    status.remove();
    const groups: [Session['status'], string][] = [
      ['live', 'En direct'],
      ['scheduled', 'À venir'],
      ['closed', 'Passées'],
    ];
    let any = false;
    for (const [key, title] of groups) {
      const list = sessions
        .filter((s) => s.status === key)
        .sort((a, b) => (key === 'closed' ? b.startsAt.localeCompare(a.startsAt) : a.startsAt.localeCompare(b.startsAt)));
      if (list.length === 0) continue;
      any = true;
      main.append(
        h('h2', {}, title),
        h(
          'ul',
          { class: 'threads sessions' },
          list.map((session) =>
            h(
              'li',
              {},
              h('a', { href: `#/seances/${session.id}` }, session.title),
              h(
                'span',
                { class: 'meta' },
                ' — ',
                timeEl(session.startsAt),
                session.location ? `, ${session.location}` : null,
                `, ${session.participantCount} participant${session.participantCount > 1 ? 's' : ''}`,
                h('span', { class: `badge status-${session.status}` }, SESSION_STATUS[session.status]),
              ),
            ),
          ),
        ),
      );
    }
    if (!any) main.append(h('p', {}, 'Aucune séance pour l’instant.'));
    if (hasRole(user.role, 'moderator')) main.append(newSessionForm(navigate));
  } catch (error) {
    status.replaceWith(errorBox(error, retry));
  }
};

/** Moderators schedule a session; each agenda line becomes an item with its own discussion. */
function newSessionForm(navigate: (path: string) => void): HTMLElement {
  const f = (id: string, label: string, control: HTMLElement, help?: string): HTMLElement =>
    h('div', { class: 'field' }, h('label', { for: id }, label), control, help ? h('small', {}, help) : null);
  const title = h('input', { id: 's-title', maxlength: 200 });
  const startsAt = h('input', { id: 's-starts', type: 'datetime-local' });
  const location = h('input', { id: 's-location', maxlength: 200 });
  const videoUrl = h('input', { id: 's-video', type: 'url' });
  const description = h('textarea', { id: 's-description', rows: 3 });
  const agenda = h('textarea', { id: 's-agenda', rows: 4 });
  const files = attachmentPicker('s-files');
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 's-heading', novalidate: true },
    h('h2', { id: 's-heading' }, 'Programmer une séance'),
    f('s-title', 'Titre de la séance', title),
    f('s-starts', 'Date et heure', startsAt),
    f('s-location', 'Lieu', location),
    f('s-video', 'Lien de visioconférence', videoUrl),
    f('s-description', 'Présentation', description),
    f('s-agenda', 'Ordre du jour', agenda, 'Un point par ligne ; « Titre | 30 » pour une durée en minutes.'),
    files.el,
    error,
    h('button', { type: 'submit' }, 'Programmer'),
  );
  onSubmit(form, async () => {
    const items = agenda.value
      .split('\n')
      .map((line) => line.split('|').map((part) => part.trim()))
      .filter(([t]) => t)
      .map(([t, minutes]) => ({ title: t, ...(Number(minutes) > 0 ? { durationMinutes: Math.round(Number(minutes)) } : {}) }));
    if (!title.value.trim() || !startsAt.value || items.length === 0) {
      error.textContent = 'Le titre, la date et au moins un point d’ordre du jour sont obligatoires.';
      return;
    }
    const refused =
      checkText('Titre de la séance', title.value, { max: 200 }) ??
      checkText('Lieu', location.value, { max: 300 }) ??
      items.map((item) => checkText('Point d’ordre du jour', item.title, { max: 200 })).find(Boolean) ??
      (videoUrl.value.trim() ? checkUrls('Lien de visioconférence', [videoUrl.value.trim()]) : null) ??
      (files.busy() ? 'Attendez la fin de l’envoi des fichiers.' : null);
    if (refused) {
      error.textContent = refused;
      return;
    }
    try {
      const created = await api<Session>('POST', '/sessions', {
        title: title.value.trim(),
        startsAt: new Date(startsAt.value).toISOString(),
        agenda: items,
        attachmentIds: files.ids(),
        ...(description.value.trim() ? { description: description.value.trim() } : {}),
        ...(location.value.trim() ? { location: location.value.trim() } : {}),
        ...(videoUrl.value.trim() ? { videoUrl: videoUrl.value.trim() } : {}),
      });
      navigate(`/seances/${created.id}`);
    } catch (e) {
      error.textContent = errorText(e);
    }
  });
  return form;
}
