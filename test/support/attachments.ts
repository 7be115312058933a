import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'superagent';
import type { AttachmentView } from '../../src/attachments/attachment.view';
import type { TestApp, TestUser } from './test-app';
import type { SampleFile } from './sample-files';

/** A data folder of its own for one test app, so its temporary uploads can be looked at alone. */
export function freshDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'essor-attachments-'));
}

/** Files left in an app's temporary upload folders (every process's). */
export function temporaryUploads(dataDir: string): string[] {
  const root = join(dataDir, 'uploads-in-progress');
  return readdirSync(root).flatMap((folder) => readdirSync(join(root, folder)).map((file) => join(folder, file)));
}

export function uploadRequest(t: TestApp, user: TestUser, file: Pick<SampleFile, 'name' | 'bytes'>, alt?: string) {
  const request = t.http().post('/api/attachments').set('Authorization', user.auth).attach('file', file.bytes, file.name);
  return alt === undefined ? request : request.field('alt', alt);
}

export async function upload(t: TestApp, user: TestUser, file: Pick<SampleFile, 'name' | 'bytes'>, alt?: string): Promise<AttachmentView> {
  const response = await uploadRequest(t, user, file, alt);
  if (response.status !== 201) throw new Error(`upload of ${file.name}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as AttachmentView;
}

/** supertest keeps binary answers as a Buffer with this parser. */
export function binary(response: Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => done(null, Buffer.concat(chunks)));
}

export function download(t: TestApp, user: TestUser | null, url: string) {
  const request = t.http().get(url).buffer(true).parse(binary);
  return user ? request.set('Authorization', user.auth) : request;
}
