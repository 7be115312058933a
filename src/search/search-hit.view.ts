import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SearchHitShape } from '../common/http-views';

export const HIT_TYPES = ['thread', 'post', 'practice'] as const;
export type HitType = (typeof HIT_TYPES)[number];

export class SearchHitView implements SearchHitShape {
  @ApiProperty({ enum: HIT_TYPES }) type: HitType;
  @ApiProperty({ format: 'uuid', description: 'The id of the thread, post or practice' }) id: string;
  @ApiProperty({ description: 'The thread’s title (for a post: the title of its thread) or the practice’s' }) title: string;
  @ApiProperty({ description: 'Plain text (never HTML) around the first match, about 160 characters, « … » where cut' }) snippet: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2 },
    example: [[4, 14]],
    description: '[start, end) offsets of the matches in `snippet`, as for String.prototype.slice',
  })
  highlights: Array<[number, number]>;
  @ApiPropertyOptional({ format: 'uuid', description: 'The thread to open (thread and post hits; the practice’s discussion for a practice)' })
  threadId?: string;
  @ApiPropertyOptional({ description: 'The post’s position in its thread (post hits)' }) seq?: number;
  @ApiPropertyOptional({ format: 'uuid', description: 'The practice (practice hits, and hits in a practice’s discussion)' }) practiceId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The topic of the thread, when it has one' }) topicId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The session, for hits in the discussion of an agenda item' }) sessionId?: string;
  @ApiProperty() createdAt: string;
}
