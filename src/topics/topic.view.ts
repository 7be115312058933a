import { ApiProperty } from '@nestjs/swagger';
import type { TopicShape } from '../common/http-views';
import { Topic } from './topic.entity';

export class TopicView implements TopicShape {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'evaluation-de-l-utilite-sociale' }) slug: string;
  @ApiProperty({ example: "Évaluation de l'utilité sociale" }) title: string;
  @ApiProperty() description: string;
  @ApiProperty() position: number;
  @ApiProperty() pinned: boolean;
  @ApiProperty() locked: boolean;
  @ApiProperty() archived: boolean;
  @ApiProperty() threadCount: number;
}

export class ReaderTopicView extends TopicView {
  @ApiProperty({ description: 'Posts of others in the topic’s threads the reader has not read' }) unreadCount: number;
}

export function toTopicView(topic: Topic, threadCount: number): TopicView {
  return {
    id: topic.id,
    slug: topic.slug,
    title: topic.title,
    description: topic.description,
    position: topic.position,
    pinned: topic.pinned,
    locked: topic.locked,
    archived: topic.archived,
    threadCount,
  };
}
