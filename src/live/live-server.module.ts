import { Module } from '@nestjs/common';
import { LiveServer } from './live-server';
import { PresenceService } from './presence.service';

/**
 * The /live namespace and who is in its rooms, for the services that announce to rooms or ask who is there (a
 * session starting notifies the registered who are not in its room), without depending on the gateway.
 */
@Module({
  providers: [LiveServer, PresenceService],
  exports: [LiveServer, PresenceService],
})
export class LiveServerModule {}
