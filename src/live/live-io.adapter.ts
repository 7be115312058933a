import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';

/**
 * socket.io as Nest creates it, plus the Redis adapter when REDIS_URL is set, so that rooms, broadcasts,
 * fetchSockets (presence) and disconnectSockets (a disabled user) span every instance.
 */
export class LiveIoAdapter extends IoAdapter {
  private readonly logger = new Logger('LiveIoAdapter');
  private readonly redisClients: Redis[] = [];

  constructor(
    app: INestApplicationContext,
    private readonly redisUrl: string | undefined,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, options) as Server;
    if (this.redisUrl) {
      const publisher = new Redis(this.redisUrl);
      const subscriber = publisher.duplicate();
      for (const client of [publisher, subscriber]) {
        client.on('error', (error: Error) => this.logger.error({ err: error }, 'Redis (socket.io adapter) error'));
        this.redisClients.push(client);
      }
      server.adapter(createAdapter(publisher, subscriber));
    }
    return server;
  }

  override async dispose(): Promise<void> {
    await Promise.all(this.redisClients.splice(0).map((client) => client.quit().catch(() => client.disconnect())));
  }
}
