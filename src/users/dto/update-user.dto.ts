import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, ValidateIf } from 'class-validator';
import { ROLES, type Role } from '../../common/roles';

export class UpdateUserDto {
  @ApiPropertyOptional({ enum: ROLES })
  @ValidateIf((_, value) => value !== undefined)
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ description: 'A disabled account cannot sign in or connect live' })
  @ValidateIf((_, value) => value !== undefined)
  @IsBoolean()
  disabled?: boolean;
}
