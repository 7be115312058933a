import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { RateLimitedException } from './rate-limited.exception';

/** The request limits are for HTTP; the live gateway limits posts and typing itself. */
@Injectable()
export class HttpThrottlerGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return context.getType() !== 'http' || super.shouldSkip(context);
  }

  /** The throttler names its header `Retry-After-<limit>` for every limit but the default one: answer the standard one. */
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new RateLimitedException(await this.getErrorMessage(context, detail), detail.timeToBlockExpire);
  }
}
