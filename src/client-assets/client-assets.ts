import type { NextFunction, Request, RequestHandler, Response } from 'express';
import expressStaticGzip from 'express-static-gzip';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';

/** The built web client (client/build.mjs), served at /. */
export const CLIENT_DIST = join(__dirname, '..', '..', 'client', 'dist');

/** esbuild's `[name]-[hash]` file names: their content never changes under the same name. */
const HASHED_NAME = /-[A-Z0-9]{8}\.(?:js|css)(?:\.br|\.gz)?$/;
const ONE_YEAR_S = 31_536_000;

/**
 * Cache-Control of the client's files: hashed bundles are kept a year without asking again (a new build has new
 * names); index.html, which names them, is revalidated at every load (its ETag makes that a 304 when unchanged).
 */
export function clientCacheControl(path: string): string {
  return HASHED_NAME.test(basename(path)) ? `public, max-age=${ONE_YEAR_S}, immutable` : 'no-cache';
}

/**
 * The client's files, the brotli or gzip copy made at build time when the browser accepts it (`Content-Encoding`,
 * `Vary: Accept-Encoding`), with the cache headers above. API and socket.io paths go straight on, without a look at
 * the disk. Unknown paths fall through to the SPA fallback of ServeStaticModule.
 */
export function clientAssets(root = CLIENT_DIST): RequestHandler {
  const serve = existsSync(root)
    ? expressStaticGzip(root, {
        enableBrotli: true,
        orderPreference: ['br', 'gz'],
        index: 'index.html',
        serveStatic: { setHeaders: (response, path) => response.setHeader('Cache-Control', clientCacheControl(path)) },
      })
    : undefined;
  return (request: Request, response: Response, next: NextFunction) => {
    if (!serve || request.path.startsWith('/api/') || request.path.startsWith('/socket.io/')) return next();
    serve(request, response, next);
  };
}
