import { Module } from '@nestjs/common';
import { LiveModule } from '../live/live.module';
import { GracefulShutdown } from './graceful-shutdown.service';

@Module({ imports: [LiveModule], providers: [GracefulShutdown] })
export class ShutdownModule {}
