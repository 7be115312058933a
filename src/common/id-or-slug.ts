import { NotFoundException } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { EntityManager } from 'typeorm';
import { Metropolis } from '../metropolises/metropolis.entity';
import { Topic } from '../topics/topic.entity';

/**
 * The id of the metropolis or topic a filter names by slug or id. An unknown one is a 404 that names the parameter:
 * a stale link or a typo should not look like an empty list.
 */
export async function idOfSlugOrId(manager: EntityManager, parameter: 'metropolis' | 'topic', idOrSlug: string): Promise<string> {
  const where = isUUID(idOrSlug) ? { id: idOrSlug.toLowerCase() } : { slug: idOrSlug };
  const found = await manager.findOne(parameter === 'metropolis' ? Metropolis : Topic, { where, select: { id: true } });
  if (!found)
    throw new NotFoundException(
      `${parameter} : ${parameter === 'topic' ? 'aucun thème' : 'aucune métropole'} n’a le slug ou l’identifiant « ${idOrSlug} ».`,
    );
  return found.id;
}
