// Helpers shared by the orchestrator and the load generators.
import { spawn, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const QUICK = process.env.BENCH_QUICK === '1' || process.env.BENCH_QUICK === 'true';

/** A histogram of latencies in microseconds (1 µs .. 60 s, 3 significant digits). */
export function histogram() {
  // required here, not at the top: run.mjs imports this file before it has installed bench/node_modules
  return require('hdr-histogram-js').build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
    bitBucketSize: 64,
    useWebAssembly: false,
  });
}

/** p50/p99/p99.9/max in milliseconds from a histogram of microseconds. */
export function summary(h) {
  const ms = (us) => Math.round(us) / 1000;
  return {
    count: h.totalCount,
    p50: ms(h.getValueAtPercentile(50)),
    p99: ms(h.getValueAtPercentile(99)),
    p999: ms(h.getValueAtPercentile(99.9)),
    max: ms(h.maxValue),
    mean: ms(h.mean),
  };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const nowUs = () => Number(process.hrtime.bigint() / 1000n);

let hasTaskset;
/** `taskset -c <core> <cmd...>` where taskset exists and the machine has more than one core. */
export function pinned(core, command, args, cores) {
  hasTaskset ??= existsSync('/usr/bin/taskset') || existsSync('/bin/taskset');
  if (hasTaskset && core !== undefined && cores > 1) return ['taskset', ['-c', String(core), command, ...args]];
  return [command, args];
}

/** CPU time of this process since `since` (process.cpuUsage) as a share of one core over `wallMs`. */
export function cpuShare(since, wallMs) {
  const used = process.cpuUsage(since);
  return Math.round(((used.user + used.system) / 1000 / wallMs) * 1000) / 1000;
}

/** Reports the load generator's result on its last stdout line, for the orchestrator. */
export function emitResult(result) {
  process.stdout.write(`\n@@RESULT ${JSON.stringify(result)}\n`);
}

/** Runs a load generator (node script) pinned to `core`; resolves with its @@RESULT object. Progress lines pass through. */
export function runLoad(script, args, { core, cores, env = {}, label = script } = {}) {
  const [cmd, argv] = pinned(core, process.execPath, [script, ...args], cores);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: import.meta.dirname, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      for (const line of String(chunk).split('\n')) if (line.startsWith('  ')) process.stdout.write(`${line}\n`);
    });
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('@@RESULT '));
      if (code === 0 && line) return resolve(JSON.parse(line.slice(9)));
      reject(new Error(`${label} exited with ${code}: ${err.slice(-2000)}`));
    });
  });
}

export function gitCommit(cwd) {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

/** Runs `tasks` with at most `limit` in flight. */
export async function pool(items, limit, task) {
  let next = 0;
  const results = new Array(items.length);
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** What `once` answers for a call that succeeded. */
const succeeded = (failure) => failure === null || failure === undefined;

/** Counts of a measured window: successes with their latency (µs), failures with the first one described. */
function tally() {
  const hist = histogram();
  const counts = {
    done: 0,
    failed: 0,
    firstFailure: undefined,
    fail(what, count = 1) {
      counts.failed += count;
      counts.firstFailure ??= what;
    },
    settle(failure, latencyUs) {
      if (!succeeded(failure)) return counts.fail(failure);
      counts.done++;
      hist.recordValue(Math.max(1, Math.round(latencyUs)));
    },
    report: () => ({ done: counts.done, failed: counts.failed, firstFailure: counts.firstFailure, latency: summary(hist) }),
  };
  return counts;
}

/** `once(writer, n)`, settled: what it resolved to, or a thrown error's message. */
const attempt = (once, writer, n) => once(writer, n).catch((error) => error.message ?? String(error));

/**
 * `concurrency` writers in a closed loop: each calls `once(writer, n)` again as soon as the previous call settles,
 * for warmupSec (not counted) then durationSec. `once` resolves to null when it succeeded, or to what describes the
 * failure. Answers the counts, the latency histogram (µs) and the CPU share of the measured window. This measures
 * capacity: its latency is only concurrency ÷ throughput (Little's law), which openLoop measures instead.
 */
export async function closedLoop({ concurrency, warmupSec, durationSec }, once) {
  const counts = tally();
  let measureStart;
  let cpuMark;
  const warmupEnd = performance.now() + warmupSec * 1000;
  const end = warmupEnd + durationSec * 1000;
  const writer = async (i) => {
    for (let n = 0; performance.now() < end; n++) {
      if (measureStart === undefined && performance.now() >= warmupEnd) {
        measureStart = performance.now();
        cpuMark = process.cpuUsage();
      }
      const counted = measureStart !== undefined;
      const t0 = nowUs();
      const failure = await attempt(once, i, n);
      if (counted) counts.settle(failure, nowUs() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => writer(i)));
  const wallMs = performance.now() - measureStart;
  const report = counts.report();
  return { ...report, perSec: Math.round((report.done / wallMs) * 1000), cpu: cpuShare(cpuMark, wallMs) };
}

/**
 * An open loop: calls of `once(writer, n)` are scheduled at `rate` per second, round-robin over `writers`, whatever
 * the answers, so a writer may have several calls in flight. Latency runs from each call's *scheduled* time: a stalled
 * server (or a late client) shows in the figures instead of merely delaying the next send (coordinated omission).
 * A ~1 ms timer sends every call whose time has come, catching up after a late tick. Calls scheduled during warmupSec
 * are not counted, those of the next durationSec are; after the window, those still in flight get graceSec to settle,
 * then count as failed. When a quarter second of calls (rate ÷ 4) is already in flight, a due call is not sent but
 * counted as failed (as k6 drops iterations): the server is then far behind, 25 times the 10 ms goal at the goal rate,
 * the run has failed anyway, and what the server still has to drain when it ends — while the next run starts — stays
 * bounded. Answers the offered rate, the achieved one (successes answered within the window, per second), the counts
 * and latency histogram (µs) of the window's calls, and the client's CPU share over the window.
 */
export async function openLoop({ rate, writers, warmupSec, durationSec, graceSec = 5 }, once) {
  const counts = tally();
  const maxInFlight = Math.ceil(rate / 4);
  const start = performance.now();
  const due = (k) => start + (k * 1000) / rate;
  const windowStart = start + warmupSec * 1000;
  const windowEnd = windowStart + durationSec * 1000;
  let inFlight = 0;
  let outstanding = 0; // calls of the window not settled yet
  let dropped = 0;
  let answeredInWindow = 0;
  let sending = true;
  let pastGrace = false; // late answers no longer count
  let drained;
  const settledAll = new Promise((resolve) => (drained = resolve));
  const send = (k) => {
    const scheduled = due(k);
    const counted = scheduled >= windowStart;
    if (inFlight >= maxInFlight) {
      if (counted) {
        dropped++;
        counts.fail(`not sent: ${maxInFlight} calls already in flight, the server is over ${Math.round((maxInFlight / rate) * 1000)} ms behind`);
      }
      return;
    }
    inFlight++;
    if (counted) outstanding++;
    attempt(once, k % writers, Math.floor(k / writers)).then((failure) => {
      const now = performance.now();
      inFlight--;
      if (succeeded(failure) && now >= windowStart && now < windowEnd) answeredInWindow++;
      if (counted && !pastGrace) {
        outstanding--;
        counts.settle(failure, (now - scheduled) * 1000);
      }
      if (!sending && inFlight === 0) drained();
    });
  };
  let cpuMark;
  const cpu = await new Promise((resolve) => {
    let k = 0;
    const tick = () => {
      const now = performance.now();
      if (!cpuMark && now >= windowStart) cpuMark = { at: now, usage: process.cpuUsage() };
      for (; due(k) <= now && due(k) < windowEnd; k++) send(k);
      if (due(k) < windowEnd) setTimeout(tick, 1);
      else resolve(cpuShare(cpuMark.usage, now - cpuMark.at));
    };
    tick();
  });
  sending = false;
  if (inFlight === 0) drained();
  let graceTimer;
  await Promise.race([settledAll, new Promise((resolve) => (graceTimer = setTimeout(resolve, graceSec * 1000)))]);
  clearTimeout(graceTimer);
  pastGrace = true;
  if (outstanding > 0) counts.fail(`${outstanding} calls not answered within ${graceSec} s after the window`, outstanding);
  return { offered: rate, perSec: Math.round(answeredInWindow / durationSec), ...counts.report(), dropped, outstanding, cpu };
}

/** The loop a write load generator was asked for: BENCH_ARGS mode 'closed' (the default) or 'open' at `rate`. */
export const writeLoop = ({ mode = 'closed', writers, rate, warmupSec, durationSec }, once) =>
  mode === 'open' ? openLoop({ rate, writers, warmupSec, durationSec }, once) : closedLoop({ concurrency: writers, warmupSec, durationSec }, once);

/** A progress line for a write loop's result; `cpu` names whose CPU share it is. */
export const describeLoop = (loop, cpu = 'client CPU') =>
  `${loop.offered ? `${loop.offered} posts/s offered, ${loop.perSec} achieved` : `${loop.perSec} posts/s`}, p50 ${loop.latency.p50} ms, p99 ${loop.latency.p99} ms, max ${loop.latency.max} ms, failed ${loop.failed}, ${cpu} ${Math.round(loop.cpu * 100)}%`;

/**
 * The post a relay baseline (relay.mjs, ws-relay.mjs) answers and broadcasts: Essor's post shape, numbered per thread
 * in `seqs`, stored nowhere.
 */
export function relayedPost(seqs, payload, author) {
  const seq = (seqs.get(payload.threadId) ?? 0) + 1;
  seqs.set(payload.threadId, seq);
  return {
    id: randomUUID(),
    threadId: payload.threadId,
    seq,
    parentId: payload.parentId ?? null,
    author,
    body: payload.body,
    createdAt: new Date().toISOString(),
    editedAt: null,
    deleted: false,
    hidden: false,
    clientKey: payload.clientKey ?? null,
  };
}
