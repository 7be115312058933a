import { api, type Post, type Thread, type Topic } from '../api';
import { h, keepDraft, redraw, timeEl, onSubmit } from '../dom';
import { checkText } from '../errors';
import { markAllReadButton, onThreadActivity, plural } from '../follow';
import { mentionCompletion } from '../mentions';
import { errorBox, errorText, loading, pageHeading, type View } from './view';
import { hasRole } from './roles';

export const topicView: View = async (main, { params: [topicId], user, navigate, signal, retry, onLeave }) => {
  const status = loading('Chargement des fils…');
  main.append(h('p', { class: 'breadcrumb' }, h('a', { href: '#/themes' }, '← Thèmes')), status);
  try {
    const [topics, threads] = await Promise.all([
      api<Topic[]>('GET', '/topics', undefined, signal),
      api<Thread[]>('GET', `/topics/${topicId}/threads?limit=200`, undefined, signal),
    ]);
    const topic = topics.find((t) => t.id === topicId);
    status.remove();
    main.append(pageHeading(topic?.title ?? 'Thème'));
    if (topic?.description) main.append(h('p', { class: 'lead' }, topic.description));
    if (topic?.locked) main.append(h('p', { class: 'notice' }, 'Ce thème est verrouillé : seuls les modérateurs y ouvrent des fils.'));

    const list = h('ul', { class: 'threads', id: 'threads' });
    const empty = h('p', {}, 'Aucun fil pour l’instant : ouvrez le premier.');
    const draw = (): void => {
      // pinned first, then the most recent activity, as the server orders them
      threads.sort((a, b) => Number(b.pinned) - Number(a.pinned) || (b.lastPostAt ?? '').localeCompare(a.lastPostAt ?? ''));
      redraw(list, threads.map(threadRow));
      empty.hidden = threads.length > 0;
    };
    const [markRead, readStatus] = markAllReadButton(
      () => api('POST', `/topics/${topicId}/read`),
      () => {
        for (const thread of threads) thread.unreadCount = 0;
        draw();
      },
      'Tous les fils du thème sont marqués comme lus.',
    );
    main.append(h('div', { class: 'row heading-row' }, h('h2', {}, 'Fils de discussion'), markRead), readStatus, list, empty);
    draw();
    // new posts and threads move the list as they happen
    onLeave(
      onThreadActivity((activity) => {
        if (activity.topicId !== topicId) return;
        const byOther = activity.authorId !== user.id;
        const known = threads.find((t) => t.id === activity.threadId);
        if (known) {
          if (!activity.newPost) return;
          Object.assign(known, {
            lastSeq: activity.lastSeq,
            postCount: activity.postCount,
            lastPostAt: activity.lastPostAt,
            unreadCount: (known.unreadCount ?? 0) + (byOther ? 1 : 0),
          });
        } else if (activity.thread) threads.push({ ...activity.thread, unreadCount: byOther ? activity.postCount : 0 });
        else return;
        draw();
      }),
    );

    if (!topic?.locked || hasRole(user.role, 'moderator')) main.append(newThreadForm(topicId, navigate));
  } catch (error) {
    status.replaceWith(errorBox(error, retry));
  }
};

function threadRow(thread: Thread): HTMLLIElement {
  const unread = thread.unreadCount ?? 0;
  return h(
    'li',
    { 'data-thread-id': thread.id, class: unread > 0 ? 'has-unread' : null },
    h('a', { href: `#/fils/${thread.id}` }, thread.title),
    unread > 0 ? h('span', { class: 'badge unread' }, plural(unread, 'non lu', 'non lus')) : null,
    h(
      'span',
      { class: 'meta' },
      ` — ${thread.author.displayName}, ${thread.postCount} message${thread.postCount > 1 ? 's' : ''}`,
      thread.lastPostAt ? [', dernier le ', timeEl(thread.lastPostAt)] : null,
      thread.pinned ? h('span', { class: 'badge' }, 'épinglé') : null,
      thread.locked ? h('span', { class: 'badge' }, 'verrouillé') : null,
    ),
  );
}

function newThreadForm(topicId: string, navigate: (path: string) => void): HTMLElement {
  const title = h('input', { id: 'new-thread-title', name: 'title', required: true, maxlength: 200 });
  const body = h('textarea', {
    id: 'new-thread-body',
    name: 'body',
    rows: 6,
    required: true,
    maxlength: 20000,
    'aria-describedby': 'new-thread-help',
  });
  const forgetDraft = keepDraft(body, `newthread.${topicId}`);
  const message = h('p', { class: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit' }, 'Publier le fil');
  const form = h(
    'form',
    { class: 'card', id: 'new-thread', 'aria-labelledby': 'new-thread-heading' },
    h('h2', { id: 'new-thread-heading' }, 'Nouveau fil'),
    h('div', { class: 'field' }, h('label', { for: 'new-thread-title' }, 'Titre'), title),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'new-thread-body' }, 'Premier message'),
      body,
      mentionCompletion(body),
      h('small', { id: 'new-thread-help' }, 'Markdown accepté (gras, listes, liens). @ suivi d’un nom pour mentionner quelqu’un.'),
    ),
    message,
    submit,
  );
  onSubmit(form, async () => {
    message.textContent = '';
    const refused =
      checkText('Titre', title.value, { required: true, max: 200 }) ?? checkText('Premier message', body.value, { required: true, max: 20_000 });
    if (refused) {
      message.textContent = refused;
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Publication…';
    try {
      const created = await api<{ thread: Thread; post: Post }>('POST', `/topics/${topicId}/threads`, {
        title: title.value.trim(),
        body: body.value,
      });
      forgetDraft();
      navigate(`/fils/${created.thread.id}`);
    } catch (error) {
      message.textContent = errorText(error);
      submit.disabled = false;
      submit.textContent = 'Publier le fil';
    }
  });
  return form;
}
