import { attachmentMarkdown } from '../attachments/attachment-links';
import type { Attachment } from '../attachments/attachment.entity';
import { toAttachmentView } from '../attachments/attachment.view';
import { escapeInline, exportedPostBody, neutralizeMarkdown } from '../common/markdown-export';
import { slugify } from '../common/text';
import type { PollView } from '../polls/poll.view';
import type { Post } from '../posts/post.entity';
import type { User } from '../users/user.entity';
import type { AgendaItem } from './entities/agenda-item.entity';
import type { SessionStatus, WorkSession } from './entities/session.entity';

export const DELETED_NOTICE = '*[message supprimé]*';
export const HIDDEN_NOTICE = '*[message masqué par la modération]*';
const NOTICES = { deleted: DELETED_NOTICE, hidden: HIDDEN_NOTICE };
export const NETWORKS_GROUP = 'Réseaux et autres';

/** Beyond this depth replies stay at the same indentation (and say whom they answer), so a long chain stays readable. */
const MAX_INDENT_DEPTH = 8;
const PARIS = 'Europe/Paris';
const LIST_ITEM = /^\s*([-+*]|\d{1,9}[.)])(\s|$)/;

const STATUS_LABELS: Record<SessionStatus, string> = {
  scheduled: 'programmée',
  live: 'en cours',
  closed: 'terminée',
};

export interface MinutesData {
  session: WorkSession;
  /** In agenda order, each with its topic's title and its discussion's posts (authors and their metropolis loaded). */
  agenda: Array<{ item: AgendaItem; topicTitle: string | null; posts: Post[] }>;
  /** Users with their metropolis loaded. */
  participants: User[];
  polls: PollView[];
  /** The session's documents, and the origin their links (and the posts' files') start with; none when absent. */
  files?: { session: Attachment[]; origin: string };
  generatedAt: Date;
}

export interface MinutesFile {
  fileName: string;
  markdown: string;
}

/**
 * The minutes (compte rendu) of a session in French Markdown: heading facts, description, participants by
 * metropolis, then each agenda item with its discussion as an indented reply tree and its polls' results, and the
 * polls tied to no item at the end. Names and titles are escaped; post bodies and the description stay Markdown but
 * are indented or quoted so that nothing in them can break the document's structure.
 */
export function renderMinutes(data: MinutesData): MinutesFile {
  const { session } = data;
  const day = parisDay(session.startsAt);
  const out: string[] = [`# Compte rendu — ${escapeInline(session.title)}`, ''];

  out.push(`- **Date** : ${dateTime(session.startsAt)}${endText(session.startsAt, session.endsAt)} (heure de Paris)`);
  if (session.location) out.push(`- **Lieu** : ${escapeInline(session.location)}`);
  if (session.videoUrl) out.push(`- **Visioconférence** : <${session.videoUrl.replace(/[<>\s]/g, encodeURIComponent)}>`);
  if (!session.location && !session.videoUrl) out.push('- **Lieu** : non précisé');
  out.push(`- **Statut** : séance ${STATUS_LABELS[session.status]}${runText(session)}`, '');

  if (session.description.trim()) out.push('## Présentation', '', quote(neutralizeMarkdown(session.description)), '');

  const origin = data.files?.origin ?? '';
  if (data.files && data.files.session.length > 0) {
    out.push('## Documents de la séance', '', ...attachmentMarkdown(data.files.session.map(toAttachmentView), origin), '');
  }

  out.push(...participantsSection(data.participants));

  out.push('## Ordre du jour', '');
  if (data.agenda.length === 0) out.push("_Aucun point à l'ordre du jour._", '');
  for (const [index, { item, topicTitle }] of data.agenda.entries()) {
    const facts = [item.durationMinutes ? `${item.durationMinutes} min` : null, topicTitle ? `thème « ${escapeInline(topicTitle)} »` : null].filter(
      Boolean,
    );
    out.push(`${index + 1}. ${escapeInline(item.title)}${facts.length > 0 ? ` — ${facts.join(' · ')}` : ''}`);
  }
  if (data.agenda.length > 0) out.push('');

  const itemIds = new Set(data.agenda.map(({ item }) => item.id));
  for (const [index, { item, topicTitle, posts }] of data.agenda.entries()) {
    out.push(`## ${index + 1}. ${escapeInline(item.title)}`, '');
    if (topicTitle) out.push(`- Thème : ${escapeInline(topicTitle)}`);
    if (item.durationMinutes) out.push(`- Durée prévue : ${item.durationMinutes} min`);
    if (topicTitle || item.durationMinutes) out.push('');
    out.push('### Discussion', '', ...discussion(posts, day, origin));
    const polls = data.polls.filter((poll) => poll.agendaItemId === item.id);
    if (polls.length > 0) out.push('### Sondages', '', ...polls.flatMap((poll) => pollLines(poll, '####')));
  }

  const loose = data.polls.filter((poll) => !poll.agendaItemId || !itemIds.has(poll.agendaItemId));
  if (loose.length > 0) out.push('## Sondages hors ordre du jour', '', ...loose.flatMap((poll) => pollLines(poll, '###')));

  out.push('---', '', `_Compte rendu produit par Essor le ${dateTime(data.generatedAt)} (heure de Paris)._`);
  const slug = slugify(session.title).slice(0, 80).replace(/-+$/, '');
  return {
    fileName: `compte-rendu-${slug}-${day}.md`,
    markdown: `${out
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd()}\n`,
  };
}

function participantsSection(participants: User[]): string[] {
  if (participants.length === 0) {
    return ['## Participants', '', "_Aucun participant n'a été enregistré sur la plateforme pour cette séance._", ''];
  }
  const groups = new Map<string, User[]>();
  for (const user of participants) {
    const group = user.metropolis?.name ?? NETWORKS_GROUP;
    groups.set(group, [...(groups.get(group) ?? []), user]);
  }
  const names = [...groups.keys()].sort((a, b) => (a === NETWORKS_GROUP ? 1 : b === NETWORKS_GROUP ? -1 : a.localeCompare(b, 'fr')));
  const lines = [`## Participants (${participants.length})`, ''];
  for (const name of names) {
    const people = groups
      .get(name)!
      .map((user) => escapeInline(user.displayName))
      .sort((a, b) => a.localeCompare(b, 'fr'));
    lines.push(`- **${escapeInline(name)}** (${people.length}) : ${people.join(', ')}`);
  }
  return [...lines, ''];
}

/** The posts as a nested list following the reply tree, in seq order at each level. */
function discussion(posts: Post[], sessionDay: string, origin: string): string[] {
  if (posts.length === 0) return ['_Aucun message._', ''];
  const byId = new Map(posts.map((post) => [post.id, post]));
  const children = new Map<string | null, Post[]>();
  for (const post of [...posts].sort((a, b) => a.seq - b.seq)) {
    // a reply whose parent is not in the discussion any more is shown as a root rather than lost
    const parent = post.parentId && byId.has(post.parentId) ? post.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), post]);
  }
  const lines: string[] = [];
  const write = (post: Post, depth: number) => {
    const indent = '  '.repeat(Math.min(depth, MAX_INDENT_DEPTH));
    const parent = depth > MAX_INDENT_DEPTH && post.parentId ? byId.get(post.parentId) : undefined;
    const answering = parent ? `, en réponse à ${escapeInline(parent.author.displayName)}` : '';
    const edited = post.editedAt && !post.deletedAt && !post.hiddenAt ? ' (modifié)' : '';
    lines.push(`${indent}- ${author(post.author)}, ${postTime(post.createdAt, sessionDay)}${answering}${edited}`, '');
    const body = exportedPostBody(post, NOTICES).split('\n');
    for (const line of body) lines.push(line.trim() === '' ? '' : `${indent}  ${line}`);
    lines.push('');
    // a deleted or hidden post's files are not shared, like its body; posts read without their files have none here
    const files = post.deletedAt || post.hiddenAt || !origin ? [] : post.attachments.map(toAttachmentView);
    if (files.length > 0) lines.push(...attachmentMarkdown(files, origin, `${indent}  `), '');
    const replies = children.get(post.id) ?? [];
    // a body ending with a list would otherwise take the first reply as one more of its items
    if (replies.length > 0 && depth < MAX_INDENT_DEPTH && LIST_ITEM.test(body[body.length - 1])) lines.push(`${indent}  <!-- -->`, '');
    for (const child of replies) write(child, depth + 1);
  };
  for (const root of children.get(null) ?? []) write(root, 0);
  return lines;
}

function pollLines(poll: PollView, heading: string): string[] {
  const total = poll.options.reduce((sum, option) => sum + option.votes, 0);
  const best = Math.max(0, ...poll.options.map((option) => option.votes));
  const winners = poll.options.filter((option) => best > 0 && option.votes === best);
  const state = poll.status === 'open' ? 'sondage encore ouvert, résultats provisoires' : 'sondage clos';
  const lines = [`${heading} ${escapeInline(poll.question)}`, '', `_${state} · ${total} vote${total > 1 ? 's' : ''}_`, ''];
  for (const option of poll.options) {
    const share = total > 0 ? `${Math.round((option.votes * 100) / total)} %` : '—';
    const won = winners.includes(option);
    const mark = won ? (winners.length > 1 ? ' — **ex æquo en tête**' : ' — **option retenue**') : '';
    const label = escapeInline(option.label);
    lines.push(`- ${won ? `**${label}**` : label} : ${option.votes} voix (${share})${mark}`);
  }
  if (total === 0) lines.push('', '_Aucun vote exprimé._');
  return [...lines, ''];
}

function author(user: User): string {
  const name = `**${escapeInline(user.displayName)}**`;
  return user.metropolis ? `${name} — ${escapeInline(user.metropolis.name)}` : name;
}

/** Free Markdown kept inside a block quote, so a heading or a rule in it cannot end the section it belongs to. */
function quote(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .trim()
    .split('\n')
    .map((line) => (line.trim() === '' ? '>' : `> ${line}`))
    .join('\n');
}

function runText(session: WorkSession): string {
  const parts: string[] = [];
  if (session.startedAt) parts.push(`ouverte le ${dateTime(session.startedAt)}`);
  if (session.closedAt && session.startedAt) {
    parts.push(
      parisDay(session.closedAt) === parisDay(session.startedAt) ? `close à ${time(session.closedAt)}` : `close le ${dateTime(session.closedAt)}`,
    );
  }
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

function endText(startsAt: Date, endsAt: Date | null): string {
  if (!endsAt) return '';
  return parisDay(endsAt) === parisDay(startsAt) ? `, jusqu'à ${time(endsAt)}` : `, jusqu'au ${dateTime(endsAt)}`;
}

/** A post's time: the hour alone on the session's day, the whole date otherwise. */
function postTime(date: Date, sessionDay: string): string {
  return parisDay(date) === sessionDay ? time(date) : dateTime(date);
}

const DAY_FORMAT = new Intl.DateTimeFormat('fr-FR', { timeZone: PARIS, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const TIME_FORMAT = new Intl.DateTimeFormat('fr-FR', { timeZone: PARIS, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const ISO_DAY_FORMAT = new Intl.DateTimeFormat('en-CA', { timeZone: PARIS, year: 'numeric', month: '2-digit', day: '2-digit' });

/** « mardi 19 juin 2018, 10 h 00 » (Paris time); the first of a month is « 1er ». */
export function dateTime(date: Date): string {
  const parts = Object.fromEntries(DAY_FORMAT.formatToParts(date).map((part) => [part.type, part.value]));
  const day = parts.day === '1' ? '1er' : parts.day;
  return `${parts.weekday} ${day} ${parts.month} ${parts.year}, ${time(date)}`;
}

/** « 10 h 00 » (Paris time). */
export function time(date: Date): string {
  const parts = Object.fromEntries(TIME_FORMAT.formatToParts(date).map((part) => [part.type, part.value]));
  return `${parts.hour} h ${parts.minute}`;
}

/** The Paris calendar day, as 2018-06-19. */
export function parisDay(date: Date): string {
  return ISO_DAY_FORMAT.format(date);
}
