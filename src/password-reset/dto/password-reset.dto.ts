import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { LowerCaseTrimmed } from '../../common/validation/validation';

export class PasswordResetRequestDto {
  @ApiProperty({ example: 'camille.martin@nantesmetropole.fr' })
  @LowerCaseTrimmed()
  @IsEmail()
  @MaxLength(320)
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
