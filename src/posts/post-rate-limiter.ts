import { Injectable } from '@nestjs/common';
import { InjectThrottlerStorage, ThrottlerStorage } from '@nestjs/throttler';
import { RateLimitedException } from '../common/http/rate-limited.exception';
import { AppConfig } from '../config/app-config';

const WINDOW_MS = 10_000;

/**
 * Posts per person per 10 seconds, HTTP and live together. It counts in the throttler's storage, so when the
 * throttler is backed by Redis the limit holds across instances too.
 */
@Injectable()
export class PostRateLimiter {
  constructor(
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    private readonly config: AppConfig,
  ) {}

  async consume(userId: string): Promise<void> {
    const limit = this.config.rateLimitPostsPer10s;
    // over the limit, the sender waits out a whole window (a zero block duration is an error for the Redis storage)
    const record = await this.storage.increment(`posts:${userId}`, WINDOW_MS, limit, WINDOW_MS, 'posts');
    if (record.isBlocked) {
      const seconds = Math.max(1, record.timeToBlockExpire);
      throw new RateLimitedException(`Trop de messages : ${limit} au plus toutes les 10 secondes ; réessayez dans ${seconds} s.`, seconds);
    }
  }
}
