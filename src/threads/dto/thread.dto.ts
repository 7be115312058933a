import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, Max, Min, ValidateIf } from 'class-validator';
import { AttachmentIdsField } from '../../attachments/dto/attachment-ids.field';
import { IsClientKeyField, POST_BODY_MAX } from '../../posts/dto/post.dto';
import { IsTextField } from '../../common/validation/validation';
import { MAX_PAGE_SIZE } from '../../common/http/pagination';

export class CreateThreadDto {
  @IsTextField({ max: 200, example: 'Quels indicateurs pour la mesure d’impact ?' })
  title: string;

  @IsTextField({ max: POST_BODY_MAX, shape: 'markdown', description: 'The first post, in Markdown' })
  body: string;

  @IsClientKeyField('Chosen by the client: the same key from the same author answers the thread it opened, never a second thread')
  clientKey?: string | null;

  @AttachmentIdsField()
  attachmentIds?: string[];
}

export class UpdateThreadDto {
  @IsTextField({ max: 200, optional: true })
  title?: string;

  @ApiPropertyOptional()
  @ValidateIf((_, value) => value !== undefined)
  @IsBoolean()
  pinned?: boolean;

  @ApiPropertyOptional({ description: 'A locked thread takes posts from moderators only' })
  @ValidateIf((_, value) => value !== undefined)
  @IsBoolean()
  locked?: boolean;
}

export class ThreadPostsQuery {
  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'Only posts with a greater seq' })
  @ValidateIf((_, value) => value !== undefined)
  @Type(() => Number)
  @IsInt()
  @Min(0)
  afterSeq?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @ValidateIf((_, value) => value !== undefined)
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;
}
