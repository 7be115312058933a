import type { Request } from 'express';

/** Whether the request carries a body: some bytes announced, or a chunked one (an empty POST does not). */
export function hasBody(request: Request): boolean {
  return Number(request.headers['content-length']) > 0 || request.headers['transfer-encoding'] !== undefined;
}
