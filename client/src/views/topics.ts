import { api, type Topic } from '../api';
import { h, redraw, asyncListener, onSubmit } from '../dom';
import { checkText } from '../errors';
import { live } from '../live';
import { markAllReadButton, onThreadActivity, plural } from '../follow';
import { hasRole } from './roles';
import { errorBox, errorText, loading, pageHeading, type View } from './view';

/** The themes; moderators also create, rename, reorder, pin, lock and archive them here. */
export const topicsView: View = async (main, { user, signal, retry, onLeave }) => {
  const moderator = hasRole(user.role, 'moderator');
  main.append(pageHeading('Thèmes'));
  const list = h('div', { id: 'topics-area' });
  const error = h('p', { class: 'error', role: 'alert' });
  const showArchived = h('input', { type: 'checkbox', id: 'show-archived' });
  if (moderator) {
    main.append(h('p', { class: 'row' }, h('label', { for: 'show-archived', class: 'check' }, showArchived, ' Afficher les thèmes archivés')));
  }
  const [markAll, readStatus] = markAllReadButton(
    () => api('POST', '/read-all'),
    () => {
      for (const topic of topics) topic.unreadCount = 0;
      draw();
    },
    'Tous les messages sont marqués comme lus.',
  );
  main.append(h('div', { class: 'row' }, markAll), readStatus, error, list);
  list.append(loading('Chargement des thèmes…'));

  let topics: Topic[] = [];
  let loadId = 0;
  const load = async (): Promise<void> => {
    const id = ++loadId;
    try {
      const next = await api<Topic[]>('GET', `/topics${showArchived.checked ? '?archived=true' : ''}`, undefined, signal);
      if (id !== loadId) return;
      topics = next;
      draw();
    } catch (e) {
      list.replaceChildren(errorBox(e, retry));
    }
  };
  const change = async (
    topic: Topic,
    changes: Partial<Pick<Topic, 'title' | 'description' | 'position' | 'pinned' | 'locked' | 'archived'>>,
  ): Promise<void> => {
    error.textContent = '';
    try {
      await api<Topic>('PATCH', `/topics/${topic.id}`, changes);
    } catch (e) {
      error.textContent = errorText(e);
    }
  };
  const move = async (index: number, delta: number): Promise<void> => {
    const a = topics[index];
    const b = topics[index + delta];
    if (!a || !b) return;
    // the server shifts the others to make room
    await change(a, { position: b.position });
    await load();
  };
  const draw = (): void => {
    if (topics.length === 0) {
      list.replaceChildren(h('p', {}, 'Aucun thème pour l’instant.'));
      return;
    }
    redraw(list, [
      h(
        'ul',
        { class: 'cards', id: 'topics' },
        topics.map((topic, index) =>
          h(
            'li',
            { class: 'card' },
            h('h2', {}, h('a', { href: `#/themes/${topic.id}` }, topic.title)),
            topic.unreadCount ? h('p', { class: 'badge unread' }, plural(topic.unreadCount, 'message non lu', 'messages non lus')) : null,
            topic.description ? h('p', {}, topic.description) : null,
            h(
              'p',
              { class: 'meta' },
              `${topic.threadCount} fil${topic.threadCount > 1 ? 's' : ''} de discussion`,
              topic.pinned ? h('span', { class: 'badge' }, 'épinglé') : null,
              topic.locked ? h('span', { class: 'badge' }, 'verrouillé') : null,
              topic.archived ? h('span', { class: 'badge' }, 'archivé') : null,
            ),
            moderator ? tools(topic, index) : null,
          ),
        ),
      ),
    ]);
  };
  const tools = (topic: Topic, index: number): HTMLElement => {
    const act = (label: string, changes: Parameters<typeof change>[1], name = label): HTMLButtonElement =>
      h(
        'button',
        {
          type: 'button',
          class: 'secondary small',
          'aria-label': `${name} « ${topic.title} »`,
          onclick: asyncListener(async () => {
            await change(topic, changes);
            await load();
          }),
        },
        label,
      );
    return h(
      'div',
      { class: 'row tools', role: 'group', 'aria-label': `Organiser « ${topic.title} »` },
      h(
        'button',
        {
          type: 'button',
          class: 'secondary small',
          disabled: index === 0,
          'aria-label': `Monter « ${topic.title} »`,
          onclick: () => void move(index, -1),
        },
        '↑',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary small',
          disabled: index === topics.length - 1,
          'aria-label': `Descendre « ${topic.title} »`,
          onclick: () => void move(index, 1),
        },
        '↓',
      ),
      act(topic.pinned ? 'Désépingler' : 'Épingler', { pinned: !topic.pinned }),
      act(topic.locked ? 'Déverrouiller' : 'Verrouiller', { locked: !topic.locked }),
      act(topic.archived ? 'Désarchiver' : 'Archiver', { archived: !topic.archived }),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary small',
          'aria-label': `Renommer « ${topic.title} »`,
          onclick: (e: Event) => rename(topic, e.currentTarget as HTMLElement),
        },
        'Renommer',
      ),
    );
  };
  const rename = (topic: Topic, anchor: HTMLElement): void => {
    const group = anchor.parentElement;
    if (!group || group.nextElementSibling?.tagName === 'FORM') return;
    const title = h('input', { id: `rename-${topic.id}`, value: topic.title, maxlength: 200, required: true });
    const form = h(
      'form',
      { class: 'reply-form' },
      h('label', { for: `rename-${topic.id}` }, 'Nouveau titre'),
      title,
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'submit' }, 'Enregistrer'),
        h('button', { type: 'button', class: 'secondary', onclick: () => form.remove() }, 'Annuler'),
      ),
    );
    onSubmit(form, async () => {
      if (!title.value.trim()) return;
      await change(topic, { title: title.value.trim() });
      await load();
    });
    group.after(form);
    title.focus();
  };

  showArchived.addEventListener('change', () => void load());
  if (moderator) main.append(newTopicForm(load));
  // another moderator's change shows up here at once
  onLeave(live.on('topic:updated', () => void load()));
  // a post by someone else counts at once in its topic; a new thread counts in the topic's threads
  onLeave(
    onThreadActivity((activity) => {
      const topic = topics.find((t) => t.id === activity.topicId);
      if (!topic) return;
      if (activity.thread) topic.threadCount += 1;
      if (activity.newPost && activity.authorId !== user.id) topic.unreadCount = (topic.unreadCount ?? 0) + 1;
      draw();
    }),
  );
  await load();
};

function newTopicForm(reload: () => Promise<void>): HTMLElement {
  const title = h('input', { id: 'new-topic-title', maxlength: 200, required: true });
  const description = h('textarea', { id: 'new-topic-description', rows: 3 });
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'new-topic-heading' },
    h('h2', { id: 'new-topic-heading' }, 'Nouveau thème'),
    h('div', { class: 'field' }, h('label', { for: 'new-topic-title' }, 'Titre du thème'), title),
    h('div', { class: 'field' }, h('label', { for: 'new-topic-description' }, 'Description'), description),
    error,
    h('button', { type: 'submit' }, 'Créer le thème'),
  );
  onSubmit(form, async () => {
    error.textContent = checkText('Titre du thème', title.value, { required: true, max: 200 }) ?? '';
    if (error.textContent) return;
    try {
      await api<Topic>('POST', '/topics', {
        title: title.value.trim(),
        ...(description.value.trim() ? { description: description.value.trim() } : {}),
      });
      form.reset();
      await reload();
    } catch (e) {
      error.textContent = errorText(e);
    }
  });
  return form;
}
