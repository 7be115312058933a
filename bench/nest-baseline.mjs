// A reference beside the Express baseline for http-thread: a bare NestJS app on the same Express (no guard, pipe,
// interceptor, database or logger) answering, per path, the very bytes Essor answered. It shows what the framework
// alone costs, so the gap between Essor and bare Express can be read as framework plus Essor's own work.
// Env: PORT, BENCH_ROUTES (a JSON file {path: body}).
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Controller, Get, Module, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

const port = Number(process.env.PORT ?? 3201);
// the orchestrator waits for /api/health, as with every server it starts
const routes = { '/api/health': JSON.stringify({ status: 'ok' }), ...JSON.parse(readFileSync(process.env.BENCH_ROUTES, 'utf8')) };

class RoutesController {}
for (const [index, [path, body]] of Object.entries(routes).entries()) {
  const bytes = Buffer.from(body);
  const name = `route${index}`;
  RoutesController.prototype[name] = (response) => response.type('application/json; charset=utf-8').send(bytes);
  Res()(RoutesController.prototype, name, 0);
  Get(path)(RoutesController.prototype, name, Object.getOwnPropertyDescriptor(RoutesController.prototype, name));
}
Controller()(RoutesController);
class BaselineModule {}
Module({ controllers: [RoutesController] })(BaselineModule);

const app = await NestFactory.create(BaselineModule, { logger: false });
await app.listen(port, '127.0.0.1');
process.stdout.write(`nest baseline listening on ${port}\n`);
process.on('SIGTERM', () => process.exit(0));
