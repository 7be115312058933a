import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { BadRequestException } from '@nestjs/common';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor taken from the `Link: <…>; rel="next"` header of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

/**
 * One page of a list that can grow. The pagination interceptor answers with `items` as the JSON array and, when more
 * remain, a `Link: <url>; rel="next"` header carrying `nextCursor`.
 */
export class Page<T> {
  constructor(
    readonly items: T[],
    readonly nextCursor: string | null,
  ) {}

  /** Builds a page from `limit + 1` fetched rows: the extra row only tells that more remain. */
  static fromRows<Row, T>(rows: Row[], limit: number, toItem: (row: Row) => T, toCursor: (row: Row) => unknown[]): Page<T> {
    const hasMore = rows.length > limit;
    const kept = hasMore ? rows.slice(0, limit) : rows;
    return new Page(kept.map(toItem), hasMore ? encodeCursor(toCursor(kept[kept.length - 1])) : null);
  }
}

export function encodeCursor(values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** The kinds of value a cursor holds, each checked when it is decoded. */
type CursorPart = 'text' | 'uuid' | 'time' | 'flag' | 'integer' | 'number';
type CursorValue<P extends CursorPart> = P extends 'text' | 'uuid' ? string : P extends 'time' ? Date : P extends 'flag' ? boolean : number;
export type CursorValues<S extends readonly CursorPart[]> = { [I in keyof S]: CursorValue<S[I]> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function cursorValue(part: CursorPart, value: unknown): unknown {
  switch (part) {
    case 'text':
      return typeof value === 'string' ? value : undefined;
    case 'uuid':
      return typeof value === 'string' && UUID.test(value) ? value : undefined;
    case 'time': {
      const time = typeof value === 'string' ? new Date(value) : undefined;
      return time && !Number.isNaN(time.getTime()) ? time : undefined;
    }
    case 'flag':
      return typeof value === 'boolean' ? value : undefined;
    case 'integer':
      return Number.isSafeInteger(value) ? value : undefined;
    // a rank or a score: any finite number (JSON has no NaN or infinity, but a cursor is not trusted)
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  }
}

/**
 * Decodes a cursor into the sort-key values it was made of, each of the kind `shape` names: a cursor of any other
 * shape, however it was made, is a 400 before it reaches a query.
 */
export function decodeCursor<const S extends readonly CursorPart[]>(cursor: string | undefined, shape: S): CursorValues<S> | undefined {
  if (cursor === undefined) return undefined;
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    values = undefined;
  }
  if (Array.isArray(values) && values.length === shape.length) {
    const decoded = shape.map((part, index) => cursorValue(part, values[index]));
    if (decoded.every((value) => value !== undefined)) return decoded as CursorValues<S>;
  }
  throw new BadRequestException(['cursor n’est pas valide.']);
}

export function pageSize(query: PageQueryDto): number {
  return query.limit ?? DEFAULT_PAGE_SIZE;
}
