import { isUUID } from 'class-validator';
import { timeOrderedUuid } from './ids';

describe('timeOrderedUuid', () => {
  it('is a version 7 UUID, which the API validation accepts as any other id', () => {
    const id = timeOrderedUuid();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(isUUID(id)).toBe(true);
  });

  it('carries its time in its first 48 bits, so later ids sort after earlier ones', () => {
    const at = Date.UTC(2026, 10, 29, 9, 30);
    expect(timeOrderedUuid(at).replace('-', '').slice(0, 12)).toBe(at.toString(16).padStart(12, '0'));
    expect(timeOrderedUuid(at + 1) > timeOrderedUuid(at)).toBe(true);
  });

  it('differs from one call to the next within the same millisecond', () => {
    const at = Date.now();
    const ids = new Set(Array.from({ length: 1000 }, () => timeOrderedUuid(at)));
    expect(ids.size).toBe(1000);
  });
});
