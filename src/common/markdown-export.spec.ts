import { marked } from 'marked';
import { escapeInline, neutralizeMarkdown } from './markdown-export';

const rendered = (markdown: string) => marked.parse(markdown, { async: false });

describe('Markdown for exported files', () => {
  it.each([
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    'texte <iframe src="https://evil.example"></iframe>',
    '<!-- commentaire --><svg onload=alert(1)>',
    '<javascript:alert(1)>',
    '[clic](javascript:alert(1))',
    '[clic]( JavaScript:alert(1) )',
    '[clic](<javascript:alert(1)>)',
    '![image](data:text/html;base64,PHNjcmlwdD4=)',
    '[clic](javascript&#58;alert(1))',
    '[clic](java\\script:alert(1))',
    '[clic][ref]\n\n[ref]: javascript:alert(1)',
    '<div>\n*bloc*\n</div>',
  ])('renders %j with no raw HTML element and no unsafe link', (body) => {
    const html = rendered(neutralizeMarkdown(body));
    expect(html).not.toMatch(/<(script|iframe|svg|div)\b|<[a-z][^>]*\son\w+=/i);
    expect(html).not.toMatch(/(href|src)="(?!#|https?:|mailto:)/i);
  });

  it('keeps Markdown, safe links and code as written', () => {
    const body = [
      '**gras** et [Avise](https://www.avise.org) et [courriel](mailto:a@b.fr) et [page](../guide)',
      'le code `<b>x</b>` reste',
      '```html',
      '<div>exemple</div>',
      '```',
    ].join('\n');
    expect(neutralizeMarkdown(body)).toBe(body);
  });

  it('escapes a title so it cannot restyle the file', () => {
    expect(escapeInline('# *Titre* <b>gras</b> [lien](javascript:x)')).toBe('\\# \\*Titre\\* \\<b\\>gras\\</b\\> \\[lien\\](javascript:x)');
    expect(rendered(`# ${escapeInline('*Titre* <img src=x onerror=alert(1)>')}`)).not.toMatch(/<img|<em>/);
  });
});
