import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SignedInShape } from '../../common/http-views';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsEmailField, IsTextField, IsUuidField } from '../../common/validation/validation';
import { UserView } from '../../users/user.view';

/** A password as typed at sign-in: whatever it is, up to 200 characters. */
const PasswordField = () => applyDecorators(ApiProperty({ minLength: 1, maxLength: 200 }), IsString(), MinLength(1), MaxLength(200));
/** A password being chosen: 8 to 200 characters. */
const NewPasswordField = () => applyDecorators(ApiProperty({ minLength: 8, maxLength: 200 }), IsString(), MinLength(8), MaxLength(200));

export class LoginDto {
  @IsEmailField({ example: 'admin@essor.local' })
  email: string;

  @PasswordField()
  password: string;
}

export class RegisterDto {
  @IsEmailField()
  email: string;

  @NewPasswordField()
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

export class ChangePasswordDto {
  @PasswordField()
  currentPassword: string;

  @NewPasswordField()
  newPassword: string;
}

export class PasswordChangedView {
  @ApiProperty({ description: 'Replaces the token the client held: that one, and every other one of this account, no longer works' })
  accessToken: string;
}

export class AuthResponse implements SignedInShape {
  @ApiProperty() accessToken: string;
  @ApiProperty({ type: UserView }) user: UserView;
}
