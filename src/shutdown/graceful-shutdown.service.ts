import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '../config/app-config';
import { Database } from '../database/database.service';
import { ShutdownState } from '../health/shutdown-state';
import { LiveServer } from '../live/live-server';

/**
 * The order of a clean stop (SIGTERM): health answers 503 and new live connections are refused; after the configured
 * delay this instance's sockets are closed so their clients reconnect elsewhere; writes under way finish. Nest then
 * closes the HTTP server (letting requests in progress end) and, last, the database connection.
 */
@Injectable()
export class GracefulShutdown implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');

  constructor(
    private readonly config: AppConfig,
    private readonly state: ShutdownState,
    private readonly live: LiveServer,
    private readonly database: Database,
  ) {}

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.state.beginDraining();
    this.logger.log(`Shutting down${signal ? ` on ${signal}` : ''}: draining`);
    if (this.config.shutdownDelayMs > 0) await sleep(this.config.shutdownDelayMs);
    this.live.disconnectLocalSockets();
    await this.database.drain();
    this.logger.log('Drained: closing connections');
  }
}
