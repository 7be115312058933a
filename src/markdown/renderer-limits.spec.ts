import { mentionedHandles, renderMarkdown } from './markdown';
import { RENDERER_LIMITS, withinRendererLimits } from './renderer-limits';

const MAX = 20_000; // the longest Markdown text Essor takes (posts, practice and session descriptions)
const repeat = (unit: string, length = MAX) => unit.repeat(Math.floor(length / unit.length));
const filled = (head: string) => (head + ' mot'.repeat(MAX)).slice(0, MAX);

describe('the Markdown renderer’s limits', () => {
  it('let real posts through: links, nested lists and quotes, tables, code, mentions', () => {
    const links = Array.from({ length: 100 }, (_, index) => `- [Ressource ${index}](https://example.org/${index}) de @alice.martin`).join('\n');
    const nested = '- niveau 1\n  - niveau 2\n    - niveau 3\n      1. quatre\n> cité\n> > dans une citation\n';
    const table = `| Métropole | Dispositif |\n|---|---|\n${repeat('| Nantes | *Écossolies* |\n', 2_000)}`;
    const code = '```ts\nconst a = `b`;\n```\n' + repeat('Du `code` et du **gras**, R&D <https://example.org>.\n', 8_000);
    for (const text of [links, nested, table, code]) expect(withinRendererLimits(text)).toBe(true);
    expect(renderMarkdown(nested)).toContain('<ol>\n<li>quatre</li>');
    expect(mentionedHandles(links)).toEqual(['alice.martin']);
  });

  it.each([
    ['a line of quotes', repeat('>')],
    ['a line of list markers', repeat('- ')],
    ['nested ordered lists', repeat(`${'1. '.repeat(RENDERER_LIMITS.nesting + 1)}a\n`)],
    ['thousands of list items', repeat('- a\n')],
    ['lists nested by indentation', Array.from({ length: 140 }, (_, level) => `${' '.repeat(level * 2)}- a`).join('\n')],
    ['unclosed link openers', repeat('[a](')],
    ['angle brackets', repeat('<https:')],
    ['emphasis markers', repeat('_a ')],
    ['backticks', repeat('`a')],
    ['table cells', `a|b\n-|-\n${repeat('a|b\n')}`],
    ['at signs', repeat('@a')],
    ['ampersands', repeat('&')],
  ])('show %s as typed, escaped, with nobody mentioned', (_, text) => {
    expect(withinRendererLimits(text)).toBe(false);
    const hostile = `<script>alert(1)</script> @alice.martin\n\n${text}`;
    const html = renderMarkdown(hostile);
    expect(html.startsWith('<p>&#60;script&#62;alert(1)&#60;/script&#62; @alice.martin</p>\n<p>')).toBe(true);
    expect(html).not.toMatch(/<(?!\/?p>|br \/>)/);
    expect(mentionedHandles(hostile)).toEqual([]);
  });

  it('render the worst texts each limit lets through', () => {
    const atTheLimits = [
      filled('[a]('.repeat(RENDERER_LIMITS.brackets)),
      filled('<https:'.repeat(RENDERER_LIMITS.angles)),
      filled('_a '.repeat(RENDERER_LIMITS.emphasis)),
      filled('`a'.repeat(RENDERER_LIMITS.backticks)),
      filled('@a'.repeat(RENDERER_LIMITS.ats)),
      filled('&'.repeat(RENDERER_LIMITS.ampersands)),
      `a|b\n-|-\n${'a|b\n'.repeat(RENDERER_LIMITS.pipes - 2)}`,
      filled(`${'> '.repeat(RENDERER_LIMITS.nesting)}a\n`.repeat(Math.floor(RENDERER_LIMITS.containers / RENDERER_LIMITS.nesting))),
      filled(Array.from({ length: RENDERER_LIMITS.containers }, () => '- a\n').join('')),
    ];
    for (const text of atTheLimits) {
      expect(withinRendererLimits(text)).toBe(true);
      expect(renderMarkdown(text).length).toBeGreaterThan(0);
    }
  });
});
