import { Body, Controller, Delete, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequireRole } from '../auth/auth.decorators';
import { UuidParam } from '../common/http/uuid-param';
import { User } from '../users/user.entity';
import { CreatePostDto, HidePostDto, UpdatePostDto } from './dto/post.dto';
import { PostView } from './post.view';
import { PostsService } from './posts.service';

@ApiTags('posts')
@ApiBearerAuth()
@Controller()
export class PostsController {
  constructor(private readonly posts: PostsService) {}

  @Post('threads/:id/posts')
  @ApiCreatedResponse({ type: PostView, description: 'The same clientKey from the same author returns the first post' })
  create(@CurrentUser() author: User, @UuidParam() threadId: string, @Body() dto: CreatePostDto): Promise<PostView> {
    return this.posts.create(author, threadId, dto);
  }

  @Patch('posts/:id')
  @ApiOkResponse({ type: PostView, description: 'Author or moderator; marks the post as edited' })
  edit(@CurrentUser() editor: User, @UuidParam() id: string, @Body() dto: UpdatePostDto): Promise<PostView> {
    return this.posts.edit(editor, id, dto);
  }

  @Delete('posts/:id')
  @ApiOkResponse({ type: PostView, description: 'Author or moderator; soft: the post keeps its place with an empty body' })
  remove(@CurrentUser() remover: User, @UuidParam() id: string): Promise<PostView> {
    return this.posts.remove(remover, id);
  }

  @Post('posts/:id/hide')
  @HttpCode(200)
  @RequireRole('moderator')
  @ApiOkResponse({ type: PostView, description: 'An optional `reason`, shown to the author and to moderators as `hiddenReason`' })
  hide(@CurrentUser() moderator: User, @UuidParam() id: string, @Body() dto: HidePostDto): Promise<PostView> {
    return this.posts.setHidden(moderator, id, true, dto.reason);
  }

  @Post('posts/:id/unhide')
  @HttpCode(200)
  @RequireRole('moderator')
  @ApiOkResponse({ type: PostView })
  unhide(@CurrentUser() moderator: User, @UuidParam() id: string): Promise<PostView> {
    return this.posts.setHidden(moderator, id, false);
  }
}
