import { Module } from '@nestjs/common';
import { FollowUpModule } from '../follow-up/follow-up.module';
import { PollsModule } from '../polls/polls.module';
import { SessionsModule } from '../sessions/sessions.module';
import { ThreadsModule } from '../threads/threads.module';
import { UsersModule } from '../users/users.module';
import { LiveBroadcaster } from './live-broadcaster';
import { LiveServerModule } from './live-server.module';
import { LiveGateway } from './live.gateway';
import { SocketAuth } from './socket-auth';
import { ThreadFeed } from './thread-feed.service';
import { TypingService } from './typing.service';

/** The socket.io namespace /live (see README.md here): gateway, handshake auth, presence, typing and the broadcaster. */
@Module({
  imports: [ThreadsModule, SessionsModule, PollsModule, UsersModule, FollowUpModule, LiveServerModule],
  providers: [LiveGateway, SocketAuth, ThreadFeed, TypingService, LiveBroadcaster],
  exports: [LiveServerModule],
})
export class LiveModule {}
