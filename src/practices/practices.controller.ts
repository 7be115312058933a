import { Body, Controller, Get, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequestOrigin } from '../attachments/attachment-links';
import { CurrentUser } from '../auth/auth.decorators';
import { Page } from '../common/http/pagination';
import { Paginated } from '../common/http/pagination.interceptor';
import { UuidParam } from '../common/http/uuid-param';
import { User } from '../users/user.entity';
import { CreatePracticeDto, ExportPracticesQuery, ListPracticesQuery, PracticeGridQuery, UpdatePracticeDto } from './dto/practice.dto';
import { CSV_FILE_NAME, JSON_FILE_NAME, practicesToCsv, withAbsoluteLinks } from './practice-exporter';
import { PracticeGridView, PracticeView } from './practice.view';
import { PracticesService } from './practices.service';

@ApiTags('practices')
@ApiBearerAuth()
@Controller('practices')
export class PracticesController {
  constructor(private readonly practices: PracticesService) {}

  @Get()
  @ApiOkResponse({
    type: [PracticeView],
    description:
      'Filters combine (AND); most recently updated first; paged with `limit`, `cursor` and a `Link` header. An unknown `metropolis` or `topic` is a 404 naming the parameter; a bad `lever` or `stage` a 400.',
  })
  @ApiNotFoundResponse({ description: 'No metropolis or topic has that slug or id' })
  @Paginated()
  list(@Query() query: ListPracticesQuery): Promise<Page<PracticeView>> {
    return this.practices.list(query);
  }

  // declared before ':id' so that Express does not take « grid » or « export » for an id
  @Get('grid')
  @ApiOkResponse({ type: PracticeGridView, description: 'The metropolis × lever grid: every metropolis of the directory, zero rows included' })
  grid(@Query() query: PracticeGridQuery): Promise<PracticeGridView> {
    return this.practices.grid(query);
  }

  @Get('export')
  @ApiOkResponse({
    description:
      'Every practice matching the same filters as the list, as a download (fiches-pratiques.csv or .json): CSV is UTF-8 with a BOM, a header row, RFC 4180 quoting, CRLF line ends, lists joined with « ; », and an apostrophe before a cell a spreadsheet would run as a formula, the sheet’s files in « Documents » as « name (link) »; JSON is the array of Practice, files’ links absolute',
    content: {
      'text/csv': { schema: { type: 'string' } },
      'application/json': { schema: { type: 'array', items: { $ref: getSchemaPath(PracticeView) } } },
    },
  })
  async export(
    @Query() query: ExportPracticesQuery,
    @RequestOrigin() origin: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string | PracticeView[]> {
    const practices = withAbsoluteLinks(await this.practices.listAll(query), origin);
    if (query.format === 'json') {
      response.setHeader('Content-Disposition', `attachment; filename="${JSON_FILE_NAME}"`);
      return practices;
    }
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="${CSV_FILE_NAME}"`);
    return practicesToCsv(practices, query.separator === 'semicolon' ? ';' : ',');
  }

  @Get(':id')
  @ApiOkResponse({ type: PracticeView })
  get(@UuidParam() id: string): Promise<PracticeView> {
    return this.practices.get(id);
  }

  @Post()
  @ApiCreatedResponse({
    type: PracticeView,
    description: 'For the author’s metropolis, unless a moderator names one; opens the practice’s discussion thread',
  })
  @ApiForbiddenResponse({ description: 'A participant sent metropolisId' })
  create(@CurrentUser() author: User, @Body() dto: CreatePracticeDto): Promise<PracticeView> {
    return this.practices.create(author, dto);
  }

  @Patch(':id')
  @ApiOkResponse({
    type: PracticeView,
    description: 'The author, a participant of the same metropolis, or a moderator; changing metropolisId needs a moderator',
  })
  @ApiForbiddenResponse({ description: 'Neither the author, nor of the same metropolis, nor a moderator' })
  update(@CurrentUser() editor: User, @UuidParam() id: string, @Body() dto: UpdatePracticeDto): Promise<PracticeView> {
    return this.practices.update(editor, id, dto);
  }
}
