import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, Max, Min, ValidateIf } from 'class-validator';
import { IsFreeTextField, IsTextField } from '../../common/validation/validation';

export class CreateTopicDto {
  @IsTextField({ max: 200, example: 'Achats socialement responsables' })
  title: string;

  @IsFreeTextField({ max: 5000, optional: true })
  description?: string;
}

export class UpdateTopicDto {
  @IsTextField({ max: 200, optional: true })
  title?: string;

  @IsFreeTextField({ max: 5000, optional: true })
  description?: string;

  @ApiPropertyOptional({ minimum: 0, description: 'Order among topics; the others shift to make room' })
  @ValidateIf((_, value) => value !== undefined)
  @IsInt()
  @Min(0)
  @Max(100000)
  position?: number;

  @ApiPropertyOptional()
  @ValidateIf((_, value) => value !== undefined)
  @IsBoolean()
  pinned?: boolean;

  @ApiPropertyOptional({ description: 'A locked topic takes new threads from moderators only' })
  @ValidateIf((_, value) => value !== undefined)
  @IsBoolean()
  locked?: boolean;

  @ApiPropertyOptional()
  @ValidateIf((_, value) => value !== undefined)
  @IsBoolean()
  archived?: boolean;
}

export class ListTopicsQuery {
  @ApiPropertyOptional({ description: 'true: include archived topics' })
  @ValidateIf((_, value) => value !== undefined)
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsIn([true, false], { message: 'archived doit être true ou false.' })
  archived?: boolean;
}
