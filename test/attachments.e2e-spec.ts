import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import sharp from 'sharp';
import { Attachment } from '../src/attachments/attachment.entity';
import type { AttachmentView } from '../src/attachments/attachment.view';
import { UploadFolder } from '../src/attachments/upload-folder';
import { NO_FILE_MESSAGE } from '../src/attachments/upload.interceptor';
import { closeAllClients, connect, ok, send } from './live/live-client';
import { download, freshDataDir, temporaryUploads, upload, uploadRequest } from './support/attachments';
import { acceptedSamples, htmlPage, minimalPdf, type SampleFile, windowsExecutable } from './support/sample-files';
import { createTestApp, discussionCast, TestApp, TestUser } from './support/test-app';

const CSP = "default-src 'none'; sandbox";
const MB = 1024 * 1024;

/** Valid UTF-8 text of about `bytes` bytes, different at every line, so a range shows it came from the right place. */
const bigText = (bytes: number): Buffer =>
  Buffer.from(Array.from({ length: Math.ceil(bytes / 32) }, (_, line) => `ligne ${String(line).padStart(8, '0')} — données\n`).join(''), 'utf8');

describe.each(['database', 'directory'] as const)('attachments (HTTP, %s storage)', (storage) => {
  let t: TestApp;
  let dataDir: string;
  let alice: TestUser;
  let bruno: TestUser;
  let moderator: TestUser;
  let topicId: string;
  let samples: SampleFile[];

  beforeAll(async () => {
    dataDir = freshDataDir();
    t = await createTestApp({ env: { DATA_DIR: dataDir, ATTACHMENT_STORAGE: storage } });
    ({ alice, bruno, moderator, topicId } = await discussionCast(t));
    samples = await acceptedSamples();
  });
  afterEach(() => closeAllClients());
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function newThread(by: TestUser = alice): Promise<string> {
    const { body } = await t
      .http()
      .post(`/api/topics/${topicId}/threads`)
      .set('Authorization', by.auth)
      .send({ title: 'Documents', body: 'Voici' })
      .expect(201);
    return (body as { thread: { id: string } }).thread.id;
  }

  /** A session scheduled by the moderator with these documents; its one agenda item's thread takes posts. */
  async function newSession(title: string, attachmentIds: string[]) {
    const { body } = await t
      .http()
      .post('/api/sessions')
      .set('Authorization', moderator.auth)
      .send({ title, description: '', startsAt: '2030-03-05T09:00:00Z', agenda: [{ title: 'Focus' }], attachmentIds })
      .expect(201);
    return body as { id: string; agenda: Array<{ threadId: string }>; attachments: AttachmentView[] };
  }

  function postWith(threadId: string, by: TestUser, attachmentIds: string[]) {
    return t.http().post(`/api/threads/${threadId}/posts`).set('Authorization', by.auth).send({ body: 'Avec pièces jointes', attachmentIds });
  }

  it('takes every accepted type, reads it from the content, and gives the same bytes back with safe headers', async () => {
    for (const sample of samples) {
      const created = await upload(t, alice, sample);
      expect(created).toMatchObject({ name: sample.name, type: sample.type, size: sample.bytes.length, url: `/api/attachments/${created.id}` });
      expect(created.uploader).toEqual({ id: alice.user.id, displayName: 'Alice' });
      const response = await download(t, alice, created.url).expect(200);
      expect(Buffer.compare(response.body as Buffer, sample.bytes)).toBe(0);
      expect(response.headers['content-type']).toBe(sample.type);
      expect(response.headers['content-length']).toBe(String(sample.bytes.length));
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['content-security-policy']).toBe(CSP);
      expect(response.headers['etag']).toMatch(/^"[0-9a-f]{64}"$/);
      expect(response.headers['accept-ranges']).toBe('bytes');
      const image = sample.type.startsWith('image/');
      expect(response.headers['content-disposition']).toBe(
        `${image ? 'inline' : 'attachment'}; filename="${sample.name}"; filename*=UTF-8''${sample.name}`,
      );
    }
  });

  it('scales images down for the preview, keeps the original and the alt text', async () => {
    const png = samples.find((sample) => sample.type === 'image/png')!;
    const created = await upload(t, alice, png, 'Affiche de la séance de Lille');
    expect(created).toMatchObject({
      alt: 'Affiche de la séance de Lille',
      width: 1600,
      height: 900,
      previewUrl: `/api/attachments/${created.id}/preview`,
    });
    const preview = await download(t, alice, created.previewUrl!).expect(200);
    expect(preview.headers['content-type']).toBe('image/webp');
    expect(preview.headers['content-disposition']).toMatch(/^inline;/);
    expect(await sharp(preview.body as Buffer).metadata()).toMatchObject({ format: 'webp', width: 1024, height: 576 });
    const original = await download(t, alice, created.url).expect(200);
    expect(await sharp(original.body as Buffer).metadata()).toMatchObject({ format: 'png', width: 1600, height: 900 });
    const pdf = await upload(t, alice, { name: 'doc.pdf', bytes: minimalPdf() });
    expect(pdf.previewUrl).toBeNull();
    await download(t, alice, `${pdf.url}/preview`).expect(404);
  });

  it('refuses a renamed executable, HTML calling itself PDF, a bare zip and unknown text, in French, leaving nothing behind', async () => {
    const cases: Array<[string, Buffer]> = [
      ['rapport.pdf', windowsExecutable()],
      ['setup.exe', windowsExecutable()],
      ['grille.pdf', htmlPage()],
      ['page.html', htmlPage()],
      ['archive.zip', Buffer.from(await import('fflate').then(({ zipSync, strToU8 }) => zipSync({ 'a.txt': strToU8('a') })))],
      ['binaire.txt', Buffer.from([0x41, 0x00, 0x42])],
      ['latin1.csv', Buffer.from('métropole;nombre\n', 'latin1')],
    ];
    for (const [name, bytes] of cases) {
      const response = await uploadRequest(t, alice, { name, bytes }).expect(415);
      expect(response.body.message).toMatch(/^Type de fichier refusé : .*Types acceptés : PNG, JPEG, WebP, PDF/);
    }
    const before = await t.dataSource.getRepository(Attachment).countBy({ uploaderId: alice.user.id });
    await uploadRequest(t, alice, { name: 'x.pdf', bytes: htmlPage() }).expect(415);
    expect(await t.dataSource.getRepository(Attachment).countBy({ uploaderId: alice.user.id })).toBe(before);
    expect(temporaryUploads(dataDir)).toEqual([]);
  });

  it('keeps a French name, tells it in UTF-8, and gives a file the extension of its real type', async () => {
    const accented = await upload(t, alice, { name: 'Délibération « ESS ».pdf', bytes: minimalPdf() });
    expect(accented.name).toBe('Délibération « ESS ».pdf');
    const response = await download(t, alice, accented.url).expect(200);
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="D_lib_ration _ ESS _.pdf"; filename*=UTF-8''D%C3%A9lib%C3%A9ration%20%C2%AB%20ESS%20%C2%BB.pdf`,
    );
    expect((await upload(t, alice, { name: 'rapport.docx', bytes: minimalPdf() })).name).toBe('rapport.docx.pdf');
    expect((await upload(t, alice, { name: '../../etc/notes.TXT', bytes: Buffer.from('ok\n') })).name).toBe('notes.TXT');
  });

  it('asks for a file and refuses unknown fields', async () => {
    const none = await t.http().post('/api/attachments').set('Authorization', alice.auth).field('alt', 'rien').expect(400);
    expect(none.body.message).toEqual([NO_FILE_MESSAGE]);
    // a text named file, a file part with an empty name, a body of another type: each told to join a file
    const text = await t.http().post('/api/attachments').set('Authorization', alice.auth).field('file', 'un texte').expect(400);
    expect(text.body.message).toEqual([NO_FILE_MESSAGE]);
    const unnamed = await t.http().post('/api/attachments').set('Authorization', alice.auth).attach('file', minimalPdf(), '').expect(400);
    expect(unnamed.body.message).toEqual([NO_FILE_MESSAGE]);
    for (const send of [{ file: 'x' }, 'un texte']) {
      const other = await t.http().post('/api/attachments').set('Authorization', alice.auth).send(send).expect(415);
      expect(other.body.message).toBe(NO_FILE_MESSAGE);
    }
    expect((await t.http().post('/api/attachments').set('Authorization', alice.auth).expect(400)).body.message).toEqual([NO_FILE_MESSAGE]);
    await t.http().post('/api/attachments').set('Authorization', alice.auth).attach('file', minimalPdf(), 'a.pdf').field('autre', 'x').expect(400);
    await t.http().post('/api/attachments').attach('file', minimalPdf(), 'a.pdf').expect(401);
    expect(temporaryUploads(dataDir)).toEqual([]);
  });

  it('answers 400, not 500, to a multipart body that is cut short or has no boundary', async () => {
    const upload = () => t.http().post('/api/attachments').set('Authorization', alice.auth);
    const empty = await upload().set('Content-Type', 'multipart/form-data; boundary=x').send('').expect(400);
    expect(empty.body.message).toEqual(['Envoi illisible : le corps multipart/form-data est mal formé ou incomplet.']);
    const cut = '--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4';
    await upload().set('Content-Type', 'multipart/form-data; boundary=x').send(cut).expect(400);
    await upload().set('Content-Type', 'multipart/form-data').send('--x--').expect(400);
    expect(temporaryUploads(dataDir)).toEqual([]);
  });

  it('answers Range with 206 across chunk boundaries, 416 outside the file, and If-None-Match with 304', async () => {
    const text = bigText(2.5 * MB);
    const created = await upload(t, alice, { name: 'gros.txt', bytes: text });
    // an upload attached to nothing is its uploader's alone, ranges included
    await download(t, bruno, created.url)
      .set('Range', `bytes=${MB - 10}-${MB + 20}`)
      .expect(404);
    const part = await download(t, alice, created.url)
      .set('Range', `bytes=${MB - 10}-${MB + 20}`)
      .expect(206);
    expect(part.headers['content-range']).toBe(`bytes ${MB - 10}-${MB + 20}/${text.length}`);
    expect(part.headers['content-length']).toBe('31');
    expect(Buffer.compare(part.body as Buffer, text.subarray(MB - 10, MB + 21))).toBe(0);
    const suffix = await download(t, alice, created.url).set('Range', 'bytes=-100').expect(206);
    expect(Buffer.compare(suffix.body as Buffer, text.subarray(text.length - 100))).toBe(0);
    const tail = await download(t, alice, created.url)
      .set('Range', `bytes=${2 * MB}-`)
      .expect(206);
    expect(Buffer.compare(tail.body as Buffer, text.subarray(2 * MB))).toBe(0);
    const outside = await download(t, alice, created.url)
      .set('Range', `bytes=${text.length + 5}-`)
      .expect(416);
    expect(outside.headers['content-range']).toBe(`bytes */${text.length}`);
    const whole = await download(t, alice, created.url).expect(200);
    const etag = String(whole.headers['etag']);
    await download(t, alice, created.url).set('If-None-Match', etag).expect(304);
    // a stale If-Range gets the whole file
    const stale = await download(t, alice, created.url).set('Range', 'bytes=0-9').set('If-Range', '"autre"').expect(200);
    expect((stale.body as Buffer).length).toBe(text.length);
  });

  it('attaches uploads to a post over HTTP and live; the thread page and broadcasts carry them', async () => {
    const threadId = await newThread();
    const pdf = await upload(t, alice, { name: 'deliberation.pdf', bytes: minimalPdf('Deliberation') });
    const png = await upload(t, alice, samples[0], 'Schéma');
    const created = await postWith(threadId, alice, [pdf.id, png.id]).expect(201);
    expect(created.body.attachments.map((file: AttachmentView) => file.id).sort()).toEqual([pdf.id, png.id].sort());
    const page = await t.http().get(`/api/threads/${threadId}`).set('Authorization', bruno.auth).expect(200);
    const shown = page.body.posts.find((post: { id: string }) => post.id === created.body.id);
    expect(shown.attachments).toHaveLength(2);
    expect(shown.attachments.find((file: AttachmentView) => file.id === png.id)).toMatchObject({ alt: 'Schéma', type: 'image/png' });

    // a thread's first post takes files too
    const opening = await upload(t, bruno, { name: 'ouverture.pdf', bytes: minimalPdf() });
    const opened = await t
      .http()
      .post(`/api/topics/${topicId}/threads`)
      .set('Authorization', bruno.auth)
      .send({ title: 'Avec un document', body: 'Le voici', attachmentIds: [opening.id] })
      .expect(201);
    expect(opened.body.post.attachments.map((file: AttachmentView) => file.id)).toEqual([opening.id]);

    // another person's upload, or one already attached, is refused, and the post is not made
    const brunos = await upload(t, bruno, { name: 'b.pdf', bytes: minimalPdf() });
    const refused = await postWith(threadId, alice, [brunos.id]).expect(400);
    expect(JSON.stringify(refused.body.message)).toContain(brunos.id);
    await postWith(threadId, alice, [pdf.id]).expect(400);
    await postWith(threadId, alice, ['not-a-uuid']).expect(400);

    const socket = await connect(t.url, alice.token);
    const listener = await connect(t.url, bruno.token);
    ok(await send(listener, 'thread:subscribe', { threadId }));
    const heard = new Promise<{ attachments: AttachmentView[] }>((resolve) => listener.once('post:created', resolve));
    const live = await upload(t, alice, { name: 'live.csv', bytes: Buffer.from('a;b\n1;2\n') });
    const answer = ok(await send(socket, 'post:create', { threadId, body: 'En direct', clientKey: 'live-file', attachmentIds: [live.id] }));
    expect(answer.post.attachments.map((file) => file.id)).toEqual([live.id]);
    expect((await heard).attachments.map((file) => file.id)).toEqual([live.id]);
    // the retried send returns the same post with its file
    const again = ok(await send(socket, 'post:create', { threadId, body: 'En direct', clientKey: 'live-file', attachmentIds: [live.id] }));
    expect(again.post.attachments.map((file) => file.id)).toEqual([live.id]);
  });

  it('edits a post’s files: kept ids stay, new uploads join, files left out are deleted', async () => {
    const threadId = await newThread();
    const first = await upload(t, alice, { name: 'v1.pdf', bytes: minimalPdf('v1') });
    const second = await upload(t, alice, { name: 'v2.pdf', bytes: minimalPdf('v2') });
    const post = (await postWith(threadId, alice, [first.id]).expect(201)).body as { id: string };
    const edited = await t
      .http()
      .patch(`/api/posts/${post.id}`)
      .set('Authorization', alice.auth)
      .send({ body: 'Version 2', attachmentIds: [second.id] })
      .expect(200);
    expect(edited.body.attachments.map((file: AttachmentView) => file.id)).toEqual([second.id]);
    await download(t, alice, first.url).expect(404);
    const page = await t.http().get(`/api/threads/${threadId}`).set('Authorization', bruno.auth).expect(200);
    expect(page.body.posts.at(-1).attachments.map((file: AttachmentView) => file.id)).toEqual([second.id]);
    // an edit that leaves attachmentIds out keeps the files
    const bodyOnly = await t.http().patch(`/api/posts/${post.id}`).set('Authorization', alice.auth).send({ body: 'Version 3' }).expect(200);
    expect(bodyOnly.body.attachments).toHaveLength(1);
  });

  it('lets each role download what it may read: hidden posts’ files follow the post, deleted posts’ files are gone', async () => {
    const threadId = await newThread();
    const file = await upload(t, alice, { name: 'note.pdf', bytes: minimalPdf('note') });
    const post = (await postWith(threadId, alice, [file.id]).expect(201)).body as { id: string };
    await download(t, null, file.url).expect(401);
    for (const reader of [alice, bruno, moderator]) await download(t, reader, file.url).expect(200);

    await t.http().post(`/api/posts/${post.id}/hide`).set('Authorization', moderator.auth).expect(200);
    await download(t, alice, file.url).expect(200);
    await download(t, moderator, file.url).expect(200);
    const hidden = await download(t, bruno, file.url).expect(403);
    expect(JSON.parse((hidden.body as Buffer).toString()).message).toContain('masqué');
    const page = await t.http().get(`/api/threads/${threadId}`).set('Authorization', bruno.auth).expect(200);
    expect(page.body.posts.find((p: { id: string }) => p.id === post.id).attachments).toEqual([]);
    await t.http().post(`/api/posts/${post.id}/unhide`).set('Authorization', moderator.auth).expect(200);
    await download(t, bruno, file.url).expect(200);

    await t.http().delete(`/api/posts/${post.id}`).set('Authorization', alice.auth).expect(200);
    for (const reader of [alice, bruno, moderator]) await download(t, reader, file.url).expect(404);
    await t.http().delete(`/api/attachments/${file.id}`).set('Authorization', alice.auth).expect(404);
    if (storage === 'directory') expect(existsSync(join(dataDir, 'attachments', file.id.slice(0, 2), `${file.id}.original`))).toBe(false);

    // an upload attached to nothing: its uploader and moderators only
    const pending = await upload(t, bruno, { name: 'brouillon.pdf', bytes: minimalPdf() });
    await download(t, bruno, pending.url).expect(200);
    await download(t, moderator, pending.url).expect(200);
    await download(t, alice, pending.url).expect(404);
    await download(t, alice, '/api/attachments/not-an-id').expect(400);
  });

  it('removes a file for its uploader or a moderator only, detaching it from its post', async () => {
    const threadId = await newThread();
    const file = await upload(t, alice, { name: 'a-retirer.pdf', bytes: minimalPdf() });
    const post = (await postWith(threadId, alice, [file.id]).expect(201)).body as { id: string };
    const listener = await connect(t.url, bruno.token);
    ok(await send(listener, 'thread:subscribe', { threadId }));
    const updated = new Promise<{ id: string; attachments: AttachmentView[] }>((resolve) => listener.once('post:updated', resolve));
    await t.http().delete(`/api/attachments/${file.id}`).set('Authorization', bruno.auth).expect(403);
    await t.http().delete(`/api/attachments/${file.id}`).set('Authorization', moderator.auth).expect(204);
    expect(await updated).toMatchObject({ id: post.id, attachments: [] });
    const page = await t.http().get(`/api/threads/${threadId}`).set('Authorization', bruno.auth).expect(200);
    expect(page.body.posts.find((p: { id: string }) => p.id === post.id).attachments).toEqual([]);
    await download(t, alice, file.url).expect(404);
    const own = await upload(t, bruno, { name: 'mien.pdf', bytes: minimalPdf() });
    await t.http().delete(`/api/attachments/${own.id}`).set('Authorization', bruno.auth).expect(204);
  });

  it('attaches documents to practice sheets and sessions, readable by everyone signed in', async () => {
    const grid = await upload(t, alice, { name: 'grille.pdf', bytes: minimalPdf('grille') });
    const practice = await t
      .http()
      .post('/api/practices')
      .set('Authorization', alice.auth)
      .send({ title: 'Fiche avec documents', summary: 'Résumé', description: 'Texte', stage: 'pilot', attachmentIds: [grid.id] })
      .expect(201);
    expect(practice.body.attachments.map((file: AttachmentView) => file.id)).toEqual([grid.id]);
    await download(t, bruno, grid.url).expect(200);
    const extra = await upload(
      t,
      alice,
      samples.find((sample) => sample.name.endsWith('.ods'))!,
    );
    const patched = await t
      .http()
      .patch(`/api/practices/${practice.body.id}`)
      .set('Authorization', alice.auth)
      .send({ attachmentIds: [grid.id, extra.id] })
      .expect(200);
    expect(patched.body.attachments.map((file: AttachmentView) => file.name)).toEqual(['grille.pdf', 'budget.ods']);
    expect((await t.http().get(`/api/practices/${practice.body.id}`).set('Authorization', bruno.auth).expect(200)).body.attachments).toHaveLength(2);

    const slides = await upload(
      t,
      moderator,
      samples.find((sample) => sample.name.endsWith('.pptx'))!,
    );
    const session = { body: await newSession('Séance avec diapositives', [slides.id]) };
    expect(session.body.attachments.map((file: AttachmentView) => file.id)).toEqual([slides.id]);
    await download(t, bruno, slides.url).expect(200);
    const agenda = await upload(t, moderator, { name: 'ordre-du-jour.txt', bytes: Buffer.from('1. Accueil\n2. Focus\n') });
    const edited = await t
      .http()
      .patch(`/api/sessions/${session.body.id}`)
      .set('Authorization', moderator.auth)
      .send({ attachmentIds: [agenda.id] })
      .expect(200);
    expect(edited.body.attachments.map((file: AttachmentView) => file.id)).toEqual([agenda.id]);
    await download(t, bruno, slides.url).expect(404);
    // removing a session's file through its own route is heard in the session's room
    const room = await connect(t.url, bruno.token);
    ok(await send(room, 'session:join', { sessionId: session.body.id }));
    const heard = new Promise<{ attachments: AttachmentView[] }>((resolve) => room.once('session:updated', resolve));
    const extraFile = await upload(t, moderator, { name: 'annexe.txt', bytes: Buffer.from('annexe\n') });
    await t
      .http()
      .patch(`/api/sessions/${session.body.id}`)
      .set('Authorization', moderator.auth)
      .send({ attachmentIds: [agenda.id, extraFile.id] })
      .expect(200);
    const afterPatch = await heard;
    expect(afterPatch.attachments).toHaveLength(2);
    const removal = new Promise<{ attachments: AttachmentView[] }>((resolve) => room.once('session:updated', resolve));
    await t.http().delete(`/api/attachments/${extraFile.id}`).set('Authorization', moderator.auth).expect(204);
    expect((await removal).attachments.map((file) => file.id)).toEqual([agenda.id]);
    const listed = await t.http().get('/api/sessions').set('Authorization', bruno.auth).expect(200);
    expect(listed.body.find((s: { id: string }) => s.id === session.body.id).attachments).toHaveLength(1);
    await t.http().patch(`/api/sessions/${session.body.id}`).set('Authorization', alice.auth).send({ attachmentIds: [] }).expect(403);
  });

  it('lists attached files with links in the minutes, the thread export and the practice export', async () => {
    const slides = await upload(t, moderator, { name: 'diapos-lille.pdf', bytes: minimalPdf('Lille') });
    const session = await newSession('Séance exportée', [slides.id]);
    const note = await upload(t, alice, { name: 'note_[v2].csv', bytes: Buffer.from('a;b\n') });
    await postWith(session.agenda[0].threadId, alice, [note.id]).expect(201);
    const origin = t.url;
    const minutes = await t.http().get(`/api/sessions/${session.id}/minutes`).set('Authorization', bruno.auth).expect(200);
    expect(minutes.text).toContain('## Documents de la séance');
    expect(minutes.text).toContain(`- Pièce jointe : [diapos-lille.pdf](<${origin}/api/attachments/${slides.id}>) (PDF, 1 ko)`);
    expect(minutes.text).toContain(`[note\\_\\[v2\\].csv](<${origin}/api/attachments/${note.id}>) (CSV, 1 ko)`);
    const thread = await t.http().get(`/api/threads/${session.agenda[0].threadId}/export`).set('Authorization', bruno.auth).expect(200);
    expect(thread.text).toContain(`(<${origin}/api/attachments/${note.id}>)`);

    const sheetFile = await upload(t, alice, { name: 'fiche.pdf', bytes: minimalPdf() });
    await t
      .http()
      .post('/api/practices')
      .set('Authorization', alice.auth)
      .send({ title: 'Fiche exportée', summary: 'Résumé', description: 'Texte', stage: 'idea', attachmentIds: [sheetFile.id] })
      .expect(201);
    const csv = await t.http().get('/api/practices/export?format=csv&q=exportee').set('Authorization', bruno.auth).expect(200);
    expect(csv.text.split('\r\n')[0]).toContain('Documents');
    expect(csv.text).toContain(`fiche.pdf (${origin}/api/attachments/${sheetFile.id})`);
    const json = await t.http().get('/api/practices/export?format=json&q=exportee').set('Authorization', bruno.auth).expect(200);
    expect(json.body[0].attachments[0]).toMatchObject({ name: 'fiche.pdf', url: `${origin}/api/attachments/${sheetFile.id}` });
  });

  it('removes uploads never attached within a day, and temporary files left by a stopped process', async () => {
    const kept = await upload(t, alice, { name: 'gardé.pdf', bytes: minimalPdf() });
    const threadId = await newThread();
    await postWith(threadId, alice, [kept.id]).expect(201);
    const forgotten = await upload(t, alice, { name: 'oublié.pdf', bytes: minimalPdf() });
    const folder = t.app.get(UploadFolder);
    const deadProcess = join(dataDir, 'uploads-in-progress', '999999999');
    mkdirSync(deadProcess, { recursive: true });
    writeFileSync(join(deadProcess, 'abandoned'), 'x');

    // within the day nothing attached goes
    const now = await folder.sweep();
    expect(now.unreferenced).toBe(0);
    expect(now.temporaryFiles).toBe(1);
    expect(existsSync(deadProcess)).toBe(false);
    await download(t, alice, forgotten.url).expect(200);

    const tomorrow = await folder.sweep(new Date(Date.now() + 25 * 60 * 60 * 1000));
    expect(tomorrow.unreferenced).toBeGreaterThanOrEqual(1);
    await download(t, alice, forgotten.url).expect(404);
    await download(t, bruno, kept.url).expect(200);
  });

  it('leaves nothing when the client goes away in the middle of an upload', async () => {
    const url = new URL(t.url);
    const boundary = 'essor-abandon';
    await new Promise<void>((resolve) => {
      const request = httpRequest({
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/api/attachments',
        headers: { authorization: alice.auth, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(5 * MB) },
      });
      request.on('error', () => resolve());
      request.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="gros.txt"\r\nContent-Type: text/plain\r\n\r\n`);
      request.write(bigText(MB), () => {
        // the server has started writing the file: wait until it shows in the temporary folder, then hang up
        const started = Date.now();
        const check = (): void => {
          if (temporaryUploads(dataDir).length > 0 || Date.now() - started > 5000) {
            request.destroy();
            resolve();
          } else setTimeout(check, 20);
        };
        check();
      });
    });
    const deadline = Date.now() + 10_000;
    while (temporaryUploads(dataDir).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(temporaryUploads(dataDir)).toEqual([]);
  });
});

describe('attachments: size and quota limits', () => {
  let t: TestApp;
  let dataDir: string;
  let alice: TestUser;

  beforeAll(async () => {
    dataDir = freshDataDir();
    t = await createTestApp({ env: { DATA_DIR: dataDir, ATTACHMENT_MAX_MB: '1', ATTACHMENT_QUOTA_MB: '2' } });
    alice = await t.createUser({ metropolis: 'nantes-metropole', displayName: 'Alice' });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 413 naming the size limit, and keeps nothing', async () => {
    const response = await uploadRequest(t, alice, { name: 'trop-gros.txt', bytes: bigText(1.5 * MB) }).expect(413);
    expect(response.body.message).toBe('Fichier trop volumineux : la taille maximale est de 1 Mo (ATTACHMENT_MAX_MB).');
    expect(temporaryUploads(dataDir)).toEqual([]);
    await upload(t, alice, { name: 'juste.txt', bytes: bigText(MB - 4096) });
  });

  it('answers 413 naming the quota once a person’s files would pass it', async () => {
    await upload(t, alice, { name: 'deux.txt', bytes: bigText(0.9 * MB) });
    const response = await uploadRequest(t, alice, { name: 'trois.txt', bytes: bigText(0.5 * MB) }).expect(413);
    expect(response.body.message).toMatch(/^Quota de documents dépassé : .* la limite est de 2 Mo par personne \(ATTACHMENT_QUOTA_MB\)/);
    expect(temporaryUploads(dataDir)).toEqual([]);
    // another person has a quota of their own
    const bruno = await t.createUser({ displayName: 'Bruno' });
    await upload(t, bruno, { name: 'autre.txt', bytes: bigText(0.5 * MB) });
  });
});
