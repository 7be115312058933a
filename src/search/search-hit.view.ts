import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SearchHitShape } from '../common/http-views';
import { AuthorView } from '../users/user.view';
import { SEARCH_KINDS, type SearchKind } from './search-index';

export class SearchHitView implements SearchHitShape {
  @ApiProperty({ enum: SEARCH_KINDS, description: 'The same as `kind` (kept for earlier clients)' }) type: SearchKind;
  @ApiProperty({ enum: SEARCH_KINDS }) kind: SearchKind;
  @ApiProperty({ format: 'uuid', description: 'The id of the thread, post or practice' }) id: string;
  @ApiProperty({ description: 'The thread’s title (for a post: the title of its thread) or the practice’s' }) title: string;
  @ApiProperty({ description: 'Plain text (never HTML) around the first match, about 160 characters, « … » where cut' }) snippet: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2 },
    example: [[4, 14]],
    description: '[start, end) offsets of the matching words in `snippet`, as for String.prototype.slice',
  })
  highlights: Array<[number, number]>;
  @ApiProperty({
    example: 'Une démarche d’<mark>Évaluation</mark> partagée',
    description:
      '`snippet` as HTML, ready to insert: every character of the text is escaped (&amp; &lt; &gt; &quot; &#39;) and each matching word is wrapped in <mark>…</mark>, the only tag it ever holds',
  })
  highlighted: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The thread to open (thread and post hits; the practice’s discussion for a practice)' })
  threadId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The post (post hits), the same as `id`' }) postId?: string;
  @ApiPropertyOptional({ description: 'The post’s position in its thread (post hits): open the thread at this seq' }) seq?: number;
  @ApiPropertyOptional({ format: 'uuid', description: 'The practice (practice hits, and hits in a practice’s discussion)' }) practiceId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The topic of the thread, when it has one' }) topicId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The session, for hits in the discussion of an agenda item' }) sessionId?: string;
  @ApiProperty({ type: AuthorView, nullable: true, description: 'Who wrote it (null for a seeded practice)' }) author: AuthorView | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ description: 'A post hidden by the moderation: only moderators find those' }) hidden: boolean;
}
