import { Controller, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public } from '../auth/auth.decorators';
import { UuidParam } from '../common/http/uuid-param';
import { User } from '../users/user.entity';
import { CalendarService } from './calendar.service';

export class CalendarFeedView {
  @ApiProperty({ description: 'The secret URL of the personal calendar feed, to paste into a calendar application' })
  url: string;
}

const ICS = 'text/calendar; charset=utf-8';

@ApiTags('calendar')
@Controller()
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @Get('sessions/:id/calendar.ics')
  @ApiBearerAuth()
  @Header('Content-Type', ICS)
  @Header('Content-Disposition', 'attachment; filename="seance.ics"')
  @ApiProduces('text/calendar')
  @ApiOkResponse({ description: 'The session as one iCalendar event (times in UTC)' })
  @ApiNotFoundResponse({ description: 'No session has that id' })
  session(@UuidParam() id: string): Promise<string> {
    return this.calendar.sessionCalendar(id);
  }

  @Get('me/calendar')
  @ApiBearerAuth()
  @ApiOkResponse({ type: CalendarFeedView })
  feedUrl(@CurrentUser() user: User): Promise<CalendarFeedView> {
    return this.calendar.feedUrl(user);
  }

  @Post('me/calendar/reset')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOkResponse({ type: CalendarFeedView, description: 'A new URL; the previous one stops working' })
  resetFeed(@CurrentUser() user: User): Promise<CalendarFeedView> {
    return this.calendar.resetFeed(user);
  }

  @Public()
  @Get('calendar/:token.ics')
  @Header('Content-Type', ICS)
  @ApiProduces('text/calendar')
  @ApiOkResponse({
    description: 'The sessions the person registered for (the past year) and every upcoming one; no sign-in, the token is the secret',
  })
  @ApiNotFoundResponse({ description: 'An unknown or revoked token' })
  feed(@Param('token') token: string): Promise<string> {
    return this.calendar.feed(token);
  }
}
