import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTestApp, TestApp } from '../support/test-app';
import { OpenApiDocument, withRouteReference } from './api-reference';

const API_DOCS = join(__dirname, '..', '..', 'docs', 'API.md');

describe('docs/API.md', () => {
  let app: TestApp;
  let document: OpenApiDocument;

  beforeAll(async () => {
    app = await createTestApp({ seed: false });
    document = (await app.http().get('/api/docs-json').expect(200)).body as OpenApiDocument;
  });
  afterAll(() => app.close());

  it('lists every route of the OpenAPI document as the code declares it', async () => {
    const written = await readFile(API_DOCS, 'utf8');
    const expected = withRouteReference(written, document);
    if (process.env.UPDATE_API_DOCS === '1') await writeFile(API_DOCS, expected);
    else expect(written).toBe(expected);
  });

  it('says who may call each route', () => {
    const access = Object.values(document.paths).flatMap((item) => Object.values(item).map((operation) => operation['x-essor-access']));
    expect(access).toContain('anyone');
    expect(access).toContain('moderator+');
    expect(access).toContain('admin+');
  });
});
