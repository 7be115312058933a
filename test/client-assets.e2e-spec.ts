import { existsSync, readdirSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { CLIENT_DIST } from '../src/client-assets/client-assets';
import { createTestApp, TestApp } from './support/test-app';

/** The bytes as they come over the wire (supertest and fetch would decode them), with the headers. */
function fetchRaw(url: string, acceptEncoding: string): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { 'Accept-Encoding': acceptEncoding } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

/** The web client's files as the server hands them out: precompressed, cached for good when their name is hashed. */
describe('client assets (built client)', () => {
  let t: TestApp;
  let script: string;
  let stylesheet: string;

  beforeAll(async () => {
    if (!existsSync(join(CLIENT_DIST, 'index.html'))) throw new Error('client/dist is missing: run `npm run build:client` first');
    const files = readdirSync(CLIENT_DIST);
    script = files.find((file) => /^app-[A-Z0-9]{8}\.js$/.test(file))!;
    stylesheet = files.find((file) => /^app-[A-Z0-9]{8}\.css$/.test(file))!;
    t = await createTestApp({ seed: false });
  });
  afterAll(() => t.close());

  it('names the hashed bundles in index.html, which browsers revalidate at every load', async () => {
    const page = await t.http().get('/').set('Accept-Encoding', 'identity').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.text).toContain(`src="/${script}"`);
    expect(page.text).toContain(`href="/${stylesheet}"`);
    const again = await t.http().get('/').set('Accept-Encoding', 'identity').set('If-None-Match', page.headers.etag).expect(304);
    expect(again.text).toBe('');
  });

  it('serves the brotli copy to browsers that accept it, gzip to the others, and the file itself otherwise', async () => {
    const original = await t.http().get(`/${script}`).set('Accept-Encoding', 'identity').expect(200);
    expect(original.headers['content-encoding']).toBeUndefined();
    expect(original.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    const brotli = await fetchRaw(`${t.url}/${script}`, 'gzip, deflate, br');
    expect(brotli.headers['content-encoding']).toBe('br');
    // the bundle holds French text as UTF-8 (esbuild's charset option), so the type must say so
    expect(brotli.headers['content-type']).toMatch(/^(text|application)\/javascript; charset=utf-8$/i);
    expect(brotli.headers.vary).toMatch(/Accept-Encoding/i);
    expect(brotli.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotli.body.length).toBeLessThan(Buffer.byteLength(original.text) / 2);
    expect(brotliDecompressSync(brotli.body).toString()).toBe(original.text);

    const gzip = await fetchRaw(`${t.url}/${stylesheet}`, 'gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.headers['content-type']).toMatch(/^text\/css/);
    expect(gunzipSync(gzip.body).toString()).toContain('.site-header');
  });

  it('leaves the API alone and still answers deep links with the page', async () => {
    const health = await t.http().get('/api/health').set('Accept-Encoding', 'br').expect(200);
    expect(health.headers['content-encoding']).toBeUndefined();
    expect(health.headers['cache-control']).not.toContain('immutable');
    const deep = await t.http().get('/seances').set('Accept-Encoding', 'identity').expect(200);
    expect(deep.text).toContain(`src="/${script}"`);
    expect(deep.headers['cache-control']).toBe('no-cache');
  });
});
