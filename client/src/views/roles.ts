import type { LiveRole } from '../live';

const RANK: Record<LiveRole, number> = { participant: 0, moderator: 1, admin: 2 };

export function hasRole(role: LiveRole, atLeast: LiveRole): boolean {
  return RANK[role] >= RANK[atLeast];
}
