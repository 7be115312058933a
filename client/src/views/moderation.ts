/** « File de modération »: posts with open reports, for moderators; hide the post or dismiss its reports. */
import { api, type QueueItemShape } from '../api';
import { announce, h } from '../dom';
import { safeHtml } from '../safe-html';
import { errorBox, errorText, loading, pageHeading, type View } from './view';

export const moderationView: View = async (main, { signal, retry }) => {
  main.append(pageHeading('File de modération'));
  const status = loading();
  main.append(status);
  try {
    const items = await api<QueueItemShape[]>('GET', '/moderation/queue', undefined, signal);
    const list = h('ul', { class: 'list', id: 'queue' });
    status.replaceWith(items.length ? list : h('p', {}, 'Aucun signalement en attente.'));
    for (const item of items) {
      const message = h('p', { role: 'status' });
      const resolve = (action: 'hide' | 'dismiss', done: string) => async (): Promise<void> => {
        try {
          await api('POST', `/moderation/queue/${item.post.id}/resolve`, { action });
          li.remove();
          announce(done);
        } catch (error) {
          message.textContent = errorText(error);
        }
      };
      const li = h(
        'li',
        { class: 'card' },
        h(
          'p',
          {},
          h('a', { href: `#/fils/${item.thread.id}` }, item.thread.title),
          ` · ${item.post.author.displayName} · ${item.flagCount} signalement${item.flagCount > 1 ? 's' : ''}`,
        ),
        h('div', { class: 'post-body' }, safeHtml(item.post.bodyHtml)),
        h('ul', {}, ...item.reports.map((r) => h('li', {}, `${r.reporter.displayName} : ${r.reason}`))),
        h(
          'div',
          { class: 'row' },
          h('button', { type: 'button', onclick: resolve('hide', 'Message masqué.') }, 'Masquer le message'),
          h('button', { type: 'button', class: 'secondary', onclick: resolve('dismiss', 'Signalements classés.') }, 'Classer sans suite'),
        ),
        message,
      );
      list.append(li);
    }
  } catch (error) {
    status.replaceWith(errorBox(error, retry));
  }
};
