import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequireRole } from '../auth/auth.decorators';
import { UuidParam } from '../common/http/uuid-param';
import { Page, PageQueryDto } from '../common/http/pagination';
import { Paginated } from '../common/http/pagination.interceptor';
import { DirectoryEntryView, DirectoryQuery, HandleParams } from './dto/profile.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { User } from './user.entity';
import { UserView } from './user.view';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @RequireRole('moderator')
  @ApiOkResponse({ type: [UserView], description: 'Sorted by display name; paged with `limit`, `cursor` and a `Link` header' })
  @Paginated()
  list(@Query() query: PageQueryDto): Promise<Page<UserView>> {
    return this.users.list(query);
  }

  @Get('directory')
  @ApiOkResponse({
    type: [DirectoryEntryView],
    description: 'People for @completion (20 at most): handles beginning with q first, then display names holding it',
  })
  directory(@Query() query: DirectoryQuery): Promise<DirectoryEntryView[]> {
    return this.users.directory(query);
  }

  @Get('handles/:handle')
  @ApiOkResponse({
    type: DirectoryEntryView,
    description:
      'The person a mention names: whoever holds the handle now, else whoever held it before changing theirs (then `handle` is the new one)',
  })
  byHandle(@Param() { handle }: HandleParams): Promise<DirectoryEntryView> {
    return this.users.byHandle(handle);
  }

  @Patch(':id')
  @RequireRole('admin')
  @ApiOkResponse({ type: UserView })
  update(@CurrentUser() actor: User, @UuidParam() id: string, @Body() changes: UpdateUserDto): Promise<UserView> {
    return this.users.update(actor, id, changes);
  }
}
