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
