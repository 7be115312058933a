import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequireRole } from '../auth/auth.decorators';
import { User } from '../users/user.entity';
import { CreateInvitationDto, InvitationView } from './dto/create-invitation.dto';
import { InvitationsService } from './invitations.service';

@ApiTags('invitations')
@ApiBearerAuth()
@Controller('invitations')
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Post()
  @RequireRole('moderator')
  @ApiCreatedResponse({ type: InvitationView })
  create(@CurrentUser() inviter: User, @Body() dto: CreateInvitationDto): Promise<InvitationView> {
    return this.invitations.create(inviter, dto);
  }
}
