import { Module } from '@nestjs/common';
import { ThreadsModule } from '../threads/threads.module';
import { TopicsModule } from '../topics/topics.module';
import { SeedService } from './seed.service';

@Module({ imports: [ThreadsModule, TopicsModule], providers: [SeedService], exports: [SeedService] })
export class SeedModule {}
