// Second baseline for the live workloads, the practical limit of a fan-out in Node: a plain `ws` server speaking by hand
// just enough of socket.io's wire protocol (Engine.IO 4 over WebSocket, Socket.IO 5 packets on the /live namespace) for
// the same socket.io-client load generator to drive it unchanged. Same JWT handshake (HS256), same events and Post
// payload as relay.mjs, but no socket.io: rooms are plain Sets, each broadcast is serialised once into a Buffer that
// every member's connection sends, and one timer pings every connection. Env: PORT, JWT_SECRET.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { WebSocketServer } from 'ws';
import { relayedPost } from './lib.mjs';

const require = createRequire(import.meta.url);
const jwt = require('jsonwebtoken');

const port = Number(process.env.PORT ?? 3100);
const secret = process.env.JWT_SECRET;
const metropolis = { id: '00000000-0000-4000-8000-000000000001', slug: 'metropole-de-lyon', name: 'Métropole de Lyon' };
const PING_INTERVAL_MS = 25_000;
const seqs = new Map();
/** room name → Set of connections */
const rooms = new Map();

const http = createServer((req, res) => {
  res.writeHead(req.url === '/api/health' ? 200 : 404, { 'content-type': 'application/json' });
  res.end('{"status":"ok"}');
});
const wss = new WebSocketServer({ server: http, path: '/socket.io/', maxPayload: 2_000_000, perMessageDeflate: false });

function join(ws, room) {
  let members = rooms.get(room);
  if (!members) rooms.set(room, (members = new Set()));
  members.add(ws);
  ws.rooms.add(room);
}
function leave(ws, room) {
  const members = rooms.get(room);
  members?.delete(ws);
  if (members?.size === 0) rooms.delete(room);
  ws.rooms.delete(room);
}
/** An event packet on /live (`42/live,[event, data]`), serialised once for the whole room. */
function broadcast(room, event, data) {
  const members = rooms.get(room);
  if (!members) return;
  const frame = Buffer.from(`42/live,${JSON.stringify([event, data])}`);
  for (const ws of members) ws.send(frame, { binary: false });
}
const ack = (ws, id, answer) => id !== undefined && ws.send(`43/live,${id}${JSON.stringify([answer])}`);

function onEvent(ws, event, payload, id) {
  const user = ws.user;
  switch (event) {
    case 'thread:subscribe':
      join(ws, `thread:${payload?.threadId}`);
      return ack(ws, id, { ok: true, posts: [], lastSeq: seqs.get(payload?.threadId) ?? 0, hasMore: false });
    case 'thread:unsubscribe':
      leave(ws, `thread:${payload?.threadId}`);
      return ack(ws, id, { ok: true });
    case 'post:create': {
      if (typeof payload?.threadId !== 'string' || typeof payload?.body !== 'string') {
        return ack(ws, id, { ok: false, error: { code: 'bad_request', message: 'threadId and body are required' } });
      }
      const post = relayedPost(seqs, payload, { id: user.id, displayName: user.displayName, metropolis });
      broadcast(`thread:${payload.threadId}`, 'post:created', post);
      return ack(ws, id, { ok: true, post });
    }
    default:
      return ack(ws, id, { ok: false, error: { code: 'not_found', message: `Unknown event ${event}` } });
  }
}

/** A Socket.IO packet (after Engine.IO's `4`): CONNECT `0/live,{auth}`, EVENT `2/live,<id>[event, data]`. */
function onPacket(ws, packet) {
  if (!packet.startsWith('/live,', 1)) return;
  const type = packet[0];
  const rest = packet.slice(7);
  if (type === '0') {
    let token;
    try {
      token = JSON.parse(rest || '{}').token;
    } catch {
      /* refused below */
    }
    jwt.verify(String(token), secret, { algorithms: ['HS256'] }, (error, claims) => {
      if (error || typeof claims?.sub !== 'string') return ws.send('44/live,{"message":"unauthorized"}');
      ws.user = { id: claims.sub, displayName: `Bench ${claims.sub.slice(0, 8)}`, metropolis, role: 'participant' };
      join(ws, `user:${claims.sub}`);
      ws.send(`40/live,{"sid":"${randomUUID()}"}`);
    });
    return;
  }
  if (type !== '2' || !ws.user) return;
  const bracket = rest.indexOf('[');
  const id = bracket > 0 ? Number(rest.slice(0, bracket)) : undefined;
  const [event, payload] = JSON.parse(rest.slice(bracket));
  onEvent(ws, event, payload, id);
}

wss.on('connection', (ws) => {
  ws.rooms = new Set();
  ws.user = null;
  ws.send(`0{"sid":"${randomUUID()}","upgrades":[],"pingInterval":${PING_INTERVAL_MS},"pingTimeout":20000,"maxPayload":2000000}`);
  ws.on('message', (data) => {
    const text = data.toString();
    // Engine.IO: 3 = pong, 4 = message, 1 = close
    if (text[0] === '4') onPacket(ws, text.slice(1));
    else if (text[0] === '1') ws.close();
  });
  ws.on('close', () => {
    for (const room of [...ws.rooms]) leave(ws, room);
  });
});
// one timer for every connection (socket.io keeps one per socket)
setInterval(() => {
  for (const ws of wss.clients) ws.send('2');
}, PING_INTERVAL_MS).unref();

http.listen(port, '127.0.0.1', () => process.stdout.write(`ws relay listening on ${port}\n`));
process.on('SIGTERM', () => {
  wss.close();
  process.exit(0);
});
