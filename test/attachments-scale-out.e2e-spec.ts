import { rmSync } from 'node:fs';
import sharp from 'sharp';
import type { AttachmentView } from '../src/attachments/attachment.view';
import { freshDataDir } from './support/attachments';
import { freePort, ServerProcess, startServer } from './live/server-process';
import { testDatabaseUrl } from './support/test-app';

const ADMIN = { email: 'documents@example.org', password: 'motdepasse-documents' };
const POSTGRES_SERVER = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Two Essor processes on one PostgreSQL database, each with a data folder of its own (no shared disk): a file
 * uploaded through one instance downloads, whole and by ranges, from the other (PostgreSQL runs on the development
 * and CI machines; .ci/run starts it when it is down).
 */
describe('attachments on two instances sharing PostgreSQL (child processes)', () => {
  let database: { url: string; drop: () => Promise<void> };
  const dataDirs = [freshDataDir(), freshDataDir()];
  let one: ServerProcess;
  let two: ServerProcess;
  let token: string;

  const instance = async (dataDir: string): Promise<ServerProcess> =>
    startServer({
      NODE_ENV: 'production',
      PORT: String(await freePort()),
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      SEED: 'true',
      LOG_LEVEL: 'warn',
      JWT_SECRET: 'documents-test-secret-0123456789abcdef0123',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    });

  beforeAll(async () => {
    process.env.TEST_DATABASE_URL ??= POSTGRES_SERVER;
    database = await testDatabaseUrl();
    [one, two] = await Promise.all(dataDirs.map(instance));
    const login = await fetch(`${one.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    ({ accessToken: token } = (await login.json()) as { accessToken: string });
  }, 180_000);

  afterAll(async () => {
    await Promise.all([one?.stop('SIGTERM'), two?.stop('SIGTERM')]);
    await database?.drop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('serves a file uploaded on one instance from the other, whole, by range and as a preview', async () => {
    // noise, so the PNG does not compress below one storage chunk: the range then spans two chunks
    const raw = Buffer.from(Array.from({ length: 900 * 700 * 3 }, (_, index) => (index * 7919) % 251));
    const png = await sharp(raw, { raw: { width: 900, height: 700, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(png.length).toBeGreaterThan(1024 * 1024);
    const form = new FormData();
    form.append('file', new Blob([png], { type: 'application/octet-stream' }), 'carte-des-metropoles.png');
    form.append('alt', 'Carte des métropoles du groupe');
    const uploaded = await fetch(`${one.url}/api/attachments`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    expect(uploaded.status).toBe(201);
    const file = (await uploaded.json()) as AttachmentView;
    expect(file).toMatchObject({ type: 'image/png', size: png.length, alt: 'Carte des métropoles du groupe' });

    const whole = await fetch(`${two.url}${file.url}`, { headers: { authorization: `Bearer ${token}` } });
    expect(whole.status).toBe(200);
    expect(Buffer.compare(Buffer.from(await whole.arrayBuffer()), png)).toBe(0);

    const start = 1024 * 1024 - 100;
    const part = await fetch(`${two.url}${file.url}`, { headers: { authorization: `Bearer ${token}`, range: `bytes=${start}-${start + 199}` } });
    expect(part.status).toBe(206);
    expect(Buffer.compare(Buffer.from(await part.arrayBuffer()), png.subarray(start, start + 200))).toBe(0);

    const preview = await fetch(`${two.url}${file.previewUrl!}`, { headers: { authorization: `Bearer ${token}` } });
    expect(preview.headers.get('content-type')).toBe('image/webp');
    expect(await sharp(Buffer.from(await preview.arrayBuffer())).metadata()).toMatchObject({ width: 900, height: 700 });

    // removed through the second instance, gone on the first
    expect((await fetch(`${two.url}${file.url}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })).status).toBe(204);
    expect((await fetch(`${one.url}${file.url}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
  });
});
