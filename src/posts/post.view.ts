import { ApiProperty } from '@nestjs/swagger';
import type { PostShape } from '../common/http-views';
import { AttachmentView, toAttachmentView } from '../attachments/attachment.view';
import { hasRole } from '../common/roles';
import type { User } from '../users/user.entity';
import { AuthorView, toAuthorView } from '../users/user.view';
import { Post } from './post.entity';

export class PostView implements PostShape {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) threadId: string;
  @ApiProperty({ description: 'Position in the thread: 1, 2, 3… with no gap' }) seq: number;
  @ApiProperty({ format: 'uuid', nullable: true }) parentId: string | null;
  @ApiProperty({ type: AuthorView }) author: AuthorView;
  @ApiProperty({ description: 'Markdown; empty when the post is deleted, or hidden from this reader' }) body: string;
  @ApiProperty({
    description: 'The body cooked into safe HTML (allowlisted tags, http(s) and mailto links) when it was written; empty when `body` is',
  })
  bodyHtml: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) editedAt: string | null;
  @ApiProperty() deleted: boolean;
  @ApiProperty() hidden: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The clientKey the author sent, if any: lets the sending client match the broadcast to its pending post',
  })
  clientKey: string | null;
  @ApiProperty({ type: [AttachmentView], description: 'Its files; empty, like the body, for a deleted post or a hidden one this reader may not see' })
  attachments: AttachmentView[];
}

/** Who may read a hidden post's body: moderators and its author. A deleted post's body is gone for everyone. */
export function mayReadBody(post: Pick<Post, 'deletedAt' | 'hiddenAt' | 'authorId'>, reader: Pick<User, 'id' | 'role'> | undefined): boolean {
  if (post.deletedAt) return false;
  if (!post.hiddenAt) return true;
  return reader !== undefined && (reader.id === post.authorId || hasRole(reader.role, 'moderator'));
}

/**
 * The author relation (with its metropolis) and the attachments (with their uploader) must be loaded. Without a reader, the view is the one anybody may see:
 * what the live rooms receive.
 */
export function toPostView(post: Post, reader?: User): PostView {
  const readable = mayReadBody(post, reader);
  return {
    id: post.id,
    threadId: post.threadId,
    seq: post.seq,
    parentId: post.parentId,
    author: toAuthorView(post.author),
    body: readable ? post.body : '',
    bodyHtml: readable ? post.bodyHtml : '',
    createdAt: post.createdAt.toISOString(),
    editedAt: post.editedAt ? post.editedAt.toISOString() : null,
    deleted: post.deletedAt !== null,
    hidden: post.hiddenAt !== null,
    clientKey: post.clientKey,
    attachments: readable ? post.attachments.map(toAttachmentView) : [],
  };
}
