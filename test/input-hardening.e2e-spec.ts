import { encodeCursor } from '../src/common/http/pagination';
import { closeAllClients, connect, raw } from './live/live-client';
import { createTestApp, discussionCast, type DiscussionCast, type TestApp, type TestUser } from './support/test-app';

/** Issue 12, items 1–3: bad input answered 400 (live: bad_request) naming what is wrong, never a 500. */
describe('hostile input (HTTP and live)', () => {
  let t: TestApp;
  let cast: DiscussionCast;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    cast = await discussionCast(t);
    admin = await t.createUser({ role: 'admin' });
  });
  afterEach(() => closeAllClients());
  afterAll(() => t.close());

  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
  const nestedObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

  it('answers a route that does not exist 404 in French, naming it', async () => {
    const unknown = await t.http().post('/api/nulle-part?x=1').set('Authorization', cast.alice.auth).expect(404);
    expect(unknown.body).toMatchObject({ statusCode: 404, message: 'Aucune route POST /api/nulle-part?x=1.', error: 'Not Found' });
  });

  it('answers a path it cannot percent-decode 400, and takes an id in upper case for the same id, in a path and a body', async () => {
    for (const path of ['/api/polls/%FF', '/api/threads/%', '/api/users/%C0%80']) {
      const response = await t.http().get(path).set('Authorization', cast.alice.auth).expect(400);
      expect(response.body).toEqual({ statusCode: 400, message: 'Le chemin de la requête contient un encodage % invalide.', error: 'Bad Request' });
    }
    const opened = await t
      .http()
      .post(`/api/topics/${cast.topicId.toUpperCase()}/threads`)
      .set('Authorization', cast.alice.auth)
      .send({ title: 'Majuscules', body: 'Premier' })
      .expect(201);
    const { thread, post } = opened.body as { thread: { id: string }; post: { id: string } };
    const page = await t.http().get(`/api/threads/${thread.id.toUpperCase()}`).set('Authorization', cast.bruno.auth).expect(200);
    expect(page.body.thread.id).toBe(thread.id);
    const reply = await t
      .http()
      .post(`/api/threads/${thread.id.toUpperCase()}/posts`)
      .set('Authorization', cast.bruno.auth)
      .send({ body: 'Réponse', parentId: post.id.toUpperCase() })
      .expect(201);
    expect(reply.body).toMatchObject({ threadId: thread.id, parentId: post.id });
  });

  describe('deep JSON nesting', () => {
    it.each([
      ['a thread', () => `/api/topics/${cast.topicId}/threads`, true],
      ['the sign-in, anonymous', () => '/api/auth/login', false],
    ])('refuses a body nested thousands of levels on %s with a 400 naming the body', async (_, path, signedIn) => {
      for (const body of [nested(5_000), nestedObject(5_000), `{"title":"x","body":${nested(400_000)}}`]) {
        const call = t.http().post(path()).set('Content-Type', 'application/json');
        if (signedIn) void call.set('Authorization', cast.alice.auth);
        const response = await call.send(body).expect(400);
        expect(response.body).toEqual({ statusCode: 400, message: ['body est imbriqué sur plus de 32 niveaux.'], error: 'Bad Request' });
      }
      await t.http().get('/api/health').expect(200);
    });

    it('lets 32 levels through to validation, and counts no bracket inside a string', async () => {
      const atTheLimit = await t
        .http()
        .post(`/api/topics/${cast.topicId}/threads`)
        .set('Authorization', cast.alice.auth)
        .set('Content-Type', 'application/json')
        .send(`{"title":${nested(31)}}`)
        .expect(400);
      expect(atTheLimit.body.message).toContain('title doit être une chaîne de caractères.');
      const bracketsInText = '['.repeat(100);
      const created = await t
        .http()
        .post(`/api/topics/${cast.topicId}/threads`)
        .set('Authorization', cast.alice.auth)
        .send({ title: 'Crochets', body: bracketsInText })
        .expect(201);
      expect(created.body.post.body).toBe(bracketsInText);
    });

    it('answers a live payload nested thousands of levels bad_request naming the payload, and keeps the socket', async () => {
      const socket = await connect(t.url, cast.alice.token);
      // written as a raw socket.io frame: the client library's own encoder cannot stringify such a value
      const ackId = 4242;
      const answered = new Promise<string>((resolve) => {
        socket.io.engine.on('message', (data) => {
          if (typeof data === 'string' && data.startsWith(`3/live,${ackId}`)) resolve(data);
        });
      });
      socket.io.engine.write(`2/live,${ackId}["post:create",{"threadId":"x","body":${nested(400_000)}}]`);
      const frame = await answered;
      expect(JSON.parse(frame.slice(`3/live,${ackId}`.length))).toEqual([
        { ok: false, error: { code: 'bad_request', message: 'payload est imbriqué sur plus de 32 niveaux.' } },
      ]);
      let deep: unknown = 'x';
      for (let level = 0; level < 1_000; level += 1) deep = { a: deep };
      expect(await raw(socket, 'typing', { threadId: deep })).toEqual({
        ok: false,
        error: { code: 'bad_request', message: 'payload est imbriqué sur plus de 32 niveaux.' },
      });
      expect(socket.connected).toBe(true);
    });
  });

  describe('crafted cursors', () => {
    const wrongShapes = [
      [{}, {}],
      [{}, {}, {}],
      [null, '2026-01-01T00:00:00Z', 'x'],
      ['2026', 12],
      [true, 'x', {}],
    ];

    it.each([
      ['/api/users', () => admin],
      ['/api/audit', () => admin],
      ['/api/moderation/queue', () => cast.moderator],
      ['/api/sessions', () => cast.alice],
      ['/api/practices', () => cast.alice],
      ['topic threads', () => cast.alice],
    ])('answers a cursor of valid base64 and an unexpected shape on %s with 400 « cursor n’est pas valide. »', async (route, who) => {
      const path = route === 'topic threads' ? `/api/topics/${cast.topicId}/threads` : route;
      for (const shape of wrongShapes) {
        const response = await t
          .http()
          .get(path)
          .query({ cursor: encodeCursor(shape) })
          .set('Authorization', who().auth);
        expect({ shape, status: response.status, message: response.body.message }).toEqual({
          shape,
          status: 400,
          message: ['cursor n’est pas valide.'],
        });
      }
    });
  });

  describe('NUL, unpaired surrogates, invisible text, normalisation', () => {
    it('refuses a lone surrogate in an e-mail field with a 400 naming the field, not a URIError', async () => {
      for (const email of ['x@\uD800.fr', '\uDC00@example.org']) {
        const login = await t.http().post('/api/auth/login').send({ email, password: 'x' }).expect(400);
        expect(login.body.message).toEqual(['email ne doit contenir ni caractère NUL ni substitut UTF-16 isolé.']);
        const invitation = await t.http().post('/api/invitations').set('Authorization', cast.moderator.auth).send({ email }).expect(400);
        expect(invitation.body.message).toEqual(['email ne doit contenir ni caractère NUL ni substitut UTF-16 isolé.']);
      }
    });

    it('refuses NUL and lone surrogates in every field, nested ones and query parameters named by their path', async () => {
      const title = await t
        .http()
        .post(`/api/topics/${cast.topicId}/threads`)
        .set('Authorization', cast.alice.auth)
        .send({ title: 'Un\u0000titre', body: 'Texte \uD83D' })
        .expect(400);
      expect(title.body.message).toEqual([
        'title ne doit contenir ni caractère NUL ni substitut UTF-16 isolé.',
        'body ne doit contenir ni caractère NUL ni substitut UTF-16 isolé.',
      ]);
      const agenda = await t
        .http()
        .post('/api/sessions')
        .set('Authorization', cast.moderator.auth)
        .send({ title: 'Séance', startsAt: '2030-01-01T10:00:00Z', agenda: [{ title: 'Bien' }, { title: 'Mal\u0000' }] })
        .expect(400);
      expect(agenda.body.message).toEqual(['agenda.1.title ne doit contenir ni caractère NUL ni substitut UTF-16 isolé.']);
      const search = await t.http().get('/api/search?q=%00abc').set('Authorization', cast.alice.auth).expect(400);
      expect(search.body.message).toEqual(['q ne doit contenir ni caractère NUL ni substitut UTF-16 isolé.']);
    });

    it('refuses the same over the live API, naming the field', async () => {
      const socket = await connect(t.url, cast.alice.token);
      const ack = await raw(socket, 'post:create', { threadId: cast.topicId, body: 'a\u0000b' });
      expect(ack).toEqual({
        ok: false,
        error: { code: 'bad_request', message: 'body ne doit contenir ni caractère NUL ni substitut UTF-16 isolé.' },
      });
    });

    it('treats text made only of invisible characters as blank', async () => {
      for (const invisible of ['\u200B\u200B', '\u200D\uFEFF', ' \u2060 ', '\u0301', '\u3164']) {
        const response = await t
          .http()
          .post(`/api/topics/${cast.topicId}/threads`)
          .set('Authorization', cast.alice.auth)
          .send({ title: invisible, body: 'Texte' })
          .expect(400);
        expect(response.body.message).toEqual(['title ne doit pas être vide.']);
      }
      const topic = await t.http().post('/api/topics').set('Authorization', cast.moderator.auth).send({ title: '\u200B' }).expect(400);
      expect(topic.body.message).toEqual(['title ne doit pas être vide.']);
    });

    it('stores every title NFC and trimmed, topics (created and renamed) and threads alike, and keeps Markdown indentation', async () => {
      const decomposed = '  E\u0301valuation d\u2019impact  ';
      const composed = '\u00C9valuation d\u2019impact';
      const topic = await t.http().post('/api/topics').set('Authorization', cast.moderator.auth).send({ title: decomposed }).expect(201);
      expect(topic.body.title).toBe(composed);
      const renamed = await t
        .http()
        .patch(`/api/topics/${topic.body.id}`)
        .set('Authorization', cast.moderator.auth)
        .send({ title: ' E\u0301tape 2 ' })
        .expect(200);
      expect(renamed.body.title).toBe('\u00C9tape 2');
      const thread = await t
        .http()
        .post(`/api/topics/${cast.topicId}/threads`)
        .set('Authorization', cast.alice.auth)
        .send({ title: decomposed, body: '\n    code indenté\n\n' })
        .expect(201);
      expect(thread.body.thread.title).toBe(composed);
      expect(thread.body.post.body).toBe('    code indenté');
    });
  });

  const openThread = (title: string, body: string) =>
    t.http().post(`/api/topics/${cast.topicId}/threads`).set('Authorization', cast.alice.auth).send({ title, body });

  describe('inputs too large to walk', () => {
    const manyKeys = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, index) => [String(index), 0]));

    it('refuses an object of 90,000 keys and a list of 400,000 items at once, before validation walks them', async () => {
      // class-transformer's walk of an object's keys is quadratic: this megabyte held the event loop for 18 s
      const keys = await t.http().post('/api/auth/login').send(manyKeys(90_000)).expect(400);
      expect(keys.body.message).toEqual(['body a plus de 1\u202f000 propriétés.']);
      const items = await t
        .http()
        .post(`/api/topics/${cast.topicId}/threads`)
        .set('Authorization', cast.alice.auth)
        .send({ title: 'Pièces', body: 'x', attachmentIds: new Array(400_000).fill(0) })
        .expect(400);
      expect(items.body.message).toEqual(['body contient plus de 20\u202f000 valeurs.']);
      // a form's worth passes the check and meets the rules
      const few = await t
        .http()
        .post('/api/auth/login')
        .send({ ...manyKeys(3), email: 'a@b.fr', password: 'x' })
        .expect(400);
      expect(few.body.message).toContain('La propriété 0 n’est pas autorisée.');
    });

    it('refuses the same and binary data over the live API, and keeps the socket', async () => {
      const threadId = (await openThread('Charges', 'x').expect(201)).body.thread.id as string;
      const socket = await connect(t.url, cast.alice.token);
      expect(await raw(socket, 'post:create', { threadId, body: 'x', ...manyKeys(150_000) })).toEqual({
        ok: false,
        error: { code: 'bad_request', message: 'payload a plus de 1\u202f000 propriétés.' },
      });
      expect(await raw(socket, 'post:create', { threadId, body: 'x', extra: Buffer.alloc(1_000_000) })).toEqual({
        ok: false,
        error: { code: 'bad_request', message: 'extra ne peut pas être une donnée binaire.' },
      });
      expect(await raw(socket, 'typing', Buffer.alloc(10))).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      expect(socket.connected).toBe(true);
    });
  });

  describe('bodies the JSON parser cannot read', () => {
    const login = () => t.http().post('/api/auth/login');

    it('answers an unknown charset or Content-Encoding 415 and a body its encoding does not decompress 400, in French', async () => {
      const latin1 = await login().set('Content-Type', 'application/json; charset=latin1').send('{"email":"a@b.fr"}').expect(415);
      expect(latin1.body).toEqual({
        statusCode: 415,
        message: 'Jeu de caractères non pris en charge : envoyez le corps en UTF-8.',
        error: 'Unsupported Media Type',
      });
      const zstd = await login().set('Content-Type', 'application/json').set('Content-Encoding', 'zstd').send('{}').expect(415);
      expect(zstd.body.message).toBe('Content-Encoding non pris en charge : gzip, deflate, br ou aucun.');
      const notGzip = await login().set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send('{"email":"a@b.fr"}').expect(400);
      expect(notGzip.body).toEqual({
        statusCode: 400,
        message: 'Le corps de la requête est mal compressé pour son Content-Encoding.',
        error: 'Bad Request',
      });
    });

    it('answers a body that is not JSON 415 on a route that reads one, a form included', async () => {
      const threadId = (await openThread('Formulaire', 'x').expect(201)).body.thread.id as string;
      const notJson = {
        statusCode: 415,
        message: 'Le corps de la requête doit être du JSON (Content-Type: application/json).',
        error: 'Unsupported Media Type',
      };
      const form = await t
        .http()
        .post(`/api/threads/${threadId}/posts`)
        .set('Authorization', cast.alice.auth)
        .type('form')
        .send('body=Bonjour')
        .expect(415);
      expect(form.body).toEqual(notJson);
      const tooMany = await login()
        .type('form')
        .send(Array.from({ length: 2_000 }, (_, index) => `p${index}=1`).join('&'))
        .expect(415);
      expect(tooMany.body).toEqual(notJson);
      for (const type of ['text/plain', 'application/xml']) {
        const response = await login().set('Content-Type', type).send('{"email":"a@b.fr","password":"x"}').expect(415);
        expect(response.body).toEqual(notJson);
      }
      // no body at all is still the rules' business, and a JSON one with its charset named goes through
      expect((await login().expect(400)).body.message).toContain('email doit être une adresse e-mail valide.');
      await login().set('Content-Type', 'application/json; charset=utf-8').send('{"email":"personne@exemple.fr","password":"mauvais"}').expect(401);
    });
  });

  it('takes Markdown the renderer cannot read in reasonable time or depth as text shown as typed, never a 500', async () => {
    // a line of quotes overflowed marked's recursion (a 500); unclosed link openers held the server for minutes
    for (const body of ['>'.repeat(19_000), '[a]('.repeat(5_000), `@${cast.bruno.user.handle}\n${'- '.repeat(5_000)}a`]) {
      const created = await openThread('Mise en forme', body).expect(201);
      expect(created.body.post.body).toBe(body);
      expect(created.body.post.bodyHtml).toMatch(/^<p>(?:[^<]|<br \/>)*<\/p>\n$/);
    }
    const notifications = await t.http().get('/api/notifications').set('Authorization', cast.bruno.auth).expect(200);
    expect(notifications.body.filter((notification: { kind: string }) => notification.kind === 'mention')).toEqual([]);
    await t.http().get('/api/health').expect(200);
  });

  it('answers a body of a megabyte of spaces between two letters with the length rule, at once', async () => {
    const body = `a${' '.repeat(900_000)}b`;
    const response = await openThread('Espaces', body).expect(400);
    expect(response.body.message).toEqual(['body doit compter au plus 20000 caractères.']);
    await t.http().get('/api/health').expect(200);
  });

  it('refuses null, with the field named, where a setting may only be left out (it reached a NOT NULL column: a 500)', async () => {
    for (const field of ['emailMentions', 'digest', 'emailReminders']) {
      const response = await t
        .http()
        .patch('/api/me/preferences')
        .set('Authorization', cast.alice.auth)
        .send({ [field]: null })
        .expect(400);
      expect(response.body.message).toEqual([expect.stringMatching(new RegExp(`^${field} doit être l’une des valeurs suivantes`))]);
    }
    const handle = await t.http().patch('/api/me').set('Authorization', cast.alice.auth).send({ handle: null }).expect(400);
    expect(handle.body.message).toEqual([expect.stringMatching(/^handle doit compter de/), 'handle doit être une chaîne de caractères.']);
    const preferences = await t.http().get('/api/me/preferences').set('Authorization', cast.alice.auth).expect(200);
    expect(preferences.body).toEqual({ emailMentions: 'immediate', digest: 'daily', emailReminders: 'immediate' });
  });
});
