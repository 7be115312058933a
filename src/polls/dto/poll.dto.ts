import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { IsTextField, NormalizedText, NotBlank } from '../../common/validation/validation';

export const POLL_LIMITS = { question: 300, minOptions: 2, maxOptions: 10, option: 200 } as const;

/** PostgreSQL integers: anything larger could only fail in the database. */
const MAX_INT = 2_147_483_647;

/** Options that differ only by case (or, normalised first, by surrounding spaces or accent encoding) count as duplicates. */
function optionKey(option: unknown): unknown {
  return typeof option === 'string' ? option.toLocaleLowerCase('fr') : option;
}

export class CreatePollDto {
  @IsTextField({ max: POLL_LIMITS.question, example: 'Faut-il une troisième réunion avant l’été ?' })
  question: string;

  @ApiProperty({ type: [String], minItems: POLL_LIMITS.minOptions, maxItems: POLL_LIMITS.maxOptions, example: ['Oui', 'Non', 'Sans avis'] })
  @NormalizedText()
  @IsArray()
  @ArrayMinSize(POLL_LIMITS.minOptions)
  @ArrayMaxSize(POLL_LIMITS.maxOptions)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(POLL_LIMITS.option, { each: true })
  @NotBlank(true)
  @ArrayUnique(optionKey, { message: 'options ne doit pas répéter une réponse.' })
  options: string[];

  @ApiPropertyOptional({ default: true, description: 'Keep the counts from those who have not voted until the poll closes' })
  @IsOptional()
  @IsBoolean()
  hideResultsUntilVoted?: boolean;
}

export class VoteDto {
  @ApiProperty({ minimum: 0, description: 'The index of the chosen option' })
  @IsInt()
  @Min(0)
  @Max(MAX_INT)
  optionIndex: number;
}
