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
    expect(decodeCursor(page.nextCursor!, 1)).toEqual([2]);
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
    expect(() => decodeCursor('garbage', 2)).toThrow(BadRequestException);
    expect(() => decodeCursor(encodeCursor([1]), 2)).toThrow(BadRequestException);
  });
});
