import { ApiProperty } from '@nestjs/swagger';
import type { PracticeGridShape, PracticeShape, TopicSummaryShape } from '../common/http-views';
import { Attachment } from '../attachments/attachment.entity';
import { AttachmentView, toAttachmentView } from '../attachments/attachment.view';
import { MetropolisSummaryView, toMetropolisSummary } from '../metropolises/metropolis.view';
import { Topic } from '../topics/topic.entity';
import { AuthorView, toAuthorView } from '../users/user.view';
import { Practice } from './entities/practice.entity';
import { LEVER_LABELS, LEVERS, STAGE_LABELS, STAGES, type Lever, type Stage } from './levers';

export class TopicSummaryView implements TopicSummaryShape {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'accompagnement-des-projets' }) slug: string;
  @ApiProperty({ example: 'Accompagnement des projets' }) title: string;
}

export class LeverView {
  @ApiProperty({ enum: LEVERS }) key: Lever;
  @ApiProperty({ example: LEVER_LABELS['ecosystem-support'] }) label: string;
}

export class PracticeView implements PracticeShape {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Nantes ESS Factory' }) title: string;
  @ApiProperty() summary: string;
  @ApiProperty({ description: 'Markdown' }) description: string;
  @ApiProperty({ description: 'The description cooked into safe HTML when it was written' }) descriptionHtml: string;
  @ApiProperty({ type: MetropolisSummaryView }) metropolis: MetropolisSummaryView;
  @ApiProperty({ type: [TopicSummaryView] }) topics: TopicSummaryView[];
  @ApiProperty({ enum: LEVERS, isArray: true, description: 'Lever keys, in the order of the six levers' }) levers: Lever[];
  @ApiProperty({ type: [String], description: 'French labels of `levers`, in the same order' }) leverLabels: string[];
  @ApiProperty({ type: [String] }) partners: string[];
  @ApiProperty({ enum: STAGES }) stage: Stage;
  @ApiProperty({ example: STAGE_LABELS.running }) stageLabel: string;
  @ApiProperty({ type: [String] }) links: string[];
  @ApiProperty({ type: String, nullable: true }) contact: string | null;
  @ApiProperty({ format: 'uuid', description: 'The practice’s discussion thread' }) threadId: string;
  @ApiProperty({ description: 'Posts in the discussion thread' }) postCount: number;
  @ApiProperty({ type: AuthorView, nullable: true, description: 'null for seeded practices' }) author: AuthorView | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
  @ApiProperty({ type: [AttachmentView], description: 'The sheet’s documents' }) attachments: AttachmentView[];
}

export class PracticeCellView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
}

export class PracticeGridRowView {
  @ApiProperty({ type: MetropolisSummaryView }) metropolis: MetropolisSummaryView;
  @ApiProperty({ description: 'Practices naming each lever, keyed by lever', example: { 'ecosystem-support': 1, 'direct-support': 0 } })
  counts: Record<Lever, number>;
  @ApiProperty({ description: 'Practices of the metropolis (one naming several levers counts once)' }) total: number;
  @ApiProperty({ description: 'The practices of each cell, keyed by lever: {id, title}[]' })
  practices: Record<Lever, PracticeCellView[]>;
}

export class PracticeGridView implements PracticeGridShape {
  @ApiProperty({ type: [LeverView], description: 'The columns, in order' }) levers: LeverView[];
  @ApiProperty({ type: [PracticeGridRowView], description: 'Every metropolis of the directory, in French alphabetical order, zero rows included' })
  rows: PracticeGridRowView[];
  @ApiProperty({ description: 'Practices naming each lever, all metropolises together' }) totals: Record<Lever, number>;
}

export function leverViews(): LeverView[] {
  return LEVERS.map((key) => ({ key, label: LEVER_LABELS[key] }));
}

export function toTopicSummary(topic: Topic): TopicSummaryView {
  return { id: topic.id, slug: topic.slug, title: topic.title };
}

/** The metropolis, topics, levers and author (with its metropolis) relations must be loaded; attachments with their uploader. */
export function toPracticeView(practice: Practice, postCount: number, attachments: Attachment[]): PracticeView {
  const named = new Set(practice.levers.map((lever) => lever.lever));
  const levers = LEVERS.filter((lever) => named.has(lever));
  const topics = [...practice.topics].sort((a, b) => a.position - b.position || a.title.localeCompare(b.title, 'fr'));
  return {
    id: practice.id,
    title: practice.title,
    summary: practice.summary,
    description: practice.description,
    descriptionHtml: practice.descriptionHtml,
    metropolis: toMetropolisSummary(practice.metropolis)!,
    topics: topics.map(toTopicSummary),
    levers,
    leverLabels: levers.map((lever) => LEVER_LABELS[lever]),
    partners: practice.partners,
    stage: practice.stage,
    stageLabel: STAGE_LABELS[practice.stage],
    links: practice.links,
    contact: practice.contact,
    threadId: practice.threadId,
    postCount,
    author: practice.author ? toAuthorView(practice.author) : null,
    createdAt: practice.createdAt.toISOString(),
    updatedAt: practice.updatedAt.toISOString(),
    attachments: attachments.map(toAttachmentView),
  };
}
