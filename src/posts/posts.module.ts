import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AttachmentsModule } from '../attachments/attachments.module';
import { FollowUpModule } from '../follow-up/follow-up.module';
import { PostPageCache } from './post-page-cache';
import { PostRateLimiter } from './post-rate-limiter';
import { Post } from './post.entity';
import { PostsController } from './posts.controller';
import { PostsService } from './posts.service';

@Module({
  imports: [TypeOrmModule.forFeature([Post]), FollowUpModule, AttachmentsModule],
  controllers: [PostsController],
  providers: [PostsService, PostRateLimiter, PostPageCache],
  exports: [PostsService],
})
export class PostsModule {}
