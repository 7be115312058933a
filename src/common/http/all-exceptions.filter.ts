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

/** body-parser reports malformed JSON and oversized bodies as errors carrying a 4xx status and a type. */
export function bodyParserErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, type } = error as { status?: unknown; type?: unknown };
  if (typeof type !== 'string' || typeof status !== 'number') return undefined;
  return status === 400 || status === 413 ? status : undefined;
}

/** Answers malformed JSON (400) and oversized bodies (413) in the contract's shape; false for any other error. */
export function answerBodyParserError(error: unknown, response: Response): boolean {
  const status = bodyParserErrorStatus(error);
  if (!status) return false;
  const { type, message: reason } = error as { type: string; message: string };
  const message =
    status === 413 ? 'Le corps de la requête dépasse 1 Mo.' : type === TOO_DEEP_BODY ? [reason] : 'Le corps de la requête n’est pas du JSON valide.';
  response.status(status).json({ statusCode: status, message, error: status === 413 ? 'Payload Too Large' : 'Bad Request' });
  return true;
}
