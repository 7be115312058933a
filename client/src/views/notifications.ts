/** The header's bell (the unread count, live) and the notifications screen; each notification opens what it is about. */
import { apiPage } from '../api';
import { announce, h, redraw, timeEl } from '../dom';
import { markAllReadButton, unreadNotifications, type AppNotification } from '../follow';
import { errorBox, loading, pageHeading, type View } from './view';

const BELL_ICON =
  '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z"/></svg>';

/** What a notification says, in one sentence. */
export function notificationText(n: AppNotification): string {
  const who = n.actor?.displayName ?? 'Quelqu’un';
  const about = `« ${n.title} »`;
  switch (n.kind) {
    case 'mention':
      return `${who} vous a mentionné dans ${about}`;
    case 'reply':
      return `${who} a répondu à votre message dans ${about}`;
    case 'watched':
      // one notification stands for every post since the first one unread (`count`), from its author on
      return n.count > 1 ? `${n.count} nouveaux messages dans ${about}, depuis celui de ${who}` : `Nouveau message de ${who} dans ${about}`;
    case 'session-reminder':
      return `Rappel : la séance ${about} a lieu demain`;
    case 'session-started':
      return `La séance ${about} a commencé`;
    case 'practice-published':
      return `${who} a publié la fiche pratique ${about}`;
    case 'flag':
      return `Nouveau signalement dans ${about}`;
  }
}

/** Where a notification leads: the post itself (`?message=` makes the thread open at it), the session, the sheet. */
export function notificationHref(n: AppNotification): string {
  if (n.kind === 'flag') return '#/moderation';
  if (n.threadId) return `#/fils/${n.threadId}${n.seq ? `?message=${n.seq}` : ''}`;
  if (n.sessionId) return `#/seances/${n.sessionId}`;
  if (n.practiceId) return `#/pratiques/${n.practiceId}`;
  return '#/notifications';
}

/** One notification as a list item; following its link marks it read. */
export function notificationItem(n: AppNotification): HTMLLIElement {
  const unread = !n.readAt;
  const link = h('a', { href: notificationHref(n), class: 'notification-link' }, notificationText(n));
  link.addEventListener('click', () => {
    if (unread) void unreadNotifications.markRead([n.id]).catch(() => undefined);
  });
  return h(
    'li',
    { class: unread ? 'notification unread' : 'notification', 'data-id': n.id },
    unread ? h('span', { class: 'badge new' }, 'non lue') : null,
    link,
    n.excerpt ? h('p', { class: 'excerpt' }, n.excerpt) : null,
    h('p', { class: 'meta' }, timeEl(n.createdAt)),
  );
}

/** The bell: a link to the notifications screen whose name says how many are unread. */
export function notificationBell(): { element: HTMLElement; dispose: () => void } {
  // the header's badge, as the moderators' open-report count
  const count = h('span', { class: 'count', 'aria-hidden': 'true' });
  const bell = h('a', { href: '#/notifications', class: 'bell', id: 'notification-bell' }, count);
  bell.insertAdjacentHTML('afterbegin', BELL_ICON);
  const stop = unreadNotifications.subscribe((unread, added) => {
    count.textContent = unread > 99 ? '99+' : String(unread);
    count.hidden = unread === 0;
    bell.dataset.unread = String(unread);
    bell.setAttribute('aria-label', unread === 0 ? 'Notifications, aucune non lue' : `Notifications, ${unread} non lue${unread > 1 ? 's' : ''}`);
    if (added) announce(`Nouvelle notification : ${notificationText(added)}`);
  });
  return { element: bell, dispose: stop };
}

export const notificationsView: View = async (main) => {
  main.append(pageHeading('Notifications'));
  const onlyUnread = h('input', { type: 'checkbox', id: 'only-unread' });
  const [markAll, message] = markAllReadButton(
    () => unreadNotifications.markRead('all'),
    () => {
      // the server has said so: the list says it too at once, while the page is read again
      for (const item of area.querySelectorAll('.notification.unread')) {
        item.classList.remove('unread');
        item.querySelector('.badge.new')?.remove();
      }
      return load();
    },
    'Toutes les notifications sont marquées comme lues.',
  );
  const area = h('div', { id: 'notifications-area' }, loading('Chargement des notifications…'));
  main.append(
    h('div', { class: 'row' }, h('label', { for: 'only-unread', class: 'check' }, onlyUnread, ' Non lues seulement'), markAll),
    message,
    area,
  );

  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Afficher les plus anciennes');
  main.append(more);
  let next: string | null = null;
  let loadId = 0;
  /** The first page again (`from` unset), or the page after those shown. */
  const load = async (from?: string): Promise<void> => {
    const id = ++loadId;
    try {
      const page = await apiPage<AppNotification>(from ?? `/notifications?limit=50${onlyUnread.checked ? '&unread=true' : ''}`);
      if (id !== loadId) return;
      next = page.next;
      more.hidden = !next;
      const list = from ? area.querySelector('ol') : null;
      if (list) list.append(...page.items.map(notificationItem));
      else
        redraw(area, [
          page.items.length
            ? h('ol', { class: 'notifications', id: 'notifications' }, page.items.map(notificationItem))
            : h('p', {}, 'Aucune notification.'),
        ]);
    } catch (error) {
      area.replaceChildren(errorBox(error));
    }
  };
  more.addEventListener('click', () => void (next && load(next)));
  onlyUnread.addEventListener('change', () => void load());

  // one arriving while the list is open takes its place at the top
  const stop = unreadNotifications.subscribe((_, added) => {
    if (added) void load();
  });
  await load();
  return stop;
};
