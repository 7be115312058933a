import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { RateLimitedException } from './rate-limited.exception';

/** For a 429 whose limit did not say how long it lasts: the longest window of Essor's limits. */
const DEFAULT_RETRY_AFTER_SECONDS = 60;

/**
 * Keeps NestJS's error shape for every HTTP error. Anything unexpected is logged with a correlation id and answered
 * 500 with that id only, never internals.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request & { id?: unknown }>();
    if (exception instanceof HttpException) {
      const body = inFrench(exception.getResponse());
      // a 429 from anywhere says when to come back; only RateLimitedException knows exactly
      if (exception.getStatus() === (HttpStatus.TOO_MANY_REQUESTS as number) && !response.getHeader('Retry-After')) {
        response.setHeader(
          'Retry-After',
          String(exception instanceof RateLimitedException ? exception.retryAfterSeconds : DEFAULT_RETRY_AFTER_SECONDS),
        );
      }
      response.status(exception.getStatus()).json(typeof body === 'string' ? { statusCode: exception.getStatus(), message: body } : body);
      return;
    }
    if (answerBodyParserError(exception, response)) return;
    const correlationId = typeof request.id === 'string' || typeof request.id === 'number' ? String(request.id) : randomUUID();
    this.logger.error({ err: exception, correlationId, method: request.method, url: request.originalUrl }, 'Unexpected error');
    response.status(HttpStatus.INTERNAL_SERVER_ERROR).json({
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      message: 'Erreur interne du serveur.',
      error: 'Internal Server Error',
      correlationId,
    });
  }
}

/** Nest's router answers a route it does not know in English, « Cannot GET /api/nope »: the same 404, in French. */
function inFrench(body: string | object): string | object {
  const message = typeof body === 'object' ? (body as { message?: unknown }).message : undefined;
  const unknownRoute = typeof message === 'string' ? /^Cannot ([A-Z]+) (.*)$/.exec(message) : null;
  return unknownRoute ? { ...(body as object), message: `Aucune route ${unknownRoute[1]} ${unknownRoute[2]}.` } : body;
}

/** The type of the error that app.setup's body-parser hook raises for a body nested too deep. */
export const TOO_DEEP_BODY = 'entity.too.deep';

/**
 * body-parser reports what it cannot read as errors with a 4xx status and a type (`entity.parse.failed`…): malformed
 * JSON (400), oversized bodies (413), an unknown charset or Content-Encoding (415); a body its Content-Encoding does
 * not decompress comes with zlib's code instead of a type.
 */
function bodyParserErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, type, code } = error as { status?: unknown; type?: unknown; code?: unknown };
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  return typeof type === 'string' || (typeof code === 'string' && code.startsWith('Z_')) ? status : undefined;
}

/** Each refused body in French, by the type body-parser gives it. */
function bodyParserMessage(status: number, { type, message, code }: { type?: unknown; message: string; code?: unknown }): string | string[] {
  if (type === TOO_DEEP_BODY) return [message];
  if (status === 413) return 'Le corps de la requête dépasse 1 Mo.';
  if (type === 'charset.unsupported') return 'Jeu de caractères non pris en charge : envoyez le corps en UTF-8.';
  if (type === 'encoding.unsupported') return 'Content-Encoding non pris en charge : gzip, deflate, br ou aucun.';
  // zlib's errors (Z_DATA_ERROR…), wrapped by body-parser without a type of their own
  if (typeof code === 'string' && code.startsWith('Z_')) return 'Le corps de la requête est mal compressé pour son Content-Encoding.';
  if (type === 'request.aborted' || type === 'request.size.invalid') return 'Le corps de la requête est incomplet.';
  return 'Le corps de la requête n’est pas du JSON valide.';
}

/** Answers a body body-parser refused in the contract's shape; false for any other error. */
export function answerBodyParserError(error: unknown, response: Response): boolean {
  const status = bodyParserErrorStatus(error);
  if (!status) return false;
  const message = bodyParserMessage(status, error as { type?: unknown; message: string; code?: unknown });
  response.status(status).json({ statusCode: status, message, error: STATUS_NAMES[status] ?? 'Bad Request' });
  return true;
}

const STATUS_NAMES: Partial<Record<number, string>> = {
  400: 'Bad Request',
  403: 'Forbidden',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
};
