// Helpers shared by the orchestrator and the load generators.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const QUICK = process.env.BENCH_QUICK === '1' || process.env.BENCH_QUICK === 'true';

/** A histogram of latencies in microseconds (1 µs .. 60 s, 3 significant digits). */
export function histogram() {
  // required here, not at the top: run.mjs imports this file before it has installed bench/node_modules
  return require('hdr-histogram-js').build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3, bitBucketSize: 64, useWebAssembly: false });
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

/**
 * `concurrency` writers in a closed loop: each calls `once(writer, n)` again as soon as the previous call settles,
 * for warmupSec (not counted) then durationSec. `once` resolves to null when it succeeded, or to what describes the
 * failure. Answers the counts, the latency histogram (µs) and the CPU share of the measured window.
 */
export async function closedLoop({ concurrency, warmupSec, durationSec }, once) {
  const hist = histogram();
  let done = 0;
  let failed = 0;
  let firstFailure;
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
      const failure = await once(i, n).catch((error) => error.message ?? String(error));
      if (!counted) continue;
      if (failure === null || failure === undefined) {
        done++;
        hist.recordValue(Math.max(1, nowUs() - t0));
      } else {
        failed++;
        firstFailure ??= failure;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => writer(i)));
  const wallMs = performance.now() - measureStart;
  return { done, failed, firstFailure, perSec: Math.round((done / wallMs) * 1000), latency: summary(hist), cpu: cpuShare(cpuMark, wallMs) };
}
