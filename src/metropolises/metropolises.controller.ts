import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { MetropolisView } from './metropolis.view';
import { MetropolisesService } from './metropolises.service';

@ApiTags('metropolises')
@Controller('metropolises')
export class MetropolisesController {
  constructor(private readonly metropolises: MetropolisesService) {}

  @Public()
  @Get()
  @ApiOkResponse({ type: [MetropolisView], description: 'The metropolis directory, by name' })
  list(): Promise<MetropolisView[]> {
    return this.metropolises.list();
  }
}
