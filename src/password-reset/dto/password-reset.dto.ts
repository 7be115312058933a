import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsEmailField } from '../../common/validation/validation';

export class PasswordResetRequestDto {
  @IsEmailField({ example: 'camille.martin@nantesmetropole.fr' })
  email: string;
}

export class PasswordResetConfirmDto {
  @ApiProperty({ description: 'The token of the link received by e-mail' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  token: string;

  @ApiProperty({ minLength: 8, maxLength: 200 })
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  password: string;
}
