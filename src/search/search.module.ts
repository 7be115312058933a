import { Module } from '@nestjs/common';
import { SearchController } from './search.controller';
import { SearchReader } from './search-reader';
import { SearchService } from './search.service';

@Module({
  controllers: [SearchController],
  providers: [SearchService, SearchReader],
})
export class SearchModule {}
