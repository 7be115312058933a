import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { SearchQuery } from './dto/search.dto';
import { SearchHitView } from './search-hit.view';
import { SearchService } from './search.service';

@ApiTags('search')
@ApiBearerAuth()
@Controller('search')
export class SearchController {
  constructor(private readonly searchService: SearchService) {}

  @Get()
  @ApiOkResponse({
    type: [SearchHitView],
    description:
      'Hits across thread titles, post bodies (deleted and hidden posts left out) and practices, best first: every word in the title, then an exact phrase, then how often the words occur; ties by recency. Accents and case do not matter.',
  })
  search(@Query() query: SearchQuery): Promise<SearchHitView[]> {
    return this.searchService.search(query);
  }
}
