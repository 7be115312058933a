import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { InvitationShape } from '../../common/http-views';
import { IsIn, ValidateIf } from 'class-validator';
import { ROLES, type Role } from '../../common/roles';
import { IsEmailField, IsUuidField } from '../../common/validation/validation';

export class CreateInvitationDto {
  @IsEmailField()
  email: string;

  @IsUuidField({ optional: true, nullable: true, description: 'The metropolis of the invited person; none for network staff' })
  metropolisId?: string | null;

  @ApiPropertyOptional({ enum: ROLES, default: 'participant', description: 'Only an admin invites a moderator or an admin' })
  @ValidateIf((_, value) => value !== undefined)
  @IsIn(ROLES)
  role?: Role;
}

export class InvitationView implements InvitationShape {
  @ApiProperty({ description: 'The single-use code to send to the invited person' }) code: string;
  @ApiProperty() email: string;
  @ApiProperty({ format: 'uuid', nullable: true }) metropolisId: string | null;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty() expiresAt: string;
}
