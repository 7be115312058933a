import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { User } from '../users/user.entity';
import { toUserView, UserView } from '../users/user.view';
import { CredentialAttempt, CurrentUser, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { AuthResponse, LoginDto, RegisterDto } from './dto/auth.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @CredentialAttempt()
  @ApiOkResponse({ type: AuthResponse })
  login(@Body() credentials: LoginDto): Promise<AuthResponse> {
    return this.auth.login(credentials);
  }

  @Public()
  @Post('register')
  @CredentialAttempt()
  @ApiCreatedResponse({ type: AuthResponse })
  register(@Body() registration: RegisterDto): Promise<AuthResponse> {
    return this.auth.register(registration);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: UserView })
  me(@CurrentUser() user: User): UserView {
    return toUserView(user);
  }
}
