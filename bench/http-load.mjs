// Load generator for http-thread: autocannon with `connections` keep-alive connections on one GET path.
// BENCH_ARGS (JSON): { url, path, token, connections, durationSec }
import autocannon from 'autocannon';
import { cpuShare, emitResult } from './lib.mjs';

const args = JSON.parse(process.env.BENCH_ARGS);
// warm-up, not counted
await autocannon({
  url: args.url + args.path,
  connections: args.connections,
  duration: args.durationSec < 5 ? 0.5 : 1,
  headers: { authorization: `Bearer ${args.token}` },
});
const cpuMark = process.cpuUsage();
const started = performance.now();
const r = await autocannon({
  url: args.url + args.path,
  connections: args.connections,
  duration: args.durationSec,
  headers: { authorization: `Bearer ${args.token}` },
});
const clientCpu = cpuShare(cpuMark, performance.now() - started);
const result = {
  path: args.path,
  reqPerSec: Math.round(r.requests.average),
  latency: { p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, mean: r.latency.average },
  bytesPerReq: r.requests.total ? Math.round(r.throughput.total / r.requests.total) : 0,
  non2xx: r.non2xx,
  errors: r.errors + r.timeouts,
  clientCpu,
};
process.stdout.write(
  `  GET ${args.path}: ${result.reqPerSec} req/s, p99 ${result.latency.p99} ms, non-2xx ${r.non2xx}, client CPU ${Math.round(clientCpu * 100)}%\n`,
);
emitResult(result);
process.exit(0);
