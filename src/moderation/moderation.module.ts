import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { PostsModule } from '../posts/posts.module';
import { ModerationController } from './moderation.controller';
import { ModerationService } from './moderation.service';

/** Flags on posts and the moderators' queue. */
@Module({ imports: [PostsModule, NotificationsModule], controllers: [ModerationController], providers: [ModerationService] })
export class ModerationModule {}
