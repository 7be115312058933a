import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FollowUpModule } from '../follow-up/follow-up.module';
import { PostsModule } from '../posts/posts.module';
import { Thread } from './thread.entity';
import { ThreadsController } from './threads.controller';
import { ThreadsService } from './threads.service';

@Module({
  imports: [TypeOrmModule.forFeature([Thread]), PostsModule, FollowUpModule],
  controllers: [ThreadsController],
  providers: [ThreadsService],
  exports: [ThreadsService, PostsModule],
})
export class ThreadsModule {}
