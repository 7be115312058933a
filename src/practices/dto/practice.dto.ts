import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, IntersectionType, PickType } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUrl, IsUUID, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { AttachmentIdsField } from '../../attachments/dto/attachment-ids.field';
import { PageQueryDto } from '../../common/http/pagination';
import { CanonicalUuid, IsTextField, IsUuidField, NormalizedText, NotBlank } from '../../common/validation/validation';
import { LEVERS, STAGES, type Lever, type Stage } from '../levers';

export const PRACTICE_LIMITS = {
  title: 200,
  summary: 1000,
  description: 20_000,
  partners: 50,
  partner: 200,
  links: 20,
  link: 2000,
  contact: 500,
  topics: 20,
} as const;

const present = () => ValidateIf((_, value) => value !== undefined);

const LeversField = () =>
  applyDecorators(
    ApiPropertyOptional({ enum: LEVERS, isArray: true, description: 'Lever keys, each at most once' }),
    present(),
    IsArray(),
    ArrayMaxSize(LEVERS.length),
    ArrayUnique({ message: 'levers ne doit pas citer deux fois le même levier.' }),
    IsIn(LEVERS, { each: true, message: `Chaque valeur de levers doit être l’une des valeurs suivantes : ${LEVERS.join(', ')}.` }),
  );

const StageField = (optional: boolean) =>
  applyDecorators(
    (optional ? ApiPropertyOptional : ApiProperty)({ enum: STAGES }),
    ...(optional ? [present()] : []),
    IsIn(STAGES, { message: `stage doit être l’une des valeurs suivantes : ${STAGES.join(', ')}.` }),
  );

/** Fields every write may carry; the create and update bodies add the texts, required or not. */
class PracticeListsDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Themes (topics) of the practice' })
  @present()
  @IsArray()
  @ArrayMaxSize(PRACTICE_LIMITS.topics)
  @ArrayUnique({ message: 'topicIds ne doit pas citer deux fois le même thème.' })
  @CanonicalUuid()
  @IsUUID('all', { each: true, message: 'Chaque valeur de topicIds doit être un UUID.' })
  topicIds?: string[];

  @LeversField()
  levers?: Lever[];

  @ApiPropertyOptional({ type: [String], maxItems: PRACTICE_LIMITS.partners, example: ['Les Ecossolies', 'ADEME'] })
  @NormalizedText()
  @present()
  @IsArray()
  @ArrayMaxSize(PRACTICE_LIMITS.partners)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(PRACTICE_LIMITS.partner, { each: true })
  @NotBlank(true)
  partners?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: PRACTICE_LIMITS.links, description: 'http or https URLs only' })
  @NormalizedText()
  @present()
  @IsArray()
  @ArrayMaxSize(PRACTICE_LIMITS.links)
  @IsString({ each: true })
  @MaxLength(PRACTICE_LIMITS.link, { each: true })
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true },
    { each: true, message: 'Chaque valeur de links doit être une adresse web en http ou https.' },
  )
  links?: string[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: PRACTICE_LIMITS.contact, description: 'null or empty clears it' })
  @NormalizedText()
  @IsOptional()
  @IsString()
  @MaxLength(PRACTICE_LIMITS.contact)
  contact?: string | null;

  @IsUuidField({ optional: true, description: 'Moderators only: the metropolis the practice belongs to (default: the author’s)' })
  metropolisId?: string;

  @AttachmentIdsField()
  attachmentIds?: string[];
}

export class CreatePracticeDto extends PracticeListsDto {
  @IsTextField({ max: PRACTICE_LIMITS.title, example: 'Nantes ESS Factory' })
  title: string;

  @IsTextField({ max: PRACTICE_LIMITS.summary })
  summary: string;

  @IsTextField({ max: PRACTICE_LIMITS.description, shape: 'markdown', description: 'Markdown' })
  description: string;

  @StageField(false)
  stage: Stage;
}

export class UpdatePracticeDto extends PracticeListsDto {
  @IsTextField({ max: PRACTICE_LIMITS.title, optional: true })
  title?: string;

  @IsTextField({ max: PRACTICE_LIMITS.summary, optional: true })
  summary?: string;

  @IsTextField({ max: PRACTICE_LIMITS.description, optional: true, shape: 'markdown', description: 'Markdown' })
  description?: string;

  @StageField(true)
  stage?: Stage;
}

const FilterText = (description: string) =>
  applyDecorators(ApiPropertyOptional({ description }), present(), IsString(), MinLength(1), MaxLength(200));

/** The catalogue's filters; they combine (AND). An unknown metropolis or topic is a 404 naming the parameter. */
export class PracticeFilterQuery {
  @FilterText('A metropolis slug (nantes-metropole) or id')
  metropolis?: string;

  @FilterText('A topic slug or id')
  topic?: string;

  @ApiPropertyOptional({ enum: LEVERS })
  @present()
  @IsIn(LEVERS, { message: `lever doit être l’une des valeurs suivantes : ${LEVERS.join(', ')}.` })
  lever?: Lever;

  @StageField(true)
  stage?: Stage;

  @FilterText('Words searched, accents and case ignored, in the title, summary, description and partners; each must match')
  q?: string;
}

export class ListPracticesQuery extends IntersectionType(PracticeFilterQuery, PageQueryDto) {}

/** The grid keeps both its axes whole: it filters by topic, stage and words only. */
export class PracticeGridQuery extends PickType(PracticeFilterQuery, ['topic', 'stage', 'q'] as const) {}

export const EXPORT_FORMATS = ['csv', 'json'] as const;
export const CSV_SEPARATORS = ['comma', 'semicolon'] as const;

export class ExportPracticesQuery extends PracticeFilterQuery {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'csv' })
  @present()
  @IsIn(EXPORT_FORMATS, { message: 'format doit valoir csv ou json.' })
  format?: (typeof EXPORT_FORMATS)[number];

  @ApiPropertyOptional({ enum: CSV_SEPARATORS, default: 'comma', description: 'semicolon suits a French-locale Excel' })
  @present()
  @IsIn(CSV_SEPARATORS, { message: 'separator doit valoir comma ou semicolon.' })
  separator?: (typeof CSV_SEPARATORS)[number];
}
