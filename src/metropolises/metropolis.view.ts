import { ApiProperty } from '@nestjs/swagger';
import type { MetropolisShape, MetropolisSummaryShape } from '../common/http-views';
import { Metropolis } from './metropolis.entity';

export class MetropolisSummaryView implements MetropolisSummaryShape {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'nantes-metropole' }) slug: string;
  @ApiProperty({ example: 'Nantes Métropole' }) name: string;
}

export class MetropolisView extends MetropolisSummaryView implements MetropolisShape {
  @ApiProperty({ example: 'Pays de la Loire' }) region: string;
}

export function toMetropolisSummary(metropolis: Metropolis | null | undefined): MetropolisSummaryView | null {
  return metropolis ? { id: metropolis.id, slug: metropolis.slug, name: metropolis.name } : null;
}

export function toMetropolisView(metropolis: Metropolis): MetropolisView {
  return { id: metropolis.id, slug: metropolis.slug, name: metropolis.name, region: metropolis.region };
}
