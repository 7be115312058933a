import type { EntityManager } from 'typeorm';
import { DateUtils } from 'typeorm/util/DateUtils';
import { runSql, sqlTime } from '../database/sql';
import { singularXPlurals, stemText, toPlainText } from './french-text';

export const SEARCH_KINDS = ['thread', 'post', 'practice'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/**
 * One row of `search_documents`, the full-text index of threads (titles of topic threads and of agenda items), posts
 * and practice sheets. It is written in the same transaction as what it indexes, by the services' one write path
 * for each (posts, threads, practices, agenda items); a deleted post loses its row, a hidden one is marked.
 */
export interface SearchDocument {
  kind: SearchKind;
  /** The id of the thread, post or practice. */
  sourceId: string;
  /** The thread it belongs to (a practice: its discussion). */
  threadId: string;
  authorId: string | null;
  /** A practice's metropolis; otherwise its author's, looked up in the same statement when left null. */
  metropolisId: string | null;
  hidden: boolean;
  createdAt: Date;
  /** Plain text: the thread's or practice's title; empty for a post. */
  title: string;
  /** Plain text: the post's body, the practice's other fields. */
  body: string;
}

const isPostgres = (manager: EntityManager) => manager.connection.driver.options.type === 'postgres';

/**
 * SQLite: the stems are computed here (FTS5 has no French stemmer) into `titleStems` and `bodyStems`, which triggers
 * copy into the FTS5 table `search_index` (see the migration).
 */
const UPSERT_SQLITE =
  'INSERT INTO "search_documents" ("kind", "sourceId", "threadId", "authorId", "metropolisId", "hidden", "createdAt", "titleStems", "bodyStems") ' +
  'VALUES (:kind, :sourceId, :threadId, :authorId, COALESCE(:metropolisId, (SELECT "metropolisId" FROM "users" WHERE "id" = :authorId)), ' +
  ':hidden, :createdAt, :titleStems, :bodyStems) ' +
  'ON CONFLICT ("sourceId") DO UPDATE SET "threadId" = excluded."threadId", "authorId" = excluded."authorId", ' +
  '"metropolisId" = excluded."metropolisId", "hidden" = excluded."hidden", "createdAt" = excluded."createdAt", ' +
  '"titleStems" = excluded."titleStems", "bodyStems" = excluded."bodyStems"';

/**
 * PostgreSQL: the `french` configuration over unaccent(), the title weighted A and the rest B; many rows per statement.
 * Exported for a caller that runs it as a data-modifying CTE of its own statement (a new post: see PostsService).
 */
export const POSTGRES_INDEX_UPSERT = `INSERT INTO "search_documents" ("kind", "sourceId", "threadId", "authorId", "metropolisId", "hidden", "createdAt", "titleVector", "vector")
SELECT d.kind, d."sourceId", d."threadId", d."authorId", COALESCE(d."metropolisId", u."metropolisId"), d.hidden, d."createdAt", d."titleVector",
  setweight(d."titleVector", 'A') || setweight(to_tsvector('french', unaccent(d.body)), 'B')
FROM (
  SELECT *, to_tsvector('french', unaccent(title)) AS "titleVector"
  FROM unnest(CAST(:kinds AS varchar[]), CAST(:sourceIds AS uuid[]), CAST(:threadIds AS uuid[]), CAST(:authorIds AS uuid[]),
    CAST(:metropolisIds AS uuid[]), CAST(:hiddens AS boolean[]), CAST(:createdAts AS timestamptz[]), CAST(:titles AS text[]), CAST(:bodies AS text[]))
    AS d(kind, "sourceId", "threadId", "authorId", "metropolisId", hidden, "createdAt", title, body)
) AS d LEFT JOIN "users" u ON u.id = d."authorId"
ON CONFLICT ("sourceId") DO UPDATE SET "threadId" = excluded."threadId", "authorId" = excluded."authorId",
  "metropolisId" = excluded."metropolisId", "hidden" = excluded."hidden", "createdAt" = excluded."createdAt",
  "titleVector" = excluded."titleVector", "vector" = excluded."vector"`;

/** The parameters of POSTGRES_INDEX_UPSERT for these documents. */
export function postgresIndexParameters(documents: SearchDocument[]): Record<string, unknown> {
  return {
    kinds: documents.map((d) => d.kind),
    sourceIds: documents.map((d) => d.sourceId),
    threadIds: documents.map((d) => d.threadId),
    authorIds: documents.map((d) => d.authorId),
    metropolisIds: documents.map((d) => d.metropolisId),
    hiddens: documents.map((d) => d.hidden),
    createdAts: documents.map((d) => d.createdAt),
    titles: documents.map((d) => singularXPlurals(d.title)),
    bodies: documents.map((d) => singularXPlurals(d.body)),
  };
}

/** Writes (or rewrites) the index rows of these documents, inside the caller's transaction. */
export async function indexDocuments(manager: EntityManager, documents: SearchDocument[]): Promise<void> {
  if (documents.length === 0) return;
  if (isPostgres(manager)) {
    await runSql(manager, POSTGRES_INDEX_UPSERT, postgresIndexParameters(documents));
    return;
  }
  for (const document of documents) {
    await runSql(manager, UPSERT_SQLITE, {
      ...document,
      hidden: document.hidden ? 1 : 0,
      createdAt: DateUtils.mixedDateToUtcDatetimeString(document.createdAt),
      titleStems: stemText(document.title),
      bodyStems: stemText(document.body),
    });
  }
}

const SET_HIDDEN = 'UPDATE "search_documents" SET "hidden" = :hidden WHERE "sourceId" = :sourceId';

/** Marks a post's row hidden or shown again: moderators still find it, marked, and no one else does. */
export async function setDocumentHidden(manager: EntityManager, sourceId: string, hidden: boolean): Promise<void> {
  await runSql(manager, SET_HIDDEN, { sourceId, hidden: hidden ? 1 : 0 });
}

/** Drops the rows of what no longer exists or may no longer be found (a deleted post, a removed agenda item). */
export async function removeDocuments(manager: EntityManager, sourceIds: string[]): Promise<void> {
  if (sourceIds.length === 0) return;
  await manager.createQueryBuilder().delete().from('search_documents').where('"sourceId" IN (:...sourceIds)', { sourceIds }).execute();
}

/** A post's document. */
export function postDocument(
  post: { id: string; threadId: string; authorId: string; body: string; createdAt: Date; hiddenAt: Date | null },
  metropolisId: string | null,
): SearchDocument {
  return {
    kind: 'post',
    sourceId: post.id,
    threadId: post.threadId,
    authorId: post.authorId,
    metropolisId,
    hidden: post.hiddenAt !== null,
    createdAt: post.createdAt,
    title: '',
    body: toPlainText(post.body),
  };
}

/** A thread's document: its title. A practice's discussion has none, the practice itself being indexed. */
export function threadDocument(thread: { id: string; title: string; authorId: string; createdAt: Date }): SearchDocument {
  return {
    kind: 'thread',
    sourceId: thread.id,
    threadId: thread.id,
    authorId: thread.authorId,
    metropolisId: null,
    hidden: false,
    createdAt: thread.createdAt,
    title: thread.title,
    body: '',
  };
}

/** What of a practice sheet is searched beside its title. */
export function practiceFields(practice: { summary: string; description: string; partners: string[] }): string[] {
  return [practice.summary, toPlainText(practice.description), practice.partners.join(' ; ')];
}

export function practiceDocument(practice: {
  id: string;
  threadId: string;
  authorId: string | null;
  metropolisId: string;
  createdAt: Date;
  title: string;
  summary: string;
  description: string;
  partners: string[];
}): SearchDocument {
  return {
    kind: 'practice',
    sourceId: practice.id,
    threadId: practice.threadId,
    authorId: practice.authorId,
    metropolisId: practice.metropolisId,
    hidden: false,
    createdAt: practice.createdAt,
    title: practice.title,
    body: practiceFields(practice).join('\n'),
  };
}

const BUILD_BATCH = 1000;

/** What is indexed, by kind: the rows to read, and how one becomes a document. */
const SOURCES: Record<SearchKind, { table: string; where: string; columns: string; toDocument: (row: Record<string, unknown>) => SearchDocument }> = {
  thread: {
    table: 'threads',
    where: `"context" <> 'practice'`,
    columns: '"id", "title", "authorId", "createdAt"',
    toDocument: (row) => threadDocument({ ...(row as { id: string; title: string; authorId: string }), createdAt: sqlTime(row.createdAt) }),
  },
  post: {
    table: 'posts',
    where: '"deletedAt" IS NULL',
    columns: '"id", "threadId", "authorId", "body", "createdAt", "hiddenAt"',
    toDocument: (row) =>
      postDocument(
        {
          ...(row as { id: string; threadId: string; authorId: string; body: string }),
          createdAt: sqlTime(row.createdAt),
          hiddenAt: row.hiddenAt === null ? null : sqlTime(row.hiddenAt),
        },
        null,
      ),
  },
  practice: {
    table: 'practices',
    where: 'TRUE',
    columns: '"id", "threadId", "authorId", "metropolisId", "createdAt", "title", "summary", "description", "partners"',
    toDocument: (row) =>
      practiceDocument({
        ...(row as {
          id: string;
          threadId: string;
          authorId: string | null;
          metropolisId: string;
          title: string;
          summary: string;
          description: string;
        }),
        createdAt: sqlTime(row.createdAt),
        partners: parsePartners(row.partners),
      }),
  },
};

/**
 * Indexes every thread, post and practice (or those of them `which` picks): run into an empty index by the migration
 * that creates it, for the data already there, and by the bench after its bulk insert; run again by a migration that
 * changes how some text is indexed, for the rows it concerns (their rows are rewritten in place, ids kept). Everything
 * is written in order of creation, as it would have been had the index always existed, so that row ids grow with time
 * (the ranking's last key); the ids and times are read first (some 100 bytes a row), then the rows themselves by
 * batches.
 */
export async function buildSearchIndex(manager: EntityManager, which: (document: SearchDocument) => boolean = () => true): Promise<void> {
  const all: Array<{ kind: SearchKind; id: string; at: number }> = [];
  for (const kind of SEARCH_KINDS) {
    const { table, where } = SOURCES[kind];
    const rows = await manager.query<Array<{ id: string; createdAt: unknown }>>(`SELECT "id", "createdAt" FROM "${table}" WHERE ${where}`);
    for (const row of rows) all.push({ kind, id: row.id, at: sqlTime(row.createdAt).getTime() });
  }
  all.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
  for (let start = 0; start < all.length; start += BUILD_BATCH) {
    const batch = all.slice(start, start + BUILD_BATCH);
    const documents = new Map<string, SearchDocument>();
    for (const kind of SEARCH_KINDS) {
      const ids = batch.filter((entry) => entry.kind === kind).map((entry) => entry.id);
      if (ids.length === 0) continue;
      const { table, columns, toDocument } = SOURCES[kind];
      const rows = await manager
        .createQueryBuilder()
        .select(columns)
        .from(table, table)
        .where('"id" IN (:...ids)', { ids })
        .getRawMany<Record<string, unknown>>();
      for (const row of rows) documents.set(String(row.id), toDocument(row));
    }
    await indexDocuments(manager, batch.flatMap((entry) => documents.get(entry.id) ?? []).filter(which));
  }
}

/** The practices' `partners` column as TypeORM's simple-json stores it. */
export function parsePartners(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  const parsed: unknown = JSON.parse(String(value));
  return Array.isArray(parsed) ? parsed.map(String) : [];
}
