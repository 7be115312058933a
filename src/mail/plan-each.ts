import type { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Database } from '../database/database.service';

/**
 * Plans each item (a person, a thread, a session) in a write transaction of its own. One that fails is logged and
 * left for the next turn, so a single bad row never holds up everybody else's mail. Answers what was planned.
 */
export async function planEach<T, R>(
  database: Database,
  logger: Logger,
  items: T[],
  describe: (item: T) => string,
  plan: (manager: EntityManager, item: T) => Promise<R | null>,
): Promise<R[]> {
  const planned: R[] = [];
  for (const item of items) {
    try {
      const result = await database.write((manager) => plan(manager, item));
      if (result !== null) planned.push(result);
    } catch (error) {
      logger.error(`Planning ${describe(item)} failed; tried again at the next turn: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return planned;
}
