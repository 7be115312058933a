import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { isUUID } from 'class-validator';
import { Metropolis } from './metropolis.entity';
import { MetropolisView, toMetropolisView } from './metropolis.view';

@Injectable()
export class MetropolisesService {
  constructor(@InjectRepository(Metropolis) private readonly metropolises: Repository<Metropolis>) {}

  async list(): Promise<MetropolisView[]> {
    const all = await this.metropolises.find({ order: { name: 'ASC' } });
    return all.map(toMetropolisView);
  }

  /** A metropolis named by its id or its slug (the practice filters accept both). */
  async resolve(idOrSlug: string): Promise<Metropolis> {
    const found = await this.metropolises.findOneBy(isUUID(idOrSlug) ? { id: idOrSlug } : { slug: idOrSlug });
    if (!found) throw new NotFoundException('Métropole introuvable.');
    return found;
  }
}
