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

/** Where the previous page ended, in the ranking's order: title hit, score, row (rows' ids grow with time). */
export type SearchCursor = readonly [titleHit: number, score: number, docId: number];

/**
 * The two parts of the ranking, in order: every hit with all the words in its title (a thread's, a practice's: a few
 * dozen where the words are found in thousands of posts), then the others.
 */
export type RankedPart = 'title' | 'other';

/** One ranked row of a part: the document and its score. */
export interface RankedRow {
  id: number;
  score: number;
}

export interface Statement {
  sql: string;
  parameters: Record<string, unknown>;
}

/** How much more a word of a title weighs in SQLite's bm25 than one of a body (PostgreSQL: weights A and B). */
const TITLE_WEIGHT = 10;

const ORDER = 'ORDER BY "score" DESC, "id" DESC';

/** A parameter, typed where PostgreSQL cannot infer it. */
const typed = (engine: Engine, name: string, type: string) => (engine === 'postgres' ? `CAST(:${name} AS ${type})` : `:${name}`);

/** The filters that need each matching row's own columns (kind and visibility are answered by the index on SQLite). */
function rowFilters(engine: Engine, filters: SearchFilters): Statement {
  const conditions: string[] = [];
  const parameters: Record<string, unknown> = {};
  if (filters.topicId) {
    // a thread or post by its thread's topic, a practice by its themes
    conditions.push(
      `(EXISTS (SELECT 1 FROM "threads" t WHERE t."id" = d."threadId" AND t."topicId" = ${typed(engine, 'topicId', 'uuid')}) ` +
        `OR EXISTS (SELECT 1 FROM "practice_topics" pt WHERE pt."practiceId" = d."sourceId" AND pt."topicId" = ${typed(engine, 'topicId', 'uuid')}))`,
    );
    parameters.topicId = filters.topicId;
  }
  for (const [name, column] of [
    ['metropolisId', 'metropolisId'],
    ['authorId', 'authorId'],
  ] as const) {
    if (filters[name] === undefined) continue;
    conditions.push(`d."${column}" = ${typed(engine, name, 'uuid')}`);
    parameters[name] = filters[name];
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
 * SQLite: the FTS5 index alone finds, filters by kind and visibility, and scores (-bm25, the title weighing more); the
 * documents' rows are read for the page only, or for each match when a filter needs them. The title part asks the
 * index for the words in the title too, so that only its few rows are scored (bm25 then counts the title's words
 * twice, which orders title hits among themselves only); the other part leaves those rows out.
 */
function sqliteRanking(query: ParsedQuery, filters: SearchFilters, part: RankedPart, rows: Statement): Statement {
  const titleMatch = toFtsMatch(query, '"titleStems"');
  let match = `(${toFtsMatch(query, '"titleStems" "bodyStems"')})`;
  if (part === 'title') match = `(${match} AND (${titleMatch}))`;
  if (filters.kind) match = `(${match} AND {kind} : "${filters.kind}")`;
  if (!filters.includeHidden) match = `(${match} NOT {hidden} : "1")`;
  const join = rows.sql ? ` JOIN "search_documents" d ON d."id" = "search_index".rowid` : '';
  const others = part === 'other' ? ` AND "search_index".rowid NOT IN (SELECT rowid FROM "search_index" WHERE "search_index" MATCH :titleMatch)` : '';
  return {
    sql:
      `SELECT "search_index".rowid AS "id", -bm25("search_index", ${TITLE_WEIGHT}.0, 1.0, 0.0, 0.0) AS "score" ` +
      `FROM "search_index"${join} WHERE "search_index" MATCH :match${others}${rows.sql}`,
    parameters: { ...rows.parameters, match, ...(part === 'other' ? { titleMatch } : {}) },
  };
}

/**
 * PostgreSQL: the GIN indexes find (the title part on the titles' own index), ts_rank scores (title words weigh A,
 * others B). The tsquery is made once, in a subquery kept apart (OFFSET 0), not once per matching row.
 */
function postgresRanking(query: ParsedQuery, filters: SearchFilters, part: RankedPart, rows: Statement): Statement {
  const parameters: Record<string, unknown> = { ...rows.parameters, webSearch: toWebSearch(query) };
  // the title part reads the titles' index alone: the whole match, written so that no index can answer it (IS TRUE),
  // is then checked on its few rows, not found in the big index (thousands of rows to intersect)
  const [match, title] =
    part === 'title'
      ? ['(d."vector" @@ q.query) IS TRUE', 'd."titleVector" @@ q.query']
      : ['d."vector" @@ q.query', 'NOT (d."titleVector" @@ q.query)'];
  let conditions = ` AND ${title}${rows.sql}`;
  if (filters.kind) {
    conditions += ' AND d."kind" = :kind';
    parameters.kind = filters.kind;
  }
  if (!filters.includeHidden) conditions += ' AND NOT d."hidden"';
  return {
    sql:
      `SELECT d."id", ts_rank(d."vector", q.query) AS "score" ` +
      `FROM "search_documents" d, (SELECT websearch_to_tsquery('french', unaccent(CAST(:webSearch AS text))) AS query OFFSET 0) AS q ` +
      `WHERE ${match}${conditions}`,
    parameters,
  };
}

/**
 * One page of a part's hits, best first: the engine's score, then the most recent (the greater row id), so the order
 * is total and a cursor resumes exactly where the page ended. Every match of the part is ranked, old or new.
 */
export function rankedPageSql(
  engine: Engine,
  query: ParsedQuery,
  filters: SearchFilters,
  part: RankedPart,
  after: readonly [score: number, docId: number] | undefined,
  limit: number,
): Statement {
  const rows = rowFilters(engine, filters);
  const ranking = engine === 'sqlite' ? sqliteRanking(query, filters, part, rows) : postgresRanking(query, filters, part, rows);
  const parameters: Record<string, unknown> = { ...ranking.parameters, limit };
  let resume = '';
  if (after) {
    const [score, docId] = after;
    Object.assign(parameters, { afterScore: score, afterId: docId });
    resume = ` WHERE ("score", "id") < (${typed(engine, 'afterScore', 'real')}, ${typed(engine, 'afterId', 'integer')})`;
  }
  return { sql: `SELECT * FROM (${ranking.sql}) AS ranked${resume} ${ORDER} LIMIT :limit`, parameters };
}

/** What the hits of a page show, all read in one statement. */
export interface PageRow {
  docId: number;
  kind: SearchKind;
  hidden: boolean | number;
  /** The post, thread (a practice's discussion) or practice itself: null when it is gone since it was ranked. */
  postId: string | null;
  threadId: string | null;
  practiceId: string | null;
  seq: number | null;
  body: string | null;
  /** The thread's title (a post: its thread's), or the practice's. */
  title: string | null;
  topicId: string | null;
  /** The practice or the session whose discussion the thread is. */
  contextPracticeId: string | null;
  sessionId: string | null;
  summary: string | null;
  description: string | null;
  partners: string | null;
  createdAt: Date | string;
  authorId: string | null;
  authorName: string | null;
  metropolisId: string | null;
  metropolisSlug: string | null;
  metropolisName: string | null;
}

const PAGE_SQL = `SELECT d."id" AS "docId", d."kind", d."hidden", p."id" AS "postId", COALESCE(pr."threadId", t."id") AS "threadId", pr."id" AS "practiceId",
  p."seq", p."body", COALESCE(pr."title", t."title") AS "title", t."topicId",
  CASE WHEN t."context" = 'practice' THEN (SELECT tp."id" FROM "practices" tp WHERE tp."threadId" = t."id") END AS "contextPracticeId",
  CASE WHEN t."context" = 'session' THEN (SELECT ai."sessionId" FROM "agenda_items" ai WHERE ai."threadId" = t."id" LIMIT 1) END AS "sessionId",
  pr."summary", pr."description", pr."partners", COALESCE(p."createdAt", pr."createdAt", t."createdAt") AS "createdAt",
  u."id" AS "authorId", u."displayName" AS "authorName", m."id" AS "metropolisId", m."slug" AS "metropolisSlug", m."name" AS "metropolisName"
FROM "search_documents" d
LEFT JOIN "posts" p ON d."kind" = 'post' AND p."id" = d."sourceId"
LEFT JOIN "practices" pr ON d."kind" = 'practice' AND pr."id" = d."sourceId"
LEFT JOIN "threads" t ON d."kind" <> 'practice' AND t."id" = d."threadId"
LEFT JOIN "users" u ON u."id" = d."authorId"
LEFT JOIN "metropolises" m ON m."id" = u."metropolisId"
WHERE `;

/**
 * The rows of a page's hits by their documents' ids: what each shows, its thread, the practice or session of that
 * thread, its author. One statement whatever the page holds, on the search's own connection.
 */
export function pageSql(engine: Engine, ids: number[]): Statement {
  return engine === 'sqlite'
    ? { sql: `${PAGE_SQL}d."id" IN (SELECT "value" FROM json_each(:ids))`, parameters: { ids: JSON.stringify(ids) } }
    : { sql: `${PAGE_SQL}d."id" = ANY(CAST(:ids AS integer[]))`, parameters: { ids } };
}

/** The ids of the documents of one kind that match: the practice catalogue's `q` filter. */
export function matchingIdsSql(engine: Engine, query: ParsedQuery, kind: SearchKind): Statement {
  if (engine === 'sqlite') {
    return {
      sql: 'SELECT d."sourceId" FROM "search_index" JOIN "search_documents" d ON d."id" = "search_index".rowid WHERE "search_index" MATCH :match',
      parameters: { match: `(${toFtsMatch(query, '"titleStems" "bodyStems"')}) AND {kind} : "${kind}"` },
    };
  }
  return {
    sql: `SELECT d."sourceId" FROM "search_documents" d WHERE d."kind" = :kind AND d."vector" @@ websearch_to_tsquery('french', unaccent(CAST(:webSearch AS text)))`,
    parameters: { kind, webSearch: toWebSearch(query) },
  };
}
