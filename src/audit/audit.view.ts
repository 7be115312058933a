import { ApiProperty } from '@nestjs/swagger';

export class AuditEntryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Who acted: {id, displayName}' }) actor: { id: string; displayName: string };
  @ApiProperty({ example: 'post.hide' }) action: string;
  @ApiProperty({ example: 'post' }) targetType: string;
  @ApiProperty({ format: 'uuid' }) targetId: string;
  @ApiProperty({ nullable: true, type: Object }) details: Record<string, unknown> | null;
  @ApiProperty() createdAt: string;
}
