import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SignedInShape } from '../../common/http-views';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsTextField, IsUuidField, LowerCaseTrimmed } from '../../common/validation/validation';
import { UserView } from '../../users/user.view';

export class LoginDto {
  @ApiProperty({ example: 'admin@essor.local' })
  @LowerCaseTrimmed()
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password: string;
}

export class RegisterDto {
  @ApiProperty({ example: 'camille.martin@nantesmetropole.fr' })
  @LowerCaseTrimmed()
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiProperty({ minLength: 8, maxLength: 200 })
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  password: string;

  @IsTextField({ max: 100, example: 'Camille Martin' })
  displayName: string;

  @ApiPropertyOptional({ description: 'Required when REGISTRATION_MODE=invitation; fixes the metropolis and the role' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  invitationCode?: string;

  @IsUuidField({ optional: true, nullable: true, description: 'With open registration and no invitation: the metropolis of the new account' })
  metropolisId?: string | null;
}

export class AuthResponse implements SignedInShape {
  @ApiProperty() accessToken: string;
  @ApiProperty({ type: UserView }) user: UserView;
}
