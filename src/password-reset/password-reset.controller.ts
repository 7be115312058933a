import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CredentialAttempt, Public } from '../auth/auth.decorators';
import { AuthResponse } from '../auth/dto/auth.dto';
import { PasswordResetConfirmDto, PasswordResetRequestDto } from './dto/password-reset.dto';
import { PasswordResetService } from './password-reset.service';

@ApiTags('auth')
@Controller('auth/password-reset')
export class PasswordResetController {
  constructor(private readonly resets: PasswordResetService) {}

  @Public()
  @Post()
  @HttpCode(202)
  @CredentialAttempt()
  @ApiAcceptedResponse({ description: 'Always, known address or not; a known, enabled account gets an e-mail with a link valid one hour' })
  async request(@Body() { email }: PasswordResetRequestDto): Promise<void> {
    await this.resets.request(email);
  }

  @Public()
  @Post('confirm')
  @HttpCode(200)
  @CredentialAttempt()
  @ApiOkResponse({ type: AuthResponse, description: 'The new password is set and the person signed in; the link no longer works' })
  @ApiBadRequestResponse({ description: 'The link is unknown, used or expired' })
  confirm(@Body() dto: PasswordResetConfirmDto): Promise<AuthResponse> {
    return this.resets.confirm(dto);
  }
}
