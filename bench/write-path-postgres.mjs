// write-path-postgres: a database of its own on the PostgreSQL server of TEST_DATABASE_URL, migrated by TypeORM's CLI
// (as `npm run migration:run` does) and seeded by a first start of Essor, then the bench's writers and write thread
// written into it with the very ids of the SQLite fixture, so that the same tokens and load generators serve both.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Runs `use(url, { synchronousCommit })` on a fresh database holding `users` and the thread `threadId`, then drops it.
 * `migrate(url)` runs the migrations, `seed(url)` starts and stops Essor once (topics, metropolises).
 */
export async function withPostgresWriteDatabase({ serverUrl, users, threadId, migrate, seed }, use) {
  const { Client } = require('pg');
  const name = `essor_bench_writes_${process.pid}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    migrate(url.toString());
    await seed(url.toString());
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    let synchronousCommit;
    try {
      await client.query(
        "INSERT INTO users (id, email, \"passwordHash\", \"displayName\", role, disabled) SELECT id, 'bench-' || n || '@bench.invalid', '!bench-no-password', 'Participant ' || n, 'participant', false FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, n)",
        [users.map((user) => user.id)],
      );
      const { rows } = await client.query('SELECT id FROM topics ORDER BY position LIMIT 1');
      await client.query(
        `INSERT INTO threads (id, "topicId", context, title, "authorId", "postCount", "lastSeq", "lastActivityAt") VALUES ($1, $2, 'topic', 'Bench write', $3, 0, 0, now())`,
        [threadId, rows[0].id, users[0].id],
      );
      synchronousCommit = (await client.query('SHOW synchronous_commit')).rows[0].synchronous_commit;
    } finally {
      await client.end();
    }
    await use(url.toString(), { synchronousCommit });
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

/** TypeORM's CLI on the compiled data source, with `env` (DATABASE_URL chosen by the caller). */
export function runMigrations({ root, dataSourceFile, env }) {
  const migrate = spawnSync(process.execPath, [`${root}/node_modules/typeorm/cli.js`, 'migration:run', '-d', dataSourceFile], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
  if (migrate.status !== 0) throw new Error(`migration:run failed: ${migrate.stdout}${migrate.stderr}`);
}
