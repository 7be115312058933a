/**
 * A session's room: the agenda with the current item following `session:updated`, who is present, who joined by
 * metropolis, the current item's discussion (a live thread), and quick polls with result bars. Moderators also run
 * the session from here.
 */
import { api, download, isAbort, type AttendanceRow, type Poll, type Session } from '../api';
import { announce, h, redraw, timeEl } from '../dom';
import { checkText } from '../errors';
import { live, type ConnectionState, type LiveUserSummary, type PresenceUpdate } from '../live';
import { safeHtml, safeUrl } from '../safe-html';
import { attachmentList } from './attachments';
import { hasRole } from './roles';
import { SESSION_STATUS } from './sessions';
import { mountThread } from './thread';
import { barLine, errorBox, errorText, loading, pageHeading, type View, type ViewContext } from './view';

type AgendaItem = Session['agenda'][number];

/** Where network staff (Avise, RTES), who belong to no metropolis, are counted. */
const NO_METROPOLIS = 'Réseaux / sans métropole';

export const sessionView: View = async (main, context) => {
  const [sessionId] = context.params;
  const status = loading('Chargement de la séance…');
  main.append(h('p', { class: 'breadcrumb' }, h('a', { href: '#/seances' }, '← Séances')), status);
  let session: Session;
  let polls: Poll[];
  try {
    [session, polls] = await Promise.all([
      api<Session>('GET', `/sessions/${sessionId}`, undefined, context.signal),
      // listing a session's polls is Essor's addition to the contract; without it the room shows polls as they come
      api<Poll[]>('GET', `/sessions/${sessionId}/polls`, undefined, context.signal).catch((error: unknown) => {
        if (isAbort(error)) throw error;
        return [] as Poll[];
      }),
    ]);
  } catch (error) {
    status.replaceWith(errorBox(error, context.retry));
    return;
  }
  status.remove();
  return new SessionRoom(main, context, session, polls).dispose;
};

class SessionRoom {
  private readonly header = h('div', { class: 'session-head' });
  private readonly agenda = h('ol', { class: 'agenda', id: 'agenda' });
  private readonly presence = h('ul', { class: 'presence', id: 'presence' });
  private readonly presenceHeading = h('h2', { id: 'presence-heading' }, 'Présents');
  private readonly attendance = h('div', { id: 'attendance' });
  /** The participantCount the attendance shown was asked for, and the last request, so an older answer is dropped. */
  private attendanceCount = -1;
  private attendanceRequest = 0;
  private readonly pollList = h('div', { id: 'polls' });
  /** Kept apart from the list, which is redrawn on every vote, so a poll being written is not lost. */
  private readonly pollFormSlot = h('div');
  private pollForm: HTMLElement | undefined;
  private readonly discussion = h('section', { class: 'discussion', id: 'discussion', 'aria-live': 'off' });
  private readonly message = h('p', { class: 'error', role: 'alert' });
  /** Said while the connection is down: what the room shows then may be out of date. */
  private readonly offline = h('p', { class: 'notice offline', id: 'room-offline', role: 'status' });
  private readonly polls = new Map<string, Poll>();
  private readonly myVotes = new Map<string, number>();
  private readonly cleanups: (() => void)[] = [];
  /** The agenda item whose discussion is shown, and whether it follows the session's current item. */
  private shownItemId: string | null = null;
  private followCurrent = true;
  private disposeDiscussion: (() => void) | undefined;
  private discussionToken = 0;
  private discussionLeave: AbortController | undefined;
  private readonly moderator: boolean;
  /** Counts session broadcasts, so an HTTP answer older than one of them is not applied over it. */
  private broadcasts = 0;

  constructor(
    main: HTMLElement,
    private readonly context: ViewContext,
    private session: Session,
    polls: Poll[],
  ) {
    this.moderator = hasRole(context.user.role, 'moderator');
    for (const poll of polls) this.polls.set(poll.id, poll);
    main.append(
      pageHeading(session.title),
      this.offline,
      this.header,
      this.message,
      h(
        'div',
        { class: 'room' },
        h(
          'div',
          { class: 'room-side' },
          h('section', { 'aria-labelledby': 'agenda-heading' }, h('h2', { id: 'agenda-heading' }, 'Ordre du jour'), this.agenda),
          h('section', { 'aria-labelledby': 'presence-heading' }, this.presenceHeading, this.presence),
          h('section', { 'aria-labelledby': 'attendance-heading' }, h('h2', { id: 'attendance-heading' }, 'Inscrits par métropole'), this.attendance),
          h('section', { 'aria-labelledby': 'polls-heading' }, h('h2', { id: 'polls-heading' }, 'Sondages'), this.pollList, this.pollFormSlot),
        ),
        this.discussion,
      ),
    );
    this.render();
    this.renderPresence([]);
    this.renderPolls();

    this.cleanups.push(
      live.on('session:updated', (next: Session) => {
        if (next.id !== this.session.id) return;
        this.broadcasts++;
        this.update(next);
      }),
      live.on('presence:update', (update: PresenceUpdate) => {
        if (update.sessionId === this.session.id) this.renderPresence(update.users);
      }),
      live.on('poll:updated', (poll: Poll) => {
        if (poll.sessionId === this.session.id) this.upsertPoll(poll);
      }),
      live.onConnect(() => void this.join()),
      live.onState((state) => this.showConnection(state)),
    );
    if (live.connectionState === 'connected') void this.join();
  }

  readonly dispose = (): void => {
    for (const cleanup of this.cleanups) cleanup();
    live.leaveSession(this.session.id);
    this.disposeDiscussion?.();
    this.discussionLeave?.abort();
    this.discussionToken++;
  };

  /** While disconnected the room says plainly that what it shows no longer follows the session. */
  private showConnection(state: ConnectionState): void {
    this.offline.hidden = state === 'connected';
    this.offline.textContent =
      state === 'connected'
        ? ''
        : 'Connexion perdue : la présence, l’ordre du jour et les sondages ne sont plus mis à jour en direct. Reconnexion en cours…';
  }

  private async join(): Promise<void> {
    try {
      const joined = await live.joinSession(this.session.id);
      this.update(joined.session);
      this.renderPresence(joined.presence);
    } catch (error) {
      this.message.textContent = errorText(error);
    }
  }

  private update(next: Session): void {
    const moved = next.currentItemId !== this.session.currentItemId;
    const statusChanged = next.status !== this.session.status;
    // live broadcasts carry no `joined`: keep the reader's last known state
    this.session = next.joined === undefined ? { ...next, joined: this.session.joined } : next;
    this.render();
    if (moved) {
      const item = this.currentItem();
      if (item) announce(`Point en cours : ${item.title}`);
    } else if (statusChanged) announce(`Séance ${SESSION_STATUS[next.status]}`);
  }

  private currentItem(): AgendaItem | undefined {
    return this.session.agenda.find((item) => item.id === this.session.currentItemId);
  }

  // ---- rendering ----------------------------------------------------------------------------------------------------

  private render(): void {
    const s = this.session;
    // first the discussion to show, so the agenda below marks the right item
    const target = this.followCurrent ? (this.currentItem() ?? (this.shownItemId ? undefined : s.agenda[0])) : undefined;
    if (target && target.id !== this.shownItemId) this.showDiscussion(target);
    const video = safeUrl(s.videoUrl);
    redraw(this.header, [
      h(
        'p',
        { class: 'meta' },
        h('span', { class: `badge status-${s.status}`, id: 'session-status' }, SESSION_STATUS[s.status]),
        ' ',
        timeEl(s.startsAt),
        s.location ? ` · ${s.location}` : '',
        video ? [' · ', h('a', { href: video, target: '_blank', rel: 'noopener noreferrer' }, 'rejoindre en visio')] : null,
        ` · ${inscrits(s.participantCount)}`,
      ),
      s.descriptionHtml ? h('div', { class: 'lead post-body' }, safeHtml(s.descriptionHtml)) : '',
      attachmentList(s.attachments) ?? '',
      this.actions(),
    ]);

    const items = s.agenda
      .slice()
      .sort((a, b) => a.position - b.position)
      .map((item, index) => {
        const current = item.id === s.currentItemId;
        const shown = item.id === this.shownItemId;
        return h(
          'li',
          { class: current ? 'current' : '', 'aria-current': current ? 'step' : null, 'data-item-id': item.id },
          h('span', { class: 'agenda-title' }, `${index + 1}. ${item.title}`),
          item.durationMinutes ? h('span', { class: 'meta' }, ` (${item.durationMinutes} min)`) : null,
          current ? h('span', { class: 'badge now' }, 'en cours') : null,
          h(
            'button',
            { type: 'button', class: 'link', 'aria-pressed': shown ? 'true' : 'false', onclick: () => this.chooseItem(item) },
            shown ? 'discussion affichée' : 'voir la discussion',
          ),
        );
      });
    redraw(this.agenda, items.length > 0 ? items : [h('li', {}, 'Pas d’ordre du jour.')]);

    if (this.moderator && s.status === 'live') {
      this.pollForm ??= this.newPollForm();
      if (!this.pollForm.isConnected) this.pollFormSlot.append(this.pollForm);
    } else this.pollForm?.remove();
    // who is in the room by metropolis says something only while the session runs; who joined is always there
    this.chart.hidden = s.status !== 'live';
    // joins are not broadcast: a new count (the reader's own join, a transition) is when the breakdown may have changed
    if (s.participantCount !== this.attendanceCount) void this.loadAttendance();
  }

  private async loadAttendance(): Promise<void> {
    this.attendanceCount = this.session.participantCount;
    const request = ++this.attendanceRequest;
    let rows: AttendanceRow[];
    try {
      rows = await api<AttendanceRow[]>('GET', `/sessions/${this.session.id}/attendance`, undefined, this.context.signal);
    } catch (error) {
      if (request === this.attendanceRequest) this.attendance.replaceChildren(errorBox(error));
      return;
    }
    if (request !== this.attendanceRequest) return;
    const total = rows.reduce((sum, row) => sum + row.participants, 0);
    this.attendance.replaceChildren(
      rows.length === 0
        ? h('p', { class: 'meta' }, 'Aucune inscription enregistrée sur Essor pour cette séance.')
        : h(
            'ul',
            { class: 'presence', id: 'attendance-chart', 'aria-labelledby': 'attendance-heading' },
            rows.map((row) => h('li', {}, barLine(row.metropolis?.name ?? NO_METROPOLIS, inscrits(row.participants), row.participants / total))),
          ),
    );
  }

  private actions(): HTMLElement {
    const row = h('div', { class: 'row' });
    const s = this.session;
    if (s.status !== 'closed') {
      row.append(
        s.joined
          ? h(
              'button',
              { type: 'button', class: 'secondary', onclick: () => this.run('DELETE', `/sessions/${s.id}/join`, 'Désinscription enregistrée.') },
              'Se désinscrire',
            )
          : h(
              'button',
              { type: 'button', class: 'secondary', onclick: () => this.run('POST', `/sessions/${s.id}/join`, 'Inscription enregistrée.') },
              'S’inscrire',
            ),
      );
    }
    if (s.status !== 'scheduled') {
      row.append(h('button', { type: 'button', class: 'secondary', onclick: () => void this.downloadMinutes() }, 'Télécharger le compte rendu'));
    }
    if (this.moderator) {
      if (s.status === 'scheduled')
        row.append(h('button', { type: 'button', onclick: () => this.run('POST', `/sessions/${s.id}/start`) }, 'Démarrer la séance'));
      if (s.status === 'live') {
        row.append(
          h('button', { type: 'button', onclick: () => this.run('POST', `/sessions/${s.id}/advance`) }, 'Point suivant'),
          h('button', { type: 'button', class: 'secondary', onclick: () => this.run('POST', `/sessions/${s.id}/close`) }, 'Clore la séance'),
        );
      }
    }
    if (!this.followCurrent && s.currentItemId) {
      row.append(h('button', { type: 'button', class: 'secondary', onclick: () => this.resumeFollowing() }, 'Suivre le point en cours'));
    }
    return row;
  }

  private async run(method: string, path: string, done?: string): Promise<void> {
    this.message.textContent = '';
    try {
      const before = this.broadcasts;
      const answer = await api<unknown>(method, path);
      if (answer && typeof answer === 'object' && 'agenda' in answer) {
        const fresh = answer as Session;
        // a newer broadcast wins for the rest, but only the answer knows whether the reader joined
        this.update(before === this.broadcasts ? fresh : { ...this.session, joined: fresh.joined });
      }
      if (done) announce(done);
    } catch (error) {
      this.message.textContent = errorText(error);
    }
  }

  private async downloadMinutes(): Promise<void> {
    try {
      await download(`/sessions/${this.session.id}/minutes`, `compte-rendu-${this.session.startsAt.slice(0, 10)}.md`);
    } catch (error) {
      this.message.textContent = errorText(error);
    }
  }

  private chooseItem(item: AgendaItem): void {
    this.followCurrent = item.id === this.session.currentItemId;
    this.showDiscussion(item);
    this.render();
  }

  private resumeFollowing(): void {
    this.followCurrent = true;
    const item = this.currentItem();
    if (item) this.showDiscussion(item);
    this.render();
  }

  private showDiscussion(item: AgendaItem): void {
    this.shownItemId = item.id;
    this.disposeDiscussion?.();
    this.disposeDiscussion = undefined;
    this.discussion.replaceChildren();
    const token = ++this.discussionToken;
    // the discussion shown before is left: its load, if still on its way, is cancelled with it
    this.discussionLeave?.abort();
    const leave = new AbortController();
    this.discussionLeave = leave;
    const cancel = (): void => leave.abort();
    this.context.signal.addEventListener('abort', cancel);
    const heading = `Discussion : ${item.title}`;
    void mountThread(this.discussion, this.context, item.threadId, { embedded: true, heading }, leave.signal).then((dispose) => {
      this.context.signal.removeEventListener('abort', cancel);
      if (token === this.discussionToken) this.disposeDiscussion = dispose;
      else dispose();
    });
  }

  private readonly chart = h('ul', { id: 'presence-chart', class: 'presence', 'aria-label': 'Présents par métropole' });

  private renderPresence(users: LiveUserSummary[]): void {
    this.presenceHeading.textContent = `Présents (${users.length})`;
    this.presence.replaceChildren(
      ...users.map((user) => h('li', {}, user.displayName, user.metropolis ? h('span', { class: 'meta' }, ` · ${user.metropolis.name}`) : null)),
    );
    // who is in the room now, by metropolis; who joined is the attendance chart's business
    const counts = new Map<string, number>();
    for (const user of users) {
      const name = user.metropolis?.name ?? NO_METROPOLIS;
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    this.chart.replaceChildren(...[...counts].map(([name, count]) => h('li', {}, barLine(name, String(count), count / users.length))));
    if (!this.chart.isConnected) this.presence.after(this.chart);
    if (users.length === 0)
      this.presence.append(
        h('li', { class: 'meta' }, live.connectionState === 'connected' ? 'Personne pour l’instant.' : 'Présence indisponible hors connexion.'),
      );
  }

  // ---- polls ----------------------------------------------------------------------------------------------------------

  private upsertPoll(poll: Poll): void {
    const isNew = !this.polls.has(poll.id);
    this.polls.set(poll.id, poll);
    if (poll.myVote !== null) this.myVotes.set(poll.id, poll.myVote);
    this.renderPolls();
    if (isNew && poll.status === 'open') announce(`Nouveau sondage : ${poll.question}`);
  }

  private renderPolls(): void {
    const polls = Array.from(this.polls.values()).sort((a, b) => Number(a.status === 'closed') - Number(b.status === 'closed'));
    redraw(this.pollList, polls.length > 0 ? polls.map((poll) => this.pollCard(poll)) : [h('p', { class: 'meta' }, 'Aucun sondage pour l’instant.')]);
  }

  private pollCard(poll: Poll): HTMLElement {
    const total = poll.options.reduce((sum, option) => sum + option.votes, 0);
    const mine = this.myVotes.get(poll.id) ?? poll.myVote;
    const open = poll.status === 'open';
    return h(
      'div',
      { class: 'card poll', 'data-poll-id': poll.id },
      h('h3', {}, poll.question),
      h('p', { class: 'meta' }, open ? 'ouvert' : 'clos', ` · ${total} vote${total > 1 ? 's' : ''}`),
      h(
        'ul',
        { class: 'poll-options' },
        poll.options.map((option) => {
          const share = total ? option.votes / total : 0;
          return h(
            'li',
            {},
            barLine(
              h('span', {}, option.label, mine === option.index ? h('strong', {}, ' (votre choix)') : null),
              `${option.votes} (${Math.round(share * 100)} %)`,
              share,
            ),
            open
              ? h(
                  'button',
                  {
                    type: 'button',
                    class: 'secondary small',
                    'aria-label': `Voter pour « ${option.label} »`,
                    'aria-pressed': mine === option.index ? 'true' : 'false',
                    onclick: () => void this.vote(poll, option.index),
                  },
                  mine === option.index ? 'votre vote' : 'voter',
                )
              : null,
          );
        }),
      ),
      this.moderator && open
        ? h('button', { type: 'button', class: 'secondary small', onclick: () => void this.closePoll(poll) }, 'Clore le sondage')
        : null,
    );
  }

  private async vote(poll: Poll, optionIndex: number): Promise<void> {
    this.message.textContent = '';
    try {
      const updated = await live.vote(poll.id, optionIndex);
      this.myVotes.set(poll.id, optionIndex);
      this.upsertPoll(updated);
      announce('Vote enregistré.');
    } catch (error) {
      this.message.textContent = errorText(error);
    }
  }

  private async closePoll(poll: Poll): Promise<void> {
    try {
      const closed = await api<Poll>('POST', `/polls/${poll.id}/close`);
      if (closed && typeof closed === 'object' && 'options' in closed) this.upsertPoll(closed);
    } catch (error) {
      this.message.textContent = errorText(error);
    }
  }

  private newPollForm(): HTMLElement {
    const question = h('input', { id: 'poll-question', required: true, maxlength: 300 });
    const options = h('textarea', { id: 'poll-options', rows: 3, required: true, 'aria-describedby': 'poll-options-help' });
    const error = h('p', { class: 'error', role: 'alert' });
    const form = h(
      'form',
      { class: 'card', 'aria-label': 'Lancer un sondage' },
      h('div', { class: 'field' }, h('label', { for: 'poll-question' }, 'Question'), question),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'poll-options' }, 'Réponses possibles'),
        options,
        h('small', { id: 'poll-options-help' }, 'Une réponse par ligne, au moins deux.'),
      ),
      error,
      h('button', { type: 'submit' }, 'Lancer le sondage'),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const labels = options.value
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      const refused =
        checkText('Question', question.value, { required: true, max: 300 }) ??
        labels.map((label) => checkText('Réponse', label, { max: 200 })).find(Boolean) ??
        (labels.length < 2 || labels.length > 10 ? 'Réponses possibles : de deux à dix, une par ligne.' : null);
      if (refused) {
        error.textContent = refused;
        return;
      }
      try {
        const poll = await api<Poll>('POST', `/sessions/${this.session.id}/polls`, { question: question.value.trim(), options: labels });
        // the broadcast may have come first, with votes already: never go back to the empty poll
        if (!this.polls.has(poll.id)) this.upsertPoll(poll);
        question.value = '';
        options.value = '';
        error.textContent = '';
      } catch (e) {
        error.textContent = errorText(e);
      }
    });
    return form;
  }
}

function inscrits(count: number): string {
  return `${count} inscrit${count > 1 ? 's' : ''}`;
}
