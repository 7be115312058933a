import { Controller, Get, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequestOrigin } from '../attachments/attachment-links';
import { UuidParam } from '../common/http/uuid-param';
import { ThreadExportService } from './thread-export.service';

@ApiTags('exports')
@ApiBearerAuth()
@Controller()
export class ExportsController {
  constructor(private readonly threadExport: ThreadExportService) {}

  @Get('threads/:id/export')
  @ApiOkResponse({
    description:
      'The thread as Markdown for the study, as a download: title, topic or practice or session, then every post as a nested list following the reply tree, with author, metropolis and time (Paris), and its attached files as links; deleted and hidden bodies replaced by French notices for every reader',
    content: { 'text/markdown': { schema: { type: 'string' } } },
  })
  async exportThread(@UuidParam() id: string, @RequestOrigin() origin: string, @Res({ passthrough: true }) response: Response): Promise<string> {
    const { fileName, markdown } = await this.threadExport.export(id, origin);
    response.setHeader('Content-Type', 'text/markdown; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    return markdown;
  }
}
