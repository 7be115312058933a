import { DynamicModule, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { ThrottlerModule } from '@nestjs/throttler';
import { Redis } from 'ioredis';
import { CREDENTIAL_ATTEMPT } from '../auth/auth.decorators';
import { HttpThrottlerGuard } from '../common/http/http-throttler.guard';
import { AppConfig } from '../config/app-config';
import { FixedWindowThrottlerStorage } from './fixed-window-throttler-storage';

const MINUTE_MS = 60_000;

/**
 * The Redis connection of the rate limits. Essor owns it rather than the storage, which would close it as soon as
 * shutdown begins (onModuleDestroy) and make every request of the draining instance fail; it closes last here.
 */
@Injectable()
class RateLimitRedis implements OnApplicationShutdown {
  constructor(readonly client: Redis | undefined) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client?.quit().catch(() => this.client?.disconnect());
  }
}

/**
 * Request limits per client address (a stricter one for sign-in and registration) and the storage that the post and
 * typing limits count in too: in Redis when REDIS_URL is set, so every limit holds across instances.
 */
@Module({})
export class RateLimitsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const reflector = new Reflector();
    const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2 }) : undefined;
    return {
      module: RateLimitsModule,
      imports: [
        ThrottlerModule.forRoot({
          storage: redis ? new ThrottlerStorageRedisService(redis) : new FixedWindowThrottlerStorage(),
          // one count per client address (and per limit) across all routes, not one per route
          generateKey: (_context, tracker, throttlerName) => `${throttlerName}:${tracker}`,
          throttlers: [
            { name: 'default', ttl: MINUTE_MS, limit: config.rateLimitRequestsPerMinute },
            {
              name: 'credentials',
              ttl: MINUTE_MS,
              limit: config.rateLimitSignInPerMinute,
              skipIf: (context) => !reflector.get<boolean>(CREDENTIAL_ATTEMPT, context.getHandler()),
            },
          ],
        }),
      ],
      providers: [
        { provide: RateLimitRedis, useValue: new RateLimitRedis(redis) },
        { provide: APP_GUARD, useClass: HttpThrottlerGuard },
      ],
    };
  }
}
