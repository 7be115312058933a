import { ApiProperty } from '@nestjs/swagger';
import { Attachment } from './attachment.entity';

export class AttachmentUploaderView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Camille Martin' }) displayName: string;
}

export class AttachmentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'grille-evaluation.pdf' }) name: string;
  @ApiProperty({ example: 'application/pdf', description: 'Read from the content, not from the name' }) type: string;
  @ApiProperty({ description: 'Bytes' }) size: number;
  @ApiProperty() createdAt: string;
  @ApiProperty({ example: '/api/attachments/3f0c…', description: 'The download (Authorization needed), Range and ETag supported' })
  url: string;
  @ApiProperty({ type: String, nullable: true, description: 'Images only: the scaled-down WebP preview' }) previewUrl: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The alternative text of an image' }) alt: string | null;
  @ApiProperty({ type: Number, nullable: true }) width: number | null;
  @ApiProperty({ type: Number, nullable: true }) height: number | null;
  @ApiProperty({ type: AttachmentUploaderView, description: 'Who uploaded it' }) uploader: AttachmentUploaderView;
}

export const attachmentUrl = (id: string): string => `/api/attachments/${id}`;

/** The uploader relation must be loaded. */
export function toAttachmentView(attachment: Attachment): AttachmentView {
  return {
    id: attachment.id,
    name: attachment.name,
    type: attachment.type,
    size: attachment.size,
    createdAt: attachment.createdAt.toISOString(),
    url: attachmentUrl(attachment.id),
    previewUrl: attachment.previewSize === null ? null : `${attachmentUrl(attachment.id)}/preview`,
    alt: attachment.alt,
    width: attachment.width,
    height: attachment.height,
    uploader: { id: attachment.uploader.id, displayName: attachment.uploader.displayName },
  };
}
