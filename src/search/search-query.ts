import { ParsedQuery, toFtsMatch, toWebSearch } from './french-text';
import type { SearchKind } from './search-index';

export type Engine = 'sqlite' | 'postgres';

/** Narrows the hits; every filter is optional. */
export interface SearchFilters {
  kind?: SearchKind;
  topicId?: string;
  metropolisId?: string;
  authorId?: string;
  from?: Date | string;
  to?: Date | string;
  /** Moderators find hidden posts too (marked); nobody finds deleted ones, whose rows are gone. */
  includeHidden: boolean;
}

/** Where the previous page ended, in the ranking's order: title hit, score, time, row. */
export type SearchCursor = [titleHit: number, score: number, createdAt: string, docId: number];

/** One ranked row, as either engine answers it. */
export interface RankedRow {
  docId: number;
  kind: SearchKind;
  sourceId: string;
  threadId: string;
  authorId: string | null;
  hidden: boolean | number;
  createdAt: Date | string;
  titleHit: boolean | number;
  score: number;
}

export interface Statement {
  sql: string;
  parameters: Record<string, unknown>;
}

/** How much more a word of a title weighs in SQLite's bm25 than one of a body (PostgreSQL: weights A and B). */
const TITLE_WEIGHT = 10;

/**
 * The engine's own match: the rows whose stems (SQLite FTS5) or tsvector (PostgreSQL) satisfy the query, with `score`
 * (higher is better: -bm25 or ts_rank) and `titleHit` (the title alone satisfies it). `d` is the documents' alias.
 */
function matchSql(engine: Engine, query: ParsedQuery): Statement {
  if (engine === 'sqlite') {
    return {
      sql:
        `SELECT d.*, (d."id" IN (SELECT rowid FROM "search_index" WHERE "search_index" MATCH :titleMatch)) AS "titleHit", ` +
        `-bm25("search_index", ${TITLE_WEIGHT}.0, 1.0) AS "score" ` +
        'FROM "search_index" JOIN "search_documents" d ON d."id" = "search_index".rowid WHERE "search_index" MATCH :match',
      parameters: { match: toFtsMatch(query, '"titleStems" "bodyStems"'), titleMatch: toFtsMatch(query, '"titleStems"') },
    };
  }
  return {
    sql:
      'SELECT d.*, (d."titleVector" @@ q.query) AS "titleHit", ts_rank(d."vector", q.query) AS "score" ' +
      `FROM "search_documents" d, (SELECT websearch_to_tsquery('french', unaccent(CAST(:webSearch AS text))) AS query) AS q ` +
      'WHERE d."vector" @@ q.query',
    parameters: { webSearch: toWebSearch(query) },
  };
}

/** A parameter, typed where PostgreSQL cannot infer it. */
const typed = (engine: Engine, name: string, type: string) => (engine === 'postgres' ? `CAST(:${name} AS ${type})` : `:${name}`);

function filterSql(engine: Engine, filters: SearchFilters): Statement {
  const conditions: string[] = [];
  const parameters: Record<string, unknown> = {};
  if (!filters.includeHidden) conditions.push('NOT d."hidden"');
  if (filters.kind) {
    conditions.push('d."kind" = :kind');
    parameters.kind = filters.kind;
  }
  if (filters.topicId) {
    // a thread or post by its thread's topic, a practice by its themes
    conditions.push(
      `(EXISTS (SELECT 1 FROM "threads" t WHERE t."id" = d."threadId" AND t."topicId" = ${typed(engine, 'topicId', 'uuid')}) ` +
        `OR EXISTS (SELECT 1 FROM "practice_topics" pt WHERE pt."practiceId" = d."sourceId" AND pt."topicId" = ${typed(engine, 'topicId', 'uuid')}))`,
    );
    parameters.topicId = filters.topicId;
  }
  if (filters.metropolisId) {
    conditions.push(`d."metropolisId" = ${typed(engine, 'metropolisId', 'uuid')}`);
    parameters.metropolisId = filters.metropolisId;
  }
  if (filters.authorId) {
    conditions.push(`d."authorId" = ${typed(engine, 'authorId', 'uuid')}`);
    parameters.authorId = filters.authorId;
  }
  if (filters.from !== undefined) {
    conditions.push(`d."createdAt" >= ${typed(engine, 'from', 'timestamptz')}`);
    parameters.from = filters.from;
  }
  if (filters.to !== undefined) {
    conditions.push(`d."createdAt" < ${typed(engine, 'to', 'timestamptz')}`);
    parameters.to = filters.to;
  }
  return { sql: conditions.map((condition) => ` AND ${condition}`).join(''), parameters };
}

/**
 * One page of hits, best first: a match in the title first, then the engine's score, then the most recent, then the
 * row (so the order is total and a cursor resumes exactly where the page ended). Every match is ranked, old or new.
 */
export function rankedPageSql(engine: Engine, query: ParsedQuery, filters: SearchFilters, after: SearchCursor | undefined, limit: number): Statement {
  const match = matchSql(engine, query);
  const filter = filterSql(engine, filters);
  const parameters: Record<string, unknown> = { ...match.parameters, ...filter.parameters, limit };
  let resume = '';
  if (after) {
    const [titleHit, score, createdAt, docId] = after;
    Object.assign(parameters, { afterTitleHit: titleHit, afterScore: score, afterAt: createdAt, afterId: docId });
    const cursor = [
      engine === 'postgres' ? `CAST(CAST(:afterTitleHit AS integer) AS boolean)` : ':afterTitleHit',
      typed(engine, 'afterScore', 'real'),
      typed(engine, 'afterAt', 'timestamptz'),
      typed(engine, 'afterId', 'integer'),
    ];
    resume = ` WHERE ("titleHit", "score", "createdAt", "id") < (${cursor.join(', ')})`;
  }
  const sql =
    'SELECT "id" AS "docId", "kind", "sourceId", "threadId", "authorId", "hidden", "createdAt", "titleHit", "score" ' +
    `FROM (${match.sql}${filter.sql}) AS ranked${resume} ` +
    'ORDER BY "titleHit" DESC, "score" DESC, "createdAt" DESC, "id" DESC LIMIT :limit';
  return { sql, parameters };
}

/** The ids of the documents of one kind that match: the practice catalogue's `q` filter. */
export function matchingIdsSql(engine: Engine, query: ParsedQuery, kind: SearchKind): Statement {
  const match = matchSql(engine, query);
  return { sql: `SELECT "sourceId" FROM (${match.sql} AND d."kind" = :kind) AS matching`, parameters: { ...match.parameters, kind } };
}
