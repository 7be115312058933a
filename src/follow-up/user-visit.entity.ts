import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A person's visits, for « what's new »: a visit ends after a while without a look at the home screen. */
@Entity('user_visits')
export class UserVisit {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @Column({ type: Date })
  currentStartedAt: Date;

  @Column({ type: Date, nullable: true })
  previousStartedAt: Date | null;

  @Column({ type: Date })
  lastSeenAt: Date;
}
