import { marked } from 'marked';
import { createTestApp, discussionCast, type DiscussionCast, type TestApp } from './support/test-app';

/** Issue 12, item 5: a thread's Markdown export escapes titles and keeps no raw HTML nor unsafe link from bodies. */
describe('thread Markdown export', () => {
  let t: TestApp;
  let cast: DiscussionCast;

  beforeAll(async () => {
    t = await createTestApp();
    cast = await discussionCast(t);
  });
  afterAll(() => t.close());

  it('escapes the thread and topic titles and neutralises raw HTML and javascript: links, keeping safe Markdown', async () => {
    const topic = await t
      .http()
      .post('/api/topics')
      .set('Authorization', cast.moderator.auth)
      .send({ title: '<img src=x onerror=alert(1)> *Thème*' })
      .expect(201);
    const { body } = await t
      .http()
      .post(`/api/topics/${topic.body.id}/threads`)
      .set('Authorization', cast.alice.auth)
      .send({
        title: '# <script>alert(1)</script> [piège](javascript:alert(1))',
        body: '<script>alert(2)</script>\n\n[clic](javascript:alert(3)) et [Avise](https://www.avise.org)\n\n<a href="javascript:alert(4)">lien</a> et `<b>code</b>`',
      })
      .expect(201);
    const exported = await t.http().get(`/api/threads/${body.thread.id}/export`).set('Authorization', cast.bruno.auth).expect(200);
    const html = marked.parse(exported.text, { async: false });

    expect(html).not.toMatch(/<(script|img|a href="javascript)/i);
    expect(html).not.toMatch(/href="javascript/i);
    expect(html).toContain('<a href="https://www.avise.org">Avise</a>');
    expect(html).toContain('<code>&lt;b&gt;code&lt;/b&gt;</code>');
    expect(exported.text).toContain('# \\# \\<script\\>alert(1)\\</script\\> \\[piège\\](javascript:alert(1))');
    expect(exported.text).toContain('Thème : \\<img src=x onerror=alert(1)\\> \\*Thème\\*');
  });
});
