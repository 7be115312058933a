// References beside the baselines, to show what the framework alone costs. A bare NestJS app on the same Express (no
// guard, interceptor, database or logger), set up as Essor's app.setup.ts does where it matters here: JSON bodies up
// to 1 MB, the global ValidationPipe with Essor's options.
// - http-thread: per path, the very bytes Essor answered (the handlers take no parameter the pipe would validate), so
//   the gap between Essor and bare Express can be read as framework plus Essor's own work.
// - write-path: POST /api/threads/:id/posts with the rules of Essor's CreatePostDto and its UUID check of :id, answering
//   201 with a post shaped as Essor's; no auth (the bearer token is ignored), nothing stored.
// BENCH_NEST_PLATFORM=fastify runs the same app on @nestjs/platform-fastify (bare NestJS on Fastify), 1 MB bodies too.
// Env: PORT, BENCH_ROUTES (optional: a JSON file {path: body}), BENCH_NEST_PLATFORM (express, the default, or fastify).
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Body, Controller, Get, Module, Param, ParseUUIDPipe, Post, Res, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';

const port = Number(process.env.PORT ?? 3201);
// the orchestrator waits for /api/health, as with every server it starts
const routes = {
  '/api/health': JSON.stringify({ status: 'ok' }),
  ...(process.env.BENCH_ROUTES ? JSON.parse(readFileSync(process.env.BENCH_ROUTES, 'utf8')) : {}),
};

class RoutesController {}
for (const [index, [path, body]] of Object.entries(routes).entries()) {
  const bytes = Buffer.from(body);
  const name = `route${index}`;
  RoutesController.prototype[name] = (response) => response.type('application/json; charset=utf-8').send(bytes);
  Res()(RoutesController.prototype, name, 0);
  Get(path)(RoutesController.prototype, name, Object.getOwnPropertyDescriptor(RoutesController.prototype, name));
}
Controller()(RoutesController);

/** src/posts/dto/post.dto.ts, its decorators (IsTextField, IsUuidField of src/common/validation) applied as functions. */
class CreatePostDto {}
const field = (property, ...decorators) => decorators.forEach((decorate) => decorate(CreatePostDto.prototype, property));
field('body', IsString(), MinLength(1), MaxLength(20_000), Matches(/\S/, { message: ({ property }) => `${property} must not be blank` }));
field('parentId', IsOptional(), IsUUID());
field(
  'clientKey',
  ValidateIf((_, value) => value !== undefined && value !== null),
  IsString(),
  MinLength(1),
  MaxLength(100),
  Matches(/^[\w.:-]+$/, { message: 'clientKey may hold letters, digits and . _ : - only' }),
);

const author = {
  id: randomUUID(),
  displayName: 'Participant 1',
  metropolis: { id: randomUUID(), slug: 'nantes-metropole', name: 'Nantes Métropole' },
};
let lastSeq = 0;
class PostsController {
  create(threadId, dto) {
    return {
      id: randomUUID(),
      threadId,
      seq: ++lastSeq,
      parentId: dto.parentId ?? null,
      author,
      body: dto.body,
      createdAt: new Date().toISOString(),
      editedAt: null,
      deleted: false,
      hidden: false,
      clientKey: dto.clientKey ?? null,
    };
  }
}
// what tsc's emitDecoratorMetadata writes for `create(threadId: string, dto: CreatePostDto)`: the pipe's metatypes
Reflect.defineMetadata('design:paramtypes', [String, CreatePostDto], PostsController.prototype, 'create');
Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 400 }))(PostsController.prototype, 'create', 0);
Body()(PostsController.prototype, 'create', 1);
Post('api/threads/:id/posts')(PostsController.prototype, 'create', Object.getOwnPropertyDescriptor(PostsController.prototype, 'create'));
Controller()(PostsController);

class BaselineModule {}
Module({ controllers: [RoutesController, PostsController] })(BaselineModule);

const onFastify = process.env.BENCH_NEST_PLATFORM === 'fastify';
const app = onFastify
  ? await NestFactory.create(BaselineModule, new (await import('@nestjs/platform-fastify')).FastifyAdapter({ bodyLimit: 2 ** 20 }), { logger: false })
  : await NestFactory.create(BaselineModule, { logger: false });
if (!onFastify) app.useBodyParser('json', { limit: '1mb' });
// src/common/validation/validation.ts: VALIDATION_OPTIONS
app.useGlobalPipes(
  new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, forbidUnknownValues: true, stopAtFirstError: false }),
);
await app.listen(port, '127.0.0.1');
process.stdout.write(`nest baseline listening on ${port}\n`);
process.on('SIGTERM', () => process.exit(0));
