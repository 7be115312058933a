import { createTestApp, type TestApp } from './support/test-app';

/** The directives of a Content-Security-Policy header, by name. */
function directives(header: string | undefined): Record<string, string[]> {
  return Object.fromEntries(
    (header ?? '')
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values]),
  );
}

/** Issue 12, item 8: the client is served with a CSP that allows no inline script or style. */
describe('Content-Security-Policy', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ seed: false });
  });
  afterAll(() => t.close());

  it.each(['/', '/app.js', '/api/health'])('%s allows scripts and styles from Essor’s own files only', async (path) => {
    const response = await t.http().get(path).expect(200);
    const csp = directives(response.headers['content-security-policy']);
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['style-src']).toEqual(["'self'"]);
    expect(csp['script-src-attr']).toEqual(["'none'"]);
    expect(response.headers['content-security-policy']).not.toContain('unsafe-inline');
  });

  it('serves a page with no inline script or style to need it', async () => {
    const page = await t.http().get('/').expect(200);
    expect(page.text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>|<style|\sstyle=|\son\w+=/i);
  });

  it('keeps inline styles for the Swagger UI page only, and its scripts to files', async () => {
    const docs = await t.http().get('/api/docs/').expect(200);
    const csp = directives(docs.headers['content-security-policy']);
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
  });
});
