import { AuditEntry } from '../src/audit/audit-entry.entity';
import { Practice } from '../src/practices/entities/practice.entity';
import { LEVER_LABELS, LEVERS } from '../src/practices/levers';
import { createTestApp, TestApp, TestUser } from './support/test-app';

interface PracticeBody {
  id: string;
  title: string;
  summary: string;
  metropolis: { id: string; slug: string; name: string };
  topics: Array<{ id: string; slug: string; title: string }>;
  levers: string[];
  partners: string[];
  stage: string;
  links: string[];
  contact: string | null;
  threadId: string;
  author: { id: string; displayName: string } | null;
  createdAt: string;
  updatedAt: string;
}

/** RFC 4180, as a spreadsheet reads it: quoted fields may hold the separator, doubled quotes and line breaks. */
function parseCsv(text: string, separator = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === separator) {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      index++;
    } else field += char;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

describe('practice sheets (HTTP)', () => {
  let t: TestApp;
  let lyonAuthor: TestUser;
  let lyonColleague: TestUser;
  let lille: TestUser;
  let nomad: TestUser;
  let moderator: TestUser;
  let topics: Array<{ id: string; slug: string; title: string }>;
  let seeded: PracticeBody;

  const get = (path: string, user: TestUser = lyonAuthor) => t.http().get(path).set('Authorization', user.auth);
  const ids = (body: PracticeBody[]) => body.map((practice) => practice.id);

  async function create(user: TestUser, fields: Record<string, unknown>): Promise<PracticeBody> {
    const response = await t
      .http()
      .post('/api/practices')
      .set('Authorization', user.auth)
      .send({ title: 'Fiche', summary: 'Résumé', description: 'Description', stage: 'idea', ...fields });
    expect(response.status).toBe(201);
    return response.body;
  }

  beforeAll(async () => {
    t = await createTestApp();
    lyonAuthor = await t.createUser({ metropolis: 'metropole-de-lyon', displayName: 'Léa Lyon' });
    lyonColleague = await t.createUser({ metropolis: 'metropole-de-lyon', displayName: 'Luc Lyon' });
    lille = await t.createUser({ metropolis: 'metropole-europeenne-de-lille', displayName: 'Lina Lille' });
    nomad = await t.createUser({ displayName: 'Sans Métropole' });
    moderator = await t.createUser({ role: 'moderator', displayName: 'Modé' });
    topics = (await get('/api/topics').expect(200)).body;
    const all = await get('/api/practices').expect(200);
    seeded = all.body.find((practice: PracticeBody) => practice.title === 'Nantes ESS Factory');
  });
  afterAll(() => t.close());

  it('shows the seeded Nantes ESS Factory as a full Practice', async () => {
    const nantes = await t.metropolis('nantes-metropole');
    const { body } = await get(`/api/practices/${seeded.id}`).expect(200);
    expect(body).toMatchObject({
      title: 'Nantes ESS Factory',
      metropolis: { id: nantes.id, slug: 'nantes-metropole', name: 'Nantes Métropole' },
      topics: [{ slug: 'accompagnement-des-projets', title: 'Accompagnement des projets' }],
      levers: ['ecosystem-support', 'direct-support', 'social-rnd'],
      leverLabels: [LEVER_LABELS['ecosystem-support'], LEVER_LABELS['direct-support'], LEVER_LABELS['social-rnd']],
      partners: ['Nantes Métropole', 'Fondes', 'Crédit Municipal de Nantes', 'Les Ecossolies', "Caisse d'Épargne Bretagne Pays de Loire", 'ADEME'],
      stage: 'running',
      links: [],
      contact: null,
      author: null,
    });
    const thread = await get(`/api/threads/${body.threadId}`).expect(200);
    expect(thread.body.thread).toMatchObject({ title: 'Nantes ESS Factory', context: 'practice', topicId: null });
    await get('/api/practices/00000000-0000-4000-8000-000000000000').expect(404);
    await get('/api/practices/pas-un-id').expect(400);
    await t.http().get('/api/practices').expect(401);
  });

  it('finds the seeded practice by lever, by metropolis slug or id, and by a word without its accent', async () => {
    const nantes = await t.metropolis('nantes-metropole');
    for (const query of [
      'lever=ecosystem-support',
      'metropolis=nantes-metropole',
      `metropolis=${nantes.id}`,
      'q=ecossolies',
      'q=CAISSE%20d%27epargne',
      'q=Crédit%20municipal',
    ]) {
      const { body } = await get(`/api/practices?${query}`).expect(200);
      expect(ids(body)).toContain(seeded.id);
    }
    for (const query of ['lever=land-and-third-places', 'metropolis=metropole-de-lyon', 'q=ecossolies%20introuvable', 'stage=idea']) {
      const { body } = await get(`/api/practices?${query}`).expect(200);
      expect(ids(body)).not.toContain(seeded.id);
    }
  });

  it('creates a practice for the author’s metropolis, with its discussion thread', async () => {
    const evaluation = topics.find((topic) => topic.slug === 'evaluation-de-l-utilite-sociale')!;
    const created = await create(lyonAuthor, {
      title: '  Tiers-lieu de l’Économie solidaire  ',
      summary: 'Un lieu partagé',
      description: '## Contexte\n\nUn tiers-lieu **ouvert**.',
      topicIds: [evaluation.id],
      levers: ['social-rnd', 'land-and-third-places'],
      partners: [' La Ruche ', 'Ville de Lyon'],
      stage: 'pilot',
      links: ['https://example.org/tiers-lieu'],
      contact: 'lea@example.org',
    });
    expect(created).toMatchObject({
      title: 'Tiers-lieu de l’Économie solidaire',
      metropolis: { slug: 'metropole-de-lyon' },
      topics: [{ id: evaluation.id, slug: evaluation.slug, title: evaluation.title }],
      // in the order of the six levers, not the order sent
      levers: ['land-and-third-places', 'social-rnd'],
      partners: ['La Ruche', 'Ville de Lyon'],
      stage: 'pilot',
      stageLabel: 'Expérimentation',
      links: ['https://example.org/tiers-lieu'],
      contact: 'lea@example.org',
      author: { id: lyonAuthor.user.id, displayName: 'Léa Lyon', metropolis: { slug: 'metropole-de-lyon' } },
      postCount: 0,
    });
    expect(created.createdAt).toBe(created.updatedAt);
    const thread = await get(`/api/threads/${created.threadId}`).expect(200);
    expect(thread.body.thread).toMatchObject({
      title: 'Tiers-lieu de l’Économie solidaire',
      context: 'practice',
      topicId: null,
      author: { id: lyonAuthor.user.id },
    });
    await t.http().post(`/api/threads/${created.threadId}/posts`).set('Authorization', lille.auth).send({ body: 'Bravo !' }).expect(201);
    expect((await get(`/api/practices/${created.id}`).expect(200)).body.postCount).toBe(1);
  });

  it('names each offending field of a bad practice', async () => {
    const bad = await t
      .http()
      .post('/api/practices')
      .set('Authorization', lyonAuthor.auth)
      .send({
        title: '   ',
        summary: 'x'.repeat(1001),
        description: 'ok',
        stage: 'finished',
        levers: ['ecosystem-support', 'flying'],
        links: ['javascript:alert(1)'],
        partners: ['ok', ''],
        topicIds: ['not-a-uuid'],
        extra: true,
      })
      .expect(400);
    const messages: string[] = bad.body.message;
    for (const expected of [
      'title ne doit pas être vide.',
      'summary doit compter au plus 1000 caractères.',
      'stage doit être l’une des valeurs suivantes : idea, pilot, running, scaled.',
      'Chaque valeur de levers doit être l’une des valeurs suivantes',
      'Chaque valeur de links doit être une adresse web en http ou https.',
      'Chaque valeur de partners doit compter au moins 1 caractère.',
      'Chaque valeur de topicIds doit être un UUID.',
      'La propriété extra n’est pas autorisée.',
    ]) {
      expect(messages.some((message) => message.includes(expected))).toBe(true);
    }
    const twice = await t
      .http()
      .post('/api/practices')
      .set('Authorization', lyonAuthor.auth)
      .send({
        title: 'T',
        summary: 'S',
        description: 'D',
        stage: 'idea',
        levers: ['social-rnd', 'social-rnd'],
        links: ['ftp://example.org/x', 'data:text/html,hi'],
      })
      .expect(400);
    expect(twice.body.message).toEqual(
      expect.arrayContaining([
        'levers ne doit pas citer deux fois le même levier.',
        'Chaque valeur de links doit être une adresse web en http ou https.',
      ]),
    );
    const missing = await t.http().post('/api/practices').set('Authorization', lyonAuthor.auth).send({}).expect(400);
    for (const field of ['title', 'summary', 'description', 'stage']) {
      expect(missing.body.message.some((message: string) => message.startsWith(field))).toBe(true);
    }
    const unknownTopic = await t
      .http()
      .post('/api/practices')
      .set('Authorization', lyonAuthor.auth)
      .send({ title: 'T', summary: 'S', description: 'D', stage: 'idea', topicIds: ['00000000-0000-4000-8000-000000000000'] });
    expect(unknownTopic.status).toBe(404);
  });

  it('lets only moderators choose the metropolis, and needs one', async () => {
    const nantes = await t.metropolis('nantes-metropole');
    const refused = await t
      .http()
      .post('/api/practices')
      .set('Authorization', lyonAuthor.auth)
      .send({ title: 'T', summary: 'S', description: 'D', stage: 'idea', metropolisId: nantes.id })
      .expect(403);
    expect(refused.body.message).toMatch(/^Seuls les modérateurs choisissent la métropole/);
    const homeless = await t
      .http()
      .post('/api/practices')
      .set('Authorization', nomad.auth)
      .send({ title: 'T', summary: 'S', description: 'D', stage: 'idea' })
      .expect(400);
    expect(homeless.body.message).toEqual([
      'Une pratique appartient à une métropole et votre compte à aucune : demandez à un modérateur de la publier pour votre métropole.',
    ]);
    const moderatorWithout = await t
      .http()
      .post('/api/practices')
      .set('Authorization', moderator.auth)
      .send({ title: 'T', summary: 'S', description: 'D', stage: 'idea' })
      .expect(400);
    expect(moderatorWithout.body.message[0]).toMatch(/^metropolisId est obligatoire/);
    const forNantes = await create(moderator, { title: 'Pour Nantes', metropolisId: nantes.id });
    expect(forNantes.metropolis.slug).toBe('nantes-metropole');
    await t
      .http()
      .post('/api/practices')
      .set('Authorization', moderator.auth)
      .send({ title: 'T', summary: 'S', description: 'D', stage: 'idea', metropolisId: '00000000-0000-4000-8000-000000000000' })
      .expect(404);
  });

  it('filters by metropolis, topic, lever, stage and words, alone and combined, by slug or id', async () => {
    const grenoble = await t.createUser({ metropolis: 'grenoble-alpes-metropole' });
    const rennes = await t.createUser({ metropolis: 'rennes-metropole' });
    const [innovation, evaluation, , accompagnement] = topics;
    const a = await create(grenoble, {
      title: 'Coopérative jeunesse',
      description: 'Une Coopérative d’activité pour les jeunes',
      topicIds: [evaluation.id, accompagnement.id],
      levers: ['direct-support', 'local-dynamics'],
      stage: 'pilot',
    });
    const b = await create(grenoble, {
      title: 'Clause sociale',
      partners: ['Maison de l’emploi'],
      topicIds: [innovation.id],
      levers: ['responsible-purchasing'],
      stage: 'running',
    });
    const c = await create(rennes, { title: 'Fonds de la Coopérative', topicIds: [evaluation.id], levers: ['direct-support'], stage: 'pilot' });
    const mine = [a.id, b.id, c.id];
    const found = async (query: string) => {
      const { body } = await get(`/api/practices?${query}&limit=200`).expect(200);
      return ids(body)
        .filter((id) => mine.includes(id))
        .sort();
    };
    const sorted = (...list: PracticeBody[]) => list.map((practice) => practice.id).sort();
    const grenobleId = (await t.metropolis('grenoble-alpes-metropole')).id;

    expect(await found('metropolis=grenoble-alpes-metropole')).toEqual(sorted(a, b));
    expect(await found(`metropolis=${grenobleId}`)).toEqual(sorted(a, b));
    expect(await found(`topic=${evaluation.slug}`)).toEqual(sorted(a, c));
    expect(await found(`topic=${evaluation.id}`)).toEqual(sorted(a, c));
    expect(await found('lever=direct-support')).toEqual(sorted(a, c));
    expect(await found('stage=running')).toEqual(sorted(b));
    expect(await found('q=cooperative')).toEqual(sorted(a, c));
    expect(await found('q=MAISON%20l%E2%80%99EMPLOI')).toEqual(sorted(b));
    expect(await found('metropolis=grenoble-alpes-metropole&lever=direct-support')).toEqual(sorted(a));
    expect(await found(`metropolis=rennes-metropole&topic=${evaluation.id}&lever=direct-support&stage=pilot&q=fonds`)).toEqual(sorted(c));
    expect(await found(`topic=${accompagnement.slug}&stage=running`)).toEqual([]);
    expect(await found('q=cooperative%20jeunes&stage=pilot')).toEqual(sorted(a));

    const unknownMetropolis = await get('/api/practices?metropolis=atlantide').expect(404);
    expect(unknownMetropolis.body.message).toMatch(/^metropolis : aucune métropole n’a le slug ou l’identifiant « atlantide »/);
    const unknownTopic = await get('/api/practices?topic=00000000-0000-4000-8000-000000000000').expect(404);
    expect(unknownTopic.body.message).toMatch(/^topic : aucun thème n’a le slug ou l’identifiant/);
    const badLever = await get('/api/practices?lever=flying').expect(400);
    expect(badLever.body.message).toEqual([`lever doit être l’une des valeurs suivantes : ${LEVERS.join(', ')}.`]);
    const badStage = await get('/api/practices?stage=done').expect(400);
    expect(badStage.body.message[0]).toMatch(/^stage doit être l’une des valeurs suivantes/);
    await get('/api/practices?colour=red').expect(400);
  });

  it('lists the most recently updated first and pages with a Link header', async () => {
    // a practice last updated long ago goes to the end of the list
    const old = await create(lyonAuthor, { title: 'Ancienne fiche' });
    await t.dataSource
      .createQueryBuilder()
      .update(Practice)
      .set({ updatedAt: new Date('2001-01-01T00:00:00Z') })
      .where('id = :id', { id: old.id })
      .execute();
    const { body: all } = await get('/api/practices?limit=200').expect(200);
    expect(ids(all).slice(-2)).toEqual([seeded.id, old.id]);
    const times = all.map((practice: PracticeBody) => practice.updatedAt);
    expect([...times].sort().reverse()).toEqual(times);
    // limit=1: every practice, the seeded one included, is once the cursor of a page
    const walked: string[] = [];
    let next: string | undefined = '/api/practices?limit=1';
    while (next) {
      const page: { body: PracticeBody[]; headers: Record<string, string> } = await get(next).expect(200);
      expect(page.body).toHaveLength(1);
      walked.push(page.body[0].id);
      const link = page.headers.link?.match(/^<([^>]+)>; rel="next"$/);
      next = link ? `${new URL(link[1]).pathname}${new URL(link[1]).search}` : undefined;
      expect(walked.length).toBeLessThanOrEqual(all.length);
    }
    expect(walked).toEqual(ids(all));
    await get('/api/practices?cursor=nonsense').expect(400);
    await get('/api/practices?limit=0').expect(400);
  });

  it('lets the author, a participant of the same metropolis and a moderator edit; others get 403', async () => {
    const practice = await create(lyonAuthor, { title: 'Marché public responsable', levers: ['responsible-purchasing'] });
    const patch = (user: TestUser, body: Record<string, unknown>) =>
      t.http().patch(`/api/practices/${practice.id}`).set('Authorization', user.auth).send(body);

    const byAuthor = await patch(lyonAuthor, { summary: 'Par l’autrice', levers: ['responsible-purchasing', 'local-dynamics'] }).expect(200);
    expect(byAuthor.body).toMatchObject({ summary: 'Par l’autrice', levers: ['responsible-purchasing', 'local-dynamics'] });
    expect(byAuthor.body.updatedAt > practice.updatedAt).toBe(true);
    const byColleague = await patch(lyonColleague, { partners: ['Chambre régionale'], contact: null }).expect(200);
    expect(byColleague.body).toMatchObject({ partners: ['Chambre régionale'], contact: null, author: { id: lyonAuthor.user.id } });
    const forbidden = await patch(lille, { summary: 'Intrus' }).expect(403);
    expect(forbidden.body.message).toMatch(/^Seuls son auteur, les participants de sa métropole et les modérateurs/);
    await patch(nomad, { summary: 'Intrus' }).expect(403);
    // same metropolis does not let a participant move the practice
    const nantes = await t.metropolis('nantes-metropole');
    await patch(lyonAuthor, { metropolisId: nantes.id }).expect(403);
    await patch(lyonAuthor, { metropolisId: (await t.metropolis('metropole-de-lyon')).id }).expect(200);

    const audited = () => t.dataSource.getRepository(AuditEntry).findBy({ targetId: practice.id });
    expect(await audited()).toHaveLength(0);
    const byModerator = await patch(moderator, { title: 'Achats responsables de la Métropole', metropolisId: nantes.id, stage: 'scaled' }).expect(
      200,
    );
    expect(byModerator.body).toMatchObject({
      title: 'Achats responsables de la Métropole',
      metropolis: { slug: 'nantes-metropole' },
      stage: 'scaled',
    });
    const entries = await audited();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: moderator.user.id, action: 'practice.update', targetType: 'practice' });
    expect(entries[0].details).toMatchObject({ fields: expect.arrayContaining(['title', 'metropolisId', 'stage']) });
    // now in Nantes: the Lyon colleague may no longer edit it, its author still may
    await patch(lyonColleague, { summary: 'Encore moi' }).expect(403);
    await patch(lyonAuthor, { summary: 'Toujours autrice' }).expect(200);

    // the search index and the thread's title follow the edit
    const { body: hits } = await get('/api/practices?q=achats%20METROPOLE').expect(200);
    expect(ids(hits)).toContain(practice.id);
    const { body: oldHits } = await get('/api/practices?q=marche%20public').expect(200);
    expect(ids(oldHits)).not.toContain(practice.id);
    const thread = await get(`/api/threads/${practice.threadId}`).expect(200);
    expect(thread.body.thread.title).toBe('Achats responsables de la Métropole');

    const invalid = await patch(moderator, { title: null, links: ['javascript:void(0)'], stage: 'over' }).expect(400);
    expect(invalid.body.message).toEqual(
      expect.arrayContaining([
        'Chaque valeur de links doit être une adresse web en http ou https.',
        'stage doit être l’une des valeurs suivantes : idea, pilot, running, scaled.',
      ]),
    );
    expect(invalid.body.message.some((message: string) => message.startsWith('title'))).toBe(true);
    await t
      .http()
      .patch('/api/practices/00000000-0000-4000-8000-000000000000')
      .set('Authorization', moderator.auth)
      .send({ summary: 'x' })
      .expect(404);
  });

  it('lets a moderator edit the seeded practice, and records it', async () => {
    const before = await get(`/api/practices/${seeded.id}`).expect(200);
    const edited = await t
      .http()
      .patch(`/api/practices/${seeded.id}`)
      .set('Authorization', moderator.auth)
      .send({ links: ['https://www.ecossolies.fr/'] })
      .expect(200);
    expect(edited.body).toMatchObject({
      links: ['https://www.ecossolies.fr/'],
      levers: before.body.levers,
      title: 'Nantes ESS Factory',
      author: null,
    });
    const entries = await t.dataSource.getRepository(AuditEntry).findBy({ targetId: seeded.id, action: 'practice.update' });
    expect(entries).toHaveLength(1);
  });

  it('counts practices in the metropolis × lever grid, every metropolis included', async () => {
    const { body: grid } = await get('/api/practices/grid').expect(200);
    expect(grid.levers).toEqual(LEVERS.map((key) => ({ key, label: LEVER_LABELS[key] })));
    expect(grid.rows).toHaveLength(22);
    const { body: all } = await get('/api/practices?limit=200').expect(200);
    for (const row of grid.rows) {
      const ofMetropolis = all.filter((practice: PracticeBody) => practice.metropolis.id === row.metropolis.id);
      expect(row.total).toBe(ofMetropolis.length);
      for (const lever of LEVERS) {
        const expected = ofMetropolis.filter((practice: PracticeBody) => practice.levers.includes(lever));
        expect(row.counts[lever]).toBe(expected.length);
        expect(row.practices[lever].map((cell: { id: string }) => cell.id).sort()).toEqual(ids(expected).sort());
      }
    }
    const nantes = grid.rows.find((row: { metropolis: { slug: string } }) => row.metropolis.slug === 'nantes-metropole');
    expect(nantes.practices['ecosystem-support']).toContainEqual({ id: seeded.id, title: 'Nantes ESS Factory' });
    expect(nantes.counts['ecosystem-support']).toBeGreaterThanOrEqual(1);
    const metz = grid.rows.find((row: { metropolis: { slug: string } }) => row.metropolis.slug === 'metz-metropole');
    expect(metz).toMatchObject({ total: 0, counts: Object.fromEntries(LEVERS.map((lever) => [lever, 0])) });
    expect(grid.totals['direct-support']).toBe(all.filter((practice: PracticeBody) => practice.levers.includes('direct-support')).length);
    // French alphabetical order: « Métropole … » sorts with the Ms, not after Z
    const names: string[] = grid.rows.map((row: { metropolis: { name: string } }) => row.metropolis.name);
    expect(names.indexOf('Metz Métropole')).toBeLessThan(names.indexOf('Montpellier Méditerranée Métropole'));
    expect(names[names.length - 1]).toBe('Tours Métropole Val de Loire');

    const { body: running } = await get('/api/practices/grid?stage=running').expect(200);
    const runningNantes = running.rows.find((row: { metropolis: { slug: string } }) => row.metropolis.slug === 'nantes-metropole');
    expect(runningNantes.practices['ecosystem-support']).toContainEqual({ id: seeded.id, title: 'Nantes ESS Factory' });
    await get('/api/practices/grid?stage=nope').expect(400);
  });

  it('exports the catalogue as CSV that parses back, and as JSON', async () => {
    const tricky = await create(lyonAuthor, {
      title: 'Virgules, "guillemets" et accents éèà',
      summary: 'Ligne 1\nLigne 2, avec virgule',
      description: 'Texte ; point-virgule',
      partners: ['Partenaire, un', 'Partenaire "deux"'],
      levers: ['ecosystem-support', 'social-rnd'],
      links: ['https://example.org/a?b=1,2'],
    });
    const formula = await create(lyonAuthor, { title: '=HYPERLINK("http://evil.example","clic")' });

    const response = await get('/api/practices/export?format=csv').expect(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="fiches-pratiques.csv"');
    const text: string = response.text;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).toEqual([
      'Identifiant',
      'Titre',
      'Métropole',
      'Résumé',
      'Description',
      'Thèmes',
      'Leviers',
      'Partenaires',
      'Stade',
      'Liens',
      'Contact',
      'Auteur',
      'Créée le',
      'Mise à jour le',
      'Documents',
    ]);
    const { body: all } = await get('/api/practices?limit=200').expect(200);
    expect(rows.slice(1).map((row) => row[0])).toEqual(ids(all));
    expect(rows.every((row) => row.length === 15)).toBe(true);
    const row = rows.find((cells) => cells[0] === tricky.id)!;
    expect(row.slice(1, 12)).toEqual([
      'Virgules, "guillemets" et accents éèà',
      'Métropole de Lyon',
      'Ligne 1\nLigne 2, avec virgule',
      'Texte ; point-virgule',
      '',
      `${LEVER_LABELS['ecosystem-support']} ; ${LEVER_LABELS['social-rnd']}`,
      'Partenaire, un ; Partenaire "deux"',
      'Idée',
      'https://example.org/a?b=1,2',
      '',
      'Léa Lyon',
    ]);
    expect(rows.find((cells) => cells[0] === formula.id)![1]).toBe(`'=HYPERLINK("http://evil.example","clic")`);

    const semicolon = await get('/api/practices/export?format=csv&separator=semicolon&metropolis=metropole-de-lyon').expect(200);
    const lyonRows = parseCsv(semicolon.text.slice(1), ';');
    expect(lyonRows[0][1]).toBe('Titre');
    expect(lyonRows.find((cells) => cells[0] === tricky.id)![4]).toBe('Texte ; point-virgule');
    expect(lyonRows.slice(1).every((cells) => cells[2] === 'Métropole de Lyon')).toBe(true);

    const json = await get('/api/practices/export?format=json').expect(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.headers['content-disposition']).toBe('attachment; filename="fiches-pratiques.json"');
    expect(json.body).toEqual(all);
    await get('/api/practices/export?format=xml').expect(400);
  });

  it('finds a practice by any of its fields, in any form, on the search index written with it', async () => {
    const practice = await create(lyonAuthor, { title: 'Cœur de quartier', summary: 'Économie', description: 'Dé', partners: ['ÉCOLE'] });
    for (const q of ['coeur QUARTIERS', 'economies', 'écoles']) {
      const { body } = await get(`/api/practices?q=${encodeURIComponent(q)}`).expect(200);
      expect(ids(body)).toContain(practice.id);
    }
    // stop words alone match nothing, as in /api/search
    expect((await get('/api/practices?q=de').expect(200)).body).toEqual([]);
  });
});
