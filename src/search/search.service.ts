import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { decodeCursor, encodeCursor, Page } from '../common/http/pagination';
import { idOfSlugOrId } from '../common/id-or-slug';
import { hasRole } from '../common/roles';
import { Database } from '../database/database.service';
import { Post } from '../posts/post.entity';
import { Practice } from '../practices/entities/practice.entity';
import { AgendaItem } from '../sessions/entities/agenda-item.entity';
import { Thread } from '../threads/thread.entity';
import { User } from '../users/user.entity';
import { toAuthorView } from '../users/user.view';
import { DEFAULT_SEARCH_LIMIT, SearchQuery } from './dto/search.dto';
import { makeSnippet, markHighlights, matchingWords, parseQuery, Snippet, toPlainText } from './french-text';
import { SearchHitView } from './search-hit.view';
import { practiceFields } from './search-index';
import { Engine, RankedRow, rankedPageSql, SearchCursor, SearchFilters } from './search-query';
import { SearchReader } from './search-reader';

/**
 * Search across thread titles (topics' threads and agenda items), post bodies and practice sheets, on the engine's
 * own full-text index (see search-index.ts): the engine finds and ranks every match, and only the page returned is
 * read back, its snippets and highlights made here.
 */
@Injectable()
export class SearchService {
  private readonly engine: Engine;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly database: Database,
    private readonly reader: SearchReader,
  ) {
    this.engine = database.isSqlite ? 'sqlite' : 'postgres';
  }

  async search(reader: User, query: SearchQuery): Promise<Page<SearchHitView>> {
    const parsed = parseQuery(query.q);
    if (parsed.include.length === 0) return new Page([], null);
    const limit = query.limit ?? DEFAULT_SEARCH_LIMIT;
    const after: SearchCursor | undefined = decodeCursor(query.cursor, ['integer', 'number', 'integer']);
    const filters = await this.filters(reader, query);
    const rows = await this.reader.query<RankedRow>(rankedPageSql(this.engine, parsed, filters, after, limit + 1));
    const page = rows.slice(0, limit);
    const wanted = new Set(parsed.include.flatMap((term) => term.stems));
    const hits = await this.hits(page, wanted);
    const last = page[page.length - 1];
    return new Page(hits, rows.length > limit ? encodeCursor(this.cursorOf(last)) : null);
  }

  private async filters(reader: User, query: SearchQuery): Promise<SearchFilters> {
    const manager = this.dataSource.manager;
    const filters: SearchFilters = { includeHidden: hasRole(reader.role, 'moderator'), kind: query.kind, authorId: query.author };
    if (query.topic !== undefined) filters.topicId = await idOfSlugOrId(manager, 'topic', query.topic);
    if (query.metropolis !== undefined) filters.metropolisId = await idOfSlugOrId(manager, 'metropolis', query.metropolis);
    if (query.from !== undefined) filters.from = this.time('from', query.from);
    if (query.to !== undefined) filters.to = this.time('to', query.to);
    return filters;
  }

  /** ISO 8601 passes validation even beyond what a Date holds (year 275760 and after): those are refused here. */
  private time(name: 'from' | 'to', value: string): Date | string {
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) throw new BadRequestException([`${name} doit être une date ou une heure ISO 8601.`]);
    return this.database.timestampParameter(date);
  }

  private cursorOf(row: RankedRow): SearchCursor {
    return [Number(row.titleHit), Number(row.score), Number(row.docId)];
  }

  /** The hits of one page, read back by id: a few primary-key lookups whatever the number of matches. */
  private async hits(rows: RankedRow[], wanted: ReadonlySet<string>): Promise<SearchHitView[]> {
    const manager = this.dataSource.manager;
    const ids = (kind: RankedRow['kind']) => rows.filter((row) => row.kind === kind).map((row) => row.sourceId);
    const byId = <T extends { id: string }>(list: T[]) => new Map(list.map((item) => [item.id, item]));
    const unique = (values: Array<string | null>) => [...new Set(values.filter((value): value is string => value !== null))];
    const threadIds = unique(rows.filter((row) => row.kind !== 'practice').map((row) => row.threadId));
    const [posts, threads, practices, authors] = await Promise.all([
      findIn(ids('post'), (some) =>
        manager.find(Post, { where: { id: In(some) }, select: { id: true, threadId: true, seq: true, body: true, createdAt: true } }),
      ),
      findIn(threadIds, (some) =>
        manager.find(Thread, { where: { id: In(some) }, select: { id: true, title: true, topicId: true, context: true, createdAt: true } }),
      ),
      findIn(ids('practice'), (some) => manager.find(Practice, { where: { id: In(some) } })),
      findIn(unique(rows.map((row) => row.authorId)), (some) => manager.find(User, { where: { id: In(some) }, relations: { metropolis: true } })),
    ]);
    const [postOf, threadOf, practiceOf, authorOf] = [byId(posts), byId(threads), byId(practices), byId(authors)];
    const contexts = await this.contexts(threads);
    const hits: SearchHitView[] = [];
    for (const row of rows) {
      const author = row.authorId ? authorOf.get(row.authorId) : undefined;
      const common = { author: author ? toAuthorView(author) : null, hidden: Boolean(row.hidden) };
      if (row.kind === 'practice') {
        const practice = practiceOf.get(row.sourceId);
        if (!practice) continue;
        hits.push(
          hit('practice', practice.id, practice.title, practiceSnippet(practice, wanted), practice.createdAt, common, {
            threadId: practice.threadId,
            practiceId: practice.id,
          }),
        );
        continue;
      }
      const thread = threadOf.get(row.threadId);
      if (!thread) continue;
      const where = { threadId: thread.id, ...(thread.topicId ? { topicId: thread.topicId } : {}), ...contexts.get(thread.id) };
      if (row.kind === 'thread') {
        hits.push(hit('thread', thread.id, thread.title, makeSnippet(thread.title, wanted), thread.createdAt, common, where));
        continue;
      }
      const post = postOf.get(row.sourceId);
      if (!post) continue;
      hits.push(
        hit('post', post.id, thread.title, makeSnippet(toPlainText(post.body), wanted), post.createdAt, common, {
          ...where,
          postId: post.id,
          seq: post.seq,
        }),
      );
    }
    return hits;
  }

  /** Which practice or session each thread belongs to, for the hits of the page only. */
  private async contexts(threads: Thread[]): Promise<Map<string, { practiceId?: string; sessionId?: string }>> {
    const manager = this.dataSource.manager;
    const inContext = (context: Thread['context']) => threads.filter((thread) => thread.context === context).map((thread) => thread.id);
    const [practices, items] = await Promise.all([
      findIn(inContext('practice'), (some) => manager.find(Practice, { where: { threadId: In(some) }, select: { id: true, threadId: true } })),
      findIn(inContext('session'), (some) =>
        manager.find(AgendaItem, { where: { threadId: In(some) }, select: { id: true, threadId: true, sessionId: true } }),
      ),
    ]);
    return new Map<string, { practiceId?: string; sessionId?: string }>([
      ...practices.map((practice) => [practice.threadId, { practiceId: practice.id }] as const),
      ...items.map((item) => [item.threadId, { sessionId: item.sessionId }] as const),
    ]);
  }
}

/** Rows with these ids; no statement at all for none (most pages have no practice, no agenda item). */
async function findIn<T>(ids: string[], find: (ids: string[]) => Promise<T[]>): Promise<T[]> {
  return ids.length === 0 ? [] : find(ids);
}

function hit(
  kind: SearchHitView['kind'],
  id: string,
  title: string,
  snippet: Snippet,
  createdAt: Date,
  common: Pick<SearchHitView, 'author' | 'hidden'>,
  where: Partial<Pick<SearchHitView, 'threadId' | 'postId' | 'seq' | 'practiceId' | 'topicId' | 'sessionId'>>,
): SearchHitView {
  return { type: kind, kind, id, title, ...snippet, highlighted: markHighlights(snippet), ...where, ...common, createdAt: createdAt.toISOString() };
}

/** The snippet comes from the field with the most matching words; the title is shown beside it anyway. */
function practiceSnippet(practice: Practice, wanted: ReadonlySet<string>): Snippet {
  const fields = practiceFields(practice);
  const counts = fields.map((field) => matchingWords(field, wanted).length);
  return makeSnippet(fields[counts.indexOf(Math.max(...counts))], wanted);
}
