import { CallHandler, ExecutionContext, HttpException, HttpStatus, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { catchError, Observable, of } from 'rxjs';
import type { LiveError, LiveErrorCode, LiveFailure } from './live-events';
import type { LiveSocket } from './live-server';

/** The one mapping from HTTP statuses (what services throw) to the ack codes of the contract. */
const CODE_BY_STATUS: Partial<Record<number, LiveErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: 'bad_request',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'bad_request',
  [HttpStatus.UNAUTHORIZED]: 'unauthorized',
  [HttpStatus.FORBIDDEN]: 'forbidden',
  [HttpStatus.NOT_FOUND]: 'not_found',
  [HttpStatus.CONFLICT]: 'conflict',
  [HttpStatus.TOO_MANY_REQUESTS]: 'rate_limited',
};

/** The ack error for a known failure, or undefined when the error is unexpected (a bug, the database down…). */
export function liveErrorOf(error: unknown): LiveError | undefined {
  if (!(error instanceof HttpException)) return undefined;
  const code = CODE_BY_STATUS[error.getStatus()];
  return code ? { code, message: messageOf(error) } : undefined;
}

function messageOf(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const { message } = response as { message?: unknown };
  if (Array.isArray(message)) return message.map(String).join('; ');
  return typeof message === 'string' ? message : error.message;
}

/**
 * Turns whatever a live handler throws (validation included: pipes run inside interceptors) into the contract's
 * `{ ok: false, error }` acknowledgement, so the socket stays connected and the client always gets an answer.
 * Unexpected errors are logged with a correlation id and answered `internal` with that id only.
 */
@Injectable()
export class LiveAckInterceptor implements NestInterceptor {
  private readonly logger = new Logger('LiveErrors');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(catchError((error: unknown) => of(this.failure(error, context))));
  }

  private failure(error: unknown, context: ExecutionContext): LiveFailure {
    const known = liveErrorOf(error);
    if (known) return { ok: false, error: known };
    const correlationId = randomUUID();
    const socket = context.switchToWs().getClient<LiveSocket>();
    this.logger.error({ err: error, correlationId, event: context.switchToWs().getPattern(), userId: socket.data.user?.id }, 'Unexpected live error');
    return { ok: false, error: { code: 'internal', message: `Internal error (correlation id ${correlationId})` } };
  }
}
