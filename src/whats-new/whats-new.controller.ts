import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/auth.decorators';
import { User } from '../users/user.entity';
import { WhatsNewView } from './whats-new.view';
import { WhatsNewService } from './whats-new.service';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/whats-new')
export class WhatsNewController {
  constructor(private readonly whatsNew: WhatsNewService) {}

  @Get()
  @ApiOkResponse({ type: WhatsNewView, description: 'The home screen « Nouveautés »; counts as a visit' })
  get(@CurrentUser() reader: User): Promise<WhatsNewView> {
    return this.whatsNew.forReader(reader);
  }
}
