import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AgendaItemShape, SessionAttendanceShape, SessionShape } from '../common/http-views';
import { Attachment } from '../attachments/attachment.entity';
import { AttachmentView, toAttachmentView } from '../attachments/attachment.view';
import { MetropolisSummaryView } from '../metropolises/metropolis.view';
import type { AgendaItem } from './entities/agenda-item.entity';
import { SESSION_STATUSES, type SessionStatus, type WorkSession } from './entities/session.entity';

export class AgendaItemView implements AgendaItemShape {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() position: number;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) topicId: string | null;
  @ApiProperty({ format: 'uuid', description: "The item's own discussion thread" }) threadId: string;
  @ApiProperty({ nullable: true, type: Number }) durationMinutes: number | null;
}

export class SessionView implements SessionShape {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'Markdown' }) description: string;
  @ApiProperty({ description: 'The description cooked into safe HTML when it was written' }) descriptionHtml: string;
  @ApiProperty() startsAt: string;
  @ApiProperty({ nullable: true, type: String }) endsAt: string | null;
  @ApiProperty({ nullable: true, type: String }) location: string | null;
  @ApiProperty({ nullable: true, type: String }) videoUrl: string | null;
  @ApiProperty({ enum: SESSION_STATUSES }) status: SessionStatus;
  @ApiProperty({ type: [AgendaItemView] }) agenda: AgendaItemView[];
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) currentItemId: string | null;
  @ApiProperty() participantCount: number;
  @ApiProperty({ nullable: true, type: String, description: 'When the session went live' }) startedAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'When the session was closed' }) closedAt: string | null;
  @ApiProperty({ type: [AttachmentView], description: 'Agenda documents, slides' }) attachments: AttachmentView[];
  @ApiPropertyOptional({ description: 'Whether the reader joined the session; absent in live broadcasts, which go to everyone' })
  joined?: boolean;
}

/** One bar of a session's attendance: the people who joined it from one metropolis. */
export class SessionAttendanceView implements SessionAttendanceShape {
  @ApiProperty({ type: MetropolisSummaryView, nullable: true, description: 'null for network staff (Avise, RTES), who belong to no metropolis' })
  metropolis: MetropolisSummaryView | null;
  @ApiProperty({ description: 'People of that metropolis who joined the session', minimum: 1 }) participants: number;
}

export function toAgendaItemView(item: AgendaItem): AgendaItemView {
  return {
    id: item.id,
    position: item.position,
    title: item.title,
    topicId: item.topicId,
    threadId: item.threadId,
    durationMinutes: item.durationMinutes,
  };
}

/** `agenda` must be in position order, `attachments` have their uploader; `joined` only for a given reader. */
export function toSessionView(
  session: WorkSession,
  agenda: AgendaItem[],
  participantCount: number,
  attachments: Attachment[],
  joined?: boolean,
): SessionView {
  const view: SessionView = {
    id: session.id,
    title: session.title,
    description: session.description,
    descriptionHtml: session.descriptionHtml,
    startsAt: session.startsAt.toISOString(),
    endsAt: session.endsAt ? session.endsAt.toISOString() : null,
    location: session.location,
    videoUrl: session.videoUrl,
    status: session.status,
    agenda: agenda.map(toAgendaItemView),
    currentItemId: session.currentItemId,
    participantCount,
    startedAt: session.startedAt ? session.startedAt.toISOString() : null,
    closedAt: session.closedAt ? session.closedAt.toISOString() : null,
    attachments: attachments.map(toAttachmentView),
  };
  if (joined !== undefined) view.joined = joined;
  return view;
}
