import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser } from '../auth/auth.decorators';
import { UuidParam } from '../common/http/uuid-param';
import { User } from '../users/user.entity';
import { sendAttachment } from './attachment-download';
import { AttachmentView } from './attachment.view';
import { AttachmentsService, UploadedFile } from './attachments.service';
import { ACCEPTED_LIST_FRENCH } from './content-type';
import { UploadAttachmentDto } from './dto/upload-attachment.dto';
import { ALT_MAX, NO_FILE_MESSAGE, UploadInterceptor } from './upload.interceptor';

const DOWNLOAD_DESCRIPTION =
  "Who may read what the file is attached to (a hidden post’s files: its author and moderators; a deleted post’s are gone; an upload attached to nothing: its uploader and moderators). `Content-Disposition` inline for images, attachment otherwise; `nosniff`; `Content-Security-Policy: default-src 'none'; sandbox`; `ETag` (304 on `If-None-Match`); one `Range` → 206, outside the file → 416.";

@ApiTags('attachments')
@ApiBearerAuth()
@Controller('attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Post()
  @UseInterceptors(UploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' }, alt: { type: 'string', maxLength: ALT_MAX } },
    },
  })
  @ApiCreatedResponse({
    type: AttachmentView,
    description: `Attached to nothing until a post, practice or session lists its id in \`attachmentIds\` (removed after a day otherwise). Accepted: ${ACCEPTED_LIST_FRENCH}.`,
  })
  @ApiPayloadTooLargeResponse({ description: 'Over ATTACHMENT_MAX_MB, or over the uploader’s ATTACHMENT_QUOTA_MB' })
  @ApiUnsupportedMediaTypeResponse({ description: 'A type read from the content that is not accepted' })
  upload(
    @CurrentUser() uploader: User,
    @Req() request: Request & { file?: UploadedFile },
    @Body() dto: UploadAttachmentDto,
  ): Promise<AttachmentView> {
    if (!request.file) throw new BadRequestException([NO_FILE_MESSAGE]);
    return this.attachments.upload(uploader, request.file, dto.alt);
  }

  @Get(':id')
  @ApiOkResponse({ description: DOWNLOAD_DESCRIPTION, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } })
  async download(@CurrentUser() reader: User, @UuidParam() id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    await sendAttachment(request, response, await this.attachments.content(reader, id, 'original'));
  }

  @Get(':id/preview')
  @ApiOkResponse({ description: 'An image’s scaled-down WebP preview, under the same rules as the file', content: { 'image/webp': {} } })
  async preview(@CurrentUser() reader: User, @UuidParam() id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    await sendAttachment(request, response, await this.attachments.content(reader, id, 'preview'));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Its uploader or a moderator: removes the file, and detaches it from what held it' })
  async remove(@CurrentUser() actor: User, @UuidParam() id: string): Promise<void> {
    await this.attachments.remove(actor, id);
  }
}
