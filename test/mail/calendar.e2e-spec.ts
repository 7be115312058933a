import ICAL from 'ical.js';
import { WorkSession } from '../../src/sessions/entities/session.entity';
import { createTestApp, discussionCast, type DiscussionCast, type TestApp } from '../support/test-app';

/** The VEVENTs of an .ics text, parsed back by ical.js. */
function events(ics: string): ICAL.Event[] {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return calendar.getAllSubcomponents('vevent').map((component) => new ICAL.Event(component));
}

describe('calendar', () => {
  let t: TestApp;
  let cast: DiscussionCast;
  let upcomingId: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLIC_URL: 'https://essor.example.org' } });
    cast = await discussionCast(t);
    const created = await t
      .http()
      .post('/api/sessions')
      .set('Authorization', cast.moderator.auth)
      .send({
        title: 'Séance de décembre',
        description: 'Les achats publics responsables',
        startsAt: '2030-12-02T13:30:00.000Z',
        location: 'Hôtel de Métropole, Lyon',
        agenda: [
          { title: 'Accueil', durationMinutes: 30 },
          { title: 'Retours d’expérience', durationMinutes: 90 },
        ],
      })
      .expect(201);
    upcomingId = created.body.id;
  });

  afterAll(() => t.close());

  it('serves a session as one event: times in UTC, the place in LOCATION, the session’s link in DESCRIPTION', async () => {
    const response = await t.http().get(`/api/sessions/${upcomingId}/calendar.ics`).set('Authorization', cast.alice.auth).expect(200);
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const [event, ...others] = events(response.text);
    expect(others).toHaveLength(0);
    expect(event.summary).toBe('Séance de décembre');
    expect(event.location).toBe('Hôtel de Métropole, Lyon');
    expect(event.description).toContain(`https://essor.example.org/#/seances/${upcomingId}`);
    expect(event.description).toContain('Les achats publics responsables');
    expect(event.startDate.zone.tzid).toBe('UTC');
    expect(event.startDate.toJSDate().toISOString()).toBe('2030-12-02T13:30:00.000Z');
    // no end given: the agenda's two hours
    expect(event.endDate.toJSDate().toISOString()).toBe('2030-12-02T15:30:00.000Z');
    expect(response.text).toMatch(/DTSTART:20301202T133000Z/);

    await t.http().get(`/api/sessions/${upcomingId}/calendar.ics`).expect(401);
    await t.http().get('/api/sessions/00000000-0000-4000-8000-000000000000/calendar.ics').set('Authorization', cast.alice.auth).expect(404);
    await t.http().get('/api/sessions/pas-un-uuid/calendar.ics').set('Authorization', cast.alice.auth).expect(400);
  });

  it('puts the video link in LOCATION when there is no place', async () => {
    const created = await t
      .http()
      .post('/api/sessions')
      .set('Authorization', cast.moderator.auth)
      .send({
        title: 'Visio de janvier',
        description: '',
        startsAt: '2031-01-12T09:00:00.000Z',
        videoUrl: 'https://visio.example.org/essor',
        agenda: [],
      })
      .expect(201);
    const response = await t.http().get(`/api/sessions/${created.body.id}/calendar.ics`).set('Authorization', cast.alice.auth).expect(200);
    const [event] = events(response.text);
    expect(event.location).toBe('https://visio.example.org/essor');
    expect(event.description).toContain('Visio : https://visio.example.org/essor');
  });

  it('gives each person a secret feed, without sign-in, of upcoming sessions and those they registered for; a reset revokes it', async () => {
    // a past session Bruno took part in stays in his feed; Alice, who did not, does not get it
    const past = await t
      .http()
      .post('/api/sessions')
      .set('Authorization', cast.moderator.auth)
      .send({ title: 'Séance passée', description: '', startsAt: new Date(Date.now() + 3_600_000).toISOString(), agenda: [] })
      .expect(201);
    await t.http().post(`/api/sessions/${past.body.id}/join`).set('Authorization', cast.bruno.auth).expect(200);
    await t.dataSource
      .getRepository(WorkSession)
      .update({ id: past.body.id }, { status: 'closed', startsAt: new Date(Date.now() - 30 * 86_400_000), closedAt: new Date() });

    const { body: brunoFeed } = await t.http().get('/api/me/calendar').set('Authorization', cast.bruno.auth).expect(200);
    expect(brunoFeed.url).toMatch(/^https:\/\/essor\.example\.org\/api\/calendar\/[\w-]+\.[\w-]+\.ics$/);
    const path = new URL(brunoFeed.url).pathname;
    const feed = await t.http().get(path).expect(200);
    expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const titles = events(feed.text).map((event) => event.summary);
    expect(titles).toEqual(expect.arrayContaining(['Séance de décembre', 'Visio de janvier', 'Séance passée']));

    const { body: aliceFeed } = await t.http().get('/api/me/calendar').set('Authorization', cast.alice.auth).expect(200);
    const aliceTitles = events((await t.http().get(new URL(aliceFeed.url).pathname).expect(200)).text).map((event) => event.summary);
    expect(aliceTitles).toContain('Séance de décembre');
    expect(aliceTitles).not.toContain('Séance passée');

    // the same URL until it is reset; then the old one is gone
    expect((await t.http().get('/api/me/calendar').set('Authorization', cast.bruno.auth).expect(200)).body.url).toBe(brunoFeed.url);
    const reset = await t.http().post('/api/me/calendar/reset').set('Authorization', cast.bruno.auth).expect(200);
    expect(reset.body.url).not.toBe(brunoFeed.url);
    await t.http().get(path).expect(404);
    await t.http().get(new URL(reset.body.url).pathname).expect(200);

    // a forged token, or Alice's token with Bruno's id, opens nothing
    const [, aliceSignature] = new URL(aliceFeed.url).pathname.replace('/api/calendar/', '').replace('.ics', '').split('.');
    const forged = `${Buffer.from(`${cast.bruno.user.id}:1`).toString('base64url')}.${aliceSignature}`;
    await t.http().get(`/api/calendar/${forged}.ics`).expect(404);
    await t.http().get('/api/calendar/nimporte-quoi.ics').expect(404);
  });
});
