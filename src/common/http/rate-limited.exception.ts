import { HttpException, HttpStatus } from '@nestjs/common';

/**
 * A 429 that knows when to come back: HTTP answers carry it as `Retry-After` (seconds), live acks as `retryAfter`.
 * Every rate limit of Essor throws this one.
 */
export class RateLimitedException extends HttpException {
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number) {
    super({ statusCode: HttpStatus.TOO_MANY_REQUESTS, message, error: 'Too Many Requests' }, HttpStatus.TOO_MANY_REQUESTS);
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}
