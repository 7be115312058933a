import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/auth.decorators';
import { Page, PageQueryDto } from '../common/http/pagination';
import { Paginated } from '../common/http/pagination.interceptor';
import { AuditEntryView } from './audit.view';
import { AuditService } from './audit.service';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RequireRole('moderator')
  @ApiOkResponse({
    type: [AuditEntryView],
    description: 'Every moderator and admin action, newest first; paged with `limit`, `cursor` and a `Link` header',
  })
  @Paginated()
  list(@Query() query: PageQueryDto): Promise<Page<AuditEntryView>> {
    return this.audit.list(query);
  }
}
