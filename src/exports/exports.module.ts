import { Module } from '@nestjs/common';
import { ExportsController } from './exports.controller';
import { ThreadExportService } from './thread-export.service';

/** Exports for the study that are not a feature's own (the practice catalogue's export lives with practices). */
@Module({
  controllers: [ExportsController],
  providers: [ThreadExportService],
})
export class ExportsModule {}
