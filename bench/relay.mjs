// Baseline for the live workloads: a bare socket.io relay. Same namespace, same handshake (a JWT checked with the same
// secret, HS256), same events and the same Post payload as Essor's live API, but no Nest, no validation, no database.
// Env: PORT, JWT_SECRET.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { Server } from 'socket.io';
import { relayedPost } from './lib.mjs';

const require = createRequire(import.meta.url);
const jwt = require('jsonwebtoken');

const port = Number(process.env.PORT ?? 3100);
const secret = process.env.JWT_SECRET;
const metropolis = { id: '00000000-0000-4000-8000-000000000001', slug: 'metropole-de-lyon', name: 'Métropole de Lyon' };
const seqs = new Map();

const http = createServer((req, res) => {
  res.writeHead(req.url === '/api/health' ? 200 : 404, { 'content-type': 'application/json' });
  res.end('{"status":"ok"}');
});
const io = new Server(http, { maxHttpBufferSize: 2_000_000 });
const live = io.of('/live');

live.use((socket, next) => {
  const token = socket.handshake.auth?.token;
  if (typeof token !== 'string') return next(new Error('unauthorized'));
  jwt.verify(token, secret, { algorithms: ['HS256'] }, (error, claims) => {
    if (error || typeof claims?.sub !== 'string') return next(new Error('unauthorized'));
    socket.data.user = { id: claims.sub, displayName: `Bench ${claims.sub.slice(0, 8)}`, metropolis, role: 'participant' };
    socket.data.sessionIds = [];
    next();
  });
});

function presence(sessionId) {
  const users = [...(live.adapter.rooms.get(`session:${sessionId}`) ?? [])].map((id) => live.sockets.get(id)?.data.user);
  live.to(`session:${sessionId}`).emit('presence:update', { sessionId, users });
  return users;
}

// Every client event of Essor's live API has its listener, as on an Essor socket (idle-connections measures what a
// connected socket costs); only thread:subscribe and post:create carry load in the live workloads.
live.on('connection', (socket) => {
  socket.join(`user:${socket.data.user.id}`);
  socket.on('disconnect', () => socket.data.sessionIds.forEach(presence));
  socket.on('session:join', (payload, ack) => {
    socket.join(`session:${payload?.sessionId}`);
    socket.data.sessionIds.push(payload?.sessionId);
    ack?.({ ok: true, session: null, presence: presence(payload?.sessionId) });
  });
  socket.on('session:leave', (payload, ack) => {
    socket.leave(`session:${payload?.sessionId}`);
    socket.data.sessionIds = socket.data.sessionIds.filter((id) => id !== payload?.sessionId);
    presence(payload?.sessionId);
    ack?.({ ok: true });
  });
  socket.on('thread:unsubscribe', (payload, ack) => {
    socket.leave(`thread:${payload?.threadId}`);
    ack?.({ ok: true });
  });
  socket.on('typing', (payload, ack) => {
    const { id, displayName } = socket.data.user;
    socket.to(`thread:${payload?.threadId}`).except(`user:${id}`).emit('typing', { threadId: payload?.threadId, user: { id, displayName } });
    ack?.({ ok: true });
  });
  socket.on('poll:vote', (payload, ack) => ack?.({ ok: false, error: { code: 'not_found', message: 'Poll not found' } }));
  socket.on('thread:subscribe', (payload, ack) => {
    socket.join(`thread:${payload?.threadId}`);
    ack?.({ ok: true, posts: [], lastSeq: seqs.get(payload?.threadId) ?? 0, hasMore: false });
  });
  socket.on('post:create', (payload, ack) => {
    if (typeof payload?.threadId !== 'string' || typeof payload?.body !== 'string') {
      return ack?.({ ok: false, error: { code: 'bad_request', message: 'threadId and body are required' } });
    }
    const { id, displayName } = socket.data.user;
    const post = relayedPost(seqs, payload, { id, displayName, metropolis });
    live.to(`thread:${payload.threadId}`).emit('post:created', post);
    ack?.({ ok: true, post });
  });
});

http.listen(port, '127.0.0.1', () => process.stdout.write(`relay listening on ${port}\n`));
process.on('SIGTERM', () => {
  io.close();
  process.exit(0);
});
