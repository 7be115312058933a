// Load generator for the live workloads (fanout, saturation, idle), against Essor or the relay alike.
// BENCH_ARGS (JSON): { mode, url, tokensFile, threadId, subscribers, senders, rate, durationSec, rates, stepSec, idleSec,
//                      connections, p99LimitMs }
// Progress lines start with two spaces; phases ("@@PHASE name") wait for a line on stdin from the orchestrator.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { io } from 'socket.io-client';
import { cpuShare, emitResult, histogram, nowUs, pool, sleep, summary } from './lib.mjs';

const args = JSON.parse(process.env.BENCH_ARGS);
const tokens = JSON.parse(readFileSync(args.tokensFile, 'utf8'));
const stdinLines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

async function phase(name) {
  process.stdout.write(`@@PHASE ${name}\n`);
  await stdinLines.next();
}

const log = (line) => process.stdout.write(`  ${line}\n`);

function connect(token) {
  return new Promise((resolve, reject) => {
    const socket = io(`${args.url}/live`, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false, timeout: 60_000 });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

function emitAck(socket, event, payload, timeoutMs = 30_000) {
  return new Promise((resolve) => {
    socket.timeout(timeoutMs).emit(event, payload, (error, answer) => resolve(error ? { ok: false, error: { code: 'timeout' } } : answer));
  });
}

async function connectMany(count, offset, subscribe) {
  const started = Date.now();
  let done = 0;
  const sockets = await pool(
    Array.from({ length: count }, (_, i) => tokens[(offset + i) % tokens.length].token),
    64,
    async (token) => {
      const socket = await connect(token);
      if (subscribe) {
        const answer = await emitAck(socket, 'thread:subscribe', { threadId: args.threadId });
        if (!answer?.ok) throw new Error(`thread:subscribe failed: ${JSON.stringify(answer)}`);
      }
      if (++done % 1000 === 0) log(`${done}/${count} connected`);
      return socket;
    },
  );
  return { sockets, ms: Date.now() - started };
}

const BODY =
  'Retour d’expérience : la métropole a ouvert un appel à projets pour les tiers-lieux de l’économie sociale et solidaire, ' +
  'avec un accompagnement sur dix-huit mois. Qui a déjà mis en place un tel dispositif ? ';

/** Live posting at `rate` posts/s for `seconds`, subscribers timing each post:created against its send time. */
async function sendAt(senders, sent, rate, seconds, ackHist) {
  const total = Math.max(1, Math.round(rate * seconds));
  const start = performance.now();
  let acked = 0;
  let failed = 0;
  const pending = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const clientKey = randomUUID();
    const t0 = nowUs();
    sent.set(clientKey, { t0, received: 0 });
    pending.push(
      emitAck(senders[i % senders.length], 'post:create', { threadId: args.threadId, body: `${BODY}#${i}`, clientKey }).then((answer) => {
        if (answer?.ok) {
          acked++;
          ackHist.recordValue(Math.max(1, nowUs() - t0));
        } else {
          failed++;
          if (failed <= 3) log(`post:create failed: ${JSON.stringify(answer)}`);
        }
      }),
    );
  }
  const sendMs = performance.now() - start;
  await Promise.all(pending);
  return { total, acked, failed, sendMs };
}

async function liveRun() {
  const subscribed = await connectMany(args.subscribers, 0, true);
  log(`${args.subscribers} subscribers connected and subscribed in ${subscribed.ms} ms`);
  const senders = (await connectMany(args.senders, args.subscribers, false)).sockets;
  const sent = new Map();
  let hist = histogram();
  let receipts = 0;
  let foreign = 0;
  for (const socket of subscribed.sockets) {
    socket.on('post:created', (post) => {
      const entry = sent.get(post.clientKey);
      if (!entry) return void foreign++;
      hist.recordValue(Math.max(1, nowUs() - entry.t0));
      entry.received++;
      receipts++;
    });
  }
  const windows = args.mode === 'fanout' ? [args.rate] : args.rates;
  const seconds = args.mode === 'fanout' ? args.durationSec : args.stepSec;
  const steps = [];
  // warm up (JIT, caches): a short burst not counted
  await sendAt(senders, sent, Math.min(20, windows[0]), args.warmupSec ?? 1, histogram());
  await sleep(args.quick ? 300 : 1000);
  for (const rate of windows) {
    sent.clear();
    hist = histogram();
    receipts = 0;
    const ackHist = histogram();
    await phase(`measure-start ${rate}`);
    const cpuMark = process.cpuUsage();
    const wallStart = performance.now();
    const sending = await sendAt(senders, sent, rate, seconds, ackHist);
    const expected = sending.total * args.subscribers;
    // what has not arrived 3 s after the last send counts as lost (reach < 1)
    const drainUntil = performance.now() + 3000;
    while (receipts < expected && performance.now() < drainUntil) await sleep(50);
    const wallMs = performance.now() - wallStart;
    const clientCpu = cpuShare(cpuMark, wallMs);
    await phase(`measure-end ${rate}`);
    const latency = summary(hist);
    const step = {
      rate,
      achievedRate: Math.round((sending.total / sending.sendMs) * 1000 * 10) / 10,
      posts: sending.total,
      acked: sending.acked,
      failed: sending.failed,
      expected,
      receipts,
      reach: Math.round((receipts / expected) * 10000) / 10000,
      deliveriesPerSec: Math.round(receipts / (sending.sendMs / 1000)),
      latency,
      ack: summary(ackHist),
      clientCpu,
    };
    steps.push(step);
    log(
      `${args.mode} @ ${rate} posts/s × ${args.subscribers}: p50 ${latency.p50} ms, p99 ${latency.p99} ms, max ${latency.max} ms, ` +
        `reach ${step.reach}, ${step.deliveriesPerSec} deliveries/s, client CPU ${Math.round(clientCpu * 100)}%`,
    );
    if (args.mode === 'saturation' && (latency.p99 > args.p99LimitMs || step.reach < 1)) break;
    await sleep(args.quick ? 200 : 500);
  }
  for (const socket of [...subscribed.sockets, ...senders]) socket.close();
  return { subscribers: args.subscribers, connectMs: subscribed.ms, foreign, steps };
}

async function idleRun() {
  // RSS is read after a first tenth of the sockets and after all of them: the slope leaves out fixed costs (code
  // loaded and compiled on the first connection, buffers)
  const warm = Math.round(args.connections / 10);
  const first = await connectMany(warm, 0, false);
  await sleep(args.quick ? 300 : 1000);
  await phase('warm');
  const rest = await connectMany(args.connections - warm, warm, false);
  const sockets = [...first.sockets, ...rest.sockets];
  const ms = first.ms + rest.ms;
  log(`${args.connections} idle sockets connected in ${ms} ms`);
  await sleep(args.quick ? 500 : 2000);
  await phase('connected');
  const cpuMark = process.cpuUsage();
  await sleep(args.idleSec * 1000);
  const clientCpu = cpuShare(cpuMark, args.idleSec * 1000);
  const stillConnected = sockets.filter((s) => s.connected).length;
  await phase('idle-end');
  for (const socket of sockets) socket.close();
  return { connections: args.connections, warm, connectMs: ms, stillConnected, clientCpu };
}

const result = args.mode === 'idle' ? await idleRun() : await liveRun();
emitResult(result);
process.exit(0);
