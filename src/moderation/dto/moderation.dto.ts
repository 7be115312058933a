import { ApiProperty } from '@nestjs/swagger';
import type { FlagShape, ModerationCountShape, QueueItemShape, ResolutionShape } from '../../common/http-views';
import { IsIn } from 'class-validator';
import { PostView } from '../../posts/post.view';
import { IsTextField } from '../../common/validation/validation';
import { AuthorView } from '../../users/user.view';

export class CreateFlagDto {
  @IsTextField({ max: 500, example: 'Propos injurieux envers une collègue' })
  reason: string;
}

export const RESOLVE_ACTIONS = ['hide', 'dismiss'] as const;

export class ResolveFlagsDto {
  @ApiProperty({ enum: RESOLVE_ACTIONS, description: 'hide: hide the post and close its flags; dismiss: keep the post and close its flags' })
  @IsIn(RESOLVE_ACTIONS)
  action: (typeof RESOLVE_ACTIONS)[number];
}

export class FlagView implements FlagShape {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) postId: string;
  @ApiProperty() reason: string;
  @ApiProperty() createdAt: string;
}

export class FlagReportView {
  @ApiProperty({ type: AuthorView }) reporter: AuthorView;
  @ApiProperty() reason: string;
  @ApiProperty() createdAt: string;
}

export class QueueItemView implements QueueItemShape {
  @ApiProperty({ type: PostView, description: 'As a moderator sees it (a hidden body stays readable)' }) post: PostView;
  @ApiProperty({ description: '{id, title} of the thread' }) thread: { id: string; title: string };
  @ApiProperty() flagCount: number;
  @ApiProperty({ type: [FlagReportView] }) reports: FlagReportView[];
  @ApiProperty() firstFlaggedAt: string;
}

export class ResolutionView implements ResolutionShape {
  @ApiProperty({ format: 'uuid' }) postId: string;
  @ApiProperty({ enum: ['hidden', 'dismissed'] }) resolution: 'hidden' | 'dismissed';
  @ApiProperty({ description: 'How many open flags were closed' }) closedFlags: number;
}

export class ModerationCountView implements ModerationCountShape {
  @ApiProperty({ description: 'Posts with at least one open report' }) open: number;
}
