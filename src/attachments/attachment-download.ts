import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { isImageType } from './content-type';
import type { AttachmentContent } from './attachments.service';

/** Nothing in an upload may run: no script, no plugin, no form, a sandbox, even if a browser were to render it. */
export const ATTACHMENT_CSP = "default-src 'none'; sandbox";

/**
 * Sends a file as HTTP asks: its real type and length, `nosniff`, a CSP that runs nothing, `Content-Disposition`
 * (inline for images, a download otherwise), a strong `ETag` (its SHA-256) answered 304 on `If-None-Match`, and one
 * `Range` answered 206 (416 when it lies outside the file; several ranges get the whole file, as HTTP allows).
 */
export async function sendAttachment(request: Request, response: Response, content: AttachmentContent): Promise<void> {
  const { attachment, size, etag } = content;
  response.setHeader('Content-Type', content.type);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Content-Security-Policy', ATTACHMENT_CSP);
  response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  const inline = content.variant === 'preview' || isImageType(attachment.type);
  const name = content.variant === 'preview' ? `${attachment.name}.apercu.webp` : attachment.name;
  response.setHeader('Content-Disposition', contentDisposition(inline ? 'inline' : 'attachment', name));
  // the answer depends on who asks: kept by the browser only, and checked with the ETag each time
  response.setHeader('Cache-Control', 'private, no-cache');
  response.setHeader('ETag', etag);
  response.setHeader('Accept-Ranges', 'bytes');

  if (matchesEtag(request.headers['if-none-match'], etag)) {
    response.status(304).end();
    return;
  }
  let range = { start: 0, end: size - 1 };
  const ranges = request.headers.range && (!request.headers['if-range'] || request.headers['if-range'] === etag) ? request.range(size) : undefined;
  if (ranges === -1) {
    response.status(416).setHeader('Content-Range', `bytes */${size}`);
    response.end();
    return;
  }
  if (Array.isArray(ranges) && ranges.type === 'bytes' && ranges.length === 1) {
    range = { start: ranges[0].start, end: ranges[0].end };
    response.status(206).setHeader('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
  } else response.status(200);
  response.setHeader('Content-Length', String(Math.max(0, range.end - range.start + 1)));
  if (request.method === 'HEAD' || range.end < range.start) {
    response.end();
    return;
  }
  await pipeline(content.read(range), response);
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');
}

/** RFC 6266: an ASCII fallback name, and the real one in UTF-8 (RFC 5987) for the browsers, which all read it. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
