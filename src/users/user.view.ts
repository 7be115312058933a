import { ApiProperty } from '@nestjs/swagger';
import type { AuthorShape, PresenceUserShape, UserShape } from '../common/http-views';
import { ROLES, type Role } from '../common/roles';
import { MetropolisSummaryView, toMetropolisSummary } from '../metropolises/metropolis.view';
import { User } from './user.entity';

/** How a person is shown beside what they wrote, and in presence lists. */
export class AuthorView implements AuthorShape {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Camille Martin' }) displayName: string;
  @ApiProperty({ type: MetropolisSummaryView, nullable: true }) metropolis: MetropolisSummaryView | null;
}

export class UserView extends AuthorView implements UserShape {
  @ApiProperty({ example: 'camille.martin', description: 'Unique; `@handle` in a post mentions this person' }) handle: string;
  @ApiProperty({ example: 'camille.martin@nantesmetropole.fr' }) email: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty() disabled: boolean;
  @ApiProperty() createdAt: string;
}

/** A user summary for presence: the author view plus the role, so moderators can be told apart. */
export class PresenceUserView extends AuthorView implements PresenceUserShape {
  @ApiProperty({ enum: ROLES }) role: Role;
}

/** The metropolis relation must be loaded for these mappers. */
export function toAuthorView(user: User): AuthorView {
  return { id: user.id, displayName: user.displayName, metropolis: toMetropolisSummary(user.metropolis) };
}

/** A literal, not a spread of the author view: V8 gives every object built by such a spread a hidden class of its own. */
export function toPresenceUserView(user: User): PresenceUserView {
  return { id: user.id, displayName: user.displayName, metropolis: toMetropolisSummary(user.metropolis), role: user.role };
}

export function toUserView(user: User): UserView {
  return {
    id: user.id,
    handle: user.handle,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    metropolis: toMetropolisSummary(user.metropolis),
    disabled: user.disabled,
    createdAt: user.createdAt.toISOString(),
  };
}
