#!/usr/bin/env node
// Essor benchmark orchestrator (`npm run bench`; BENCH_QUICK=1 for small sizes). Starts Essor as a separate process on a
// fresh SQLite file, drives it with load generators in other processes (server pinned to core 0, load to core 1 where
// taskset exists), runs the same workloads against bare baselines (relay.mjs, express-baseline.mjs, raw-driver.mjs),
// and writes results/latest.json and results/latest.md.
// Options (env): BENCH_QUICK=1, BENCH_SKIP_BUILD=1 (use the existing dist/), BENCH_ONLY=fanout,write-path,search,… (a subset),
// BENCH_CPU_PROF=1 (Essor runs with --cpu-prof, profiles in bench/.work/profiles).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  copyFileSync,
  createWriteStream,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { QUICK, gitCommit, pinned, runLoad, sleep } from './lib.mjs';
import { SEARCH_QUERIES, frenchPost, seeded } from './search-corpus.mjs';
import { runMigrations, withPostgresWriteDatabase } from './write-path-postgres.mjs';

const BENCH = import.meta.dirname;
const ROOT = resolve(BENCH, '..');
const WORK = join(BENCH, '.work');
const RESULTS = join(BENCH, 'results');
const CORES = os.cpus().length;
const SERVER_CORE = 0;
const LOAD_CORE = CORES > 1 ? 1 : 0;
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;
const wanted = (name) => !ONLY || ONLY.has(name);

const SIZES = QUICK
  ? {
      subscribers: 200,
      fanoutRate: 20,
      fanoutSec: 1,
      saturation: { from: 20, coarse: 2, fine: 1.25, to: 2500 },
      satStepSec: 0.7,
      idle: 1000,
      idleSec: 0.5,
      writeSec: 0.5,
      writeWarmupSec: 0.3,
      writers: 16,
      writeRate: 2000,
      writeOpenSec: 0.5,
      writeOpenWarmupSec: 0.2,
      httpSec: 0.5,
      httpConnections: 50,
      writeSyncModes: ['NORMAL'],
      watchers: 200,
      transferRounds: 2,
    }
  : {
      subscribers: 1000,
      fanoutRate: 20,
      fanoutSec: 30,
      // saturation: from 5 posts/s (5,000 deliveries/s, below any knee seen here), coarse steps of 50 % up to a failure,
      // then steps of 10 % from the last pass: one step apart decides less than the 0.7× goal's margin
      saturation: { from: 5, coarse: 1.5, fine: 1.1, to: 2500 },
      satStepSec: 8,
      idle: 10000,
      idleSec: 10,
      writeSec: 10,
      writeWarmupSec: 1,
      writers: 16,
      writeRate: 2000,
      writeOpenSec: 10,
      writeOpenWarmupSec: 1,
      httpSec: 15,
      httpConnections: 50,
      writeSyncModes: ['NORMAL', 'FULL'],
      watchers: 200,
      transferRounds: 5,
    };

const require = createRequire(import.meta.url);
// Essor runs the write workloads on each driver (the quick run: its default only, the one its package.json installs)
const SQLITE_DRIVERS = QUICK ? ['better-sqlite3'] : ['sqlite3', 'better-sqlite3'];
const t0 = Date.now();
// other work on the machine skews everything: the load average is recorded beside the results
const LOAD_AT_START = os.loadavg().map((x) => Math.round(x * 100) / 100);
const progress = (line) => process.stdout.write(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);

// ---- 0. dependencies and build -------------------------------------------------------------------------------------

// installed again when the bench's lockfile changed since (npm writes node_modules/.package-lock.json at each install)
const installedLock = join(BENCH, 'node_modules', '.package-lock.json');
if (!existsSync(installedLock) || statSync(join(BENCH, 'package-lock.json')).mtimeMs > statSync(installedLock).mtimeMs) {
  progress('installing bench dependencies (npm --prefix bench ci; sqlite3 may build from source, ~2.5 min)');
  const ci = spawnSync('npm', ['--prefix', BENCH, existsSync(join(BENCH, 'package-lock.json')) ? 'ci' : 'install', '--no-audit', '--no-fund'], {
    stdio: 'inherit',
  });
  if (ci.status !== 0) throw new Error('npm ci in bench/ failed');
}
// Essor is compiled (tsc with tsconfig.build.json, as `nest build` does) into a private folder outside the work tree, so
// that other people rebuilding dist/ meanwhile cannot pull the files from under a running benchmark. It resolves its
// packages through a node_modules link to the project's own. BENCH_SKIP_BUILD=1 runs the existing dist/ instead.
const BUILD = join(os.tmpdir(), `essor-bench-build-${process.getuid?.() ?? 'u'}`);
let ESSOR_MAIN = join(ROOT, 'dist/main.js');
/** The newest change to what the compile reads: when the last compile saw the same, it is not run again. */
function sourcesStamp() {
  const files = readdirSync(join(ROOT, 'src'), { recursive: true })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(ROOT, 'src', file));
  return String(Math.max(...[...files, join(ROOT, 'tsconfig.json'), join(ROOT, 'tsconfig.build.json')].map((file) => statSync(file).mtimeMs)));
}
const STAMP = join(BUILD, 'compiled-sources');
if (
  process.env.BENCH_SKIP_BUILD !== '1' &&
  existsSync(join(BUILD, 'dist/main.js')) &&
  existsSync(STAMP) &&
  readFileSync(STAMP, 'utf8') === sourcesStamp()
) {
  progress(`Essor unchanged since its last compile into ${BUILD}/dist`);
  ESSOR_MAIN = join(BUILD, 'dist/main.js');
} else if (process.env.BENCH_SKIP_BUILD !== '1') {
  progress(`compiling Essor into ${BUILD}/dist (tsc -p tsconfig.build.json)`);
  mkdirSync(BUILD, { recursive: true });
  const stamp = sourcesStamp();
  // incremental: only what changed since the last bench is compiled again; without dist/, from scratch
  if (!existsSync(join(BUILD, 'dist/main.js'))) rmSync(join(BUILD, 'tsbuildinfo'), { force: true });
  for (const link of ['node_modules', 'client']) {
    if (lstatSync(join(BUILD, link), { throwIfNoEntry: false })) unlinkSync(join(BUILD, link));
    symlinkSync(join(ROOT, link), join(BUILD, link));
  }
  const build = spawnSync(
    join(ROOT, 'node_modules/.bin/tsc'),
    ['-p', 'tsconfig.build.json', '--outDir', join(BUILD, 'dist'), '--incremental', '--tsBuildInfoFile', join(BUILD, 'tsbuildinfo')],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' },
  );
  if (build.status !== 0)
    process.stdout.write(
      build.stdout
        .split('\n')
        .filter((l) => /error TS/.test(l))
        .slice(0, 5)
        .join('\n') + '\n',
    );
  // tsc still emits on type errors (someone's edit in progress); the JavaScript is benchmarked, with a warning
  if (build.status !== 0 && !existsSync(join(BUILD, 'dist/main.js'))) throw new Error('compiling Essor failed (see above)');
  if (build.status !== 0) progress('WARNING: tsc reported type errors (above); benchmarking the JavaScript it emitted');
  // only a clean compile is remembered: after type errors, the next run compiles again
  if (build.status === 0) writeFileSync(STAMP, stamp);
  else rmSync(STAMP, { force: true });
  ESSOR_MAIN = join(BUILD, 'dist/main.js');
}

const Database = require('better-sqlite3');
const jwt = require('jsonwebtoken');

rmSync(WORK, { recursive: true, force: true });
mkdirSync(join(WORK, 'logs'), { recursive: true });
mkdirSync(RESULTS, { recursive: true });
const JWT_SECRET = randomBytes(32).toString('hex');

// ---- servers under test ----------------------------------------------------------------------------------------------

/** A port the system has just handed out as free (others run servers on this machine too). */
function freePort() {
  return new Promise((res, rej) => {
    const probe = net.createServer();
    probe.once('error', rej);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => res(port));
    });
  });
}
const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

/** Starts `node [flags] --require probe.cjs script` pinned to the server core; resolves once /api/health answers. */
async function startServer(label, script, env, { cwd = ROOT, flags = [] } = {}) {
  const port = await freePort();
  const nodeArgs = ['--expose-gc', ...flags, '--require', join(BENCH, 'probe.cjs'), script];
  const [cmd, argv] = pinned(SERVER_CORE, process.execPath, nodeArgs, CORES);
  const log = createWriteStream(join(WORK, 'logs', `${label}-${port}.log`));
  const child = spawn(cmd, argv, { cwd, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  children.add(child);
  let exited = null;
  child.on('exit', (code) => {
    exited = code ?? 'signal';
    children.delete(child);
  });
  const replies = new Map();
  let nextId = 0;
  child.on('message', (m) => replies.get(m?.probeReply)?.(m));
  const server = {
    label,
    pid: child.pid,
    url: `http://127.0.0.1:${port}`,
    probe: (probe, extra = {}) =>
      new Promise((res, rej) => {
        const id = ++nextId;
        const timer = setTimeout(() => rej(new Error(`${label}: probe ${probe} timed out`)), 30_000);
        replies.set(id, (m) => {
          clearTimeout(timer);
          replies.delete(id);
          res(m.stats);
        });
        child.send({ probe, id, ...extra });
      }),
    async stop() {
      if (exited !== null) return;
      const gone = new Promise((res) => child.once('exit', res));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await gone;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited !== null) throw new Error(`${label} exited (${exited}) during start; see bench/.work/logs/${label}-${port}.log`);
    try {
      const res = await fetch(`${server.url}/api/health`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${label} did not become healthy`);
    await sleep(200);
  }
  return server;
}

function essorEnv(dbPath, synchronous = 'NORMAL') {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    DATABASE_URL: `sqlite:${dbPath}`,
    DATA_DIR: join(WORK, 'data'),
    JWT_SECRET,
    SEED: 'true',
    LOG_LEVEL: 'warn',
    SQLITE_SYNCHRONOUS: synchronous,
    // the SQLite driver Essor does not install by default is found in the bench's own packages
    NODE_PATH: join(BENCH, 'node_modules'),
    RATE_LIMIT_POSTS_PER_10S: '100000000',
    RATE_LIMIT_REQUESTS_PER_MINUTE: '100000000',
    REGISTRATION_MODE: 'invitation',
  };
}
const startEssor = (dbPath, synchronous = 'NORMAL', extraEnv = {}) =>
  startServer(
    `essor-${synchronous}`,
    ESSOR_MAIN,
    { ...essorEnv(dbPath, synchronous), ...extraEnv },
    {
      flags: process.env.BENCH_CPU_PROF === '1' ? ['--cpu-prof', `--cpu-prof-dir=${join(WORK, 'profiles')}`] : [],
    },
  );
const startRelay = () => startServer('relay', join(BENCH, 'relay.mjs'), { JWT_SECRET }, { cwd: BENCH });
const startWsRelay = () => startServer('ws-relay', join(BENCH, 'ws-relay.mjs'), { JWT_SECRET }, { cwd: BENCH });

// ---- 1. a fresh database: migrated and seeded by Essor, then bench users and threads written directly -----------------

const sqlTime = (d) => d.toISOString().replace('T', ' ').replace('Z', '');
const USERS = Math.max(SIZES.subscribers, SIZES.idle) + 64;
/** The watchers of the `watchers` workload: bench users past the writers. */
const WATCHERS_FROM = 64;
const dbPath = join(WORK, 'essor.sqlite');
progress(`migrating and seeding a fresh database (${dbPath})`);
// Essor's main.ts seeds and checks for an admin before app.listen() runs the migrations (Database.onModuleInit), so it
// cannot start on a fresh file ("no such table: users"): the migrations are run first with TypeORM's CLI (as
// `npm run migration:run` does), then a first start seeds.
{
  const migrate = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/typeorm/cli.js'), 'migration:run', '-d', join(dirname(ESSOR_MAIN), 'database/data-source.js')],
    {
      cwd: ROOT,
      env: { ...process.env, ...essorEnv(dbPath) },
      encoding: 'utf8',
    },
  );
  if (migrate.status !== 0) throw new Error(`migration:run failed: ${migrate.stdout}${migrate.stderr}`);
}
await (await startEssor(dbPath)).stop();

progress(`writing ${USERS} bench users, their tokens and the bench threads into the database`);
const fixture = (() => {
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  const metropolisIds = db.prepare('SELECT id FROM metropolises ORDER BY slug').pluck().all();
  const topicId = db.prepare('SELECT id FROM topics ORDER BY position LIMIT 1').pluck().get();
  const insertUser = db.prepare(
    "INSERT INTO users (id, email, passwordHash, displayName, role, metropolisId, disabled) VALUES (?, ?, ?, ?, 'participant', ?, 0)",
  );
  const users = [];
  db.transaction(() => {
    for (let i = 0; i < USERS; i++) {
      const id = randomUUID();
      insertUser.run(
        id,
        `bench-${i}@bench.invalid`,
        '!bench-no-password',
        `Participant ${i}`,
        metropolisIds.length ? metropolisIds[i % metropolisIds.length] : null,
      );
      users.push({ id, token: jwt.sign({ sub: id }, JWT_SECRET, { algorithm: 'HS256', expiresIn: '6h' }) });
    }
  })();
  const now = sqlTime(new Date());
  const insertThread = db.prepare(
    "INSERT INTO threads (id, topicId, context, title, authorId, pinned, locked, postCount, lastSeq, lastPostAt, lastActivityAt) VALUES (?, ?, 'topic', ?, ?, 0, 0, ?, ?, ?, ?)",
  );
  const insertPost = db.prepare('INSERT INTO posts (id, threadId, seq, parentId, authorId, body, clientKey) VALUES (?, ?, ?, NULL, ?, ?, NULL)');
  const threads = {};
  db.transaction(() => {
    for (const name of ['fanout', 'saturation', 'write', 'read', 'watched', 'quiet']) {
      const id = randomUUID();
      const posts = name === 'read' ? 200 : 0;
      insertThread.run(id, topicId, `Bench ${name}`, users[0].id, posts, posts, posts ? now : null, now);
      for (let seq = 1; seq <= posts; seq++) {
        const body = `Message ${seq} : ${'la coopération entre métropoles et acteurs de l’ESS passe par des communs partagés. '.repeat(3)}`;
        insertPost.run(randomUUID(), id, seq, users[seq % users.length].id, body);
      }
      threads[name] = id;
    }
    // watchers: 200 people watch one thread (every post notifies them), none the other; the writers chose `normal` on
    // both, so that posting does not make them watchers of the quiet one
    const insertWatch = db.prepare('INSERT INTO thread_watches (userId, threadId, level) VALUES (?, ?, ?)');
    for (const { id } of users.slice(WATCHERS_FROM, WATCHERS_FROM + SIZES.watchers)) insertWatch.run(id, threads.watched, 'watching');
    for (const { id } of users.slice(1, 1 + SIZES.writers)) for (const name of ['watched', 'quiet']) insertWatch.run(id, threads[name], 'normal');
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { users, threads, topicId };
})();
// every run that needs a fresh database starts from this state, whatever the runs before it wrote
const pristinePath = join(WORK, 'pristine.sqlite');
copyFileSync(dbPath, pristinePath);
const tokensFile = join(WORK, 'tokens.json');
writeFileSync(tokensFile, JSON.stringify(fixture.users));
/** A copy of the prepared database, for runs that must not see each other's posts. */
function freshCopy(name) {
  const path = join(WORK, `${name}.sqlite`);
  const db = new Database(pristinePath, { readonly: true });
  db.exec(`VACUUM INTO '${path.replaceAll("'", "''")}'`);
  db.close();
  return path;
}

/**
 * Runs `body(url)` on a PostgreSQL database of its own (`essor_bench_<label>_<pid>`) on TEST_DATABASE_URL's server,
 * migrated with TypeORM's CLI as the SQLite file is; the database is dropped after.
 */
async function withPostgresDatabase(label, body) {
  const { Client } = require('pg');
  const name = `essor_bench_${label}_${process.pid}`;
  const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(process.env.TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  try {
    const migrate = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/typeorm/cli.js'), 'migration:run', '-d', join(dirname(ESSOR_MAIN), 'database/data-source.js')],
      { cwd: ROOT, env: { ...process.env, ...essorEnv(dbPath), DATABASE_URL: url.toString() }, encoding: 'utf8' },
    );
    if (migrate.status !== 0) throw new Error(`migration:run on PostgreSQL failed: ${migrate.stdout}${migrate.stderr}`);
    return await body(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

// ---- results -----------------------------------------------------------------------------------------------------------

const results = [];
const round = (x, digits = 2) => (x === null || x === undefined || Number.isNaN(x) ? null : Math.round(x * 10 ** digits) / 10 ** digits);
function record(name, metric, value, baseline, baselineValue, { goal = null, met = null, note = undefined, detail = undefined } = {}) {
  const ratio = value !== null && baselineValue ? round(value / baselineValue, 3) : null;
  const row = {
    name,
    metric,
    value: round(value, 3),
    baseline,
    baselineValue: round(baselineValue, 3),
    ratio,
    goal,
    met,
    // why there is no value, or what bounds it (say "limited by the load generator")
    ...(note ? { note } : {}),
    ...(detail ? { detail } : {}),
  };
  results.push(row);
  return row;
}

/** Runs a live load generator; on each measurement window, the server's probe measures CPU and event-loop lag. */
async function live(server, args, { label }) {
  const windows = [];
  const result = await runLoadWithPhases(
    'live-load.mjs',
    { url: server.url, tokensFile, quick: QUICK, warmupSec: QUICK ? 0.5 : 1, ...args },
    server,
    windows,
    label,
  );
  return { result, windows };
}

async function runLoadWithPhases(script, args, server, windows, label) {
  const [cmd, argv] = pinned(LOAD_CORE, process.execPath, [script], CORES);
  return new Promise((res, rej) => {
    const child = spawn(cmd, argv, { cwd: BENCH, env: { ...process.env, BENCH_ARGS: JSON.stringify(args) }, stdio: ['pipe', 'pipe', 'pipe'] });
    children.add(child);
    let out = '';
    let err = '';
    let buffered = '';
    child.stdout.on('data', async (chunk) => {
      out += chunk;
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop();
      for (const line of lines) {
        if (line.startsWith('  ')) progress(`${label}: ${line.trim()}`);
        if (line.startsWith('@@PHASE ')) {
          const phase = line.slice(8);
          try {
            if (phase.startsWith('measure-start') || phase === 'connected') await server.probe('reset');
            if (phase.startsWith('measure-end') || phase === 'idle-end')
              windows.push({ phase, stats: await server.probe('stats', { gc: phase === 'idle-end' }) });
            if (phase === 'warm') windows.push({ phase, stats: await server.probe('stats', { gc: true }) });
          } catch (error) {
            err += String(error);
          }
          child.stdin.write('go\n');
        }
      }
    });
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('exit', (code) => {
      children.delete(child);
      const line = out.split('\n').find((l) => l.startsWith('@@RESULT '));
      if (code === 0 && line) return res(JSON.parse(line.slice(9)));
      rej(new Error(`${label} (${script}) exited with ${code}: ${err.slice(-3000)}`));
    });
  });
}

const loadOpts = (label) => ({ core: LOAD_CORE, cores: CORES, label });
const liveNames = ['fanout', 'saturation', 'idle-connections'];

// ---- 2. the workloads -------------------------------------------------------------------------------------------------

const runs = {};

/** The live workloads on `server`; idle-connections on a fresh process from `restart` (none: not run). */
async function liveWorkloads(server, who, restart) {
  if (wanted('fanout')) {
    progress(`fanout on ${who}: ${SIZES.subscribers} subscribers, ${SIZES.fanoutRate} posts/s for ${SIZES.fanoutSec} s`);
    runs[`fanout:${who}`] = await fanout(server, who, fixture.threads.fanout);
  }
  if (wanted('saturation')) {
    const { from, coarse, fine } = SIZES.saturation;
    progress(
      `saturation on ${who}: ${SIZES.subscribers} subscribers, from ${from} posts/s in steps of ×${coarse} then ×${fine}, ${SIZES.satStepSec} s each, up to p99 > 100 ms or reach < 1`,
    );
    runs[`saturation:${who}`] = await live(
      server,
      {
        mode: 'saturation',
        threadId: fixture.threads.saturation,
        subscribers: SIZES.subscribers,
        senders: 8,
        saturation: SIZES.saturation,
        stepSec: SIZES.satStepSec,
        p99LimitMs: 100,
      },
      { label: `saturation ${who}` },
    );
  }
  if (wanted('idle-connections') && restart) await idleWorkload(restart, who);
}

/** The fanout workload: SIZES.subscribers members of `threadId` (spread over `urls` when given), 4 senders on `server`. */
const fanout = (server, who, threadId, urls) =>
  live(
    server,
    {
      mode: 'fanout',
      threadId,
      urls,
      subscribers: SIZES.subscribers,
      senders: 4,
      rate: SIZES.fanoutRate,
      durationSec: SIZES.fanoutSec,
    },
    { label: `fanout ${who}` },
  );

/** On a server process of its own (`start()`), so that what earlier workloads left in its heap does not skew RSS. */
async function idleWorkload(start, who) {
  const server = await start();
  try {
    progress(`idle-connections on ${who} (fresh process): ${SIZES.idle} authenticated sockets, idle ${SIZES.idleSec} s`);
    const windows = [];
    const result = await runLoadWithPhases(
      'live-load.mjs',
      { mode: 'idle', url: server.url, tokensFile, quick: QUICK, connections: SIZES.idle, idleSec: SIZES.idleSec },
      server,
      windows,
      `idle ${who}`,
    );
    const before = windows.find((w) => w.phase === 'warm').stats;
    const after = windows.find((w) => w.phase === 'idle-end').stats;
    const added = SIZES.idle - result.warm;
    runs[`idle:${who}`] = {
      result,
      before,
      after,
      rssPerConnKB: (after.rss - before.rss) / 1024 / added,
      heapPerConnKB: (after.heapUsed - before.heapUsed) / 1024 / added,
    };
    progress(
      `idle ${who}: RSS ${(before.rss / 2 ** 20).toFixed(1)} MB with ${result.warm} sockets → ${(after.rss / 2 ** 20).toFixed(1)} MB with ${SIZES.idle} = ${runs[`idle:${who}`].rssPerConnKB.toFixed(1)} KB per connection, event-loop lag p99 ${after.lag.p99} ms`,
    );
  } finally {
    await server.stop();
  }
}

// write-path: each configuration is run in a closed loop of SIZES.writers writers, which measures capacity (posts/s),
// then in an open loop at the goal rate, SIZES.writeRate, which measures commit latency (see openLoop in lib.mjs). The
// quick run's open loops are shorter, each server being warm from the closed loop before: it saves some 4 s
const WRITE_MODES = ['closed', 'open'];
const writeArgs = (mode) => ({
  mode,
  rate: SIZES.writeRate,
  writers: SIZES.writers,
  threadId: fixture.threads.write,
  ...(mode === 'open'
    ? { durationSec: SIZES.writeOpenSec, warmupSec: SIZES.writeOpenWarmupSec }
    : { durationSec: SIZES.writeSec, warmupSec: SIZES.writeWarmupSec }),
});
const describeWrite = (mode) =>
  mode === 'open'
    ? `open loop at ${SIZES.writeRate} posts/s over ${SIZES.writers} writers, ${SIZES.writeOpenSec} s`
    : `closed loop of ${SIZES.writers} writers, ${SIZES.writeSec} s`;

/** Both loops over each transport, one run after the other on one server and database file, into runs[`${key}:…`]. */
async function writeWorkloads(server, who, key, transports) {
  for (const transport of transports) {
    for (const mode of WRITE_MODES) {
      progress(`write-path on ${who} over ${transport}: ${describeWrite(mode)}`);
      await server.probe('reset');
      const result = await runLoad('write-load.mjs', [], {
        ...loadOpts(`write ${transport}`),
        env: { BENCH_ARGS: JSON.stringify({ ...writeArgs(mode), transport, url: server.url, tokensFile, tokenOffset: 1 }) },
      });
      result.server = await server.probe('stats');
      runs[`${key}:${transport}:${mode}`] = result;
    }
  }
}

// watchers: live posts (closed loop, c=16) in a thread 200 people watch and do not read meanwhile (the first post writes
// their 200 notifications in its transaction; each one then stands for the posts after it until read), against the
// same in a thread nobody watches; both on one server and database file, quiet first
async function watchersWorkload() {
  const dbFile = freshCopy('essor-watchers');
  const server = await startEssor(dbFile);
  try {
    for (const name of ['quiet', 'watched']) {
      progress(`watchers: ${describeWrite('closed')} over live, in the ${name} thread`);
      await server.probe('reset');
      const result = await runLoad('write-load.mjs', [], {
        ...loadOpts(`watchers ${name}`),
        env: {
          BENCH_ARGS: JSON.stringify({
            ...writeArgs('closed'),
            threadId: fixture.threads[name],
            transport: 'live',
            url: server.url,
            tokensFile,
            tokenOffset: 1,
          }),
        },
      });
      result.server = await server.probe('stats');
      runs[`watchers:${name}`] = result;
    }
  } finally {
    await server.stop();
  }
  // what was really written: notifications per post in each thread
  const db = new Database(dbFile, { readonly: true });
  for (const name of ['quiet', 'watched']) {
    const threadId = fixture.threads[name];
    const posts = db.prepare('SELECT COUNT(*) FROM posts WHERE threadId = ?').pluck().get(threadId);
    const notifications = db.prepare('SELECT COUNT(*) FROM notifications WHERE threadId = ?').pluck().get(threadId);
    runs[`watchers:${name}`].notificationsPerPost = posts ? round(notifications / posts, 2) : null;
  }
  db.close();
}

async function httpWorkloads(url, who, server) {
  for (const [key, path] of [
    ['thread', `/api/threads/${fixture.threads.read}?limit=200`],
    ['topics', '/api/topics'],
  ]) {
    progress(`http-thread on ${who}: GET ${path}, ${SIZES.httpConnections} connections, ${SIZES.httpSec} s`);
    await server?.probe('reset');
    runs[`http:${key}:${who}`] = await runLoad('http-load.mjs', [], {
      ...loadOpts(`http ${who}`),
      env: {
        BENCH_ARGS: JSON.stringify({ url, path, token: fixture.users[0].token, connections: SIZES.httpConnections, durationSec: SIZES.httpSec }),
      },
    });
    if (server) runs[`http:${key}:${who}`].server = await server.probe('stats');
  }
}

// Essor, synchronous NORMAL (the default)
let essor = await startEssor(dbPath, 'NORMAL');
progress(`Essor up at ${essor.url} (pid ${essor.pid})`);
const captured = {};
try {
  for (const path of [`/api/threads/${fixture.threads.read}`, '/api/topics']) {
    const res = await fetch(`${essor.url}${path}${path.includes('threads') ? '?limit=200' : ''}`, {
      headers: { authorization: `Bearer ${fixture.users[0].token}` },
    });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    captured[path] = await res.text();
  }
  const threadPage = JSON.parse(captured[`/api/threads/${fixture.threads.read}`]);
  progress(
    `read thread: ${threadPage.posts.length} posts, ${captured[`/api/threads/${fixture.threads.read}`].length} bytes; topics: ${captured['/api/topics'].length} bytes`,
  );
  if (liveNames.some(wanted)) await liveWorkloads(essor, 'essor', () => startEssor(freshCopy('essor-idle')));
  if (wanted('http-thread')) await httpWorkloads(essor.url, 'essor', essor);
} finally {
  await essor.stop();
}

if (wanted('watchers')) await watchersWorkload();

if (wanted('write-path')) {
  // quick: NORMAL and better-sqlite3 only, the defaults
  for (const synchronous of SIZES.writeSyncModes) {
    for (const driver of SQLITE_DRIVERS) {
      essor = await startEssor(freshCopy(`essor-${driver}-${synchronous}`), synchronous, { SQLITE_DRIVER: driver });
      try {
        await writeWorkloads(essor, `Essor (${driver}, ${synchronous})`, `write:essor:${driver}:${synchronous}`, ['http', 'live']);
      } finally {
        await essor.stop();
      }
    }
  }
  const authorIds = fixture.users.slice(1, 1 + SIZES.writers).map((u) => u.id);
  for (const synchronous of SIZES.writeSyncModes) {
    for (const driver of SQLITE_DRIVERS) {
      for (const mode of WRITE_MODES) {
        progress(`write-path raw ${driver} (${synchronous}): ${describeWrite(mode)}`);
        runs[`write:raw:${driver}:${synchronous}:${mode}`] = await runLoad('raw-driver.mjs', [], {
          core: SERVER_CORE,
          cores: CORES,
          label: `raw ${driver}`,
          env: {
            BENCH_ARGS: JSON.stringify({
              ...writeArgs(mode),
              driver,
              synchronous,
              dbPath: freshCopy(`raw-${driver}-${synchronous}-${mode}`),
              authorIds,
            }),
          },
        });
      }
    }
  }
  // the bare NestJS POST (on Express, then on Fastify), what the framework and validation alone cost on the HTTP write
  // path: in the full run only, as the GET reference, for the quick one's sake
  if (!QUICK) {
    for (const [key, label, platform] of [
      ['write:nest', 'bare NestJS', 'express'],
      ['write:nest-fastify', 'bare NestJS on Fastify', 'fastify'],
    ]) {
      const nest = await startServer(`nest-${platform}`, join(BENCH, 'nest-baseline.mjs'), { BENCH_NEST_PLATFORM: platform }, { cwd: BENCH });
      try {
        await writeWorkloads(nest, label, key, ['http']);
      } finally {
        await nest.stop();
      }
    }
  }
}

// write-path-postgres: the write-path's four loops (HTTP and live, closed and open) with Essor on PostgreSQL, against
// the same on SQLite (better-sqlite3, NORMAL: run here when write-path did not run). synchronous_commit is the server's
// own (on, unless configured otherwise), and recorded.
if (wanted('write-path-postgres')) {
  if (!process.env.TEST_DATABASE_URL) progress('write-path-postgres skipped: TEST_DATABASE_URL is not set');
  else {
    const sqliteKey = 'write:essor:better-sqlite3:NORMAL';
    if (!runs[`${sqliteKey}:live:closed`]) {
      essor = await startEssor(freshCopy('essor-better-sqlite3-NORMAL'), 'NORMAL');
      try {
        await writeWorkloads(essor, 'Essor (better-sqlite3, NORMAL)', sqliteKey, ['http', 'live']);
      } finally {
        await essor.stop();
      }
    }
    const dataSourceFile = join(dirname(ESSOR_MAIN), 'database/data-source.js');
    const postgresEnv = (url) => ({ DATABASE_URL: url });
    await withPostgresWriteDatabase(
      {
        serverUrl: process.env.TEST_DATABASE_URL,
        users: fixture.users.slice(0, 1 + SIZES.writers),
        threadId: fixture.threads.write,
        migrate: (url) => runMigrations({ root: ROOT, dataSourceFile, env: { ...process.env, ...essorEnv(dbPath), ...postgresEnv(url) } }),
        seed: async (url) => (await startEssor(dbPath, 'NORMAL', postgresEnv(url))).stop(),
      },
      async (url, { synchronousCommit }) => {
        runs['write:essor:postgres'] = { synchronousCommit };
        // a server per transport, live (the goal's) first: the backlog an open loop leaves on a server that could not
        // keep up with its rate must not hold the next closed loop
        for (const transport of ['live', 'http']) {
          essor = await startEssor(dbPath, 'NORMAL', postgresEnv(url));
          try {
            await writeWorkloads(essor, `Essor (PostgreSQL, synchronous_commit ${synchronousCommit})`, 'write:essor:postgres', [transport]);
          } finally {
            await essor.stop();
          }
        }
      },
    );
  }
}

if (liveNames.some(wanted)) {
  const relay = await startRelay();
  progress(`relay up at ${relay.url}`);
  try {
    await liveWorkloads(relay, 'relay', startRelay);
  } finally {
    await relay.stop();
  }
  const wsRelay = await startWsRelay();
  progress(`ws relay up at ${wsRelay.url}`);
  try {
    // its idle sockets, a reference row, in the full run only: the quick run stays under a minute
    await liveWorkloads(wsRelay, 'ws-relay', QUICK ? null : startWsRelay);
  } finally {
    await wsRelay.stop();
  }
}

// fanout-2-instances: the fanout workload with its members split over two Essor instances (PostgreSQL, the Redis adapter
// on a redis-server of its own), against the same members on the first instance alone, same database and Redis
async function fanoutTwoInstances() {
  const redis = spawnSync('redis-server', ['--version']).status === 0 ? await startRedisServer() : null;
  if (!redis) return 'redis-server is not installed';
  try {
    await withPostgresDatabase('fanout2', async (url) => {
      const env = { DATABASE_URL: url, REDIS_URL: redis.url };
      const first = await startEssor(dbPath, 'NORMAL', env);
      let second;
      try {
        const { Client } = require('pg');
        const client = new Client({ connectionString: url });
        await client.connect();
        const threadId = randomUUID();
        try {
          const members = fixture.users.slice(0, SIZES.subscribers + 4).map((u) => u.id);
          await client.query(
            "INSERT INTO users (id, email, \"passwordHash\", \"displayName\", role, disabled) SELECT id, 'bench-' || n || '@bench.invalid', '!bench-no-password', 'Participant ' || n, 'participant', false FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, n)",
            [members],
          );
          await client.query(
            `INSERT INTO threads (id, "topicId", context, title, "authorId", pinned, locked, "postCount", "lastSeq", "lastActivityAt")
             SELECT $1, id, 'topic', 'Bench fanout-2-instances', $2, false, false, 0, 0, now() FROM topics ORDER BY position LIMIT 1`,
            [threadId, members[0]],
          );
        } finally {
          await client.end();
        }
        progress(`fanout-2-instances: ${SIZES.subscribers} subscribers on one instance (PostgreSQL, Redis), ${SIZES.fanoutRate} posts/s`);
        runs['fanout-2:one'] = await fanout(first, 'one instance', threadId);
        second = await startEssor(dbPath, 'NORMAL', env);
        progress(`fanout-2-instances: the same subscribers split over two instances`);
        runs['fanout-2:two'] = await fanout(first, 'two instances', threadId, [first.url, second.url]);
      } finally {
        await second?.stop();
        await first.stop();
      }
    });
  } finally {
    redis.stop();
  }
}
/** A throwaway redis-server on a free port, without persistence (as the tests start theirs). */
async function startRedisServer() {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  children.add(child);
  for (let tries = 0; ; tries++) {
    const up = await new Promise((res) => {
      const probe = net.connect(port, '127.0.0.1', () => res(true) || probe.end());
      probe.once('error', () => res(false));
    });
    if (up) break;
    if (tries > 100) throw new Error('redis-server did not start');
    await sleep(50);
  }
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGKILL') };
}
/** Why fanout-2-instances did not run, for its row. */
let fanoutTwoSkipped;
if (wanted('fanout-2-instances')) {
  fanoutTwoSkipped = process.env.TEST_DATABASE_URL ? await fanoutTwoInstances() : 'TEST_DATABASE_URL is not set';
  if (fanoutTwoSkipped) progress(`fanout-2-instances: skipped, ${fanoutTwoSkipped}`);
}

if (wanted('http-thread')) {
  const routesFile = join(WORK, 'routes.json');
  writeFileSync(routesFile, JSON.stringify(captured));
  // bare Express and bare Fastify, the two servers Nest runs on; the bare NestJS references (on each) only in the full
  // run, which keeps the quick one under a minute
  const baselines = [
    ['express', 'express-baseline.mjs', {}],
    ['fastify', 'fastify-baseline.mjs', {}],
    ...(QUICK
      ? []
      : [
          ['nest', 'nest-baseline.mjs', {}],
          ['nest-fastify', 'nest-baseline.mjs', { BENCH_NEST_PLATFORM: 'fastify' }],
        ]),
  ];
  for (const [who, script, env] of baselines) {
    const server = await startServer(who, join(BENCH, script), { BENCH_ROUTES: routesFile, ...env }, { cwd: BENCH });
    try {
      await httpWorkloads(server.url, who, server);
    } finally {
      await server.stop();
    }
  }
}

// attachments: a 20 MB file up and down, Essor (SQLite, and PostgreSQL when TEST_DATABASE_URL is set) against a bare
// static file server; the file is a PDF so that Essor reads its type at once and makes no preview
const TRANSFER_MB = 20;
async function transferWorkload(key, server, args) {
  progress(`attachments on ${key}: ${TRANSFER_MB} MB up then down, ${SIZES.transferRounds} rounds each`);
  await server.probe('reset');
  runs[`attachments:${key}`] = await runLoad('transfer-load.mjs', [], {
    ...loadOpts(`attachments ${key}`),
    env: { BENCH_ARGS: JSON.stringify({ rounds: SIZES.transferRounds, file: transferFile, ...args }) },
  });
  runs[`attachments:${key}`].server = await server.probe('stats').catch(() => undefined);
}
const transferFile = join(WORK, 'transfer-20mb.pdf');
if (wanted('attachments')) {
  writeFileSync(transferFile, Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(TRANSFER_MB * 1024 * 1024 - 9)]));
  // a quota that many rounds fit in; uploads stay attached to nothing (the bench's uploader reads them back)
  const transferEnv = { ATTACHMENT_QUOTA_MB: '100000', ATTACHMENT_MAX_MB: String(TRANSFER_MB + 1) };
  const uploader = fixture.users[1].token;
  for (const storage of ['database', 'directory']) {
    const server = await startEssor(freshCopy(`attachments-${storage}`), 'NORMAL', { ...transferEnv, ATTACHMENT_STORAGE: storage });
    try {
      await transferWorkload(`sqlite-${storage}`, server, { uploadUrl: `${server.url}/api/attachments`, token: uploader });
    } finally {
      await server.stop();
    }
  }
  if (process.env.TEST_DATABASE_URL) {
    const pg = require('pg');
    const name = `essor_bench_${Date.now()}`;
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(process.env.TEST_DATABASE_URL);
    url.pathname = `/${name}`;
    const credentials = { email: 'bench-admin@bench.invalid', password: 'bench-admin-password' };
    const server = await startEssor(dbPath, 'NORMAL', {
      ...transferEnv,
      DATABASE_URL: url.toString(),
      ADMIN_EMAIL: credentials.email,
      ADMIN_PASSWORD: credentials.password,
    });
    try {
      const login = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(credentials),
      });
      const { accessToken } = await login.json();
      await transferWorkload('postgres-database', server, { uploadUrl: `${server.url}/api/attachments`, token: accessToken });
    } finally {
      await server.stop();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }
  const staticDir = join(WORK, 'static-files');
  mkdirSync(staticDir, { recursive: true });
  copyFileSync(transferFile, join(staticDir, 'transfer-20mb.pdf'));
  const bare = await startServer('static', join(BENCH, 'static-baseline.mjs'), { BENCH_STATIC_DIR: staticDir }, { cwd: BENCH });
  try {
    await transferWorkload('static', bare, { uploadUrl: `${bare.url}/upload`, downloadUrl: `${bare.url}/files/transfer-20mb.pdf` });
  } finally {
    await bare.stop();
  }
}

// ---- search: 100,000 posts of French-like text, 20 queries, and /api/health beside a searching client -----------------

const SEARCH_POSTS = QUICK ? 10_000 : 100_000;
const POSTS_PER_SEARCH_THREAD = 200;
const SEARCH_SECONDS = QUICK ? { durationSec: 3, warmupSec: 0.5, healthSec: 2 } : { durationSec: 20, warmupSec: 2, healthSec: 8 };

/** The search corpus: threads of 200 posts each, one post every few minutes back from a fixed date. */
function searchCorpus(authorIds) {
  const random = seeded(16);
  const start = Date.parse('2026-11-01T00:00:00Z');
  const threads = [];
  const posts = [];
  for (let t = 0; t < SEARCH_POSTS / POSTS_PER_SEARCH_THREAD; t++) {
    const id = randomUUID();
    threads.push({ id, title: `Fil ${t} : ${frenchPost(random).split('.')[0]}`, authorId: authorIds[t % authorIds.length] });
    for (let seq = 1; seq <= POSTS_PER_SEARCH_THREAD; seq++) {
      const n = t * POSTS_PER_SEARCH_THREAD + seq;
      posts.push({
        id: randomUUID(),
        threadId: id,
        seq,
        authorId: authorIds[n % authorIds.length],
        body: frenchPost(random),
        createdAt: new Date(start - (SEARCH_POSTS - n) * 5 * 60_000),
      });
    }
  }
  return { threads, posts };
}

function insertSearchCorpusSqlite(path, corpus) {
  const db = new Database(path);
  const insertThread = db.prepare(
    "INSERT INTO threads (id, topicId, context, title, authorId, pinned, locked, postCount, lastSeq, lastPostAt, lastActivityAt) VALUES (?, NULL, 'topic', ?, ?, 0, 0, ?, ?, ?, ?)",
  );
  const insertPost = db.prepare(
    'INSERT INTO posts (id, threadId, seq, parentId, authorId, body, clientKey, createdAt) VALUES (?, ?, ?, NULL, ?, ?, NULL, ?)',
  );
  const now = sqlTime(new Date());
  db.transaction(() => {
    for (const thread of corpus.threads)
      insertThread.run(thread.id, thread.title, thread.authorId, POSTS_PER_SEARCH_THREAD, POSTS_PER_SEARCH_THREAD, now, now);
    for (const post of corpus.posts) insertPost.run(post.id, post.threadId, post.seq, post.authorId, post.body, sqlTime(post.createdAt));
  })();
  db.close();
}

async function insertSearchCorpusPostgres(client, corpus) {
  const count = POSTS_PER_SEARCH_THREAD;
  await client.query(
    `INSERT INTO threads (id, "topicId", context, title, "authorId", "postCount", "lastSeq", "lastPostAt", "lastActivityAt")
     SELECT id, NULL, 'topic', title, author, ${count}, ${count}, $4, $4 FROM unnest($1::uuid[], $2::text[], $3::uuid[]) AS t(id, title, author)`,
    [corpus.threads.map((t) => t.id), corpus.threads.map((t) => t.title), corpus.threads.map((t) => t.authorId), new Date()],
  );
  for (let from = 0; from < corpus.posts.length; from += 5000) {
    const batch = corpus.posts.slice(from, from + 5000);
    await client.query(
      `INSERT INTO posts (id, "threadId", seq, "authorId", body, "createdAt")
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::uuid[], $5::text[], $6::timestamptz[])`,
      [
        batch.map((p) => p.id),
        batch.map((p) => p.threadId),
        batch.map((p) => p.seq),
        batch.map((p) => p.authorId),
        batch.map((p) => p.body),
        batch.map((p) => p.createdAt),
      ],
    );
  }
}

/** Builds the full-text index over what was inserted in bulk, with the very code of the migration that builds it. */
async function buildSearchIndex(databaseConfig) {
  const { buildDataSourceOptions, createDataSource } = require(join(dirname(ESSOR_MAIN), 'database/data-source-options.js'));
  const dataSource = createDataSource(buildDataSourceOptions(databaseConfig));
  await dataSource.initialize();
  try {
    await dataSource.transaction((manager) => require(join(dirname(ESSOR_MAIN), 'search/search-index.js')).buildSearchIndex(manager));
  } finally {
    await dataSource.destroy();
  }
}

async function searchWorkload(engine, env, token) {
  const server = await startEssor(env.DATABASE_URL.replace(/^sqlite:/, ''), 'NORMAL', env);
  try {
    progress(
      `search on ${engine}: ${SEARCH_QUERIES.length} queries one at a time for ${SEARCH_SECONDS.durationSec} s, then /api/health idle and beside a searching client`,
    );
    const windows = [];
    const args = { url: server.url, token, queries: SEARCH_QUERIES, ...SEARCH_SECONDS };
    const result = await runLoadWithPhases('search-load.mjs', args, server, windows, `search ${engine}`);
    const window = (name) => windows.find((w) => w.phase === `measure-end ${name}`)?.stats;
    runs[`search:${engine}`] = {
      ...result,
      server: { search: window('search'), healthIdle: window('health-idle'), healthBusy: window('health-busy') },
    };
  } finally {
    await server.stop();
  }
}

if (wanted('search')) {
  const authorIds = fixture.users.slice(1, 65).map((u) => u.id);
  progress(`search: generating ${SEARCH_POSTS.toLocaleString('en-US')} French-like posts (fixed seed)`);
  const corpus = searchCorpus(authorIds);
  const searchDb = freshCopy('search');
  const started = Date.now();
  insertSearchCorpusSqlite(searchDb, corpus);
  progress(`search: inserted into SQLite in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const indexStarted = Date.now();
  await buildSearchIndex({ type: 'sqlite', path: searchDb, synchronous: 'NORMAL', driver: 'better-sqlite3' });
  progress(`search: SQLite index built in ${((Date.now() - indexStarted) / 1000).toFixed(1)} s`);
  await searchWorkload('sqlite', { DATABASE_URL: `sqlite:${searchDb}` }, fixture.users[0].token);

  if (process.env.TEST_DATABASE_URL) {
    await withPostgresDatabase('search', async (url) => {
      const { Client } = require('pg');
      const client = new Client({ connectionString: url });
      await client.connect();
      const pgStarted = Date.now();
      try {
        await client.query(
          "INSERT INTO users (id, email, \"passwordHash\", \"displayName\", role, disabled) SELECT id, 'search-' || n || '@bench.invalid', '!bench-no-password', 'Participant ' || n, 'participant', false FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, n)",
          [[fixture.users[0].id, ...authorIds]],
        );
        await insertSearchCorpusPostgres(client, corpus);
      } finally {
        await client.end();
      }
      progress(`search: inserted into PostgreSQL in ${((Date.now() - pgStarted) / 1000).toFixed(1)} s`);
      const pgIndexStarted = Date.now();
      await buildSearchIndex({ type: 'postgres', url });
      progress(`search: PostgreSQL index built in ${((Date.now() - pgIndexStarted) / 1000).toFixed(1)} s`);
      await searchWorkload('postgres', { DATABASE_URL: url }, fixture.users[0].token);
    });
  }
}

// ---- 3. the table --------------------------------------------------------------------------------------------------------

const cpuOf = (run) => run?.windows?.filter((w) => w.phase.startsWith('measure-end')).map((w) => w.stats.cpu);
// fan-out: socket.io's relay is the goal's baseline, the plain ws relay (ws-relay.mjs) the practical limit beside it
if (runs['fanout:essor']) {
  const step = (who) => runs[`fanout:${who}`]?.result.steps[0];
  const [e, r, w] = [step('essor'), step('relay'), step('ws-relay')];
  const detail = {
    subscribers: SIZES.subscribers,
    postsPerSec: SIZES.fanoutRate,
    posts: e.posts,
    essorAck: e.ack,
    clientCpu: e.clientCpu,
    relayClientCpu: r?.clientCpu,
    wsRelayClientCpu: w?.clientCpu,
    serverCpu: cpuOf(runs['fanout:essor'])?.[0],
    relayCpu: cpuOf(runs['fanout:relay'])?.[0],
    wsRelayCpu: cpuOf(runs['fanout:ws-relay'])?.[0],
  };
  record('fanout', 'latency p50 (ms)', e.latency.p50, 'relay', r?.latency.p50);
  record('fanout', 'latency p99 (ms)', e.latency.p99, 'relay', r?.latency.p99, {
    goal: '≤ 50 ms and ≤ 1.25× relay',
    met: e.latency.p99 <= 50 && (!r || e.latency.p99 <= 1.25 * r.latency.p99),
    detail,
  });
  record('fanout', 'latency p99 (ms), against the plain ws relay', e.latency.p99, 'ws relay', w?.latency.p99, {
    detail: { wsRelayP50: w?.latency.p50, relayAgainstWsRelay: r && w ? round(r.latency.p99 / w.latency.p99, 3) : null },
  });
  record('fanout', 'latency p99.9 (ms)', e.latency.p999, 'relay', r?.latency.p999);
  record('fanout', 'latency max (ms)', e.latency.max, 'relay', r?.latency.max);
  record('fanout', 'reach', e.reach, 'relay', r?.reach, { goal: '1.0', met: e.reach === 1 });
}
if (runs['fanout-2:one']) {
  const [one, two] = [runs['fanout-2:one'].result.steps[0], runs['fanout-2:two'].result.steps[0]];
  record(
    'fanout-2-instances',
    'latency p99 (ms), members split over two instances (PostgreSQL, Redis)',
    two.latency.p99,
    'one instance',
    one.latency.p99,
    {
      detail: {
        subscribers: SIZES.subscribers,
        postsPerSec: SIZES.fanoutRate,
        p50: two.latency.p50,
        oneP50: one.latency.p50,
        reach: two.reach,
        oneReach: one.reach,
        clientCpu: two.clientCpu,
        oneClientCpu: one.clientCpu,
        serverCpu: cpuOf(runs['fanout-2:two'])?.[0],
        oneServerCpu: cpuOf(runs['fanout-2:one'])?.[0],
      },
    },
  );
} else if (fanoutTwoSkipped) {
  record('fanout-2-instances', 'latency p99 (ms), members split over two instances (PostgreSQL, Redis)', null, 'one instance', null, {
    note: `skipped: ${fanoutTwoSkipped} (two instances need PostgreSQL and Redis)`,
  });
}
/** Above this share of one core (or below 95 % of the rate asked) the load generator, not the server, was the limit. */
const CLIENT_LIMIT = 0.9;
/** A server that failed a step while using less than this share of its core did not have the core: other work had it. */
const STARVED_BELOW = 0.6;
const clientLimited = (step) => step.clientCpu >= CLIENT_LIMIT || step.achievedRate < 0.95 * step.rate;
function knee(run) {
  if (!run) return null;
  const { passed, failedAt } = run.result;
  const steps = run.result.steps.map((step, i) => ({ ...step, serverCpu: run.windows[i]?.stats.cpu }));
  // the step objects came through JSON: a step is found again by its rate and stage, which no two steps share
  const withCpu = (step) => step && steps.find((s) => s.rate === step.rate && s.stage === step.stage);
  const brief = (step) =>
    step && {
      rate: step.rate,
      stage: step.stage,
      deliveriesPerSec: step.deliveriesPerSec,
      p99: step.latency.p99,
      reach: step.reach,
      clientCpu: step.clientCpu,
      serverCpu: step.serverCpu,
    };
  const failed = withCpu(failedAt);
  // what stopped the ramp: the client (the server's own knee is higher), the machine (the server had not its core),
  // or the server itself
  const limitedBy = !failed ? null : clientLimited(failed) ? 'load generator' : failed.serverCpu < STARVED_BELOW ? 'machine' : 'server';
  return {
    deliveriesPerSec: passed?.deliveriesPerSec ?? null,
    rate: passed?.rate ?? null,
    passed: brief(withCpu(passed)),
    failedAt: brief(failed),
    limitedBy,
    notReached: !failed,
    steps: steps.map(brief),
  };
}
if (runs['saturation:essor']) {
  const e = knee(runs['saturation:essor']);
  const r = knee(runs['saturation:relay']);
  const w = knee(runs['saturation:ws-relay']);
  const note = (k) => {
    if (!k?.failedAt || k.limitedBy === 'server') {
      return k?.deliveriesPerSec === null ? `failed from the lowest rate (p99 ${k.failedAt.p99} ms at ${k.failedAt.rate} posts/s)` : undefined;
    }
    const why =
      k.limitedBy === 'load generator'
        ? 'limited by the load generator'
        : `limited by the machine (the server had ${k.failedAt.serverCpu} of its core at the failing step: other work took the rest)`;
    return k.deliveriesPerSec === null ? why : `${why}: the server’s knee is at least this`;
  };
  const ratioMet = () => {
    if (!r?.deliveriesPerSec || e.deliveriesPerSec === null) return null;
    if (e.deliveriesPerSec >= 0.7 * r.deliveriesPerSec) return true;
    // below only counts when Essor itself was the limit (a relay held back by the client or the machine only lowers the
    // bar); Essor held back by them decides nothing
    return e.limitedBy === 'server' ? false : null;
  };
  record('saturation', 'deliveries/s at the knee', e.deliveriesPerSec, 'relay', r?.deliveriesPerSec, {
    goal: '≥ 0.7× relay',
    met: ratioMet(),
    note: note(e),
    detail: { essor: e, relay: r, relayNote: note(r) },
  });
  record('saturation', 'posts/s at the knee', e.rate, 'relay', r?.rate, { note: note(e) });
  record('saturation', 'deliveries/s at the knee, against the plain ws relay', e.deliveriesPerSec, 'ws relay', w?.deliveriesPerSec, {
    note: note(e),
    detail: { wsRelay: w, wsRelayNote: note(w) },
  });
}
if (runs['idle:essor']) {
  const e = runs['idle:essor'];
  const r = runs['idle:relay'];
  record('idle-connections', 'RSS per connection (KB)', e.rssPerConnKB, 'relay', r?.rssPerConnKB, {
    goal: '≤ 1.2× relay',
    met: r && r.rssPerConnKB > 0 ? e.rssPerConnKB <= 1.2 * r.rssPerConnKB : null,
    detail: {
      connections: SIZES.idle,
      essorRssMB: [e.before.rss / 2 ** 20, e.after.rss / 2 ** 20].map((x) => round(x, 1)),
      relayRssMB: r && [r.before.rss / 2 ** 20, r.after.rss / 2 ** 20].map((x) => round(x, 1)),
      heapPerConnKB: round(e.heapPerConnKB),
      relayHeapPerConnKB: round(r?.heapPerConnKB),
      stillConnected: e.result.stillConnected,
      clientCpu: e.result.clientCpu,
    },
  });
  const w = runs['idle:ws-relay'];
  record('idle-connections', 'RSS per connection (KB), against the plain ws relay', e.rssPerConnKB, 'ws relay', w?.rssPerConnKB, {
    detail: {
      wsRelayHeapPerConnKB: round(w?.heapPerConnKB),
      wsRelayRssMB: w && [w.before.rss / 2 ** 20, w.after.rss / 2 ** 20].map((x) => round(x, 1)),
    },
  });
  record('idle-connections', 'event-loop lag p99 (ms)', e.after.lag.p99, 'relay', r?.after.lag.p99);
}
// write-path: the closed loop gives posts/s (its p99, concurrency ÷ throughput, stays in the detail); the open loop at
// the goal rate gives the p99, met only if the server also kept up with that rate, without a single failure
const offered = `at ${SIZES.writeRate.toLocaleString('en-US')} posts/s offered`;
const writeValue = (run) => (run.mode === 'open' ? run.latency.p99 : run.postsPerSec);
const writeMetric = (run, ...tags) =>
  run.mode === 'open' ? `p99 commit (ms) ${offered} (${tags.join(', ')})` : `posts/s (${[...tags, `closed loop c=${run.writers}`].join(', ')})`;
const openMet = (run) => run.latency.p99 <= 10 && run.postsPerSec >= 0.98 * run.offered && run.failed === 0;
function writeDetail(run) {
  const { latency } = run;
  return {
    ...(run.mode === 'open'
      ? { offered: run.offered, achieved: run.postsPerSec, p50: latency.p50, p999: latency.p999, dropped: run.dropped, outstanding: run.outstanding }
      : { writers: run.writers, p50: latency.p50, p99: latency.p99 }),
    max: latency.max,
    failed: run.failed,
    firstFailure: run.firstFailure,
    // the raw driver is its own load: one CPU figure
    ...(run.clientCpu === undefined ? { cpu: run.cpu } : { clientCpu: run.clientCpu, serverCpu: run.server?.cpu }),
  };
}
for (const synchronous of ['NORMAL', 'FULL']) {
  const raw = (driver, mode) => runs[`write:raw:${driver}:${synchronous}:${mode}`];
  for (const driver of SQLITE_DRIVERS) {
    for (const transport of ['http', 'live']) {
      for (const mode of WRITE_MODES) {
        const run = runs[`write:essor:${driver}:${synchronous}:${transport}:${mode}`];
        if (!run) continue;
        const goal = mode === 'open' ? { goal: '≤ 10 ms', met: openMet(run) } : { goal: '≥ 2,000 posts/s', met: run.postsPerSec >= 2000 };
        const baseline = raw(driver, mode);
        record(
          'write-path',
          `Essor ${transport} ${writeMetric(run, driver, synchronous)}`,
          writeValue(run),
          `raw ${driver} (${synchronous})`,
          baseline && writeValue(baseline),
          { ...goal, detail: writeDetail(run) },
        );
      }
    }
  }
  for (const mode of WRITE_MODES) {
    const [better, sqlite3] = [raw('better-sqlite3', mode), raw('sqlite3', mode)];
    if (better && sqlite3)
      record(
        'write-path',
        `raw better-sqlite3 ${writeMetric(better, synchronous)}`,
        writeValue(better),
        `raw sqlite3 (${synchronous})`,
        writeValue(sqlite3),
        { detail: { ...writeDetail(better), sqlite3: writeDetail(sqlite3) } },
      );
  }
}
for (const [key, label] of [
  ['write:nest', 'bare NestJS POST'],
  ['write:nest-fastify', 'bare NestJS on Fastify POST'],
]) {
  for (const mode of WRITE_MODES) {
    const run = runs[`${key}:http:${mode}`];
    const metric = mode === 'open' ? `p99 (ms) ${offered}` : `posts/s (closed loop c=${run?.writers})`;
    if (run) record('write-path', `${label}, validation, no database (reference) ${metric}`, writeValue(run), '', null, { detail: writeDetail(run) });
  }
}
if (wanted('write-path-postgres') && !process.env.TEST_DATABASE_URL)
  record('write-path-postgres', 'skipped: TEST_DATABASE_URL is not set', null, '', null);
// an open loop in which no post succeeded has no latency to give
const postgresWriteValue = (run) => (run && (run.mode === 'closed' || run.latency.count > 0) ? writeValue(run) : null);
for (const transport of ['http', 'live']) {
  for (const mode of WRITE_MODES) {
    const run = runs[`write:essor:postgres:${transport}:${mode}`];
    if (!run) continue;
    const sqlite = runs[`write:essor:better-sqlite3:NORMAL:${transport}:${mode}`];
    const tags = [`PostgreSQL, synchronous_commit ${runs['write:essor:postgres'].synchronousCommit}`];
    const liveClosed = transport === 'live' && mode === 'closed';
    record(
      'write-path-postgres',
      `Essor ${transport} ${writeMetric(run, ...tags)}`,
      postgresWriteValue(run),
      'Essor (better-sqlite3, NORMAL)',
      postgresWriteValue(sqlite),
      {
        ...(liveClosed ? { goal: '≥ 1,000 posts/s', met: run.postsPerSec >= 1000 && run.failed === 0 } : {}),
        detail: writeDetail(run),
      },
    );
    // the closed loop's p99 (concurrency ÷ throughput) is what 16 writers in one thread wait for each post
    if (liveClosed)
      record(
        'write-path-postgres',
        `Essor live p99 (ms) (${tags[0]}, closed loop c=${run.writers})`,
        run.latency.p99,
        'Essor (better-sqlite3, NORMAL)',
        sqlite?.latency.p99,
        {
          goal: '≤ 50 ms',
          met: run.latency.p99 <= 50,
        },
      );
  }
}
if (runs['watchers:watched']) {
  const [watched, quiet] = [runs['watchers:watched'], runs['watchers:quiet']];
  record(
    'watchers',
    `Essor live posts/s, thread watched by ${SIZES.watchers} who are away (each one's unread notification stands for the posts since; closed loop c=${watched.writers})`,
    watched.postsPerSec,
    'same thread, no followers',
    quiet.postsPerSec,
    {
      goal: '≥ 0.85× no followers',
      met: watched.postsPerSec >= 0.85 * quiet.postsPerSec,
      detail: {
        notificationsPerPost: watched.notificationsPerPost,
        quietNotificationsPerPost: quiet.notificationsPerPost,
        p99: watched.latency.p99,
        quietP99: quiet.latency.p99,
        failed: watched.failed + quiet.failed,
        clientCpu: watched.clientCpu,
        serverCpu: watched.server?.cpu,
      },
    },
  );
}
for (const [key, label] of [
  ['thread', 'GET /api/threads/:id (200 posts)'],
  ['topics', 'GET /api/topics'],
]) {
  const e = runs[`http:${key}:essor`];
  const x = runs[`http:${key}:express`];
  if (!e) continue;
  const detail = {
    connections: SIZES.httpConnections,
    bytes: e.bytesPerReq,
    non2xx: e.non2xx,
    errors: e.errors,
    clientCpu: e.clientCpu,
    serverCpu: e.server?.cpu,
    expressClientCpu: x?.clientCpu,
    expressCpu: x?.server?.cpu,
  };
  record('http-thread', `${label} req/s`, e.reqPerSec, 'bare Express', x?.reqPerSec, {
    goal: '≥ 1.0× Express',
    met: x ? e.reqPerSec >= x.reqPerSec : null,
    detail,
  });
  record('http-thread', `${label} p99 (ms)`, e.latency.p99, 'bare Express', x?.latency.p99, {
    goal: '≤ bare Express',
    met: x ? e.latency.p99 <= x.latency.p99 : null,
  });
  const f = runs[`http:${key}:fastify`];
  if (f)
    record('http-thread', `${label} req/s, against bare Fastify`, e.reqPerSec, 'bare Fastify', f.reqPerSec, {
      detail: { fastifyP99: f.latency.p99, fastifyClientCpu: f.clientCpu, fastifyCpu: f.server?.cpu },
    });
  for (const [who, reference] of [
    ['nest', 'bare NestJS on Express (reference)'],
    ['nest-fastify', 'bare NestJS on Fastify (reference)'],
  ]) {
    const n = runs[`http:${key}:${who}`];
    if (n)
      record('http-thread', `${label} req/s, ${reference}`, n.reqPerSec, 'bare Express', x?.reqPerSec, {
        detail: { p99: n.latency.p99, serverCpu: n.server?.cpu },
      });
  }
}

for (const [key, label] of [
  ['sqlite-database', 'SQLite, database storage'],
  ['sqlite-directory', 'SQLite, directory storage'],
  ['postgres-database', 'PostgreSQL, database storage'],
]) {
  const e = runs[`attachments:${key}`];
  const x = runs['attachments:static'];
  if (!e) continue;
  for (const way of ['upload', 'download']) {
    record('attachments', `${way} MB/s, ${TRANSFER_MB} MB file (${label})`, e[`${way}MBps`], 'bare static file server', x?.[`${way}MBps`], {
      detail: { rounds: e[`${way}s`], baselineRounds: x?.[`${way}s`], clientCpu: e.clientCpu, serverCpu: e.server?.cpu },
    });
  }
}

for (const engine of ['sqlite', 'postgres']) {
  const run = runs[`search:${engine}`];
  if (!run) continue;
  const label = `${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${SEARCH_POSTS.toLocaleString('en-US')} posts`;
  const detail = {
    queries: SEARCH_QUERIES.length,
    requests: run.search.count,
    failed: run.search.failed,
    max: run.search.max,
    perQuery: run.perQuery,
  };
  record('search', `search p50 (ms) (${label})`, run.search.p50, '', null);
  record('search', `search p99 (ms) (${label})`, run.search.p99, '', null, {
    goal: '≤ 50 ms',
    met: run.search.p99 <= 50 && run.search.failed === 0,
    detail,
  });
  record('search', `/api/health p99 (ms) while one client searches (${label})`, run.healthBusy.p99, 'idle', run.healthIdle.p99, {
    goal: '≤ 2× idle',
    met: run.healthBusy.p99 <= 2 * run.healthIdle.p99,
    detail: { idle: run.healthIdle, busy: run.healthBusy, searchesMeanwhile: run.searchesMeanwhile, server: run.server },
  });
  // the main thread's busy time per search (event-loop utilisation over the search window ÷ searches): what one
  // search holds every other request of the process, whatever else runs on the machine
  const { search: searchWindow, healthIdle: idleWindow, healthBusy: busyWindow } = run.server;
  record('search', `event loop held per search (ms) (${label})`, searchWindow.eventLoopActiveMs / run.sent, '', null, {
    goal: 'a few ms',
    detail: { searches: run.sent, eventLoopActiveMs: searchWindow.eventLoopActiveMs, lag: searchWindow.lag, serverCpu: searchWindow.cpu },
  });
  record('search', `event-loop lag p99 (ms) while one client searches (${label})`, busyWindow.lag.p99, 'idle', idleWindow.lag.p99);
}

const machine = {
  date: new Date().toISOString(),
  quick: QUICK,
  commit: gitCommit(ROOT),
  node: process.version,
  platform: `${os.type()} ${os.release()} ${os.arch()}`,
  cpus: CORES,
  cpuModel: os.cpus()[0]?.model,
  memoryGB: round(os.totalmem() / 2 ** 30, 1),
  pinning: existsSync('/usr/bin/taskset') && CORES > 1 ? `server core ${SERVER_CORE}, load generators core ${LOAD_CORE} (taskset)` : 'none',
  sqlite: {
    essorDefaultDriver: `better-sqlite3 ${require('better-sqlite3/package.json').version}`,
    sqlite3: require('sqlite3/package.json').version,
  },
  socketIo: require('socket.io/package.json').version,
  sizes: SIZES,
  loadAverage: { atStart: LOAD_AT_START, atEnd: os.loadavg().map((x) => round(x)) },
  durationSec: Math.round((Date.now() - t0) / 1000),
};
writeFileSync(join(RESULTS, 'latest.json'), `${JSON.stringify({ machine, results, runs }, null, 2)}\n`);

const fmt = (x) =>
  x === null || x === undefined ? '–' : typeof x === 'number' ? x.toLocaleString('en-US', { maximumFractionDigits: 3 }) : String(x);
const lines = [
  `## Essor benchmark${QUICK ? ' (quick)' : ''}`,
  '',
  `${machine.date} · commit ${machine.commit ?? '?'} · Node ${machine.node} · ${machine.cpus} × ${machine.cpuModel} · ${machine.memoryGB} GB · ${machine.pinning} · load average ${machine.loadAverage.atStart[0]} at start, ${machine.loadAverage.atEnd[0]} at end`,
  '',
  '| name | metric | value | baseline | baseline value | ratio | goal | met |',
  '|---|---|---:|---|---:|---:|---|---|',
  ...results.map(
    (r) =>
      `| ${r.name} | ${r.metric} | ${r.value === null && r.note ? r.note : fmt(r.value)}${r.value !== null && r.note ? ` (${r.note})` : ''} | ${r.baseline} | ${fmt(r.baselineValue)} | ${fmt(r.ratio)} | ${r.goal ?? ''} | ${r.met === null ? '' : r.met ? 'yes' : '**no**'} |`,
  ),
  '',
  'Load-generator CPU (share of one core; near 1.0 means the client, not the server, was the limit):',
  ...results
    .filter((r) => r.detail?.clientCpu !== undefined)
    .map(
      (r) =>
        `- ${r.name} / ${r.metric}: client ${fmt(r.detail.clientCpu)}${r.detail.serverCpu !== undefined ? `, server ${fmt(r.detail.serverCpu)}` : ''}`,
    ),
  ...['essor', 'relay', 'ws-relay']
    .map((who) => [who, knee(runs[`saturation:${who}`])])
    .filter(([, k]) => k)
    .map(
      ([who, k]) =>
        `- saturation, ${who}${k.limitedBy ? ` (limited by the ${k.limitedBy})` : ''}: ${k.steps.map((s) => `${s.rate}/s p99 ${s.p99} ms reach ${s.reach} client ${fmt(s.clientCpu)} server ${fmt(s.serverCpu)}`).join('; ')}`,
    ),
  '',
];
writeFileSync(join(RESULTS, 'latest.md'), `${lines.join('\n')}\n`);
process.stdout.write(`\n${lines.join('\n')}\n`);
progress('done: bench/results/latest.json, bench/results/latest.md');
process.exit(0);
