import { AttachmentIdsField } from '../../attachments/dto/attachment-ids.field';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';
import { IsFreeTextField, IsTextField, IsUuidField, NormalizedText, NotBlank } from '../../common/validation/validation';
import { SESSION_STATUSES, type SessionStatus } from '../entities/session.entity';

export const SESSION_LIMITS = {
  title: 200,
  description: 20_000,
  location: 300,
  videoUrl: 2000,
  agendaItems: 50,
  itemTitle: 200,
  durationMinutes: 600,
} as const;

/** A date-time with its zone, so that « 10:00 » can never be read in the server's own time zone. */
const ISO_DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,9})?)?(Z|[+-]\d\d:?\d\d)$/i;

function IsDateTimeField(options: { optional?: boolean; nullable?: boolean; description?: string }) {
  return applyDecorators(
    (options.optional ? ApiPropertyOptional : ApiProperty)({
      type: String,
      format: 'date-time',
      nullable: options.nullable,
      example: '2025-06-19T08:00:00Z',
      description: options.description,
    }),
    ...(options.optional ? [options.nullable ? IsOptional() : ValidateIf((_, value) => value !== undefined)] : []),
    IsString(),
    Matches(ISO_DATE_TIME, {
      message: ({ property }) => `${property} doit être une date et une heure ISO 8601 avec fuseau horaire, par exemple 2025-06-19T08:00:00Z.`,
    }),
    IsISO8601({ strict: true }, { message: ({ property }) => `${property} doit être une date qui existe.` }),
  );
}

const DurationField = () =>
  applyDecorators(
    ApiPropertyOptional({
      type: Number,
      nullable: true,
      minimum: 1,
      maximum: SESSION_LIMITS.durationMinutes,
      description: 'Planned length in minutes',
    }),
    IsOptional(),
    IsInt(),
    Min(1),
    Max(SESSION_LIMITS.durationMinutes),
  );

export class NewAgendaItemDto {
  @IsTextField({ max: SESSION_LIMITS.itemTitle, example: "Évaluation de l'utilité sociale" })
  title: string;

  @IsUuidField({ optional: true, nullable: true, description: 'The topic the item discusses; its thread is listed under that topic too' })
  topicId?: string | null;

  @DurationField()
  durationMinutes?: number | null;
}

export class AgendaItemDto extends NewAgendaItemDto {
  @IsUuidField({ optional: true, description: 'An item of this session to keep, with its discussion thread; without it the item is new' })
  id?: string;
}

const AgendaField = <T>(type: () => new () => T, description: string, optional = false) =>
  applyDecorators(
    (optional ? ApiPropertyOptional : ApiProperty)({ type: [type()], maxItems: SESSION_LIMITS.agendaItems, description }),
    ...(optional ? [ValidateIf((_, value) => value !== undefined)] : []),
    IsArray(),
    ArrayMaxSize(SESSION_LIMITS.agendaItems),
    ValidateNested({ each: true }),
    Type(type),
  );

/** Text fields both writes share; null clears an optional one on PATCH. */
class SessionPlaceDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: SESSION_LIMITS.location, example: 'Avise, Paris (salle 2)' })
  @NormalizedText()
  @IsOptional()
  @IsString()
  @MaxLength(SESSION_LIMITS.location)
  @NotBlank()
  location?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: SESSION_LIMITS.videoUrl, description: 'An http or https URL' })
  @NormalizedText()
  @IsOptional()
  @IsString()
  @MaxLength(SESSION_LIMITS.videoUrl)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'videoUrl doit être une adresse web en http ou https.' })
  videoUrl?: string | null;

  @IsDateTimeField({ optional: true, nullable: true, description: 'After startsAt' })
  endsAt?: string | null;

  @AttachmentIdsField()
  attachmentIds?: string[];
}

export class CreateSessionDto extends SessionPlaceDto {
  @IsTextField({ max: SESSION_LIMITS.title, example: 'Groupe de travail Métropoles, ESS et innovation sociale' })
  title: string;

  @IsFreeTextField({ max: SESSION_LIMITS.description, optional: true, shape: 'markdown', description: 'Markdown; empty when absent' })
  description?: string;

  @IsDateTimeField({})
  startsAt: string;

  @AgendaField(() => NewAgendaItemDto, 'The items in order; each gets its own discussion thread')
  agenda: NewAgendaItemDto[];
}

export class UpdateSessionDto extends SessionPlaceDto {
  @IsTextField({ max: SESSION_LIMITS.title, optional: true })
  title?: string;

  @IsFreeTextField({ max: SESSION_LIMITS.description, optional: true, shape: 'markdown' })
  description?: string;

  @IsDateTimeField({ optional: true })
  startsAt?: string;

  @AgendaField(
    () => AgendaItemDto,
    'Replaces the agenda (scheduled or live sessions only; 409 once closed). Give back the id of each item to keep: it keeps its thread. An item left out is deleted with its thread, unless its discussion has posts or it has polls (409), or it is the current item of a live session (409).',
    true,
  )
  agenda?: AgendaItemDto[];
}

export class ListSessionsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: SESSION_STATUSES, description: 'Only sessions in this status' })
  @ValidateIf((_, value) => value !== undefined)
  @IsIn(SESSION_STATUSES, { message: `status doit être l’une des valeurs suivantes : ${SESSION_STATUSES.join(', ')}.` })
  status?: SessionStatus;
}

export class UpdateAgendaItemDto {
  @IsFreeTextField({
    max: 20_000,
    description: '« Décisions et suites » of the item, Markdown; empty clears it',
    example: 'Le groupe rédige une note commune d’ici juin.',
  })
  decisions: string;
}
