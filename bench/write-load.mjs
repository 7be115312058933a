// Load generator for write-path against Essor: `concurrency` writers, each a distinct user, each sending its next post
// as soon as the previous one is acknowledged (closed loop), over HTTP (POST /api/threads/:id/posts → 201) or live
// (post:create → ack, sent only after commit). Latency = send → 201 / ack, i.e. commit latency as a client sees it.
// BENCH_ARGS (JSON): { transport: 'http'|'live', url, tokensFile, tokenOffset, threadId, concurrency, durationSec, warmupSec }
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { io } from 'socket.io-client';
import { closedLoop, emitResult } from './lib.mjs';

const args = JSON.parse(process.env.BENCH_ARGS);
const tokens = JSON.parse(readFileSync(args.tokensFile, 'utf8')).slice(args.tokenOffset, args.tokenOffset + args.concurrency);
const BODY = 'Compte rendu de l’atelier : trois pistes retenues pour la commande publique responsable, à approfondir en session. ';
const target = new URL(args.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: args.concurrency });

function httpPost(token, payload) {
  const body = JSON.stringify(payload);
  return new Promise((resolve) => {
    const req = http.request(
      { host: target.hostname, port: target.port, path: `/api/threads/${args.threadId}/posts`, method: 'POST', agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 201 ? { ok: true } : { ok: false, status: res.statusCode }));
      },
    );
    req.on('error', (error) => resolve({ ok: false, error: error.message }));
    req.end(body);
  });
}

function connect(token) {
  return new Promise((resolve, reject) => {
    const socket = io(`${args.url}/live`, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

const sockets = args.transport === 'live' ? await Promise.all(tokens.map((t) => connect(t.token))) : [];
const send = (i, payload) =>
  args.transport === 'live'
    ? new Promise((resolve) => sockets[i].timeout(30_000).emit('post:create', payload, (error, answer) => resolve(error ? { ok: false, error: 'timeout' } : answer)))
    : httpPost(tokens[i].token, payload);

const loop = await closedLoop(args, async (i, n) => {
  const answer = await send(i, { threadId: args.transport === 'live' ? args.threadId : undefined, body: `${BODY}${i}-${n}`, clientKey: randomUUID() });
  return answer?.ok ? null : (answer ?? { ok: false });
});
const result = {
  transport: args.transport,
  concurrency: args.concurrency,
  postsPerSec: loop.perSec,
  done: loop.done,
  failed: loop.failed,
  firstFailure: loop.firstFailure,
  latency: loop.latency,
  clientCpu: loop.cpu,
};
process.stdout.write(`  essor ${args.transport} c=${args.concurrency}: ${result.postsPerSec} posts/s, p99 ${result.latency.p99} ms, failed ${result.failed}, client CPU ${Math.round(result.clientCpu * 100)}%\n`);
for (const s of sockets) s.close();
emitResult(result);
process.exit(0);
