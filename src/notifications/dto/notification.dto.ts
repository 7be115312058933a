import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, Equals, IsArray, IsBoolean, IsOptional, IsUUID, ValidateIf } from 'class-validator';
import { CanonicalUuid } from '../../common/validation/validation';
import { PageQueryDto } from '../../common/http/pagination';

export const MAX_NOTIFICATIONS_MARKED = 500;

export class ListNotificationsQuery extends PageQueryDto {
  @ApiPropertyOptional({ description: 'true: only the notifications not read yet' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  unread?: boolean;
}

/** Either `{ids}` or `{all: true}`. */
export class MarkNotificationsReadDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: `Up to ${MAX_NOTIFICATIONS_MARKED} of the reader's notifications` })
  // an empty body is answered by the one message of `all`, which says what to send
  @ValidateIf((dto: MarkNotificationsReadDto) => dto.ids !== undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_NOTIFICATIONS_MARKED)
  @CanonicalUuid()
  @IsUUID('all', { each: true })
  ids?: string[];

  @ApiPropertyOptional({ enum: [true], description: 'Every notification of the reader' })
  @ValidateIf((dto: MarkNotificationsReadDto) => dto.ids === undefined || dto.all !== undefined)
  @Equals(true, { message: 'Envoyez soit ids (les notifications à marquer comme lues), soit all: true.' })
  all?: true;
}
