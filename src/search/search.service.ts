import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor, Page } from '../common/http/pagination';
import { idOfSlugOrId } from '../common/id-or-slug';
import { hasRole } from '../common/roles';
import { Database } from '../database/database.service';
import { sqlTime } from '../database/sql';
import { User } from '../users/user.entity';
import { DEFAULT_SEARCH_LIMIT, SearchQuery } from './dto/search.dto';
import { makeSnippet, markHighlights, matchingWords, parseQuery, Snippet, toPlainText } from './french-text';
import { SearchHitView } from './search-hit.view';
import { parsePartners, practiceFields } from './search-index';
import { Engine, PageRow, pageSql, RankedRow, rankedPageSql, SearchCursor, SearchFilters } from './search-query';
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
    // the title hits come first: the others are ranked only when the page goes past them (one row more tells whether
    // a next page exists)
    const rows: Array<RankedRow & { titleHit: number }> = [];
    for (const [part, titleHit] of [
      ['title', 1],
      ['other', 0],
    ] as const) {
      if (rows.length > limit || (after && after[0] < titleHit)) continue;
      const resume = after && after[0] === titleHit ? ([after[1], after[2]] as const) : undefined;
      const statement = rankedPageSql(this.engine, parsed, filters, part, resume, limit + 1 - rows.length);
      for (const row of await this.reader.query<RankedRow>(statement)) rows.push({ ...row, titleHit });
    }
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

  private cursorOf(row: RankedRow & { titleHit: number }): SearchCursor {
    return [row.titleHit, Number(row.score), Number(row.id)];
  }

  /** The hits of one page, in its order, read back in one statement whatever the number of matches. */
  private async hits(ranked: RankedRow[], wanted: ReadonlySet<string>): Promise<SearchHitView[]> {
    if (ranked.length === 0) return [];
    const rows = await this.reader.query<PageRow>(
      pageSql(
        this.engine,
        ranked.map((row) => Number(row.id)),
      ),
    );
    const byId = new Map(rows.map((row) => [Number(row.docId), row]));
    const hits: SearchHitView[] = [];
    for (const { id } of ranked) {
      const row = byId.get(Number(id));
      if (!row?.threadId) continue;
      const common = { author: authorOf(row), hidden: Boolean(row.hidden) };
      const createdAt = sqlTime(row.createdAt);
      if (row.kind === 'practice') {
        if (!row.practiceId) continue;
        const fields = practiceFields({ summary: row.summary ?? '', description: row.description ?? '', partners: parsePartners(row.partners) });
        hits.push(
          hit('practice', row.practiceId, row.title ?? '', practiceSnippet(fields, wanted), createdAt, common, {
            threadId: row.threadId,
            practiceId: row.practiceId,
          }),
        );
        continue;
      }
      const title = row.title ?? '';
      const where = {
        threadId: row.threadId,
        ...(row.topicId ? { topicId: row.topicId } : {}),
        ...(row.contextPracticeId ? { practiceId: row.contextPracticeId } : {}),
        ...(row.sessionId ? { sessionId: row.sessionId } : {}),
      };
      if (row.kind === 'thread') {
        hits.push(hit('thread', row.threadId, title, makeSnippet(title, wanted), createdAt, common, where));
        continue;
      }
      if (!row.postId) continue;
      hits.push(
        hit('post', row.postId, title, makeSnippet(toPlainText(row.body ?? ''), wanted), createdAt, common, {
          ...where,
          postId: row.postId,
          seq: Number(row.seq),
        }),
      );
    }
    return hits;
  }
}

function authorOf(row: PageRow): SearchHitView['author'] {
  if (!row.authorId) return null;
  const metropolis = row.metropolisId ? { id: row.metropolisId, slug: row.metropolisSlug ?? '', name: row.metropolisName ?? '' } : null;
  return { id: row.authorId, displayName: row.authorName ?? '', metropolis };
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
function practiceSnippet(fields: string[], wanted: ReadonlySet<string>): Snippet {
  const counts = fields.map((field) => matchingWords(field, wanted).length);
  return makeSnippet(fields[counts.indexOf(Math.max(...counts))], wanted);
}
