/** « File de modération »: posts with open reports, for moderators; hide the post (with a reason) or dismiss its reports. */
import { api, type QueueItemShape } from '../api';
import { announce, h, timeEl } from '../dom';
import { errorBox, errorText, loading, pageHeading, type View } from './view';

/** Characters of a reported post shown in the queue; the link opens the whole post in its thread. */
const EXCERPT_LENGTH = 280;

export const moderationView: View = async (main, { signal, retry }) => {
  main.append(pageHeading('File de modération'));
  const status = loading();
  main.append(status);
  try {
    const items = await api<QueueItemShape[]>('GET', '/moderation/queue', undefined, signal);
    const list = h('ul', { class: 'list', id: 'queue' });
    status.replaceWith(items.length ? list : h('p', {}, 'Aucun signalement en attente.'));
    for (const item of items) list.append(queueItem(item));
  } catch (error) {
    status.replaceWith(errorBox(error, retry));
  }
};

function queueItem(item: QueueItemShape): HTMLElement {
  const { post } = item;
  const message = h('p', { role: 'status' });
  const reasonId = `hide-reason-${post.id}`;
  const reason = h('input', { id: reasonId, maxlength: 500 });
  const resolve = async (action: 'hide' | 'dismiss', done: string): Promise<void> => {
    try {
      const body = action === 'hide' && reason.value.trim() ? { action, reason: reason.value.trim() } : { action };
      await api('POST', `/moderation/queue/${post.id}/resolve`, body);
      li.remove();
      announce(done);
    } catch (error) {
      message.textContent = errorText(error);
    }
  };
  // the cooked HTML's text, read in an inert document: no Markdown marks in the excerpt
  const text = (new DOMParser().parseFromString(post.bodyHtml, 'text/html').body.textContent ?? '').replace(/\s+/g, ' ').trim();
  const excerpt = text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH)}…` : text;
  const li = h(
    'li',
    { class: 'card queue-item' },
    h(
      'p',
      { class: 'meta' },
      h('strong', {}, post.author.displayName),
      post.author.metropolis ? ` · ${post.author.metropolis.name}` : '',
      ' · ',
      timeEl(post.createdAt),
      ` · ${item.flagCount} signalement${item.flagCount > 1 ? 's' : ''}`,
      post.hidden ? h('span', { class: 'badge' }, 'déjà masqué') : null,
    ),
    h('blockquote', { class: 'excerpt' }, excerpt || '(message vide)'),
    h('p', {}, h('a', { href: `#/fils/${item.thread.id}?message=${post.seq}` }, `Voir le message dans « ${item.thread.title} »`)),
    h('ul', {}, ...item.reports.map((r) => h('li', {}, `${r.reporter.displayName}, `, timeEl(r.createdAt), ` : ${r.reason}`))),
    h('div', { class: 'field' }, h('label', { for: reasonId }, 'Motif du masquage, montré à l’auteur (facultatif)'), reason),
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'button', onclick: () => void resolve('hide', 'Message masqué.') }, 'Masquer le message'),
      h('button', { type: 'button', class: 'secondary', onclick: () => void resolve('dismiss', 'Signalements classés.') }, 'Classer sans suite'),
    ),
    message,
  );
  return li;
}
