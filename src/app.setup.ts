import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Logger } from 'nestjs-pino';
import type { NextFunction, Request, Response } from 'express';
import { clientAssets } from './client-assets/client-assets';
import { AllExceptionsFilter, answerBodyParserError, TOO_DEEP_BODY } from './common/http/all-exceptions.filter';
import { hasBody } from './common/http/request-body';
import { createValidationPipe, jsonTextTooDeep, nestingMessage, UNREAD_BODY } from './common/validation/validation';
import { AppConfig } from './config/app-config';
import { LiveIoAdapter } from './live/live-io.adapter';

export const REQUEST_BODY_LIMIT = '1mb';

/**
 * How main.ts and the tests create the app. Nest's own body parsers are left out: configureApp registers the JSON
 * one (with its limit and nesting check) before the error hook that answers its failures, and the API takes no form
 * bodies (Nest would register a urlencoded parser after that hook, whose errors then came out as 404s).
 */
export const APP_OPTIONS = { bufferLogs: true, bodyParser: false } as const;

/**
 * The request line and headers Node's HTTP server takes in (its default, 16 KB, answers a long search URL 431 before
 * Essor sees it): 20,000 characters of a query, even all percent-encoded three-byte letters, reach the validation and
 * get its 400 that names the field.
 */
const MAX_HEADER_BYTES = 192 * 1024;

/** The client's Content-Security-Policy: scripts and styles from its own files only, nothing inline. */
const CLIENT_CSP = {
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'connect-src': ["'self'", 'ws:', 'wss:'],
  // blob: for the previews of attached images, fetched with the bearer token and shown from memory
  'img-src': ["'self'", 'data:', 'blob:'],
};

/**
 * Everything that makes the app what it is beyond its modules: body limit, security headers, validation, errors,
 * the /api prefix and the OpenAPI document. main.ts and the tests both go through here, so tests run the real thing.
 */
export function configureApp(app: NestExpressApplication): INestApplication {
  app.useLogger(app.get(Logger));
  // the server reads it for each new connection (the option of createServer, which Nest calls without options), so
  // setting it before listen() is enough; @types/node leaves it out of Server's properties
  (app.getHttpServer() as Server & { maxHeaderSize?: number }).maxHeaderSize = MAX_HEADER_BYTES;
  const config = app.get(AppConfig);
  // behind a load balancer the client address, which rate limits count by, comes from X-Forwarded-For
  if (config.trustProxy > 0) app.set('trust proxy', config.trustProxy);
  app.useBodyParser('json', { limit: REQUEST_BODY_LIMIT, verify: refuseDeepJson });
  // body-parser fails before Nest routes the request; answer here, before the static client's error handler turns
  // every failure under /api into a 404
  app.use((error: unknown, _request: Request, response: Response, next: NextFunction) => {
    if (!answerBodyParserError(error, response)) next(error);
  });
  app.use((request: Request, response: Response, next: NextFunction) => {
    // Express's router fails on a path it cannot percent-decode, and the static client's error handler then answers 404
    if (!percentDecodable(request.path)) {
      response.status(400).json({ statusCode: 400, message: 'Le chemin de la requête contient un encodage % invalide.', error: 'Bad Request' });
      return;
    }
    // a body the JSON parser left unread (text/plain, a form…) is marked, for a route that validates a body to refuse
    // it as such rather than as an empty one; multipart bodies are read by the upload routes themselves
    if (request.body === undefined && hasBody(request) && !request.is('multipart/form-data')) request.body = UNREAD_BODY;
    next();
  });
  const clientHeaders = securityHeaders({ contentSecurityPolicy: { directives: CLIENT_CSP } });
  // the Swagger UI page carries inline styles; its scripts are files, so script-src stays 'self' there too
  const docsHeaders = securityHeaders({ contentSecurityPolicy: { directives: { ...CLIENT_CSP, 'style-src': ["'self'", "'unsafe-inline'"] } } });
  app.use((request: Request, response: Response, next: NextFunction) => {
    (request.path.startsWith('/api/docs') ? docsHeaders : clientHeaders)(response);
    next();
  });
  // the web client's files, precompressed and cached for good; before Nest's routes, which never serve them
  app.use(clientAssets());
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  // socket.io for the /live gateway, sharing rooms between instances through Redis when REDIS_URL is set
  app.useWebSocketAdapter(new LiveIoAdapter(app, config.redisUrl));
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Essor API')
      .setDescription(
        'Plateforme du groupe de travail « Métropoles, ESS et innovation sociale ». Lists that can grow take `limit` and `cursor` and answer with a `Link: <…>; rel="next"` header when more remain. The live API (socket.io, namespace /live) is described in the README.',
      )
      .setVersion('1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}

/**
 * Helmet's headers, recorded once: with no directive computed per request they are the same for every answer, and
 * setting them in one loop spares every request helmet's chain of a dozen middlewares.
 */
function securityHeaders(options: HelmetOptions): (response: Response) => void {
  const set: Array<[string, string]> = [];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: string) => set.push([name, value]),
    removeHeader: (name: string) => removed.push(name),
  };
  let recorded = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    recorded = error === undefined;
  });
  if (!recorded) throw new Error('helmet failed or did not set its headers at once: they cannot be recorded');
  return (response) => {
    for (const [name, value] of set) response.setHeader(name, value);
    for (const name of removed) response.removeHeader(name);
  };
}

function percentDecodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/** body-parser's hook between reading a body and parsing it: deep nesting is refused before JSON.parse sees it. */
function refuseDeepJson(_request: unknown, _response: unknown, body: Buffer): void {
  if (jsonTextTooDeep(body)) throw Object.assign(new Error(nestingMessage('body')), { status: 400, type: TOO_DEEP_BODY });
}
