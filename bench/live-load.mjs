// Load generator for the live workloads (fanout, saturation, idle), against Essor or the relay alike.
// BENCH_ARGS (JSON): { mode, url, urls, tokensFile, threadId, subscribers, senders, rate, durationSec, saturation, stepSec,
//                      idleSec, connections, p99LimitMs }
// `urls` (optional) spreads the subscribers over several servers, one after the other (subscriber i on urls[i % n]);
// the senders post through `url`.
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

function connect(token, url = args.url) {
  return new Promise((resolve, reject) => {
    const socket = io(`${url}/live`, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false, timeout: 60_000 });
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

async function connectMany(count, offset, subscribe, urls = [args.url]) {
  const started = Date.now();
  let done = 0;
  const sockets = await pool(
    Array.from({ length: count }, (_, i) => tokens[(offset + i) % tokens.length].token),
    64,
    async (token, i) => {
      const socket = await connect(token, urls[i % urls.length]);
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
  const subscribed = await connectMany(args.subscribers, 0, true, args.urls);
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
  const steps = [];
  /** One measured window at `rate` posts/s for `seconds`. */
  async function measure(rate, seconds, stage) {
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
      stage,
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
      `${args.mode}${stage ? ` (${stage})` : ''} @ ${rate} posts/s × ${args.subscribers}: p50 ${latency.p50} ms, p99 ${latency.p99} ms, ` +
        `max ${latency.max} ms, reach ${step.reach}, ${step.deliveriesPerSec} deliveries/s, client CPU ${Math.round(clientCpu * 100)}%`,
    );
    await sleep(args.quick ? 200 : 500);
    return step;
  }
  // warm up (JIT, caches): a short burst not counted
  const firstRate = args.mode === 'fanout' ? args.rate : args.saturation.from;
  await sendAt(senders, sent, Math.min(20, firstRate), args.warmupSec ?? 1, histogram());
  await sleep(args.quick ? 300 : 1000);
  const result = { subscribers: args.subscribers, connectMs: subscribed.ms, steps };
  if (args.mode === 'fanout') await measure(args.rate, args.durationSec);
  else Object.assign(result, await saturate(measure));
  for (const socket of [...subscribed.sockets, ...senders]) socket.close();
  result.foreign = foreign;
  return result;
}

/**
 * The knee: the highest rate whose step passes (p99 within the limit, every post delivered to every subscriber).
 * Coarse steps (× saturation.coarse) from a rate below the knee until one fails, then fine steps (× saturation.fine)
 * from the last pass up to that failure. A step that fails is run once more before it counts (a burst of other work
 * on this shared machine is not the knee); if the very first rate fails, the rate is halved until one passes. Returns
 * the knee's step (`passed`) and the confirmed failure above it (`failedAt`).
 */
async function saturate(measure) {
  const { from, to, coarse, fine } = args.saturation;
  const seconds = args.stepSec;
  const passes = (step) => step.latency.p99 <= args.p99LimitMs && step.reach >= 1;
  const confirmed = async (rate, stage) => {
    const step = await measure(rate, seconds, stage);
    if (passes(step)) return step;
    await sleep(args.quick ? 300 : 2000);
    return measure(rate, seconds, `${stage}, again`);
  };
  const next = (rate, factor) => Math.max(rate + 1, Math.round(rate * factor));
  let passed = null;
  let failedAt = null;
  for (let rate = from; rate <= to; rate = next(rate, coarse)) {
    const step = await confirmed(rate, 'coarse');
    if (!passes(step)) {
      failedAt = step;
      break;
    }
    passed = step;
  }
  for (let rate = Math.floor(from / 2); !passed && rate >= 1; rate = Math.floor(rate / 2)) {
    const step = await confirmed(rate, 'below the first rate');
    if (passes(step)) passed = step;
  }
  if (passed && failedAt) {
    for (let rate = next(passed.rate, fine); rate < failedAt.rate; rate = next(rate, fine)) {
      const step = await confirmed(rate, 'fine');
      if (!passes(step)) {
        failedAt = step;
        break;
      }
      passed = step;
    }
  }
  return { passed, failedAt };
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
