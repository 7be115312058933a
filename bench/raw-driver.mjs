// Baseline for write-path: the raw SQLite driver doing the inserts Essor does for one post, in one transaction
// (BEGIN; bump the thread's seq; read it; INSERT the post; COMMIT), on a copy of Essor's migrated database (same
// schema, indexes and foreign keys), WAL, with synchronous NORMAL or FULL. One connection, transactions one at a time
// (as Essor serialises its writers), `writers` writers (authors) in a closed loop (capacity) or, in the open loop, posts
// scheduled at `rate` per second; latency = issue (closed) or scheduled time (open) → commit, queueing included.
// BENCH_ARGS (JSON): { driver: 'sqlite3'|'better-sqlite3', synchronous, mode: 'closed'|'open', rate, dbPath, threadId,
// authorIds, writers, durationSec, warmupSec }
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { describeLoop, emitResult, writeLoop } from './lib.mjs';

const require = createRequire(import.meta.url);
const args = JSON.parse(process.env.BENCH_ARGS);
const BODY = 'Compte rendu de l’atelier : trois pistes retenues pour la commande publique responsable, à approfondir en session. ';
const sqlTime = (d) => d.toISOString().replace('T', ' ').replace('Z', '');
const BUMP = 'UPDATE "threads" SET "lastSeq" = "lastSeq" + 1, "postCount" = "postCount" + 1, "lastPostAt" = ?, "lastActivityAt" = ? WHERE "id" = ?';
const READ = 'SELECT "lastSeq" FROM "threads" WHERE "id" = ?';
const INSERT =
  'INSERT INTO "posts" ("id", "threadId", "seq", "parentId", "authorId", "body", "clientKey", "editedAt", "deletedAt", "hiddenAt", "hiddenById") ' +
  'VALUES (?, ?, ?, NULL, ?, ?, ?, NULL, NULL, NULL, NULL)';
const PRAGMAS = ['PRAGMA journal_mode = WAL', `PRAGMA synchronous = ${args.synchronous}`, 'PRAGMA foreign_keys = ON', 'PRAGMA busy_timeout = 5000'];

function post(i, n) {
  const body = `${BODY}${i}-${n}`;
  return {
    id: randomUUID(),
    body,
    clientKey: randomUUID(),
    authorId: args.authorIds[i % args.authorIds.length],
  };
}

let insertOne; // (i, n) => Promise<void>
if (args.driver === 'better-sqlite3') {
  const Database = require('better-sqlite3');
  const db = new Database(args.dbPath);
  for (const p of PRAGMAS) db.pragma(p.slice(7));
  const bump = db.prepare(BUMP);
  const read = db.prepare(READ).pluck();
  const insert = db.prepare(INSERT);
  const tx = db.transaction((p) => {
    const now = sqlTime(new Date());
    bump.run(now, now, args.threadId);
    const seq = read.get(args.threadId);
    insert.run(p.id, args.threadId, seq, p.authorId, p.body, p.clientKey);
  });
  // synchronous driver: each insert is deferred to a setImmediate callback of its own, as a request's handler runs after
  // the event that brought it in: the closed loop's writers take turns, and the open loop's timer sends all that is due
  // before commits hold it up
  insertOne = async (i, n) => {
    await new Promise((resolve) => setImmediate(resolve));
    tx(post(i, n));
  };
} else {
  const sqlite3 = require('sqlite3');
  const db = new sqlite3.Database(args.dbPath);
  const run = (sql, params = []) => new Promise((resolve, reject) => db.run(sql, params, (e) => (e ? reject(e) : resolve())));
  const get = (sql, params) => new Promise((resolve, reject) => db.get(sql, params, (e, row) => (e ? reject(e) : resolve(row))));
  for (const p of PRAGMAS) await run(p);
  let queue = Promise.resolve();
  const exclusive = (work) => {
    const result = queue.then(work);
    queue = result.catch(() => undefined);
    return result;
  };
  insertOne = (i, n) =>
    exclusive(async () => {
      const p = post(i, n);
      const now = sqlTime(new Date());
      await run('BEGIN');
      try {
        await run(BUMP, [now, now, args.threadId]);
        const { lastSeq } = await get(READ, [args.threadId]);
        await run(INSERT, [p.id, args.threadId, lastSeq, p.authorId, p.body, p.clientKey]);
        await run('COMMIT');
      } catch (error) {
        await run('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
}

const loop = await writeLoop(args, async (i, n) => {
  await insertOne(i, n);
  return null;
});
if (loop.firstFailure) process.stdout.write(`  ${args.driver}: ${loop.firstFailure}\n`);
const { perSec, ...counts } = loop;
const result = {
  driver: args.driver,
  synchronous: args.synchronous,
  mode: args.mode ?? 'closed',
  writers: args.writers,
  postsPerSec: perSec,
  ...counts,
};
process.stdout.write(`  raw ${args.driver} ${args.synchronous} ${result.mode} loop, ${args.writers} writers: ${describeLoop(loop, 'CPU')}\n`);
emitResult(result);
process.exit(0);
