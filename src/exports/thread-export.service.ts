import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { attachmentMarkdown } from '../attachments/attachment-links';
import { toAttachmentView } from '../attachments/attachment.view';
import { escapeInline, exportedPostBody } from '../common/markdown-export';
import { slugify } from '../common/text';
import { Post } from '../posts/post.entity';
import { Practice } from '../practices/entities/practice.entity';
import { AgendaItem } from '../sessions/entities/agenda-item.entity';
import { Thread } from '../threads/thread.entity';
import type { User } from '../users/user.entity';

export const DELETED_NOTICE = '_[Message supprimé par son auteur ou la modération]_';
export const HIDDEN_NOTICE = '_[Message masqué par la modération]_';
const NOTICES = { deleted: DELETED_NOTICE, hidden: HIDDEN_NOTICE };

/** Beyond this depth replies stay at the same indentation (and name their parent), so a long chain stays readable. */
const MAX_INDENT_DEPTH = 8;

const PARIS_TIME = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' });

export interface MarkdownFile {
  fileName: string;
  markdown: string;
}

/**
 * A thread as Markdown for the study: its title and context, then every post as a nested list that follows the reply
 * tree. Deleted and hidden bodies are replaced by a notice for every reader, moderators included: the file is meant
 * to be shared.
 */
@Injectable()
export class ThreadExportService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** `origin` prefixes the links to attached files (the instance the request reached). */
  async export(id: string, origin: string, now = new Date()): Promise<MarkdownFile> {
    const manager = this.dataSource.manager;
    const thread = await manager.findOne(Thread, { where: { id }, relations: { topic: true, author: { metropolis: true } } });
    if (!thread) throw new NotFoundException('Fil introuvable.');
    const posts = await manager.find(Post, {
      where: { threadId: id },
      relations: { author: { metropolis: true }, attachments: { uploader: true } },
      order: { seq: 'ASC' },
    });

    const lines = [`# ${escapeInline(thread.title)}`, ''];
    for (const context of await this.contextLines(thread)) lines.push(`- ${context}`);
    lines.push(
      `- Ouvert par ${person(thread.author)}, le ${PARIS_TIME.format(thread.createdAt)}`,
      `- ${posts.length} message${posts.length > 1 ? 's' : ''} · exporté le ${PARIS_TIME.format(now)} (heure de Paris)`,
      '',
      '---',
      '',
    );
    if (posts.length === 0) lines.push('_Aucun message._', '');

    const bySeq = new Map(posts.map((post) => [post.id, post.seq]));
    const children = new Map<string | null, Post[]>();
    for (const post of posts) {
      // a reply whose parent is not in the thread any more is shown as a root rather than lost
      const parent = post.parentId && bySeq.has(post.parentId) ? post.parentId : null;
      children.set(parent, [...(children.get(parent) ?? []), post]);
    }
    const write = (post: Post, depth: number) => {
      const indent = '  '.repeat(Math.min(depth, MAX_INDENT_DEPTH));
      const reply = post.parentId && bySeq.has(post.parentId) ? `, en réponse au n° ${bySeq.get(post.parentId)}` : '';
      const edited = post.editedAt && !post.deletedAt ? ' (modifié)' : '';
      lines.push(`${indent}- **${person(post.author)}** — ${PARIS_TIME.format(post.createdAt)} · n° ${post.seq}${reply}${edited}`, '');
      for (const line of exportedPostBody(post, NOTICES).split('\n')) lines.push(line.trim() === '' ? '' : `${indent}  ${line}`);
      lines.push('');
      // a deleted or hidden post's files are not shared, like its body
      const files = post.deletedAt || post.hiddenAt ? [] : post.attachments.map(toAttachmentView);
      if (files.length > 0) lines.push(...attachmentMarkdown(files, origin, `${indent}  `), '');
      for (const child of children.get(post.id) ?? []) write(child, depth + 1);
    };
    for (const root of children.get(null) ?? []) write(root, 0);

    return { fileName: `discussion-${slugify(thread.title)}.md`, markdown: `${lines.join('\n').trimEnd()}\n` };
  }

  /** Where the thread belongs: a topic, a practice sheet or an agenda item of a session. */
  private async contextLines(thread: Thread): Promise<string[]> {
    const manager = this.dataSource.manager;
    const lines: string[] = [];
    if (thread.topic) lines.push(`Thème : ${escapeInline(thread.topic.title)}`);
    if (thread.context === 'practice') {
      const practice = await manager.findOne(Practice, { where: { threadId: thread.id }, relations: { metropolis: true } });
      if (practice) lines.push(`Fiche pratique : ${escapeInline(practice.title)} (${escapeInline(practice.metropolis.name)})`);
    }
    if (thread.context === 'session') {
      const item = await manager.findOne(AgendaItem, { where: { threadId: thread.id }, relations: { session: true } });
      if (item)
        lines.push(
          `Séance : ${escapeInline(item.session.title)}, le ${PARIS_TIME.format(item.session.startsAt)} — point « ${escapeInline(item.title)} »`,
        );
    }
    return lines;
  }
}

/** A name as Markdown text: its emphasis, link and HTML characters escaped, so a display name cannot restyle the file. */
function person(user: User): string {
  const name = escapeInline(user.displayName);
  return user.metropolis ? `${name} (${escapeInline(user.metropolis.name)})` : name;
}
