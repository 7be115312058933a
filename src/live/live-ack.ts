import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RateLimitedException } from '../common/http/rate-limited.exception';
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
  if (!code) return undefined;
  return error instanceof RateLimitedException
    ? { code, message: messageOf(error), retryAfter: error.retryAfterSeconds }
    : { code, message: messageOf(error) };
}

function messageOf(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const { message } = response as { message?: unknown };
  // each message is a French sentence with its final period: they read one after the other
  if (Array.isArray(message)) return message.map(String).join(' ');
  return typeof message === 'string' ? message : error.message;
}

/** The answer to an event the live API does not have (its name cut short: it comes from the client). */
export function unknownEventFailure(event: unknown): LiveFailure {
  return { ok: false, error: { code: 'bad_request', message: `Événement inconnu : ${String(event).slice(0, 100)}.` } };
}

/** Where the acknowledgement callback sits among a live handler's arguments: (socket, payload, ack, event name). */
const ACK_ARGUMENT_INDEX = 2;

/**
 * Turns whatever a live handler throws (a refused payload included: pipes run inside the filter's reach) into the
 * contract's `{ ok: false, error }` acknowledgement, so the socket stays connected and the client always gets an
 * answer. Unexpected errors are logged with a correlation id and answered `internal` with that id only. A filter
 * rather than an interceptor: it costs nothing on the way of an event that succeeds, where an interceptor wraps every
 * event in observables and async-context bindings (a tenth of the CPU of a busy live server).
 */
@Catch()
export class LiveAckFilter implements ExceptionFilter {
  private readonly logger = new Logger('LiveErrors');

  catch(error: unknown, host: ArgumentsHost): void {
    const ack = host.getArgByIndex<unknown>(ACK_ARGUMENT_INDEX);
    if (typeof ack === 'function') (ack as (failure: LiveFailure) => void)(this.failure(error, host));
  }

  private failure(error: unknown, host: ArgumentsHost): LiveFailure {
    const known = liveErrorOf(error);
    if (known) return { ok: false, error: known };
    const correlationId = randomUUID();
    const ws = host.switchToWs();
    this.logger.error(
      { err: error, correlationId, event: ws.getPattern(), userId: ws.getClient<LiveSocket>().data.user?.id },
      'Unexpected live error',
    );
    return { ok: false, error: { code: 'internal', message: `Erreur interne (identifiant de corrélation ${correlationId}).` } };
  }
}
