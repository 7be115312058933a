/**
 * A thread as a tree of posts, kept live. Posts are inserted and updated one by one, never by re-rendering the
 * thread, so a reply, an edit or a report being typed (and its focus) survives every live update; all three are
 * also kept in localStorage, so the thread drawn again (a reload, the agenda moving on) gives them back.
 * A post sent by this client shows « envoi… » then « envoyé »; one that could not reach the server shows « en attente »
 * and is sent again by itself at the next connection, with the same clientKey, so the server never stores it twice.
 */
import { api, ApiError, download, isAbort, loadThread, type Post, type Thread } from '../api';
import { announce, append, h, keepDraft, redraw, timeEl, uuid, onSubmit } from '../dom';
import { checkText } from '../errors';
import { live, type PostCreatePayload, type TypingNotice } from '../live';
import { plainText, safeHtml } from '../safe-html';
import { attachmentList, attachmentPicker } from './attachments';
import { hasRole } from './roles';
import { errorBox, errorText, loading, pageHeading, type View, type ViewContext } from './view';
import { ReadTracker } from './read-tracker';
import { watchLevelControl } from './watch-level';
import { mentionCompletion } from '../mentions';
import { plural } from '../follow';

interface PostNode {
  post: Post | null;
  li: HTMLLIElement;
  body: HTMLDivElement;
  meta: HTMLElement;
  status: HTMLElement;
  actions: HTMLElement;
  replies: HTMLOListElement;
  formSlot: HTMLElement;
  footer: HTMLElement;
}

interface Pending {
  clientKey: string;
  body: string;
  parentId: string | null;
  attachmentIds: string[];
  node: PostNode;
  sent: boolean;
}

const TYPING_SEND_EVERY_MS = 3000;
const TYPING_SHOW_MS = 5000;
/** The server's limit on a post's body. */
const BODY_MAX = 20_000;

export const threadView: View = (main, context) => mountThread(main, context, context.params[0], { embedded: false });

/**
 * Loads a thread and keeps it live inside `container`; returns the cleanup. Embedded (a session's agenda item), it
 * takes an h2 heading and leaves the page title and focus alone. `signal` (the view's, unless given) cancels the load.
 */
export async function mountThread(
  container: HTMLElement,
  context: ViewContext,
  threadId: string,
  options: { embedded: boolean; heading?: string },
  signal = context.signal,
): Promise<() => void> {
  const status = loading('Chargement du fil…');
  container.append(status);
  let page: { thread: Thread; posts: Post[] };
  try {
    page = await loadThread(threadId, signal);
  } catch (error) {
    if (!isAbort(error)) status.replaceWith(errorBox(error, context.retry));
    return () => undefined;
  }
  status.remove();
  return new ThreadScreen(container, context, page.thread, page.posts, options).dispose;
}

class ThreadScreen {
  private readonly nodes = new Map<string, PostNode>();
  private readonly pending = new Map<string, Pending>();
  /** Posts that could not reach the server: sent again, with their clientKey, at the next connection. */
  private readonly waiting = new Set<Pending>();
  /** Left: a post whose send fails from now on goes to the live module's outbox. */
  private disposed = false;
  private readonly seen = new Set<number>();
  private contiguousSeq = 0;
  private readonly root: HTMLOListElement;
  private readonly typingLine: HTMLElement;
  private readonly typists = new Map<string, { name: string; timer: number }>();
  private lastTypingSent = 0;
  private readonly cleanups: (() => void)[] = [];
  private readonly reads: ReadTracker;
  private readonly authorBySeq = new Map<number, string>();

  constructor(
    main: HTMLElement,
    private readonly context: ViewContext,
    private readonly thread: Thread,
    posts: Post[],
    options: { embedded: boolean; heading?: string },
  ) {
    this.root = h('ol', { class: 'posts', id: 'posts', 'aria-label': 'Messages du fil' });
    this.typingLine = h('p', { class: 'typing', 'aria-live': 'off' });
    if (options.embedded) main.append(h('h2', {}, options.heading ?? thread.title));
    else {
      const back = thread.topicId ? h('a', { href: `#/themes/${thread.topicId}` }, '← Fils du thème') : h('a', { href: '#/themes' }, '← Thèmes');
      main.append(
        h('p', { class: 'breadcrumb' }, back),
        pageHeading(thread.title),
        h(
          'p',
          { class: 'meta' },
          `Fil ouvert par ${thread.author.displayName}`,
          thread.pinned ? h('span', { class: 'badge' }, 'épinglé') : null,
          thread.locked ? h('span', { class: 'badge' }, 'verrouillé') : null,
        ),
        h(
          'p',
          {},
          h('button', { type: 'button', class: 'secondary small', onclick: () => void this.exportMarkdown() }, 'Exporter (Markdown)'),
          this.exportMessage,
        ),
        watchLevelControl(thread),
      );
      if (hasRole(context.user.role, 'moderator')) main.append(this.threadTools());
    }
    main.append(this.root, this.typingLine);
    this.reads = new ReadTracker(thread.id, thread.lastReadSeq ?? thread.lastSeq, (seq) => this.ownPost(seq));
    this.cleanups.push(() => this.reads.dispose());
    this.addPosts(posts, false);
    this.goToUnread(options.embedded);
    if (this.canPost()) {
      const slot = h(
        'section',
        { class: 'card', 'aria-labelledby': 'reply-root-heading' },
        h(options.embedded ? 'h3' : 'h2', { id: 'reply-root-heading' }, 'Répondre au fil'),
      );
      slot.append(this.replyForm(null, 'Votre message'));
      main.append(slot);
    } else main.append(h('p', { class: 'notice' }, 'Ce fil est verrouillé.'));

    this.cleanups.push(live.followThread(thread.id, { lastSeq: () => this.contiguousSeq, onPosts: (incoming) => this.addPosts(incoming, true) }));
    this.cleanups.push(
      live.on('typing', (notice: TypingNotice) => this.showTyping(notice)),
      live.onConnect(() => this.resendWaiting()),
    );
  }

  /** Leaving the thread hands the posts still waiting for the connection to the live module's outbox. */
  readonly dispose = (): void => {
    this.disposed = true;
    for (const cleanup of this.cleanups) cleanup();
    for (const t of this.typists.values()) window.clearTimeout(t.timer);
    for (const pending of this.waiting) live.sendLater(this.payloadOf(pending));
    this.waiting.clear();
  };

  private ownPost(seq: number): boolean | undefined {
    const author = this.authorBySeq.get(seq);
    return author === undefined ? undefined : author === this.context.user.id;
  }

  /**
   * Puts « Nouveaux messages » above the first post by someone else after the reader's mark and, on the thread's
   * own page, takes the reader there (or to the post a notification named with `?message=`), announcing how many.
   */
  private goToUnread(embedded: boolean): void {
    const unread = Array.from(this.nodes.values())
      .map((node) => node.post)
      .filter((post): post is Post => !!post && post.seq > this.reads.lastReadSeq && post.author.id !== this.context.user.id)
      .sort((a, b) => a.seq - b.seq);
    // a thread never read opens at its top, as any page does: a divider above its first post would say nothing
    const first = unread[0]?.seq > 1 ? this.nodes.get(unread[0].id) : undefined;
    const divider = first ? h('p', { class: 'unread-divider', id: 'new-messages', tabindex: '-1' }, 'Nouveaux messages') : null;
    if (first && divider) first.li.prepend(divider);
    if (embedded) return;
    const named = Number(this.context.query.get('message'));
    const target = (named && this.root.querySelector<HTMLElement>(`#message-${named} > article`)) || divider;
    if (!target) return;
    if (!target.hasAttribute('tabindex')) target.tabIndex = -1;
    if (target !== divider) target.classList.add('highlighted');
    // after the page heading has taken the focus, so that this place wins
    queueMicrotask(() => {
      target.scrollIntoView({ block: target === divider ? 'start' : 'center' });
      target.focus({ preventScroll: true });
    });
    if (unread.length) announce(`${plural(unread.length, 'nouveau message', 'nouveaux messages')} depuis votre dernière lecture.`);
  }

  private readonly exportMessage = h('span', { role: 'status', class: 'meta' });

  private async exportMarkdown(): Promise<void> {
    try {
      await download(`/threads/${this.thread.id}/export`, `fil-${this.thread.id.slice(0, 8)}.md`);
    } catch (error) {
      this.exportMessage.textContent = ` ${errorText(error)}`;
    }
  }

  /** « Copier le lien »: the address that opens the thread at this post, highlighted. */
  private async copyLink(node: PostNode, post: Post): Promise<void> {
    const url = `${location.origin}${location.pathname}#/fils/${post.threadId}?message=${post.seq}`;
    try {
      await navigator.clipboard.writeText(url);
      node.status.textContent = 'Lien copié.';
    } catch {
      // no clipboard (an insecure origin, a refusal): the address is shown to copy by hand
      node.status.textContent = `Lien : ${url}`;
    }
  }

  private payloadOf(pending: Pending): PostCreatePayload {
    const { body, parentId, clientKey, attachmentIds } = pending;
    return { threadId: this.thread.id, body, parentId, clientKey, attachmentIds };
  }

  /** Moderators pin and lock the thread; the view is drawn again, drafts are in localStorage. */
  private threadTools(): HTMLElement {
    const error = h('p', { class: 'error', role: 'alert' });
    const patch = async (changes: { pinned?: boolean; locked?: boolean }): Promise<void> => {
      try {
        await api<Thread>('PATCH', `/threads/${this.thread.id}`, changes);
        this.context.navigate(`/fils/${this.thread.id}`);
      } catch (e) {
        error.textContent = errorText(e);
      }
    };
    return h(
      'div',
      { class: 'row tools', role: 'group', 'aria-label': 'Modération du fil' },
      h(
        'button',
        { type: 'button', class: 'secondary small', onclick: () => void patch({ pinned: !this.thread.pinned }) },
        this.thread.pinned ? 'Désépingler' : 'Épingler',
      ),
      h(
        'button',
        { type: 'button', class: 'secondary small', onclick: () => void patch({ locked: !this.thread.locked }) },
        this.thread.locked ? 'Déverrouiller' : 'Verrouiller',
      ),
      error,
    );
  }

  private canPost(): boolean {
    return !this.thread.locked || hasRole(this.context.user.role, 'moderator');
  }

  // ---- receiving ----------------------------------------------------------------------------------------------------

  private addPosts(posts: Post[], arrivedLive: boolean): void {
    for (const post of [...posts].sort((a, b) => a.seq - b.seq)) {
      this.markSeen(post.seq);
      const known = this.nodes.get(post.id);
      if (known) {
        this.fill(known, post);
        continue;
      }
      const mine = post.clientKey ? this.pending.get(post.clientKey) : undefined;
      if (mine) {
        this.adopt(mine, post);
        continue;
      }
      const node = this.createNode(post);
      this.fill(node, post);
      this.insert(node, post);
      this.reads.observe(post.seq, node.footer);
      if (arrivedLive && post.author.id !== this.context.user.id) announce(`Nouveau message de ${post.author.displayName}`);
    }
  }

  private markSeen(seq: number): void {
    this.seen.add(seq);
    while (this.seen.has(this.contiguousSeq + 1)) this.seen.delete(++this.contiguousSeq);
  }

  /** Keeps siblings in seq order; a post whose parent is unknown goes to the root rather than vanish. */
  private insert(node: PostNode, post: Post): void {
    const list = (post.parentId && this.nodes.get(post.parentId)?.replies) || this.root;
    const before = Array.from(list.children).find((li) => Number((li as HTMLElement).dataset.seq ?? Infinity) > post.seq);
    list.insertBefore(node.li, before ?? null);
    this.nodes.set(post.id, node);
  }

  private adopt(mine: Pending, post: Post): void {
    this.pending.delete(mine.clientKey);
    mine.sent = true;
    this.fill(mine.node, post);
    delete mine.node.li.dataset.pending;
    mine.node.li.remove();
    this.insert(mine.node, post);
    this.setStatus(mine.node, 'envoyé', 'sent');
  }

  // ---- rendering ----------------------------------------------------------------------------------------------------

  private createNode(post: Post | null): PostNode {
    const headingId = `post-${post?.id ?? uuid()}-by`;
    const meta = h('header', { class: 'post-meta', id: headingId });
    const body = h('div', { class: 'post-body' });
    const status = h('span', { class: 'post-status', role: 'status' });
    const actions = h('div', { class: 'post-actions' });
    const formSlot = h('div', { class: 'reply-slot' });
    const replies = h('ol', { class: 'replies' });
    const footer = h('footer', {}, status, actions);
    const article = h('article', { class: 'post', 'aria-labelledby': headingId }, meta, body, footer, formSlot);
    const li = h('li', {}, article, replies);
    return { post, li, body, meta, status, actions, replies, formSlot, footer };
  }

  private fill(node: PostNode, post: Post): void {
    // a node is filled once at creation; later fills are updates of the same post
    const previous = node.li.dataset.postId ? node.post : null;
    node.post = post;
    this.authorBySeq.set(post.seq, post.author.id);
    node.li.dataset.seq = String(post.seq);
    node.li.dataset.postId = post.id;
    node.li.id = `message-${post.seq}`;
    node.meta.replaceChildren();
    append(node.meta, [
      h('strong', { class: 'author' }, post.author.displayName),
      post.author.metropolis ? h('span', { class: 'metropolis' }, ` · ${post.author.metropolis.name}`) : null,
      ' · ',
      timeEl(post.createdAt),
      post.editedAt ? h('span', { class: 'edited' }, ' · modifié') : null,
      post.hidden ? h('span', { class: 'badge' }, 'masqué') : null,
    ]);
    const files = (p: Post): string => p.attachments.map((f) => f.id).join();
    const changed =
      !previous ||
      previous.body !== post.body ||
      previous.hiddenReason !== post.hiddenReason ||
      files(previous) !== files(post) ||
      previous.deleted !== post.deleted ||
      previous.hidden !== post.hidden ||
      node.body.childElementCount === 0;
    if (changed) {
      if (post.deleted) node.body.replaceChildren(h('p', { class: 'gone' }, 'Message supprimé.'));
      else if (post.hidden && !post.body) node.body.replaceChildren(h('p', { class: 'gone' }, 'Message masqué par la modération.'));
      else
        node.body.replaceChildren(
          ...(post.hidden ? [hiddenNotice(post, post.author.id === this.context.user.id)] : []),
          safeHtml(post.bodyHtml),
          attachmentList(post.attachments, true) ?? '',
        );
    }
    if (!previous || previous.deleted !== post.deleted || previous.hidden !== post.hidden) this.renderActions(node, post);
  }

  /** A small form asking the reason of a report; 409 means this reader already reported the post. */
  private flag(node: PostNode, postId: string): void {
    const id = `flag-${postId}`;
    const reason = h('input', { id, required: 'true', maxlength: '500' });
    const forgetDraft = keepDraft(reason, `${this.thread.id}.flag.${postId}`);
    const message = h('p', { role: 'status' });
    const form = h(
      'form',
      { class: 'flag-form' },
      h('label', { for: id }, 'Motif du signalement'),
      reason,
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'submit' }, 'Envoyer le signalement'),
        h('button', { type: 'button', class: 'secondary', onclick: () => (forgetDraft(), this.showForm(node, null)) }, 'Annuler'),
      ),
      message,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      api('POST', `/posts/${postId}/flags`, { reason: reason.value })
        .then(() => {
          forgetDraft();
          this.showForm(node, null);
          node.status.textContent = 'Signalement envoyé aux modérateurs. Merci.';
        })
        .catch((error: unknown) => {
          if (error instanceof ApiError && error.status === 409) forgetDraft();
          message.textContent = error instanceof ApiError && error.status === 409 ? 'Vous avez déjà signalé ce message.' : errorText(error);
        });
    });
    this.showForm(node, form);
  }

  /** Reply for everyone; edit and delete for the author; hide and unhide for moderators. Redrawn on every change. */
  private renderActions(node: PostNode, post: Post): void {
    const me = this.context.user;
    const moderator = hasRole(me.role, 'moderator');
    const mine = post.author.id === me.id;
    const replying = node.formSlot.firstElementChild?.classList.contains('reply-form') ?? false;
    const buttons: HTMLButtonElement[] = [];
    const button = (label: string, onclick: (e: Event) => void, extra: Record<string, string> = {}): void => {
      buttons.push(h('button', { type: 'button', class: 'link', onclick, ...extra }, label));
    };
    if (!post.deleted) {
      if (this.canPost()) button('Répondre', () => this.toggleReply(node), { 'aria-expanded': String(replying) });
      button('Copier le lien', () => void this.copyLink(node, post));
      if (!mine && !post.hidden) button('Signaler', () => this.flag(node, post.id));
      if (mine && (!post.hidden || moderator)) button('Modifier', () => this.edit(node));
      if (mine || moderator) button('Supprimer', () => void this.moderate(node, 'DELETE', '', 'Supprimer ce message ?'));
      if (moderator) {
        // « Réafficher » last, where « Masquer » was: the keyboard user's focus stays on it after hiding
        if (post.hidden) button('Motif du masquage', () => this.hideReason(node, post));
        if (post.hidden) button('Réafficher', () => void this.moderate(node, 'POST', '/unhide'));
        else button('Masquer', () => void this.moderate(node, 'POST', '/hide'));
      }
    }
    // a post deleted from the keyboard keeps the focus on itself, where « Message supprimé. » now stands
    redraw(node.actions, buttons, node.body);
  }

  /**
   * Shows one form under a post (reply, edit or report; what the one it replaces held stays in its kept draft) and
   * puts the focus in it, or closes it and gives the focus back to the post's actions. « Répondre » says whether
   * the reply form is the open one.
   */
  private showForm(node: PostNode, form: HTMLFormElement | null): void {
    node.formSlot.replaceChildren(...(form ? [form] : []));
    node.actions.querySelector('[aria-expanded]')?.setAttribute('aria-expanded', String(!!form?.classList.contains('reply-form')));
    ((form?.querySelector('input, textarea') ?? node.actions.firstElementChild) as HTMLElement | null)?.focus();
  }

  /** The reason a hidden post's author (and moderators) read; hiding again with it replaces the one given before. */
  private hideReason(node: PostNode, post: Post): void {
    const id = `hide-reason-${post.id}`;
    const reason = h('input', { id, required: true, maxlength: 500, value: post.hiddenReason ?? '' });
    const form = h(
      'form',
      { class: 'flag-form' },
      h('label', { for: id }, 'Motif du masquage, montré à l’auteur'),
      reason,
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'submit' }, 'Enregistrer le motif'),
        h('button', { type: 'button', class: 'secondary', onclick: () => this.showForm(node, null) }, 'Annuler'),
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.showForm(node, null);
      void this.moderate(node, 'POST', '/hide', undefined, { reason: reason.value.trim() });
    });
    this.showForm(node, form);
  }

  private async moderate(node: PostNode, method: string, suffix: string, confirmation?: string, body?: object): Promise<void> {
    if (!node.post || (confirmation && !window.confirm(confirmation))) return;
    try {
      const updated = await api<Post>(method, `/posts/${node.post.id}${suffix}`, body);
      if (updated && typeof updated === 'object' && 'seq' in updated) this.addPosts([updated], false);
    } catch (error) {
      this.setStatus(node, errorText(error), 'failed');
    }
  }

  private edit(node: PostNode): void {
    const post = node.post;
    if (!post) return;
    const id = `edit-${post.id}`;
    const textarea = h('textarea', { id, rows: 4, maxlength: 20000 });
    const forgetDraft = keepDraft(textarea, `${this.thread.id}.edit.${post.id}`, post.body);
    const error = h('p', { class: 'error', role: 'alert' });
    const close = (): void => (forgetDraft(), this.showForm(node, null));
    const form = h(
      'form',
      { class: 'edit-form' },
      h('label', { for: id }, 'Modifier votre message'),
      textarea,
      error,
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'submit' }, 'Enregistrer'),
        h('button', { type: 'button', class: 'secondary', onclick: close }, 'Annuler'),
      ),
    );
    onSubmit(form, async () => {
      const refused = checkText('Message', textarea.value, { required: true, max: BODY_MAX });
      if (refused) {
        error.textContent = refused;
        return;
      }
      try {
        const updated = await api<Post>('PATCH', `/posts/${post.id}`, { body: textarea.value });
        this.addPosts([updated], false);
        close();
      } catch (e) {
        error.textContent = errorText(e);
      }
    });
    this.showForm(node, form);
  }

  private setStatus(node: PostNode, text: string, kind: 'sending' | 'sent' | 'waiting' | 'failed', retry?: () => void): void {
    node.li.dataset.status = kind;
    node.status.replaceChildren(text);
    node.status.className = `post-status ${kind}`;
    if (retry) node.status.append(' ', h('button', { type: 'button', class: 'secondary small', onclick: retry }, 'Réessayer'));
  }

  // ---- replying -----------------------------------------------------------------------------------------------------

  /** « Répondre » opens the reply form, or closes it keeping its draft (« Annuler » forgets it). */
  private toggleReply(node: PostNode): void {
    const post = node.post;
    if (!post) return;
    const replying = node.formSlot.firstElementChild?.classList.contains('reply-form');
    this.showForm(node, replying ? null : this.replyForm(post.id, `Votre réponse à ${post.author.displayName}`, () => this.showForm(node, null)));
  }

  private replyForm(parentId: string | null, label: string, close?: () => void): HTMLFormElement {
    const id = `reply-${parentId ?? 'root'}`;
    const textarea = h('textarea', { id, name: 'body', rows: parentId ? 3 : 5, maxlength: 20000, 'aria-describedby': `${id}-help` });
    const mentions = mentionCompletion(textarea);
    const forgetDraft = keepDraft(textarea, `${this.thread.id}.${parentId ?? 'root'}`);
    textarea.addEventListener('input', () => {
      const now = Date.now();
      if (now - this.lastTypingSent > TYPING_SEND_EVERY_MS) {
        this.lastTypingSent = now;
        live.typing(this.thread.id);
      }
    });
    const message = h('p', { class: 'error', role: 'alert' });
    // the thread's own composer takes files; a quick reply under a post stays a text field and its buttons
    const files = parentId ? null : attachmentPicker(`${id}-files`);
    const form = h(
      'form',
      { class: 'reply-form' },
      h('label', { for: id }, label),
      textarea,
      mentions,
      h('small', { id: `${id}-help` }, 'Markdown accepté. @ suivi d’un nom pour mentionner quelqu’un. Ctrl+Entrée pour envoyer.'),
      files?.el,
      message,
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'submit' }, 'Envoyer'),
        close ? h('button', { type: 'button', class: 'secondary', onclick: () => (forgetDraft(), close()) }, 'Annuler') : null,
      ),
    );
    textarea.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) form.requestSubmit();
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      message.textContent = '';
      const body = textarea.value;
      const refused = files?.busy() ? 'Attendez la fin de l’envoi des fichiers.' : checkText('Message', body, { required: true, max: BODY_MAX });
      if (refused) {
        message.textContent = refused;
        textarea.focus();
        return;
      }
      textarea.value = '';
      forgetDraft();
      this.send({ clientKey: uuid(), body, parentId, attachmentIds: files?.ids() ?? [] });
      files?.reset();
      if (close) close();
    });
    return form;
  }

  private send(draft: { clientKey: string; body: string; parentId: string | null; attachmentIds: string[] }): void {
    const node = this.createNode(null);
    node.li.dataset.pending = draft.clientKey;
    node.meta.replaceChildren(h('strong', { class: 'author' }, this.context.user.displayName), ' · maintenant');
    // shown as typed until the server answers with the cooked post
    node.body.replaceChildren(plainText(draft.body));
    const list = (draft.parentId && this.nodes.get(draft.parentId)?.replies) || this.root;
    list.append(node.li);
    const pending: Pending = { ...draft, node, sent: false };
    this.pending.set(draft.clientKey, pending);
    void this.transmit(pending);
  }

  private async transmit(pending: Pending): Promise<void> {
    this.setStatus(pending.node, 'envoi…', 'sending');
    const payload = this.payloadOf(pending);
    try {
      const post =
        live.connectionState === 'connected'
          ? await live.createPost(payload)
          : await api<Post>('POST', `/threads/${this.thread.id}/posts`, {
              body: payload.body,
              parentId: payload.parentId ?? undefined,
              clientKey: payload.clientKey,
              attachmentIds: payload.attachmentIds,
            });
      this.markSeen(post.seq);
      if (!pending.sent) this.adopt(pending, post);
    } catch (error) {
      if (pending.sent) return;
      if (error instanceof ApiError && error.status === 0) {
        // never reached the server, or no answer: sent again at the next connection, or now if it is already back
        if (this.disposed) return live.sendLater(payload);
        this.waiting.add(pending);
        this.setStatus(pending.node, 'en attente : sera envoyé dès le retour de la connexion', 'waiting');
        if (live.connectionState === 'connected') this.resendWaiting();
        return;
      }
      this.setStatus(pending.node, `échec de l’envoi : ${errorText(error)}`, 'failed', () => void this.transmit(pending));
    }
  }

  private resendWaiting(): void {
    const resend = [...this.waiting];
    this.waiting.clear();
    for (const pending of resend) void this.transmit(pending);
  }

  private showTyping(notice: TypingNotice): void {
    if (notice.threadId !== this.thread.id || notice.user.id === this.context.user.id) return;
    const previous = this.typists.get(notice.user.id);
    if (previous) window.clearTimeout(previous.timer);
    const timer = window.setTimeout(() => {
      this.typists.delete(notice.user.id);
      this.renderTyping();
    }, TYPING_SHOW_MS);
    this.typists.set(notice.user.id, { name: notice.user.displayName, timer });
    this.renderTyping();
  }

  private renderTyping(): void {
    const names = Array.from(this.typists.values(), (t) => t.name);
    this.typingLine.textContent = names.length === 0 ? '' : `${names.join(', ')} ${names.length > 1 ? 'écrivent' : 'écrit'}…`;
  }
}

/** Above a hidden post's body, for its author and moderators (the only ones who still read it): hidden, and why. */
function hiddenNotice(post: Post, mine: boolean): HTMLElement {
  const why = post.hiddenReason ? ` Motif : ${post.hiddenReason}` : ' Aucun motif n’a été donné.';
  return h(
    'p',
    { class: 'notice hidden-notice' },
    mine ? `Votre message a été masqué par la modération : les autres ne le voient plus.${why}` : `Message masqué.${why}`,
  );
}
