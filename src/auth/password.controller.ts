import { Body, Controller, HttpCode, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { User } from '../users/user.entity';
import { CredentialAttempt, CurrentUser } from './auth.decorators';
import { AuthService } from './auth.service';
import { ChangePasswordDto, PasswordChangedView } from './dto/auth.dto';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('me')
export class PasswordController {
  constructor(private readonly auth: AuthService) {}

  @Put('password')
  @HttpCode(200)
  @CredentialAttempt()
  @ApiOkResponse({ type: PasswordChangedView, description: 'A fresh token; every token issued before (this one included) stops working' })
  @ApiForbiddenResponse({ description: 'currentPassword is wrong' })
  @ApiTooManyRequestsResponse({ description: 'Too many wrong current passwords on this account (with Retry-After)' })
  changePassword(@CurrentUser() user: User, @Body() dto: ChangePasswordDto): Promise<PasswordChangedView> {
    return this.auth.changePassword(user, dto);
  }
}
