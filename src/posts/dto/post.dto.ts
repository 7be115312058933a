import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { AttachmentIdsField } from '../../attachments/dto/attachment-ids.field';
import { IsTextField, IsUuidField } from '../../common/validation/validation';

export const POST_BODY_MAX = 20_000;

/** An optional key chosen by the client, which makes a post (or a thread's first post) idempotent per author. */
export function IsClientKeyField(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description }),
    ValidateIf((_, value) => value !== undefined && value !== null),
    IsString(),
    MinLength(1),
    MaxLength(100),
    Matches(/^[\w.:-]+$/, { message: 'clientKey ne peut contenir que des lettres, des chiffres et les signes « . », « _ », « : » et « - ».' }),
  );
}

export class CreatePostDto {
  @IsTextField({ max: POST_BODY_MAX, shape: 'markdown', description: 'Markdown, 1 to 20,000 characters' })
  body: string;

  @IsUuidField({ optional: true, nullable: true, description: 'The post this one replies to, in the same thread' })
  parentId?: string | null;

  @IsClientKeyField('Chosen by the client (a UUID, say): the same key from the same author returns the first post')
  clientKey?: string | null;

  @AttachmentIdsField()
  attachmentIds?: string[];
}

export class UpdatePostDto {
  @IsTextField({ max: POST_BODY_MAX, shape: 'markdown', description: 'Markdown, 1 to 20,000 characters' })
  body: string;

  @AttachmentIdsField()
  attachmentIds?: string[];
}

export const HIDDEN_REASON_MAX = 500;

export class HidePostDto {
  @IsTextField({
    optional: true,
    max: HIDDEN_REASON_MAX,
    description: 'Why the post is hidden: shown to its author and to moderators',
    example: 'Propos injurieux',
  })
  reason?: string;
}
