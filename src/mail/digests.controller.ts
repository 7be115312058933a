import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/auth.decorators';
import { DigestRunView, RunDigestsDto } from './dto/digests.dto';
import { Digests } from './digests.service';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/digests')
export class DigestsController {
  constructor(private readonly digests: Digests) {}

  @Post('run')
  @HttpCode(200)
  @RequireRole('admin')
  @ApiOkResponse({ type: DigestRunView, description: 'Answers once the digests due now (all of them with force) are sent' })
  run(@Body() { force }: RunDigestsDto): Promise<DigestRunView> {
    return this.digests.run(force ?? false);
  }
}
