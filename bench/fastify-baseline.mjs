// Baseline for http-thread beside bare Express: a bare Fastify app answering, for each path, the very bytes Essor
// answered (captured by the orchestrator), so that Essor can be read against both servers Nest runs on.
// Env: PORT, BENCH_ROUTES (a JSON file {path: body}).
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const port = Number(process.env.PORT ?? 3202);
const routes = JSON.parse(readFileSync(process.env.BENCH_ROUTES, 'utf8'));
const app = Fastify();
app.get('/api/health', async () => ({ status: 'ok' }));
for (const [path, body] of Object.entries(routes)) {
  const bytes = Buffer.from(body);
  app.get(path, (_request, reply) => reply.type('application/json; charset=utf-8').send(bytes));
}
await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`fastify baseline listening on ${port}\n`);
process.on('SIGTERM', () => process.exit(0));
