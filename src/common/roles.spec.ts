import { hasRole } from './roles';

describe('role order', () => {
  it('puts admin above moderator above participant', () => {
    expect(hasRole('admin', 'moderator')).toBe(true);
    expect(hasRole('moderator', 'moderator')).toBe(true);
    expect(hasRole('moderator', 'admin')).toBe(false);
    expect(hasRole('participant', 'moderator')).toBe(false);
    expect(hasRole('participant', 'participant')).toBe(true);
  });
});
