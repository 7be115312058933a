import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Observable } from 'rxjs';
import type { EventEmitter } from 'node:events';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import { unknownEventFailure } from './live-ack';
import type { LiveFailure } from './live-events';

/** The connect_error of a handshake on any namespace but /live: socket.io's own wording for a namespace that does not exist. */
export const REFUSED_NAMESPACE = 'Invalid namespace';

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

  /**
   * The project's own socket.io (the version package.json asks for, the one the bench's relay runs), not the copy
   * @nestjs/platform-socket.io pins for itself.
   */
  override createIOServer(port: number, options?: Partial<ServerOptions>): Server {
    const server = this.httpServer && port === 0 ? new Server(this.httpServer as import('node:http').Server, options) : new Server(port, options);
    // the live API is /live only: socket.io's default namespace would otherwise take anyone, unauthenticated
    server.of('/').use((_socket, next) => next(new Error(REFUSED_NAMESPACE)));
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

  /**
   * Nest's IoAdapter keeps an RxJS pipeline alive on every socket for every handler (fromEvent, mergeMap, takeUntil
   * the disconnect): about 30 KB of heap per idle connection, where socket.io itself needs about 11 KB. One `onAny`
   * listener per socket does the same work for every event: the payload and ack are split as IoAdapter does,
   * `callback` runs Nest's guards, pipes, interceptors and exception filters, `transform` flattens its promise or
   * observable, and each non-nil result is the ack. One listener rather than one per event, because each listener
   * and its closure stay on every idle connection. Observables then live only while an event is being handled.
   * Replies of the `{ event, data }` form are not supported: the live API answers through acks only.
   */
  override bindMessageHandlers(socket: EventEmitter, handlers: MessageMappingProperties[], transform: (data: unknown) => Observable<unknown>): void {
    // socket.io calls `onAny` listeners with every event a client sends, never with its own (connect, disconnect…)
    (socket as unknown as Socket).onAny((event: unknown, ...args: unknown[]) => {
      // a scan of the gateway's few events, where a Map would be one more object on every connection
      const handler = handlers.find(({ message }) => message === event);
      const last = args[args.length - 1];
      if (!handler) {
        // an event nobody handles is answered at once, where the client would otherwise wait for its timeout
        if (typeof last === 'function') (last as (answer: LiveFailure) => void)(unknownEventFailure(event));
        return;
      }
      // as fromEvent would emit them: one argument as it is, several as an array
      const { data, ack } = this.mapPayload(args.length > 1 ? args : args[0]) as { data: unknown; ack?: (response: unknown) => void };
      const handle = handler.callback as (data: unknown, ack: unknown) => unknown;
      transform(handle(data, ack)).subscribe((response) => {
        if (response !== null && response !== undefined && !handler.isAckHandledManually && typeof ack === 'function') ack(response);
      });
    });
  }

  override async dispose(): Promise<void> {
    await Promise.all(this.redisClients.splice(0).map((client) => client.quit().catch(() => client.disconnect())));
  }
}
