import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/auth.decorators';
import { Page } from '../common/http/pagination';
import { Paginated } from '../common/http/pagination.interceptor';
import { User } from '../users/user.entity';
import { ListNotificationsQuery, MarkNotificationsReadDto } from './dto/notification.dto';
import { NotificationView, UnreadCountView } from './notification.view';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @Paginated()
  @ApiOkResponse({ type: [NotificationView], description: 'Newest first; paged with `limit`, `cursor` and a `Link` header' })
  list(@CurrentUser() reader: User, @Query() query: ListNotificationsQuery): Promise<Page<NotificationView>> {
    return this.notifications.list(reader, query);
  }

  @Get('count')
  @ApiOkResponse({ type: UnreadCountView })
  async count(@CurrentUser() reader: User): Promise<UnreadCountView> {
    return { unread: await this.notifications.unreadCount(reader) };
  }

  @Post('read')
  @HttpCode(200)
  @ApiOkResponse({ type: UnreadCountView, description: 'Marks read (nothing is deleted); answers what is still unread' })
  async markRead(@CurrentUser() reader: User, @Body() dto: MarkNotificationsReadDto): Promise<UnreadCountView> {
    return { unread: await this.notifications.markRead(reader, dto) };
  }
}
