import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsTextField, OptionalNotNull } from '../../common/validation/validation';
import { MetropolisSummaryView } from '../../metropolises/metropolis.view';
import { HANDLE_MAX_LENGTH, HANDLE_MIN_LENGTH, HANDLE_PATTERN } from '../handles';

const HANDLE_RULE = `handle doit compter de ${HANDLE_MIN_LENGTH} à ${HANDLE_MAX_LENGTH} lettres minuscules, chiffres, points, tirets ou tirets bas, et commencer et finir par une lettre ou un chiffre.`;

/** The person's own settings: how they are shown, and the handle others mention them by. */
export class UpdateProfileDto {
  @IsTextField({ max: 100, optional: true, example: 'Camille Martin' })
  displayName?: string;

  @ApiPropertyOptional({
    minLength: HANDLE_MIN_LENGTH,
    maxLength: HANDLE_MAX_LENGTH,
    example: 'camille.martin',
    description: 'Lowercase letters, digits, dots, hyphens and underscores, beginning and ending with a letter or a digit; unique (409 when taken)',
  })
  @OptionalNotNull()
  // an @ typed in front and capitals are what people write; the handle itself is lowercase
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().replace(/^@/, '').toLowerCase() : value))
  @IsString()
  @Matches(HANDLE_PATTERN, { message: HANDLE_RULE })
  handle?: string;
}

/** A handle in a path (`/api/users/handles/:handle`), as a mention's link carries it. */
export class HandleParams {
  @ApiProperty({ example: 'camille.martin', description: 'A handle held now, or one held before a change' })
  @Matches(HANDLE_PATTERN, { message: HANDLE_RULE })
  handle: string;
}

export class DirectoryQuery {
  @ApiPropertyOptional({ description: 'The beginning of a handle, or part of a display name (what follows @ in the composer)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

/** A person as @completion offers them. */
export class DirectoryEntryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ example: 'camille.martin' }) handle: string;
  @ApiProperty({ type: MetropolisSummaryView, nullable: true }) metropolis: MetropolisSummaryView | null;
}
