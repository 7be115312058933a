import { ApiProperty } from '@nestjs/swagger';
import { SESSION_STATUSES, type SessionStatus } from './entities/session.entity';

export class AgendaItemView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() position: number;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) topicId: string | null;
  @ApiProperty({ format: 'uuid', description: "The item's own discussion thread" }) threadId: string;
  @ApiProperty({ nullable: true, type: Number }) durationMinutes: number | null;
}

export class SessionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty() startsAt: string;
  @ApiProperty({ nullable: true, type: String }) endsAt: string | null;
  @ApiProperty({ nullable: true, type: String }) location: string | null;
  @ApiProperty({ nullable: true, type: String }) videoUrl: string | null;
  @ApiProperty({ enum: SESSION_STATUSES }) status: SessionStatus;
  @ApiProperty({ type: [AgendaItemView] }) agenda: AgendaItemView[];
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) currentItemId: string | null;
  @ApiProperty() participantCount: number;
}
