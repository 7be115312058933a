import { createTestApp, type TestApp } from '../support/test-app';
import { ACTORS, Fixtures, type Actor } from './fixtures';
import { MATRIX } from './matrix';

/** Every `METHOD /api/path` of the OpenAPI document, as the matrix names them. */
async function documentedRoutes(t: TestApp): Promise<string[]> {
  const document = (await t.http().get('/api/docs-json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
}

function concretePath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`the matrix row of ${path} builds no value for {${name}}`);
    return encodeURIComponent(params[name]);
  });
}

describe('authorization matrix: every route of the OpenAPI document × six actors', () => {
  let t: TestApp;
  let fx: Fixtures;

  beforeAll(async () => {
    t = await createTestApp();
    fx = await Fixtures.create(t);
  });
  afterAll(() => t.close());

  it('has a row for every documented route, and no row for a route that is gone', async () => {
    const routes = await documentedRoutes(t);
    const missing = routes.filter((route) => !(route in MATRIX));
    const stale = Object.keys(MATRIX).filter((route) => !routes.includes(route));
    const problems = [
      ...missing.map((route) => `${route} has no row: add one to MATRIX in test/authorization/matrix.ts`),
      ...stale.map((route) => `${route} is in test/authorization/matrix.ts but not in the OpenAPI document: remove or rename its row`),
    ];
    expect(problems).toEqual([]);
  });

  describe.each(Object.entries(MATRIX))('%s', (route, row) => {
    const [method, path] = route.split(' ');
    it.each(ACTORS.map((actor) => [actor, row.expected[actor]] as [Actor, number]))(`as %s → %i (target: ${row.target})`, async (actor, expected) => {
      const { params, query, body, file } = await row.request(fx, actor);
      const call = t.http()[method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete'](concretePath(path, params));
      const auth = fx.authOf(actor);
      if (auth) void call.set('Authorization', auth);
      if (query) void call.query(query);
      if (file) void call.attach('file', file.bytes, file.name);
      const response = await (body === undefined ? call : call.send(body as object));
      await row.afterwards?.(fx, actor);
      expect({ route, actor, status: response.status, body: response.status === expected ? undefined : response.text }).toEqual({
        route,
        actor,
        status: expected,
        body: undefined,
      });
    });
  });
});
