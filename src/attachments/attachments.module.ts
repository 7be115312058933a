import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { Database } from '../database/database.service';
import { AttachmentStorage, DatabaseAttachmentStorage, DirectoryAttachmentStorage } from './attachment-storage';
import { Attachment } from './attachment.entity';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';
import { ContentTypeDetector } from './content-type';
import { UploadFolder } from './upload-folder';
import { UploadInterceptor } from './upload.interceptor';

@Module({
  imports: [TypeOrmModule.forFeature([Attachment])],
  controllers: [AttachmentsController],
  providers: [
    AttachmentsService,
    ContentTypeDetector,
    UploadFolder,
    UploadInterceptor,
    {
      provide: AttachmentStorage,
      inject: [AppConfig, Database],
      useFactory: (config: AppConfig, database: Database): AttachmentStorage =>
        config.attachments.storage === 'directory' ? new DirectoryAttachmentStorage(config) : new DatabaseAttachmentStorage(database),
    },
  ],
  exports: [AttachmentsService],
})
export class AttachmentsModule {}
