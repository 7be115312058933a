// Load generator for the search row: `GET /api/search?q=` over `queries`, one request at a time, for durationSec
// (latency per request); then `GET /api/health` one at a time for healthSec on an idle server, and again while a
// second loop searches without pause, to show what a search costs every other request of the process.
// BENCH_ARGS (JSON): { url, token, queries: string[], durationSec, warmupSec, healthSec }
import http from 'node:http';
import { createInterface } from 'node:readline';
import { cpuShare, emitResult, histogram, nowUs, summary } from './lib.mjs';

const args = JSON.parse(process.env.BENCH_ARGS);
const target = new URL(args.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
const stdinLines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

/** Tells the orchestrator where a measured window starts or ends (it probes the server), and waits for its go. */
async function phase(name) {
  process.stdout.write(`@@PHASE ${name}\n`);
  await stdinLines.next();
}

/** Resolves to [status, body length] of one GET. */
function get(path, token) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: target.hostname, port: target.port, path, method: 'GET', agent, headers: token ? { authorization: `Bearer ${token}` } : {} },
      (res) => {
        let length = 0;
        res.on('data', (chunk) => (length += chunk.length));
        res.on('end', () => resolve([res.statusCode, length]));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const searchPath = (query) => `/api/search?q=${encodeURIComponent(query)}`;

/** Runs `once` back to back until `seconds` have passed; the latencies of calls after warmup go into a histogram. */
async function loop(seconds, warmupSec, once, stop = () => false) {
  const hist = histogram();
  const failures = [];
  const warmEnd = performance.now() + warmupSec * 1000;
  const end = warmEnd + seconds * 1000;
  for (let n = 0; performance.now() < end && !stop(); n++) {
    const t0 = nowUs();
    const failure = await once(n);
    if (performance.now() < warmEnd) continue;
    if (failure) failures.push(failure);
    else hist.recordValue(Math.max(1, nowUs() - t0));
  }
  return { ...summary(hist), failed: failures.length, firstFailure: failures[0] };
}

const checked = async (path, token) => {
  const [status] = await get(path, token);
  return status === 200 ? null : `${path}: ${status}`;
};

// every query once, to see what it finds (and that it answers 200)
const perQuery = [];
for (const query of args.queries) {
  const t0 = nowUs();
  const [status, bytes] = await get(searchPath(query), args.token);
  perQuery.push({ query, status, bytes, ms: (nowUs() - t0) / 1000 });
}

const cpuMark = process.cpuUsage();
const started = performance.now();
let sent = 0;
await phase('measure-start search');
const search = await loop(args.durationSec, args.warmupSec, (n) => {
  sent++;
  return checked(searchPath(args.queries[n % args.queries.length]), args.token);
});
await phase('measure-end search');
const clientCpu = cpuShare(cpuMark, performance.now() - started);
process.stdout.write(
  `  search: p50 ${search.p50} ms, p99 ${search.p99} ms, max ${search.max} ms, ${search.count} requests, failed ${search.failed}\n`,
);

await phase('measure-start health-idle');
const healthIdle = await loop(args.healthSec, 0.5, () => checked('/api/health'));
await phase('measure-end health-idle');
await phase('measure-start health-busy');
let searching = true;
let searchesMeanwhile = 0;
const background = (async () => {
  for (let n = 0; searching; n++) {
    await get(searchPath(args.queries[n % args.queries.length]), args.token);
    searchesMeanwhile++;
  }
})();
const healthBusy = await loop(args.healthSec, 0.5, () => checked('/api/health'));
await phase('measure-end health-busy');
searching = false;
await background;
process.stdout.write(`  health p99: idle ${healthIdle.p99} ms, while searching ${healthBusy.p99} ms (${searchesMeanwhile} searches meanwhile)\n`);
emitResult({ search, sent, healthIdle, healthBusy, searchesMeanwhile, perQuery, clientCpu });
process.exit(0);
