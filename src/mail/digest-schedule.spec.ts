import { latestDigestSlot } from './digest-schedule';

describe('latestDigestSlot', () => {
  it('is today at the digest hour in Paris once it has passed, yesterday before (winter: UTC+1)', () => {
    expect(latestDigestSlot(new Date('2026-12-01T06:30:00Z'), 7, 'daily').toISOString()).toBe('2026-12-01T06:00:00.000Z');
    expect(latestDigestSlot(new Date('2026-12-01T05:59:00Z'), 7, 'daily').toISOString()).toBe('2026-11-30T06:00:00.000Z');
  });

  it('follows summer time (UTC+2)', () => {
    expect(latestDigestSlot(new Date('2026-07-01T05:00:00Z'), 7, 'daily').toISOString()).toBe('2026-07-01T05:00:00.000Z');
  });

  it('is the latest Monday for weekly digests', () => {
    // 2026-12-03 is a Thursday; the Monday before is 2026-11-30
    expect(latestDigestSlot(new Date('2026-12-03T12:00:00Z'), 7, 'weekly').toISOString()).toBe('2026-11-30T06:00:00.000Z');
    // a Monday before the hour: the Monday of the week before
    expect(latestDigestSlot(new Date('2026-11-30T05:00:00Z'), 7, 'weekly').toISOString()).toBe('2026-11-23T06:00:00.000Z');
  });
});
