import { Body, Controller, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/auth.decorators';
import { UpdateProfileDto } from './dto/profile.dto';
import { User } from './user.entity';
import { UserView } from './user.view';
import { UsersService } from './users.service';

/** The signed-in person's own account. */
@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(private readonly users: UsersService) {}

  @Patch()
  @ApiOkResponse({ type: UserView })
  @ApiConflictResponse({ description: 'The handle is held by somebody else' })
  update(@CurrentUser() user: User, @Body() changes: UpdateProfileDto): Promise<UserView> {
    return this.users.updateProfile(user, changes);
  }
}
