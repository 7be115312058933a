// Load generator for write-path against Essor (or nest-baseline.mjs, which ignores the token): `writers` writers, each a
// distinct user, posting over HTTP (POST /api/threads/:id/posts → 201) or live (post:create → ack, sent only after
// commit). Closed loop (the default): each writer sends its next post as soon as the previous one is acknowledged,
// which measures capacity (posts/s). Open loop: posts are scheduled at `rate` per second over the writers whatever the
// answers, and latency runs from each post's scheduled time to its 201 / ack: commit latency as a client sees it (see
// openLoop in lib.mjs).
// BENCH_ARGS (JSON): { transport: 'http'|'live', mode: 'closed'|'open', rate, url, tokensFile, tokenOffset, threadId,
// writers, durationSec, warmupSec }
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { io } from 'socket.io-client';
import { describeLoop, emitResult, writeLoop } from './lib.mjs';

const args = JSON.parse(process.env.BENCH_ARGS);
const tokens = JSON.parse(readFileSync(args.tokensFile, 'utf8')).slice(args.tokenOffset, args.tokenOffset + args.writers);
const BODY = 'Compte rendu de l’atelier : trois pistes retenues pour la commande publique responsable, à approfondir en session. ';
const target = new URL(args.url);
// a socket per writer in the closed loop. In the open loop, posts in flight beyond the agent's sockets would wait in the
// client, and that wait would count as latency: 256 is some ten times what a server meeting the goal (10 ms at
// 2,000 posts/s: about 20 in flight) ever has, so only a server already far behind makes posts queue here.
const agent = new http.Agent({ keepAlive: true, maxSockets: args.mode === 'open' ? 256 : args.writers });

function httpPost(token, payload) {
  const body = JSON.stringify(payload);
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: `/api/threads/${args.threadId}/posts`,
        method: 'POST',
        agent,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
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
    ? new Promise((resolve) =>
        sockets[i].timeout(30_000).emit('post:create', payload, (error, answer) => resolve(error ? { ok: false, error: 'timeout' } : answer)),
      )
    : httpPost(tokens[i].token, payload);

const loop = await writeLoop(args, async (i, n) => {
  const answer = await send(i, {
    threadId: args.transport === 'live' ? args.threadId : undefined,
    body: `${BODY}${i}-${n}`,
    clientKey: randomUUID(),
  });
  return answer?.ok ? null : (answer ?? { ok: false });
});
const { perSec, cpu, ...counts } = loop;
const result = { transport: args.transport, mode: args.mode ?? 'closed', writers: args.writers, postsPerSec: perSec, ...counts, clientCpu: cpu };
process.stdout.write(`  ${args.transport} ${result.mode} loop, ${args.writers} writers: ${describeLoop(loop)}\n`);
for (const s of sockets) s.close();
emitResult(result);
process.exit(0);
