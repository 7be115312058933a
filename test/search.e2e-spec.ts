import { foldForSearch } from '../src/common/text';
import { createTestApp, discussionCast, TestApp, TestUser } from './support/test-app';

interface Hit {
  type: 'thread' | 'post' | 'practice';
  id: string;
  title: string;
  snippet: string;
  highlights: Array<[number, number]>;
  threadId?: string;
  seq?: number;
  practiceId?: string;
  topicId?: string;
  createdAt: string;
}

describe('search and thread export (HTTP)', () => {
  let t: TestApp;
  let alice: TestUser;
  let bruno: TestUser;
  let moderator: TestUser;
  let topicId: string;

  beforeAll(async () => {
    t = await createTestApp();
    ({ alice, bruno, moderator, topicId } = await discussionCast(t, 1));
  });
  afterAll(() => t.close());

  const search = async (q: string, user: TestUser = bruno, extra = ''): Promise<Hit[]> => {
    const response = await t
      .http()
      .get(`/api/search?q=${encodeURIComponent(q)}${extra}`)
      .set('Authorization', user.auth)
      .expect(200);
    return response.body;
  };

  async function thread(title: string, body: string) {
    const { body: created } = await t
      .http()
      .post(`/api/topics/${topicId}/threads`)
      .set('Authorization', alice.auth)
      .send({ title, body })
      .expect(201);
    return created as { thread: { id: string }; post: { id: string; seq: number } };
  }

  async function reply(threadId: string, body: string, user: TestUser = bruno, parentId?: string) {
    const { body: post } = await t.http().post(`/api/threads/${threadId}/posts`).set('Authorization', user.auth).send({ body, parentId }).expect(201);
    return post as { id: string; seq: number };
  }

  /** Every highlight marks, in the snippet the reader sees, a word of the query once folded. */
  function expectHighlights(hit: Hit, words: string[]) {
    expect(hit.highlights.length).toBeGreaterThan(0);
    for (const [start, end] of hit.highlights) {
      expect(start).toBeGreaterThanOrEqual(0);
      expect(end).toBeLessThanOrEqual(hit.snippet.length);
      expect(words).toContain(foldForSearch(hit.snippet.slice(start, end)));
    }
  }

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
      title: 'Évaluation de l’utilité sociale à Zanzibar',
      snippet: 'Évaluation de l’utilité sociale à Zanzibar',
      threadId: titled.id,
      topicId,
    });
    expect(threadHit.highlights).toEqual([
      [0, 10],
      [34, 42],
    ]);
    expect(practiceHit).toMatchObject({
      title: 'Fiche Zanzibar',
      practiceId: practice.body.id,
      threadId: practice.body.threadId,
      snippet: 'Une démarche d’Évaluation partagée',
    });
    expect(postHit).toMatchObject({ title: 'Autre sujet', threadId: other.id, seq: inBody.seq, topicId });
    // plain text, Markdown markers gone
    expect(postHit.snippet).toBe('Nous avons mené une évaluation avec les partenaires de ZANZIBAR, et les Écossolies.');
    for (const hit of hits) expectHighlights(hit, ['evaluation', 'zanzibar']);
    expect(postHit.highlights.map(([start, end]) => postHit.snippet.slice(start, end))).toEqual(['évaluation', 'ZANZIBAR']);
    expect(new Date(postHit.createdAt).toISOString()).toBe(postHit.createdAt);

    const ecossolies = await search('ecossolies');
    const post = ecossolies.find((hit) => hit.id === inBody.id)!;
    expect(post.highlights.map(([start, end]) => post.snippet.slice(start, end))).toEqual(['Écossolies']);
    // the seeded practice names « Les Ecossolies » among its partners
    const seeded = ecossolies.find((hit) => hit.type === 'practice' && hit.title === 'Nantes ESS Factory')!;
    expect(seeded.snippet).toContain('Les Ecossolies');
    expectHighlights(seeded, ['ecossolies']);
    expect(ecossolies.some((hit) => hit.id === first.id || hit.id === older.id)).toBe(false);
  });

  it('ranks a phrase above scattered words, then the more recent first', async () => {
    const { thread: home } = await thread('Discussion', 'Premier');
    const phrase = await reply(home.id, 'Sur la mesure de l’utilité sociale des projets soutenus.');
    const scattered = await reply(home.id, 'La dimension sociale mais son utilité reste à voir.');
    const scatteredNewer = await reply(home.id, 'Utilité ? Une dimension sociale.');
    const hits = (await search('utilite SOCIALE')).filter((hit) => [phrase.id, scattered.id, scatteredNewer.id].includes(hit.id));
    expect(hits.map((hit) => hit.id)).toEqual([phrase.id, scatteredNewer.id, scattered.id]);
  });

  it('skips deleted and hidden posts', async () => {
    const { thread: home } = await thread('Modération', 'Premier');
    const hidden = await reply(home.id, 'Un propos fantomatique à masquer.');
    const deleted = await reply(home.id, 'Un propos fantomatique à supprimer.', bruno);
    const kept = await reply(home.id, 'Un propos fantomatique qui reste.');
    expect((await search('fantomatique')).map((hit) => hit.id).sort()).toEqual([hidden.id, deleted.id, kept.id].sort());
    await t.http().post(`/api/posts/${hidden.id}/hide`).set('Authorization', moderator.auth).expect(200);
    await t.http().delete(`/api/posts/${deleted.id}`).set('Authorization', bruno.auth).expect(200);
    // moderators included: the search never shows what a hidden post said
    for (const user of [bruno, moderator]) expect((await search('fantomatique', user)).map((hit) => hit.id)).toEqual([kept.id]);
    await t.http().post(`/api/posts/${hidden.id}/unhide`).set('Authorization', moderator.auth).expect(200);
    expect((await search('fantomatique')).map((hit) => hit.id).sort()).toEqual([hidden.id, kept.id].sort());
  });

  it('cuts a long body around the match, on word boundaries, with correct highlight offsets', async () => {
    const { thread: home } = await thread('Long message', 'Premier');
    const before = Array.from({ length: 60 }, (_, index) => `début${index}`).join(' ');
    const after = Array.from({ length: 60 }, (_, index) => `fin${index}`).join(' ');
    const long = await reply(home.id, `${before} les coopérations Région / Métropole, vraiment cœur du sujet ${after}`);
    const [hit] = (await search('COOPERATIONS metropole')).filter((each) => each.id === long.id);
    expect(hit.snippet.startsWith('… ')).toBe(true);
    expect(hit.snippet.endsWith(' …')).toBe(true);
    expect(hit.snippet.length).toBeLessThanOrEqual(170);
    const words = hit.snippet.slice(2, -2).split(' ');
    const original = `${before} les coopérations Région / Métropole, vraiment cœur du sujet ${after}`.split(' ');
    for (const word of words) expect(original).toContain(word);
    expect(hit.highlights.map(([start, end]) => hit.snippet.slice(start, end))).toEqual(['coopérations', 'Métropole']);
    // « coeur » as most people type it finds « cœur »
    const [heart] = (await search('coeur du sujet')).filter((each) => each.id === long.id);
    expect(heart.highlights.map(([start, end]) => heart.snippet.slice(start, end))).toEqual(['cœur', 'du', 'sujet']);
    const typedOut = await reply(home.id, 'Le coeur de la soeur');
    // … first, before texts where « cour » and « sour » are only parts of words (par*cour*s, res*sour*ces)
    const [sisters] = await search('cœur sœur');
    expect(sisters.id).toBe(typedOut.id);
    expect(sisters.highlights.map(([start, end]) => sisters.snippet.slice(start, end))).toEqual(['coeur', 'soeur']);
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

  it('validates the query and bounds the answer', async () => {
    const missing = await t.http().get('/api/search').set('Authorization', bruno.auth).expect(400);
    expect(missing.body.message.some((message: string) => message.startsWith('q '))).toBe(true);
    const short = await t.http().get('/api/search?q=a').set('Authorization', bruno.auth).expect(400);
    expect(short.body.message).toEqual(['q must be longer than or equal to 2 characters']);
    await t
      .http()
      .get(`/api/search?q=${'a'.repeat(201)}`)
      .set('Authorization', bruno.auth)
      .expect(400);
    const limit = await t.http().get('/api/search?q=ab&limit=51').set('Authorization', bruno.auth).expect(400);
    expect(limit.body.message).toEqual(['limit must not be greater than 50']);
    await t.http().get('/api/search?q=sujet').expect(401);
    for (let index = 0; index < 4; index++) await thread(`Limite ${index}`, 'x');
    expect(await search('limite', bruno, '&limit=3')).toHaveLength(3);
    expect(await search('limite')).toHaveLength(4);
    // LIKE wildcards in a query are plain characters
    expect(await search('%%')).toEqual([]);
    expect(await search('__')).toEqual([]);
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
