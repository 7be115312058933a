import fc from 'fast-check';
import { markdownText } from '../../test/fuzz/arbitraries';
import { isPlainText } from '../markdown/plain-text';
import {
  makeSnippet,
  markHighlights,
  matchingWords,
  parseQuery,
  singularXPlurals,
  stemText,
  toFtsMatch,
  toPlainText,
  toPlainTextInFull,
  toWebSearch,
} from './french-text';

const stemsOf = (query: string) => new Set(parseQuery(query).include.flatMap((term) => term.stems));

describe('French text for search', () => {
  it('stems folded words, leaving out stop words and one-letter words', () => {
    expect(stemText('L’Évaluation de l’utilité SOCIALE des coopératives')).toBe('evalu utilit social cooper');
    expect(stemText("Les évaluations d'utilite sociale, la coopérative")).toBe('evalu utilit social cooper');
    expect(stemText('Au cœur des tiers-lieux')).toBe(stemText('au coeur des tiers lieux'));
    expect(stemText('le la de à y')).toBe('');
  });

  it('reads the plurals in -x Snowball leaves apart as their singular, on both engines', () => {
    expect(stemText('Tiers-Lieux, enjeux, BIJOUX, vœux, aïeux')).toBe(stemText('tiers-lieu enjeu bijou voeu aieu'));
    expect(stemText('mieux prix')).toBe('mieux prix');
    // PostgreSQL's parser is handed the singular, in the index's text and in the query's words; other words stay as written
    expect(singularXPlurals('Nos Tiers-Lieux, des Enjeux ; deux jeux, les Vœux et mieux.')).toBe(
      'Nos Tiers-lieu, des enjeu ; deux jeu, les voeu et mieux.',
    );
    expect(toWebSearch(parseQuery('tiers-lieux -"nos milieux" deux'))).toBe('"tiers lieu" "deux" -"nos milieu"');
    // a long word, then a plural
    const long = `${'a'.repeat(300_000)} lieux`;
    expect(singularXPlurals(long)).toBe(`${'a'.repeat(300_000)} lieu`);
    const text = 'Un tiers-lieu, des tiers-lieux';
    expect(matchingWords(text, stemsOf('tiers-lieux')).map(([start, end]) => text.slice(start, end))).toEqual(['tiers', 'lieu', 'tiers', 'lieux']);
  });

  it('reads words, phrases in either kind of quotes, hyphenated words and exclusions', () => {
    const parsed = parseQuery('évaluations « utilité sociale » tiers-lieux -cœur -"en ligne" de');
    expect(parsed.include.map((term) => term.stems)).toEqual([['evalu'], ['utilit', 'social'], ['tier', 'lieu']]);
    expect(parsed.exclude.map((term) => term.stems)).toEqual([['coeur'], ['lign']]);
    expect(toFtsMatch(parsed, '"bodyStems"')).toBe('{"bodyStems"} : ("evalu" AND "utilit social" AND "tier lieu" NOT "coeur" NOT "lign")');
    expect(toWebSearch(parsed)).toBe('"évaluations" "utilité sociale" "tiers lieu" -"cœur" -"en ligne"');
  });

  it('keeps no operator of either engine from a hostile query, and finds nothing to look for in stop words', () => {
    const parsed = parseQuery('"unbalanced AND (x* OR NEAR(y)) {col}: ^z \'; DROP');
    expect(parsed.include.map((term) => term.words)).toEqual([['unbalanced', 'AND', 'x', 'OR', 'NEAR', 'y', 'col', 'z', 'DROP']]);
    expect(toFtsMatch(parsed, 'c')).toBe('{c} : ("unbalanced and or near col drop")');
    expect(parseQuery('a de la - -- « »').include).toEqual([]);
    expect(toWebSearch(parseQuery('scic or mobilité OR -x'))).toBe('"scic" "or" "mobilité" "OR"');
  });

  it('marks the words whose stem was asked for, in any form, by their offsets in the text', () => {
    const text = 'Nos évaluations, l’Évaluation et leur VALEUR';
    expect(matchingWords(text, stemsOf('evaluation')).map(([start, end]) => text.slice(start, end))).toEqual(['évaluations', 'Évaluation']);
  });

  it('cuts a long text around the first match on word boundaries, with ellipses', () => {
    const before = Array.from({ length: 40 }, (_, index) => `mot${index}`).join(' ');
    const after = Array.from({ length: 40 }, (_, index) => `suite${index}`).join(' ');
    const text = `${before} l'Évaluation de l'utilité sociale ${after}`;
    const snippet = makeSnippet(text, stemsOf('evaluation utilite'));
    expect(snippet.snippet.startsWith('… ')).toBe(true);
    expect(snippet.snippet.endsWith(' …')).toBe(true);
    expect(snippet.snippet.length).toBeLessThanOrEqual(164);
    for (const part of snippet.snippet.replace(/^… | …$/g, '').split(' ')) expect(text.split(' ')).toContain(part);
    expect(snippet.highlights.map(([start, end]) => snippet.snippet.slice(start, end))).toEqual(['Évaluation', 'utilité']);
    expect(makeSnippet('Les Écossolies', stemsOf('ecossolies'))).toEqual({ snippet: 'Les Écossolies', highlights: [[4, 14]] });
  });

  it('escapes the snippet as HTML around its <mark> tags', () => {
    expect(markHighlights({ snippet: '<b>Évaluation</b> & "co"', highlights: [[3, 13]] })).toBe(
      '&lt;b&gt;<mark>Évaluation</mark>&lt;/b&gt; &amp; &quot;co&quot;',
    );
  });

  it('reduces Markdown to plain text', () => {
    expect(toPlainText('# Titre\n\n- **Gras** et _italique_ avec [un lien](https://example.org) et `code`\n> cité\nsnake_case')).toBe(
      'Titre Gras et italique avec un lien et code cité snake_case',
    );
  });

  it('reduces plain text as it reduces any Markdown, whatever the text', () => {
    let plain = 0;
    fc.assert(
      fc.property(markdownText, (source) => {
        if (isPlainText(source.normalize('NFC'))) plain++;
        expect(toPlainText(source)).toBe(toPlainTextInFull(source));
      }),
      { seed: 20261201, numRuns: 10_000 },
    );
    // the comparison is worth something only if many texts took the plain path
    expect(plain).toBeGreaterThan(2_000);
  });
});
