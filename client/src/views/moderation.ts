/** « File de modération »: posts with open reports, for moderators; hide the post or dismiss its reports. */
import { api, type Post } from '../api';
import { announce, h } from '../dom';
import { renderMarkdown } from '../markdown';
import { errorBox, loading, pageHeading, type View } from './view';

interface QueueItem {
  post: Post;
  thread: { id: string; title: string };
  flagCount: number;
  reports: { reporter: { displayName: string }; reason: string }[];
}

export const moderationView: View = async (main) => {
  main.append(pageHeading('File de modération'));
  const status = loading();
  main.append(status);
  try {
    const page = await api<QueueItem[] | { items: QueueItem[] }>('GET', '/moderation/queue');
    const items = Array.isArray(page) ? page : page.items;
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
          message.textContent = error instanceof Error ? error.message : 'Erreur inattendue.';
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
        h('div', { class: 'post-body' }, renderMarkdown(item.post.body)),
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
    status.replaceWith(errorBox(error));
  }
};
