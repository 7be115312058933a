import fc from 'fast-check';
import { foldForSearch, slugify, trimBlankEnds } from './text';

describe('text folding and slugs', () => {
  it.each([
    ['Métropole de Lyon', 'metropole-de-lyon'],
    ["Métropole Nice Côte d'Azur", 'metropole-nice-cote-d-azur'],
    ['Saint-Étienne Métropole', 'saint-etienne-metropole'],
    ['Innovation sociale et ESS : quelles différences ?', 'innovation-sociale-et-ess-quelles-differences'],
    ['Cœur de ville', 'coeur-de-ville'],
    ['???', 'sans-titre'],
  ])('slugifies %s as %s', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  it('folds accents and case, one character for one character', () => {
    const text = "Évaluation de l'utilité sociale";
    expect(foldForSearch(text)).toBe("evaluation de l'utilite sociale");
    expect(foldForSearch(text)).toHaveLength(text.length);
  });

  it('removes the blank lines before a Markdown text and the whitespace after it, as the pattern it replaces did', () => {
    const pattern = (text: string) => text.replace(/^\s*\n|\s+$/g, '');
    const pieces = fc.constantFrom('a', 'é', ' ', '\t', '\n', '\r', '\u00a0', '\u2028', '\u3000', '\ufeff', '- ', '  code');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        expect(trimBlankEnds(text)).toBe(pattern(text));
      }),
      { seed: 20261202, numRuns: 20_000 },
    );
    expect(trimBlankEnds(' \n\n  indented\n  text \n ')).toBe('  indented\n  text');
    // a megabyte of spaces between two letters: the pattern read it from each of its spaces
    const spaces = ' '.repeat(1_000_000);
    expect(trimBlankEnds(`\n${spaces}a${spaces}b${spaces}`)).toBe(`${spaces}a${spaces}b`);
  });
});
