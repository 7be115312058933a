import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { RateLimitedException } from './rate-limited.exception';

/** The request limits are for HTTP; the live gateway limits posts and typing itself. */
@Injectable()
export class HttpThrottlerGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return context.getType() !== 'http' || super.shouldSkip(context);
  }

  /**
   * The throttler names its header `Retry-After-<limit>` for every limit but the default one: answer the standard one,
   * with a French message (the throttler's own is English).
   */
  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const seconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    return Promise.reject(new RateLimitedException(`Trop de requêtes : réessayez dans ${seconds} s.`, seconds));
  }
}
