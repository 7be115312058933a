import { BadRequestException } from '@nestjs/common';
import { decodeCursor, encodeCursor, Page } from './pagination';

describe('pagination', () => {
  it('keeps limit rows and makes a cursor from the last one when one more was read', () => {
    const page = Page.fromRows(
      [1, 2, 3],
      2,
      (n) => n * 10,
      (n) => [n],
    );
    expect(page.items).toEqual([10, 20]);
    expect(decodeCursor(page.nextCursor!, ['integer'])).toEqual([2]);
  });

  it('has no cursor on the last page', () => {
    expect(
      Page.fromRows(
        [1, 2],
        2,
        (n) => n,
        (n) => [n],
      ).nextCursor,
    ).toBeNull();
  });

  it('refuses a tampered cursor with a 400', () => {
    expect(() => decodeCursor('garbage', ['integer', 'uuid'])).toThrow(BadRequestException);
    expect(() => decodeCursor(encodeCursor([1]), ['integer', 'uuid'])).toThrow(BadRequestException);
  });

  it('refuses a well-encoded cursor of another shape with a 400, whatever the kind that differs', () => {
    const id = '0190a9c6-5b5e-7c3a-8f00-6a2b0c1d2e3f';
    expect(decodeCursor(encodeCursor([true, '2026-01-01T00:00:00.000Z', id]), ['flag', 'time', 'uuid'])).toEqual([
      true,
      new Date('2026-01-01T00:00:00.000Z'),
      id,
    ]);
    for (const wrong of [
      [{}, '2026-01-01T00:00:00.000Z', id],
      [true, 'not a time', id],
      [true, 12, id],
      [true, '2026-01-01T00:00:00.000Z', 'not-a-uuid'],
      [true, '2026-01-01T00:00:00.000Z', null],
    ]) {
      expect(() => decodeCursor(encodeCursor(wrong), ['flag', 'time', 'uuid'])).toThrow(BadRequestException);
    }
    expect(() => decodeCursor(encodeCursor([1.5]), ['integer'])).toThrow(BadRequestException);
    expect(() => decodeCursor(Buffer.from('{"a":1}').toString('base64url'), ['text'])).toThrow(BadRequestException);
  });
});
