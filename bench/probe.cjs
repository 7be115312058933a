// Preloaded into the server under test (node --require bench/probe.cjs …), Essor and the baselines alike. Answers the
// orchestrator over the IPC channel: event-loop delay since the last reset, RSS / heap after a GC, CPU time used.
// It changes nothing in the server it is loaded into.
'use strict';
const { monitorEventLoopDelay, performance } = require('node:perf_hooks');

// The histogram records the time between two ticks of a `RESOLUTION_MS` timer, so the timer's own period is taken off.
const RESOLUTION_MS = 2;
const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
delay.enable();
let cpuMark = process.cpuUsage();
let wallMark = process.hrtime.bigint();
// time the main thread spent running code (not waiting) since the last reset: what a request holds the event loop
let eluMark = performance.eventLoopUtilization();

// BENCH_TRACE_SQL=1: counts the statements the server sends to the sqlite3 driver (for finding a bottleneck)
const sqlCounts = new Map();
if (process.env.BENCH_TRACE_SQL === '1') {
  try {
    const sqlite3 = require(require.resolve('sqlite3', { paths: [process.cwd()] }));
    for (const method of ['all', 'run', 'get', 'exec', 'each', 'prepare']) {
      const original = sqlite3.Database.prototype[method];
      sqlite3.Database.prototype[method] = function (sql, ...rest) {
        const key = String(sql).replace(/\s+/g, ' ').slice(0, 160);
        sqlCounts.set(key, (sqlCounts.get(key) ?? 0) + 1);
        return original.call(this, sql, ...rest);
      };
    }
  } catch {
    /* no sqlite3 in this server */
  }
}

if (process.send) {
  process.on('message', (message) => {
    if (!message || typeof message !== 'object' || !('probe' in message)) return;
    const { probe, id } = message;
    if (probe === 'reset') {
      delay.reset();
      sqlCounts.clear();
      cpuMark = process.cpuUsage();
      wallMark = process.hrtime.bigint();
      eluMark = performance.eventLoopUtilization();
      return process.send({ probeReply: id });
    }
    if (probe === 'stats') {
      if (message.gc && typeof global.gc === 'function') {
        global.gc();
        global.gc();
      }
      const memory = process.memoryUsage();
      const cpu = process.cpuUsage(cpuMark);
      const wallMs = Number(process.hrtime.bigint() - wallMark) / 1e6;
      const lag = (ns) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 1000) / 1000);
      return process.send({
        probeReply: id,
        stats: {
          rss: memory.rss,
          heapUsed: memory.heapUsed,
          external: memory.external,
          lag: { p50: lag(delay.percentile(50)), p99: lag(delay.percentile(99)), max: lag(delay.max), mean: lag(delay.mean) },
          cpu: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 1000) / 1000,
          eventLoopActiveMs: Math.round(performance.eventLoopUtilization(eluMark).active),
          wallMs: Math.round(wallMs),
          ...(sqlCounts.size ? { sql: [...sqlCounts].sort((a, b) => b[1] - a[1]).slice(0, 25) } : {}),
        },
      });
    }
  });
  // the IPC channel must not keep a server alive that wants to exit
  process.channel?.unref();
}
