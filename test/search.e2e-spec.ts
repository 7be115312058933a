import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SearchHitShape } from '../src/common/http-views';
import { SearchReader } from '../src/search/search-reader';
import { createTestApp, discussionCast, TestApp, TestUser } from './support/test-app';

type Hit = SearchHitShape;

// On SQLite, a database file, so that searches run on the read-only connection of the worker thread (an in-memory
// database cannot be opened twice); on PostgreSQL (TEST_DATABASE_URL), a database of its own.
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

describe('search and thread export (HTTP)', () => {
  let t: TestApp;
  let alice: TestUser;
  let bruno: TestUser;
  let moderator: TestUser;
  let topicId: string;
  let directory: string;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'essor-search-'));
    t = await createTestApp(onPostgres ? {} : { sqliteFile: join(directory, 'essor.sqlite') });
    ({ alice, bruno, moderator, topicId } = await discussionCast(t, 1));
  });
  afterAll(async () => {
    await t.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const query = (q: string, user: TestUser = bruno, extra = '') =>
    t
      .http()
      .get(`/api/search?q=${encodeURIComponent(q)}${extra}`)
      .set('Authorization', user.auth);

  const search = async (q: string, user: TestUser = bruno, extra = ''): Promise<Hit[]> => (await query(q, user, extra).expect(200)).body;

  /** The ids of the hits among `ids`: each test looks only at what it wrote. */
  const found = async (q: string, ids: string[], user: TestUser = bruno, extra = '') =>
    (await search(q, user, `&limit=50${extra}`)).map((hit) => hit.id).filter((id) => ids.includes(id));

  const marked = (hit: Hit) => hit.highlights.map(([start, end]) => hit.snippet.slice(start, end));

  async function thread(title: string, body: string, user: TestUser = alice) {
    const { body: created } = await t.http().post(`/api/topics/${topicId}/threads`).set('Authorization', user.auth).send({ title, body }).expect(201);
    return created as { thread: { id: string }; post: { id: string; seq: number } };
  }

  async function reply(threadId: string, body: string, user: TestUser = bruno, parentId?: string) {
    const { body: post } = await t.http().post(`/api/threads/${threadId}/posts`).set('Authorization', user.auth).send({ body, parentId }).expect(201);
    return post as { id: string; seq: number };
  }

  it('searches through the worker thread’s read-only connection on a SQLite file', () => {
    expect(t.app.get(SearchReader).usesWorker).toBe(!onPostgres);
  });

  it('finds a thread title, a post body and a practice, accents and case aside, title hit first', async () => {
    const { thread: titled, post: first } = await thread('Évaluation de l’utilité sociale à Zanzibar', 'Ouvrons le sujet.');
    const older = await reply(titled.id, 'Rien à voir.');
    const { thread: other } = await thread('Autre sujet', 'Bonjour');
    const inBody = await reply(other.id, 'Nous avons mené une **évaluation** avec les partenaires de ZANZIBAR, et les Écossolies.');
    const practice = await t
      .http()
      .post('/api/practices')
      .set('Authorization', alice.auth)
      .send({ title: 'Fiche Zanzibar', summary: 'Une démarche d’Évaluation partagée', description: 'Détails', stage: 'idea' })
      .expect(201);

    const hits = await search('evaluation zanzibar');
    expect(hits.map((hit) => [hit.type, hit.id])).toEqual([
      ['thread', titled.id],
      ['practice', practice.body.id],
      ['post', inBody.id],
    ]);
    const [threadHit, practiceHit, postHit] = hits;
    expect(threadHit).toMatchObject({
      kind: 'thread',
      title: 'Évaluation de l’utilité sociale à Zanzibar',
      snippet: 'Évaluation de l’utilité sociale à Zanzibar',
      highlighted: '<mark>Évaluation</mark> de l&#39;utilité sociale à <mark>Zanzibar</mark>'.replace('&#39;', '’'),
      threadId: titled.id,
      topicId,
      author: { id: alice.user.id, displayName: 'Alice', metropolis: { slug: 'nantes-metropole' } },
      hidden: false,
    });
    expect(threadHit.highlights).toEqual([
      [0, 10],
      [34, 42],
    ]);
    expect(practiceHit).toMatchObject({
      kind: 'practice',
      title: 'Fiche Zanzibar',
      practiceId: practice.body.id,
      threadId: practice.body.threadId,
      snippet: 'Une démarche d’Évaluation partagée',
      highlighted: 'Une démarche d’<mark>Évaluation</mark> partagée',
    });
    expect(postHit).toMatchObject({
      kind: 'post',
      title: 'Autre sujet',
      threadId: other.id,
      postId: inBody.id,
      seq: inBody.seq,
      topicId,
      author: { id: bruno.user.id, displayName: 'Bruno', metropolis: { slug: 'metropole-de-lyon' } },
    });
    // plain text, Markdown markers gone
    expect(postHit.snippet).toBe('Nous avons mené une évaluation avec les partenaires de ZANZIBAR, et les Écossolies.');
    expect(marked(postHit)).toEqual(['évaluation', 'ZANZIBAR']);
    expect(new Date(postHit.createdAt).toISOString()).toBe(postHit.createdAt);

    const ecossolies = await search('ecossolies');
    const post = ecossolies.find((hit) => hit.id === inBody.id)!;
    expect(marked(post)).toEqual(['Écossolies']);
    // the seeded practice names « Les Ecossolies » among its partners
    const seeded = ecossolies.find((hit) => hit.type === 'practice' && hit.title === 'Nantes ESS Factory')!;
    expect(seeded.snippet).toContain('Les Ecossolies');
    expect(marked(seeded)).toEqual(['Ecossolies']);
    expect(seeded.author).toBeNull();
    expect(ecossolies.some((hit) => hit.id === first.id || hit.id === older.id)).toBe(false);
  });

  it('escapes everything in the highlighted snippet but its <mark> tags', async () => {
    const { thread: home } = await thread('Échappement', 'Premier');
    const post = await reply(home.id, 'Un <script>alert("x")</script> & l’hippocampe qu\'on cite');
    const [hit] = await search('hippocampe');
    expect(hit.id).toBe(post.id);
    expect(hit.highlighted).toBe('Un &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; l’<mark>hippocampe</mark> qu&#39;on cite');
  });

  it('handles French: accents, case, plural and singular, elision, ligatures, hyphens, phrases and exclusions', async () => {
    const { thread: home } = await thread('Cas du français', 'Premier');
    const posts = {
      evaluation: await reply(home.id, 'Une Évaluation menée en 2024.'),
      evaluations: await reply(home.id, 'Trois evaluations conduites.'),
      cooperative: await reply(home.id, 'La coopérative du quartier.'),
      cooperatives: await reply(home.id, 'Des coopératives partout.'),
      utilite: await reply(home.id, 'Mesurer l’utilité du projet.'),
      dEvaluation: await reply(home.id, "Une grille d'évaluation partagée."),
      dEvaluationCurly: await reply(home.id, 'Un référentiel d’évaluation commun.'),
      heart: await reply(home.id, 'Au cœur du dispositif.'),
      heartTyped: await reply(home.id, 'Au coeur des débats.'),
      hyphen: await reply(home.id, 'Nos tiers-lieux ruraux.'),
      spaced: await reply(home.id, 'Des tiers lieux urbains.'),
      singular: await reply(home.id, 'Un tiers-lieu en centre-bourg.'),
      phrase: await reply(home.id, 'Mesurer l’utilité sociale des actions.'),
      scattered: await reply(home.id, 'Sociale, disent-ils ; quant à l’utilité, on verra.'),
    };
    const ids = Object.values(posts).map((post) => post.id);
    const expectFinds = async (q: string, expected: Array<{ id: string }>) =>
      expect((await found(q, ids)).sort()).toEqual(expected.map((post) => post.id).sort());

    // accents and case, both ways
    await expectFinds('evaluation', [posts.evaluation, posts.evaluations, posts.dEvaluation, posts.dEvaluationCurly]);
    await expectFinds('ÉVALUATION', [posts.evaluation, posts.evaluations, posts.dEvaluation, posts.dEvaluationCurly]);
    // plural and singular, both ways
    await expectFinds('évaluations', [posts.evaluation, posts.evaluations, posts.dEvaluation, posts.dEvaluationCurly]);
    await expectFinds('coopératives', [posts.cooperative, posts.cooperatives]);
    await expectFinds('cooperative', [posts.cooperative, posts.cooperatives]);
    // elision, with either apostrophe in the query and in the text
    await expectFinds("l'utilité", [posts.utilite, posts.phrase, posts.scattered]);
    await expectFinds('d’évaluation', [posts.evaluation, posts.evaluations, posts.dEvaluation, posts.dEvaluationCurly]);
    // ligatures, both ways
    await expectFinds('coeur', [posts.heart, posts.heartTyped]);
    await expectFinds('cœur', [posts.heart, posts.heartTyped]);
    // hyphens: with or without, either way
    await expectFinds('tiers-lieux', [posts.hyphen, posts.spaced, posts.singular]);
    await expectFinds('tiers lieux', [posts.hyphen, posts.spaced, posts.singular]);
    // and the plurals in -x that Snowball leaves apart from their singular, both ways
    await expectFinds('tiers-lieu', [posts.hyphen, posts.spaced, posts.singular]);
    await expectFinds('"tiers lieu"', [posts.hyphen, posts.spaced, posts.singular]);
    // a phrase, in straight or French quotes, against the same words apart
    await expectFinds('utilité sociale', [posts.phrase, posts.scattered]);
    await expectFinds('"utilité sociale"', [posts.phrase]);
    await expectFinds('« utilite sociale »', [posts.phrase]);
    // an exclusion, of a word or a phrase
    await expectFinds('coopérative -quartier', [posts.cooperatives]);
    await expectFinds('utilité -"utilité sociale"', [posts.utilite, posts.scattered]);
    await expectFinds('evaluation -grille -referentiel', [posts.evaluation, posts.evaluations]);
    // « or » is a word (gold, yet), never an operator: every word must be found, on either engine
    await expectFinds('coopérative or quartier', []);
    await expectFinds('coopérative OR évaluation', []);

    const [hit] = (await search('cooperatives')).filter((each) => each.id === posts.cooperative.id);
    expect(marked(hit)).toEqual(['coopérative']);
    const [elided] = (await search('evaluations')).filter((each) => each.id === posts.dEvaluationCurly.id);
    expect(marked(elided)).toEqual(['évaluation']);
  });

  it('never finds deleted posts; hidden ones only for moderators, marked', async () => {
    const { thread: home } = await thread('Modération', 'Premier');
    const hidden = await reply(home.id, 'Un propos fantomatique à masquer.');
    const deleted = await reply(home.id, 'Un propos fantomatique à supprimer.', bruno);
    const kept = await reply(home.id, 'Un propos fantomatique qui reste.');
    const all = [hidden.id, deleted.id, kept.id];
    expect((await found('fantomatique', all)).sort()).toEqual([...all].sort());
    await t.http().post(`/api/posts/${hidden.id}/hide`).set('Authorization', moderator.auth).expect(200);
    await t.http().delete(`/api/posts/${deleted.id}`).set('Authorization', bruno.auth).expect(200);
    expect(await found('fantomatique', all)).toEqual([kept.id]);
    // its own author does not find it either: search shows no hidden body to anyone but moderators
    expect(await found('fantomatique', all, alice)).toEqual([kept.id]);
    const forModerators = await search('fantomatique', moderator);
    expect(forModerators.map((hit) => hit.id).sort()).toEqual([hidden.id, kept.id].sort());
    expect(forModerators.find((hit) => hit.id === hidden.id)).toMatchObject({ hidden: true, snippet: 'Un propos fantomatique à masquer.' });
    expect(forModerators.find((hit) => hit.id === kept.id)!.hidden).toBe(false);
    await t.http().post(`/api/posts/${hidden.id}/unhide`).set('Authorization', moderator.auth).expect(200);
    expect((await found('fantomatique', all)).sort()).toEqual([hidden.id, kept.id].sort());
  });

  it('keeps the index in step with edits, renamed threads and agenda items, and practices', async () => {
    const { thread: home, post } = await thread('Ornithologie urbaine', 'Le martinet noir niche ici.');
    expect(await found('martinets', [post.id])).toEqual([post.id]);
    await t.http().patch(`/api/posts/${post.id}`).set('Authorization', alice.auth).send({ body: 'Le héron cendré pêche ici.' }).expect(200);
    expect(await found('martinet', [post.id])).toEqual([]);
    expect(await found('hérons', [post.id])).toEqual([post.id]);

    await t.http().patch(`/api/threads/${home.id}`).set('Authorization', moderator.auth).send({ title: 'Entomologie urbaine' }).expect(200);
    expect(await found('ornithologie', [home.id])).toEqual([]);
    expect(await found('entomologie', [home.id])).toEqual([home.id]);

    const { body: session } = await t
      .http()
      .post('/api/sessions')
      .set('Authorization', moderator.auth)
      .send({
        title: 'Séance',
        description: '',
        startsAt: '2030-01-10T09:00:00Z',
        agenda: [{ title: 'Tour de table' }, { title: 'Cartographie des acteurs' }],
      })
      .expect(201);
    const [table, map] = session.agenda as Array<{ id: string; threadId: string }>;
    const [item] = await search('cartographies');
    expect(item).toMatchObject({ kind: 'thread', id: map.threadId, sessionId: session.id, title: 'Cartographie des acteurs' });
    await t
      .http()
      .patch(`/api/sessions/${session.id}`)
      .set('Authorization', moderator.auth)
      .send({ agenda: [{ id: table.id, title: 'Tour de table' }, { title: 'Bilan' }] })
      .expect(200);
    expect(await found('cartographie', [map.threadId])).toEqual([]);

    const { body: practice } = await t
      .http()
      .post('/api/practices')
      .set('Authorization', bruno.auth)
      .send({ title: 'Ressourcerie', summary: 'Réemploi', description: 'Atelier', partners: ['Emmaüs'], stage: 'idea' })
      .expect(201);
    expect(await found('emmaus', [practice.id])).toEqual([practice.id]);
    await t
      .http()
      .patch(`/api/practices/${practice.id}`)
      .set('Authorization', bruno.auth)
      .send({ partners: ['Envie'] })
      .expect(200);
    expect(await found('emmaus', [practice.id])).toEqual([]);
    expect(await found('envie', [practice.id])).toEqual([practice.id]);
    // the practice stands for its discussion thread: one hit, not two
    expect((await search('ressourcerie')).map((hit) => hit.kind)).toEqual(['practice']);
  });

  it('filters by kind, topic, metropolis, author and dates', async () => {
    const { thread: home, post: first } = await thread('Filtres de pelouse', 'La pelouse de Nantes.', alice);
    const second = await reply(home.id, 'La pelouse de Lyon.', bruno);
    const ids = [home.id, first.id, second.id];
    expect((await found('pelouse', ids)).sort()).toEqual([...ids].sort());
    expect((await found('pelouse', ids, bruno, '&kind=thread')).sort()).toEqual([home.id]);
    expect((await found('pelouse', ids, bruno, '&kind=post')).sort()).toEqual([first.id, second.id].sort());
    expect((await found('pelouse', ids, bruno, '&metropolis=metropole-de-lyon')).sort()).toEqual([second.id]);
    expect((await found('pelouse', ids, bruno, `&author=${alice.user.id}`)).sort()).toEqual([home.id, first.id].sort());
    const topics = (await t.http().get('/api/topics').set('Authorization', bruno.auth).expect(200)).body as Array<{ id: string; slug: string }>;
    const otherTopic = topics.find((topic) => topic.id !== topicId)!;
    expect((await found('pelouse', ids, bruno, `&topic=${topicId}`)).sort()).toEqual([...ids].sort());
    expect(await found('pelouse', ids, bruno, `&topic=${otherTopic.slug}`)).toEqual([]);
    // a practice by its themes: the seeded one is about « Accompagnement des projets »
    const seeded = (topic: string) => search('nantes', bruno, `&kind=practice&topic=${topic}`);
    expect((await seeded('accompagnement-des-projets')).map((hit) => hit.title)).toEqual(['Nantes ESS Factory']);
    expect(await seeded('evaluation-de-l-utilite-sociale')).toEqual([]);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(await found('pelouse', ids, bruno, `&from=${encodeURIComponent(future)}`)).toEqual([]);
    expect((await found('pelouse', ids, bruno, `&to=${encodeURIComponent(future)}&from=2020-01-01`)).sort()).toEqual([...ids].sort());

    await query('pelouse', bruno, '&topic=inconnu').expect(404);
    for (const from of ['2020-02-30', '+275760-09-14T00:00:00Z', '99999-01-01'])
      await query('pelouse', bruno, `&from=${encodeURIComponent(from)}`).expect(400);
    await query('pelouse', bruno, '&metropolis=atlantide').expect(404);
    const invalid = await query('pelouse', bruno, '&kind=comment&author=x&from=hier').expect(400);
    expect(invalid.body.message).toEqual(
      expect.arrayContaining([
        'kind doit être l’une des valeurs suivantes : thread, post, practice.',
        'author doit être un UUID.',
        'from doit être une date ou une heure ISO 8601.',
      ]),
    );
  });

  it('pages by cursor with a Link header, every match ranked, nothing lost or repeated', async () => {
    const { thread: home } = await thread('Pagination', 'Premier');
    const made: string[] = [];
    for (let index = 0; index < 7; index++)
      made.push((await reply(home.id, `Le kinkajou numéro ${index}${' et son kinkajou'.repeat(index % 3)}.`)).id);
    const whole = (await search('kinkajou', bruno, '&limit=50')).map((hit) => hit.id);
    expect([...whole].sort()).toEqual([...made].sort());
    const paged: string[] = [];
    let next: string | undefined = `/api/search?q=kinkajou&limit=3`;
    let pages = 0;
    while (next) {
      const response = await t.http().get(next).set('Authorization', bruno.auth).expect(200);
      paged.push(...(response.body as Hit[]).map((hit) => hit.id));
      const link = response.headers.link as string | undefined;
      next = link ? new URL(/^<([^>]+)>; rel="next"$/.exec(link)![1]).pathname + new URL(/^<([^>]+)>/.exec(link)![1]).search : undefined;
      pages++;
    }
    expect(pages).toBe(3);
    expect(paged).toEqual(whole);
    await query('kinkajou', bruno, '&cursor=nope').expect(400);
    const forged = Buffer.from(JSON.stringify(['1', 'x', null])).toString('base64url');
    expect((await query('kinkajou', bruno, `&cursor=${forged}`).expect(400)).body.message).toEqual(['cursor n’est pas valide.']);
  });

  it('pages from the title hits on to the others, the titles first, nothing lost or repeated', async () => {
    const titles: string[] = [];
    for (let index = 0; index < 3; index++) titles.push((await thread(`Le tamanoir ${index}`, `Ouverture ${index}`)).thread.id);
    const { thread: home } = await thread('Sans titre cherché', 'Premier');
    const posts: string[] = [];
    for (let index = 0; index < 4; index++) posts.push((await reply(home.id, `Un tamanoir de plus, le ${index}.`)).id);
    const whole = (await search('tamanoir', bruno, '&limit=50')).map((hit) => hit.id);
    expect([...whole.slice(0, 3)].sort()).toEqual([...titles].sort());
    expect([...whole.slice(3)].sort()).toEqual([...posts].sort());
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const response = await query('tamanoir', bruno, `&limit=2${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      paged.push(...(response.body as Hit[]).map((hit) => hit.id));
      const link = response.headers.link as string | undefined;
      cursor = link ? new URL(/^<([^>]+)>/.exec(link)![1]).searchParams.get('cursor')! : undefined;
    } while (cursor);
    expect(paged).toEqual(whole);
  });

  it('ranks a title hit first, then by the engine’s score, then the most recent, page after page', async () => {
    const { thread: titled } = await thread('Le quokka', 'Ouverture');
    const { thread: home } = await thread('Sans titre cherché', 'Premier');
    const older = await reply(home.id, 'Un quokka passe.');
    const many = await reply(home.id, 'Un quokka, un autre quokka, encore un quokka passe.');
    const newer = await reply(home.id, 'Un quokka passe.');
    const whole = (await search('quokka', bruno, '&limit=50')).map((hit) => hit.id);
    expect(whole).toEqual([titled.id, many.id, newer.id, older.id]);
    for (const limit of [1, 3]) {
      const paged: string[] = [];
      let cursor: string | undefined;
      do {
        const response = await query('quokka', bruno, `&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
        paged.push(...(response.body as Hit[]).map((hit) => hit.id));
        const link = response.headers.link as string | undefined;
        cursor = link ? new URL(/^<([^>]+)>/.exec(link)![1]).searchParams.get('cursor')! : undefined;
      } while (cursor);
      expect(paged).toEqual(whole);
    }
  });

  it('answers an empty list for stop words or one letter, and 400 or results, never 500, for hostile queries', async () => {
    for (const q of ['a', 'de la', 'le', "l'", '-', '--', '""', '« »', '%%', '__', '   '.trim() || 'x']) expect(await search(q)).toEqual([]);
    const hostile = [
      '"unbalanced quote',
      '« guillemet ouvert',
      'AND OR NOT',
      'NEAR(a b) * ^ :',
      '{titleStems} : x',
      'titleStems:x',
      "'; DROP TABLE posts; --",
      '(((((',
      '\\ \\\\ \u0000',
      '-"',
      'évaluation -',
      '😀 👍🏽',
      'ǅ İstanbul ß',
      'x'.repeat(200),
      Array.from({ length: 100 }, (_, index) => `mot${index}`)
        .join(' ')
        .slice(0, 200),
    ];
    for (const q of hostile) {
      const response = await query(q);
      expect([200, 400]).toContain(response.status);
      if (response.status === 200) expect(Array.isArray(response.body)).toBe(true);
    }
    const missing = await t.http().get('/api/search').set('Authorization', bruno.auth).expect(400);
    expect(missing.body.message.some((message: string) => message.startsWith('q '))).toBe(true);
    const long = await query('é'.repeat(201)).expect(400);
    expect(long.body.message).toEqual(['q doit compter au plus 200 caractères.']);
    // 20,000 characters, even percent-encoded three-byte ones, reach the validation: a 400 that names the field
    for (const letter of ['x', 'é', '€']) {
      const huge = await query(letter.repeat(20_000)).expect(400);
      expect(huge.body.message).toEqual(['q doit compter au plus 200 caractères.']);
    }
    const limit = await query('ab', bruno, '&limit=51').expect(400);
    expect(limit.body.message).toEqual(['limit doit être inférieur ou égal à 50.']);
    await t.http().get('/api/search?q=sujet').expect(401);
    for (let index = 0; index < 4; index++) await thread(`Limite ${index}`, 'x');
    expect(await search('limite', bruno, '&limit=3')).toHaveLength(3);
    expect(await search('limite')).toHaveLength(4);
  });

  it('tells a hit in a practice’s discussion which practice it belongs to', async () => {
    const practice = await t
      .http()
      .post('/api/practices')
      .set('Authorization', alice.auth)
      .send({ title: 'Fiche Q', summary: 'S', description: 'D', stage: 'idea' })
      .expect(201);
    const post = await reply(practice.body.threadId, 'Question quadrilatère sur la fiche');
    const [hit] = await search('quadrilatere');
    expect(hit).toMatchObject({ type: 'post', id: post.id, threadId: practice.body.threadId, practiceId: practice.body.id, title: 'Fiche Q' });
    expect(hit.topicId).toBeUndefined();
  });

  /** Undoes the migrations from the last one back to `name`, included; runMigrations runs them all again. */
  const undoMigrationsThrough = async (name: string) => {
    let undone: string | undefined;
    while (undone !== name) {
      const [last] = await t.dataSource.query<Array<{ name: string }>>('SELECT "name" FROM "migrations" ORDER BY "id" DESC LIMIT 1');
      await t.dataSource.undoLastMigration({ transaction: 'all' });
      undone = last.name;
    }
  };

  it('builds the index of existing data when its migration runs', async () => {
    const { post } = await thread('Avant la migration', 'Le palimpseste retrouvé.');
    // the migrations after it are undone first, then all run again
    await undoMigrationsThrough('SearchIndex1764730000000');
    await t.dataSource.runMigrations({ transaction: 'all' });
    expect(await found('palimpsestes', [post.id])).toEqual([post.id]);
  });

  it('indexes again, when its migration runs, what holds a plural in -x its singular did not find before', async () => {
    const { post } = await thread('Avant la règle des pluriels en -x', 'Les enjeux de nos tiers-lieux.');
    await undoMigrationsThrough('SearchXPlurals1764820000000');
    // the post's row as the index wrote it before the rule: the plurals stemmed apart
    await t.dataSource.query(
      onPostgres
        ? `UPDATE "search_documents" SET "vector" = setweight(to_tsvector('french', unaccent('Les enjeux de nos tiers-lieux.')), 'B') WHERE "sourceId" = $1`
        : `UPDATE "search_documents" SET "bodyStems" = 'enjeux tier lieux' WHERE "sourceId" = ?`,
      [post.id],
    );
    expect(await found('enjeu tiers-lieu', [post.id])).toEqual([]);
    await t.dataSource.runMigrations({ transaction: 'all' });
    expect(await found('enjeu tiers-lieu', [post.id])).toEqual([post.id]);
    expect(await found('enjeux', [post.id])).toEqual([post.id]);
  });

  (onPostgres ? it : it.skip)('keeps no pending list in the GIN indexes of PostgreSQL (each search would read it all)', async () => {
    const rows = await t.dataSource.query<Array<{ relname: string; reloptions: string[] | null }>>(
      `SELECT relname, reloptions FROM pg_class WHERE relname IN ('IDX_search_documents_vector', 'IDX_search_documents_title_vector') ORDER BY relname`,
    );
    expect(rows).toEqual([
      { relname: 'IDX_search_documents_title_vector', reloptions: ['fastupdate=off'] },
      { relname: 'IDX_search_documents_vector', reloptions: ['fastupdate=off'] },
    ]);
  });

  it('exports a thread as Markdown with replies indented under their parents', async () => {
    const { thread: home, post: root } = await thread('Retour sur la séance', 'Le **premier** message.\n\nSecond paragraphe.');
    const answer = await reply(home.id, 'Une réponse de Lyon.', bruno, root.id);
    const nested = await reply(home.id, 'Réponse à la réponse.', alice, answer.id);
    const hidden = await reply(home.id, 'Propos masqué.', bruno, root.id);
    const deleted = await reply(home.id, 'Propos supprimé.', bruno);
    await t.http().post(`/api/posts/${hidden.id}/hide`).set('Authorization', moderator.auth).expect(200);
    await t.http().delete(`/api/posts/${deleted.id}`).set('Authorization', bruno.auth).expect(200);

    const response = await t.http().get(`/api/threads/${home.id}/export`).set('Authorization', moderator.auth).expect(200);
    expect(response.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="discussion-retour-sur-la-seance.md"');
    const markdown: string = response.text;
    const lines = markdown.split('\n');
    expect(lines[0]).toBe('# Retour sur la séance');
    expect(lines).toContain("- Thème : Évaluation de l'utilité sociale");
    expect(lines.some((line) => /^- 5 messages · exporté le /.test(line))).toBe(true);

    const at = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
    const rootLine = at(/^- \*\*Alice \(Nantes Métropole\)\*\* — .* · n° 1$/);
    const answerLine = at(/^ {2}- \*\*Bruno \(Métropole de Lyon\)\*\* — .* · n° 2, en réponse au n° 1$/);
    const nestedLine = at(/^ {4}- \*\*Alice \(Nantes Métropole\)\*\* — .* · n° 3, en réponse au n° 2$/);
    const hiddenLine = at(/^ {2}- \*\*Bruno \(Métropole de Lyon\)\*\* — .* · n° 4, en réponse au n° 1$/);
    const deletedLine = at(/^- \*\*Bruno \(Métropole de Lyon\)\*\* — .* · n° 5$/);
    expect([rootLine, answerLine, nestedLine, hiddenLine, deletedLine].every((index) => index > 0)).toBe(true);
    expect(rootLine).toBeLessThan(answerLine);
    expect(answerLine).toBeLessThan(nestedLine);
    expect(nestedLine).toBeLessThan(hiddenLine);
    expect(hiddenLine).toBeLessThan(deletedLine);
    expect(lines.slice(rootLine, answerLine)).toEqual(expect.arrayContaining(['  Le **premier** message.', '', '  Second paragraphe.']));
    expect(lines).toContain('    Une réponse de Lyon.');
    expect(lines).toContain('      Réponse à la réponse.');
    expect(lines[hiddenLine + 2]).toBe('    _[Message masqué par la modération]_');
    expect(lines[deletedLine + 2]).toBe('  _[Message supprimé par son auteur ou la modération]_');
    expect(markdown).not.toContain('Propos masqué');
    expect(markdown).not.toContain('Propos supprimé');
    // the time is written for Paris
    expect(lines[rootLine]).toMatch(/— \d{1,2} \S+ \d{4} à \d{2}:\d{2} ·/);
    void nested;

    await t.http().get('/api/threads/00000000-0000-4000-8000-000000000000/export').set('Authorization', bruno.auth).expect(404);
    await t.http().get('/api/threads/pas-un-id/export').set('Authorization', bruno.auth).expect(400);
    await t.http().get(`/api/threads/${home.id}/export`).expect(401);
  });

  it('exports a practice’s discussion with the practice named', async () => {
    const practice = await t
      .http()
      .post('/api/practices')
      .set('Authorization', bruno.auth)
      .send({ title: 'Fiche exportée', summary: 'S', description: 'D', stage: 'idea' })
      .expect(201);
    const response = await t.http().get(`/api/threads/${practice.body.threadId}/export`).set('Authorization', alice.auth).expect(200);
    expect(response.text.split('\n')).toEqual(
      expect.arrayContaining(['# Fiche exportée', '- Fiche pratique : Fiche exportée (Métropole de Lyon)', '_Aucun message._']),
    );
  });
});
