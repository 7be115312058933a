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

/** One ranked row, as either engine answers it. */
export interface RankedRow {
  docId: number;
  kind: SearchKind;
  sourceId: string;
  threadId: string;
  authorId: string | null;
  hidden: boolean | number;
  titleHit: boolean | number;
  score: number;
}

export interface Statement {
  sql: string;
  parameters: Record<string, unknown>;
}

/** How much more a word of a title weighs in SQLite's bm25 than one of a body (PostgreSQL: weights A and B). */
const TITLE_WEIGHT = 10;

const ORDER = 'ORDER BY "titleHit" DESC, "score" DESC, "id" DESC';
const ROW_COLUMNS = 'd."id" AS "docId", d."kind", d."sourceId", d."threadId", d."authorId", d."hidden"';

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
 * SQLite: the FTS5 index alone finds, filters by kind and visibility, scores (-bm25, the title weighing more) and
 * orders every match; the documents' rows are read for the page only, or for each match when a filter needs them.
 */
function sqliteRanking(query: ParsedQuery, filters: SearchFilters, rows: Statement): Statement {
  let match = `(${toFtsMatch(query, '"titleStems" "bodyStems"')})`;
  if (filters.kind) match = `(${match} AND {kind} : "${filters.kind}")`;
  if (!filters.includeHidden) match = `(${match} NOT {hidden} : "1")`;
  const join = rows.sql ? ` JOIN "search_documents" d ON d."id" = "search_index".rowid` : '';
  return {
    sql:
      `SELECT "search_index".rowid AS "id", ("search_index".rowid IN (SELECT rowid FROM "search_index" WHERE "search_index" MATCH :titleMatch)) AS "titleHit", ` +
      `-bm25("search_index", ${TITLE_WEIGHT}.0, 1.0, 0.0, 0.0) AS "score" FROM "search_index"${join} WHERE "search_index" MATCH :match${rows.sql}`,
    parameters: { ...rows.parameters, match, titleMatch: toFtsMatch(query, '"titleStems"') },
  };
}

/**
 * PostgreSQL: the GIN index finds, ts_rank scores (title words weigh A, others B). The tsquery is made once, in a
 * subquery kept apart (OFFSET 0), not once per matching row.
 */
function postgresRanking(query: ParsedQuery, filters: SearchFilters, rows: Statement): Statement {
  const parameters: Record<string, unknown> = { ...rows.parameters, webSearch: toWebSearch(query) };
  let conditions = rows.sql;
  if (filters.kind) {
    conditions += ' AND d."kind" = :kind';
    parameters.kind = filters.kind;
  }
  if (!filters.includeHidden) conditions += ' AND NOT d."hidden"';
  return {
    sql:
      `SELECT ${ROW_COLUMNS}, d."id", (d."titleVector" @@ q.query) AS "titleHit", ts_rank(d."vector", q.query) AS "score" ` +
      `FROM "search_documents" d, (SELECT websearch_to_tsquery('french', unaccent(CAST(:webSearch AS text))) AS query OFFSET 0) AS q ` +
      `WHERE d."vector" @@ q.query${conditions}`,
    parameters,
  };
}

/**
 * One page of hits, best first: a match in the title first, then the engine's score, then the most recent (the
 * greater row id), so the order is total and a cursor resumes exactly where the page ended. Every match is ranked,
 * old or new.
 */
export function rankedPageSql(engine: Engine, query: ParsedQuery, filters: SearchFilters, after: SearchCursor | undefined, limit: number): Statement {
  const rows = rowFilters(engine, filters);
  const ranking = engine === 'sqlite' ? sqliteRanking(query, filters, rows) : postgresRanking(query, filters, rows);
  const parameters: Record<string, unknown> = { ...ranking.parameters, limit };
  let resume = '';
  if (after) {
    const [titleHit, score, docId] = after;
    Object.assign(parameters, { afterTitleHit: titleHit, afterScore: score, afterId: docId });
    const titleHitValue = engine === 'postgres' ? 'CAST(CAST(:afterTitleHit AS integer) AS boolean)' : ':afterTitleHit';
    resume = ` WHERE ("titleHit", "score", "id") < (${titleHitValue}, ${typed(engine, 'afterScore', 'real')}, ${typed(engine, 'afterId', 'integer')})`;
  }
  const page = `SELECT * FROM (${ranking.sql}) AS ranked${resume} ${ORDER} LIMIT :limit`;
  // SQLite ranks on the index alone and reads the page's rows after; PostgreSQL has them already
  const sql =
    engine === 'sqlite'
      ? `SELECT ${ROW_COLUMNS}, page."titleHit", page."score" FROM (${page}) AS page JOIN "search_documents" d ON d."id" = page."id" ORDER BY page."titleHit" DESC, page."score" DESC, page."id" DESC`
      : page;
  return { sql, parameters };
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
