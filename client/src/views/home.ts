/**
 * « Nouveautés », the landing page after sign-in: the next sessions, the threads with unread posts (counts kept
 * live), the practice sheets published since the last visit and the unread notifications.
 */
import { api, download, type Session, type Topic } from '../api';
import { announce, asyncListener, formatDate, h, redraw, timeEl } from '../dom';
import { markAllReadButton, onThreadActivity, plural, unreadNotifications, type WhatsNew } from '../follow';
import { notificationItem } from './notifications';
import { errorBox, errorText, loading, pageHeading, type View } from './view';

/** How long live activity in a thread not listed yet is gathered before the page asks the server again. */
const RELOAD_AFTER_MS = 1500;

export const homeView: View = async (main, { user }) => {
  main.append(pageHeading('Nouveautés'));
  const since = h('p', { class: 'lead' });
  const [markAll, status] = markAllReadButton(
    () => api('POST', '/read-all'),
    () => load(),
    'Tout est marqué comme lu.',
  );
  const area = h('div', { id: 'whats-new' }, loading('Chargement des nouveautés…'));
  main.append(since, h('div', { class: 'row' }, markAll), status, area);

  let data: WhatsNew | null = null;
  let topicTitles = new Map<string, string>();
  const load = async (): Promise<void> => {
    try {
      const [next, topics] = await Promise.all([api<WhatsNew>('GET', '/me/whats-new'), api<Topic[]>('GET', '/topics')]);
      data = next;
      topicTitles = new Map(topics.map((t) => [t.id, t.title]));
      since.textContent = next.firstVisit
        ? 'Bienvenue sur Essor : voici ce qui se prépare dans le groupe de travail.'
        : `Depuis votre dernière visite, le ${formatDate(next.since)}.`;
      draw();
    } catch (error) {
      area.replaceChildren(errorBox(error));
    }
  };

  const draw = (): void => {
    if (!data) return;
    redraw(area, [
      section(
        'Prochaines séances',
        'home-sessions',
        data.sessions.length ? h('ul', { class: 'threads', id: 'next-sessions' }, data.sessions.map(sessionItem)) : 'Aucune séance à venir.',
      ),
      section(
        'Fils avec des messages non lus',
        'home-threads',
        data.threads.length
          ? h(
              'ul',
              { class: 'threads', id: 'unread-threads' },
              data.threads.map((thread) =>
                h(
                  'li',
                  { 'data-thread-id': thread.id },
                  h('a', { href: `#/fils/${thread.id}` }, thread.title),
                  h('span', { class: 'badge unread' }, plural(thread.unreadCount, 'non lu', 'non lus')),
                  h(
                    'span',
                    { class: 'meta' },
                    thread.topicId && topicTitles.has(thread.topicId) ? ` — ${topicTitles.get(thread.topicId)}` : null,
                    thread.lastPostAt ? [', dernier message le ', timeEl(thread.lastPostAt)] : null,
                  ),
                ),
              ),
            )
          : 'Vous avez tout lu.',
      ),
      section(
        'Nouvelles fiches pratiques',
        'home-practices',
        data.practices.length
          ? h(
              'ul',
              { class: 'threads', id: 'new-practices' },
              data.practices.map((practice) =>
                h(
                  'li',
                  {},
                  h('a', { href: `#/pratiques/${practice.id}` }, practice.title),
                  h(
                    'span',
                    { class: 'meta' },
                    practice.metropolis ? ` — ${practice.metropolis.name}, ` : ' — ',
                    'publiée le ',
                    timeEl(practice.createdAt),
                  ),
                ),
              ),
            )
          : data.firstVisit
            ? 'Aucune fiche publiée depuis votre inscription.'
            : 'Aucune nouvelle fiche depuis votre dernière visite.',
      ),
      section(
        'Notifications non lues',
        'home-notifications',
        data.notifications.length ? h('ol', { class: 'notifications' }, data.notifications.map(notificationItem)) : 'Aucune notification non lue.',
        h('p', {}, h('a', { href: '#/notifications' }, 'Toutes les notifications')),
      ),
    ]);
  };

  const sessionItem = (session: Session): HTMLLIElement => {
    const message = h('span', { role: 'status', class: 'meta' });
    const toggle = h('button', { type: 'button', class: 'secondary small' }, session.joined ? 'Se désinscrire' : 'S’inscrire');
    toggle.setAttribute('aria-label', `${session.joined ? 'Se désinscrire de' : 'S’inscrire à'} « ${session.title} »`);
    toggle.addEventListener(
      'click',
      asyncListener(async () => {
        try {
          await api(session.joined ? 'DELETE' : 'POST', `/sessions/${session.id}/join`);
          session.joined = !session.joined;
          draw();
          announce(session.joined ? `Inscription à « ${session.title} » enregistrée.` : `Désinscription de « ${session.title} » enregistrée.`);
        } catch (error) {
          message.textContent = errorText(error);
        }
      }),
    );
    const calendar = h(
      'a',
      { href: `/api/sessions/${session.id}/calendar.ics`, class: 'button secondary small', download: 'seance.ics' },
      'Ajouter à mon agenda',
    );
    // the visible words come first in the name, as WCAG's « label in name » asks
    calendar.setAttribute('aria-label', `Ajouter à mon agenda « ${session.title} » (fichier .ics)`);
    // the route needs the bearer token, which a plain link does not carry
    calendar.addEventListener('click', (event) => {
      event.preventDefault();
      download(`/sessions/${session.id}/calendar.ics`, 'seance.ics').catch((error: unknown) => {
        message.textContent = errorText(error);
      });
    });
    return h(
      'li',
      {},
      h('a', { href: `#/seances/${session.id}` }, session.title),
      h('span', { class: 'meta' }, ' — ', timeEl(session.startsAt), session.location ? `, ${session.location}` : null),
      session.joined ? h('span', { class: 'badge' }, 'inscrit·e') : null,
      h('div', { class: 'row' }, toggle, calendar, message),
    );
  };

  // a listed thread counts a new post at once; another thread with news makes the page ask again, once
  let reloadTimer = 0;
  const stopActivity = onThreadActivity((activity) => {
    if (!data || !activity.newPost || activity.authorId === user.id) return;
    const listed = data.threads.find((t) => t.id === activity.threadId);
    if (listed) {
      listed.unreadCount += 1;
      listed.lastSeq = activity.lastSeq;
      listed.lastPostAt = activity.lastPostAt;
      data.threads = [listed, ...data.threads.filter((t) => t !== listed)];
      draw();
    } else {
      window.clearTimeout(reloadTimer);
      reloadTimer = window.setTimeout(() => void load(), RELOAD_AFTER_MS);
    }
  });
  const stopNotifications = unreadNotifications.subscribe((_, added) => {
    if (!added || !data) return;
    data.notifications = [added, ...data.notifications];
    draw();
  });
  await load();
  return () => {
    window.clearTimeout(reloadTimer);
    stopActivity();
    stopNotifications();
  };
};

function section(title: string, id: string, content: Node | string, ...after: Node[]): HTMLElement {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': id },
    h('h2', { id }, title),
    typeof content === 'string' ? h('p', {}, content) : content,
    ...after,
  );
}
