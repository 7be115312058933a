import { UseFilters } from '@nestjs/common';
import { ConnectedSocket, OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { hasRole } from '../common/roles';
import { ReadStateService } from '../follow-up/read-state.service';
import { PollsService } from '../polls/polls.service';
import { PostsService } from '../posts/posts.service';
import { SessionsService } from '../sessions/sessions.service';
import { LiveCreatePostDto, LiveThreadReadDto, PollVoteDto, SessionRefDto, ThreadRefDto, ThreadSubscribeDto } from './dto/live.dto';
import { LiveAckFilter } from './live-ack';
import type { LiveOk, PollVoteResult, PostCreateResult, SessionJoinResult, ThreadReadResult, ThreadSubscribeResult } from './live-events';
import {
  LIVE_MAX_FRAME_BYTES,
  LIVE_NAMESPACE,
  LIVE_PING_INTERVAL_MS,
  LIVE_PING_TIMEOUT_MS,
  LiveServer,
  rooms,
  type LiveNamespace,
  type LiveSocket,
} from './live-server';
import { LivePayload } from './live-validation';
import { PresenceService } from './presence.service';
import { SocketAuth } from './socket-auth';
import { ThreadFeed } from './thread-feed.service';
import { TypingService } from './typing.service';

/**
 * The live API of docs/API.md. Thin: each event takes the socket's user and the validated payload and calls a
 * service. Handlers return plain `{ ok: true, … }` objects, which LiveIoAdapter sends as the acknowledgement; the
 * filter answers any error with `{ ok: false, error }`.
 */
@WebSocketGateway({
  namespace: LIVE_NAMESPACE,
  maxHttpBufferSize: LIVE_MAX_FRAME_BYTES,
  pingInterval: LIVE_PING_INTERVAL_MS,
  pingTimeout: LIVE_PING_TIMEOUT_MS,
})
@UseFilters(LiveAckFilter)
export class LiveGateway implements OnGatewayInit<LiveNamespace>, OnGatewayConnection<LiveSocket>, OnGatewayDisconnect<LiveSocket> {
  constructor(
    private readonly live: LiveServer,
    private readonly socketAuth: SocketAuth,
    private readonly presence: PresenceService,
    private readonly feed: ThreadFeed,
    private readonly typingNotices: TypingService,
    private readonly posts: PostsService,
    private readonly sessions: SessionsService,
    private readonly polls: PollsService,
    private readonly readState: ReadStateService,
  ) {}

  afterInit(server: LiveNamespace): void {
    this.live.attach(server);
    server.use(this.socketAuth.middleware);
    server.on('user:tokens-revoked', (userId) => this.socketAuth.forgetUser(userId));
  }

  async handleConnection(socket: LiveSocket): Promise<void> {
    const { id, role } = socket.data.user;
    await socket.join(hasRole(role, 'moderator') ? [rooms.user(id), rooms.moderators] : rooms.user(id));
  }

  async handleDisconnect(socket: LiveSocket): Promise<void> {
    await this.presence.disconnected(socket);
  }

  @SubscribeMessage('session:join')
  async joinSession(@ConnectedSocket() socket: LiveSocket, @LivePayload() { sessionId }: SessionRefDto): Promise<LiveOk<SessionJoinResult>> {
    const session = await this.sessions.getView(sessionId, await this.socketAuth.userOf(socket));
    return { ok: true, session, presence: await this.presence.join(socket, sessionId) };
  }

  @SubscribeMessage('session:leave')
  async leaveSession(@ConnectedSocket() socket: LiveSocket, @LivePayload() { sessionId }: SessionRefDto): Promise<LiveOk> {
    await this.presence.leave(socket, sessionId);
    return { ok: true };
  }

  @SubscribeMessage('thread:subscribe')
  async subscribe(
    @ConnectedSocket() socket: LiveSocket,
    @LivePayload() { threadId, afterSeq }: ThreadSubscribeDto,
  ): Promise<LiveOk<ThreadSubscribeResult>> {
    return this.feed.subscribe(socket, await this.socketAuth.userOf(socket), threadId, afterSeq ?? 0);
  }

  @SubscribeMessage('thread:unsubscribe')
  unsubscribe(@ConnectedSocket() socket: LiveSocket, @LivePayload() { threadId }: ThreadRefDto): Promise<LiveOk> {
    return this.feed.unsubscribe(socket, threadId);
  }

  /** Acknowledged once the post is committed; the room hears it from the broadcaster (post.created), as for HTTP. */
  @SubscribeMessage('post:create')
  async createPost(@ConnectedSocket() socket: LiveSocket, @LivePayload() dto: LiveCreatePostDto): Promise<LiveOk<PostCreateResult>> {
    return { ok: true, post: await this.posts.create(await this.socketAuth.userOf(socket), dto.threadId, dto) };
  }

  @SubscribeMessage('typing')
  async typing(@ConnectedSocket() socket: LiveSocket, @LivePayload() { threadId }: ThreadRefDto): Promise<LiveOk> {
    await this.typingNotices.typing(socket, threadId);
    return { ok: true };
  }

  @SubscribeMessage('poll:vote')
  async vote(@ConnectedSocket() socket: LiveSocket, @LivePayload() { pollId, optionIndex }: PollVoteDto): Promise<LiveOk<PollVoteResult>> {
    return { ok: true, poll: await this.polls.vote(await this.socketAuth.userOf(socket), pollId, optionIndex) };
  }

  /** The same service method as `PUT /api/threads/:id/read`. */
  @SubscribeMessage('thread:read')
  async markRead(@ConnectedSocket() socket: LiveSocket, @LivePayload() { threadId, seq }: LiveThreadReadDto): Promise<LiveOk<ThreadReadResult>> {
    return { ok: true, ...(await this.readState.markRead(await this.socketAuth.userOf(socket), threadId, seq)) };
  }
}
