import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/auth.decorators';
import { Page } from '../common/http/pagination';
import { Paginated } from '../common/http/pagination.interceptor';
import type { User } from '../users/user.entity';
import { SearchQuery } from './dto/search.dto';
import { SearchHitView } from './search-hit.view';
import { SearchService } from './search.service';

@ApiTags('search')
@ApiBearerAuth()
@Controller('search')
export class SearchController {
  constructor(private readonly searchService: SearchService) {}

  @Get()
  @Paginated()
  @ApiOkResponse({
    type: [SearchHitView],
    description:
      'Hits across thread titles (topics’ threads and agenda items), post bodies and practice sheets, ranked by the database’s full-text engine ' +
      '(SQLite FTS5 bm25, PostgreSQL ts_rank): a match in the title first, then the score, then the most recent. French-aware: accents, case, ' +
      'plural and singular, elision (l’, d’) and ligatures (œ) do not matter. Deleted posts are never found; hidden ones only by moderators, ' +
      'with `hidden: true`. A query of stop words or one letter answers an empty list. Pages by cursor: when more remain, ' +
      '`Link: <…>; rel="next"`.',
  })
  search(@CurrentUser() user: User, @Query() query: SearchQuery): Promise<Page<SearchHitView>> {
    return this.searchService.search(user, query);
  }
}
