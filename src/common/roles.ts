export const ROLES = ['participant', 'moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { participant: 0, moderator: 1, admin: 2 };

/** Roles are ordered: an admin may do everything a moderator may, a moderator everything a participant may. */
export function hasRole(role: Role, atLeast: Role): boolean {
  return RANK[role] >= RANK[atLeast];
}
