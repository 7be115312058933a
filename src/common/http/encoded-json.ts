import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';

/** A JSON answer already encoded, in parts that are sent one after the other, and its weak ETag. */
export interface EncodedJson {
  parts: Buffer[];
  etag: string;
}

export function hashOf(data: string | Buffer): string {
  return createHash('sha1').update(data).digest('base64url');
}

/**
 * Sends the parts as they are, with no copy into one buffer and no hash of the whole body (Express's res.send does
 * both); a client that already holds this version (If-None-Match) gets a 304.
 */
export function sendEncodedJson(request: Request, response: Response, { parts, etag }: EncodedJson): void {
  response.setHeader('ETag', etag);
  if (request.fresh) {
    response.status(304).end();
    return;
  }
  response.type('json');
  response.setHeader(
    'Content-Length',
    parts.reduce((length, part) => length + part.length, 0),
  );
  parts.slice(0, -1).forEach((part) => response.write(part));
  response.end(parts.at(-1));
}
