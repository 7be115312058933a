import { EntitySubscriberInterface, EventSubscriber, InsertEvent } from 'typeorm';
import { firstFreeHandleIn } from './handles';
import { User } from './user.entity';

/** Every account gets a handle when it is created, whichever path creates it (registration, first admin, seed). */
@EventSubscriber()
export class UserHandleSubscriber implements EntitySubscriberInterface<User> {
  listenTo(): typeof User {
    return User;
  }

  async beforeInsert(event: InsertEvent<User>): Promise<void> {
    if (!event.entity.handle) event.entity.handle = await firstFreeHandleIn(event.manager, event.entity.displayName);
  }
}
