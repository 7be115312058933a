import { EntitySubscriberInterface, EventSubscriber, InsertEvent } from 'typeorm';
import { startWithEverythingRead } from '../follow-up/read-markers';
import { firstFreeHandleIn } from './handles';
import { User } from './user.entity';

/**
 * Whichever path creates an account (registration, first admin, seed, tests), in its transaction: the person gets a
 * handle made from their display name, and starts with everything already posted marked read.
 */
@EventSubscriber()
export class NewUserSubscriber implements EntitySubscriberInterface<User> {
  listenTo(): typeof User {
    return User;
  }

  async beforeInsert(event: InsertEvent<User>): Promise<void> {
    if (!event.entity.handle) event.entity.handle = await firstFreeHandleIn(event.manager, event.entity.displayName);
  }

  async afterInsert(event: InsertEvent<User>): Promise<void> {
    await startWithEverythingRead(event.manager, event.entity.id);
  }
}
