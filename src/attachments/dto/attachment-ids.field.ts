import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsUUID, ValidateIf } from 'class-validator';
import { CanonicalUuid } from '../../common/validation/validation';

export const MAX_ATTACHMENTS_PER_ITEM = 20;

/** `attachmentIds` of a post, practice or session: when given, its files become exactly these. */
export const AttachmentIdsField = () =>
  applyDecorators(
    ApiPropertyOptional({
      type: [String],
      format: 'uuid',
      maxItems: MAX_ATTACHMENTS_PER_ITEM,
      description:
        'Its files become exactly these (files left out are deleted): ids already attached to it, or your own uploads (POST /api/attachments) attached to nothing yet',
    }),
    CanonicalUuid(),
    ValidateIf((_, value) => value !== undefined),
    IsArray(),
    ArrayMaxSize(MAX_ATTACHMENTS_PER_ITEM),
    ArrayUnique({ message: 'attachmentIds ne doit pas citer deux fois le même fichier.' }),
    IsUUID('all', { each: true, message: 'Chaque valeur de attachmentIds doit être un UUID.' }),
  );
