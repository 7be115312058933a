// Baseline for http-thread: a bare Express app (the Express that Essor runs on) answering, for each path, the very
// bytes Essor answered (captured by the orchestrator). Env: PORT, BENCH_ROUTES (a JSON file {path: body}).
import { readFileSync } from 'node:fs';
import express from 'express';

const port = Number(process.env.PORT ?? 3200);
const routes = JSON.parse(readFileSync(process.env.BENCH_ROUTES, 'utf8'));
const app = express();
app.get('/api/health', (_req, res) => res.json({ status: 'ok' }));
for (const [path, body] of Object.entries(routes)) {
  const bytes = Buffer.from(body);
  app.get(path, (_req, res) => res.type('application/json; charset=utf-8').send(bytes));
}
app.listen(port, '127.0.0.1', () => process.stdout.write(`express baseline listening on ${port}\n`));
process.on('SIGTERM', () => process.exit(0));
