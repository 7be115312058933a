import fc from 'fast-check';
import { markdownText } from '../../test/fuzz/arbitraries';
import { renderMarkdown, renderMarkdownInFull } from './markdown';
import { isPlainText } from './plain-text';

describe('renderMarkdown', () => {
  it('renders the usual Markdown', () => {
    expect(renderMarkdown('**gras** et *italique*')).toBe('<p><strong>gras</strong> et <em>italique</em></p>\n');
    expect(renderMarkdown('- un\n- deux')).toContain('<ul>\n<li>un</li>\n<li>deux</li>\n</ul>');
  });

  it('numbers ordered lists from where the Markdown says, 1 by default', () => {
    expect(renderMarkdown('1. un\n2. deux')).toMatch(/^<ol>\n<li>un<\/li>/);
    expect(renderMarkdown('3. trois\n4. quatre')).toMatch(/^<ol start="3">/);
  });

  it('shows raw HTML as text and never keeps a script, a handler or a style', () => {
    const html = renderMarkdown('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> <b style="color:red">x</b>');
    expect(html).not.toMatch(/<script|<img|<b /i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('keeps attributes out of a link even when its URL tries to close the quote', () => {
    const html = renderMarkdown('[a](https://example.org/" onclick="alert(1))');
    expect(html).not.toMatch(/<a [^>]*onclick/i);
  });

  it('keeps http(s), mailto and relative links, drops javascript: and data: ones', () => {
    expect(renderMarkdown('[a](https://example.org)')).toBe('<p><a href="https://example.org" rel="nofollow ugc noopener noreferrer">a</a></p>\n');
    expect(renderMarkdown('[a](/#/threads/1)')).toBe('<p><a href="/#/threads/1">a</a></p>\n');
    expect(renderMarkdown('[a](mailto:x@example.org)')).toContain('href="mailto:x@example.org"');
    expect(renderMarkdown('[a](javascript:alert(1))')).not.toContain('javascript:');
    expect(renderMarkdown('[a](JaVaScRiPt:alert(1))')).not.toMatch(/javascript:/i);
    expect(renderMarkdown('[a](data:text/html,<script>alert(1)</script>)')).not.toContain('data:');
  });

  it('turns images into links, so that no reader fetches anything from elsewhere', () => {
    expect(renderMarkdown('![un schéma](https://example.org/a.png)')).toBe(
      '<p><a href="https://example.org/a.png" rel="nofollow ugc noopener noreferrer">un schéma</a></p>\n',
    );
  });

  it("puts a post's headings below the page's own", () => {
    expect(renderMarkdown('# Titre\n## Sous-titre')).toBe('<h3>Titre</h3>\n<h4>Sous-titre</h4>\n');
  });
});

describe('renderMarkdown on plain text', () => {
  const known = (handle: string) => handle === 'marie';

  it('gives the same HTML as the full path, whatever the text', () => {
    let plain = 0;
    fc.assert(
      fc.property(markdownText, (source) => {
        if (isPlainText(source)) plain++;
        expect(renderMarkdown(source, known)).toBe(renderMarkdownInFull(source, known));
      }),
      { seed: 20261201, numRuns: 10_000 },
    );
    // the comparison is worth something only if many texts took the plain path
    expect(plain).toBeGreaterThan(2_000);
  });

  it('leaves to the full path what only looks plain at first sight', () => {
    for (const source of [
      'a\n===',
      'a\n-',
      'titre\n---',
      'a\n:-',
      '1. un',
      '2026) fin',
      '    code',
      'a  \nb',
      'www.example.org',
      'voir https://x.fr',
      'x@y.fr',
    ]) {
      expect(isPlainText(source)).toBe(false);
    }
    expect(renderMarkdown('Bonjour,\nune ligne\n\n\nun paragraphe')).toBe('<p>Bonjour,<br />une ligne</p>\n<p>un paragraphe</p>\n');
  });
});
