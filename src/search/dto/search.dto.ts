import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsString, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { IsUuidField } from '../../common/validation/validation';
import { SEARCH_KINDS, type SearchKind } from '../search-index';

export const DEFAULT_SEARCH_LIMIT = 20;
export const MAX_SEARCH_LIMIT = 50;
export const MAX_QUERY_LENGTH = 200;

const present = () => ValidateIf((_, value) => value !== undefined);

export class SearchQuery {
  @ApiProperty({
    minLength: 1,
    maxLength: MAX_QUERY_LENGTH,
    example: 'évaluation "utilité sociale" -emploi',
    description:
      'Words, all of which must match in any form (accents, case, plural, elision and ligatures do not matter: « evaluations » finds « l’Évaluation »); ' +
      '"a phrase" (or « a phrase ») in quotes; -word or -"a phrase" to exclude. Stop words (le, de, …) and one-letter words are ignored: a query of nothing else finds nothing.',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_QUERY_LENGTH)
  q: string;

  @ApiPropertyOptional({ enum: SEARCH_KINDS, description: 'Only hits of this kind' })
  @present()
  @IsIn(SEARCH_KINDS, { message: `kind doit être l’une des valeurs suivantes : ${SEARCH_KINDS.join(', ')}.` })
  kind?: SearchKind;

  @ApiPropertyOptional({ description: 'A topic slug or id: threads and posts of that topic, practices of that theme' })
  @present()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  topic?: string;

  @ApiPropertyOptional({ description: 'A metropolis slug or id: what its people wrote, and its practices' })
  @present()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  metropolis?: string;

  @IsUuidField({ optional: true, description: 'Only what this person wrote' })
  author?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Written at or after this time (ISO 8601; a date alone is midnight UTC)' })
  @present()
  @IsISO8601({ strict: true }, { message: 'from doit être une date ou une heure ISO 8601.' })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Written before this time (ISO 8601, excluded)' })
  @present()
  @IsISO8601({ strict: true }, { message: 'to doit être une date ou une heure ISO 8601.' })
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_SEARCH_LIMIT, default: DEFAULT_SEARCH_LIMIT })
  @present()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_SEARCH_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor taken from the `Link: <…>; rel="next"` header of the previous page' })
  @present()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}
