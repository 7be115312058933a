import { foldForSearch } from '../common/text';
import {
  containsAll,
  containsPhrase,
  countOccurrences,
  countWordStarts,
  foldWithMap,
  highlightRanges,
  likePattern,
  makeSnippet,
  searchTerms,
  searchWords,
  toPlainText,
} from './search-text';

describe('search text helpers', () => {
  it('splits a query into folded words, without repeats, ignoring one-letter words when longer ones exist', () => {
    expect(searchWords('  Évaluation de l’UTILITÉ sociale évaluation ')).toEqual(['evaluation', 'de', 'utilite', 'sociale']);
    expect(searchWords("l'Écossolies")).toEqual(['ecossolies']);
    expect(searchWords('a b')).toEqual(['a', 'b']);
    expect(searchWords('!!! ???')).toEqual([]);
  });

  it('gives words written with œ or æ both spellings, since the stored fold turns œ into o', () => {
    expect(searchTerms('Cœur coeur ex aequo poète')).toEqual([['coeur', 'cour'], ['ex'], ['aequo', 'aquo'], ['poete', 'pote']]);
    expect(containsAll(foldForSearch('Le cœur du sujet'), searchTerms('coeur sujet'))).toBe(true);
    expect(containsAll(foldForSearch('Le coeur du sujet'), searchTerms('cœur'))).toBe(true);
    expect(containsAll(foldForSearch('Le sujet'), searchTerms('cœur sujet'))).toBe(false);
  });

  it('escapes LIKE wildcards', () => {
    expect(likePattern('50%_de\\x')).toBe('%50\\%\\_de\\\\x%');
  });

  it('maps folded offsets back onto the original, even where folding changes a length', () => {
    const decomposed = 'Cafe\u0301 évalué';
    const { folded, starts, ends } = foldWithMap(decomposed);
    expect(folded).toBe('cafe evalue');
    // the e of « Cafe » carries its combining accent
    expect(decomposed.slice(starts[3], ends[3])).toBe('e\u0301');
    const [[start, end]] = highlightRanges(decomposed, ['cafe']);
    expect(decomposed.slice(start, end)).toBe('Cafe\u0301');
    const ranges = highlightRanges('İstanbul et Œuvre', ['stanbul', 'ouvre']);
    expect(ranges.map(([s, e]) => 'İstanbul et Œuvre'.slice(s, e))).toEqual(['stanbul', 'Œuvre']);
  });

  it('merges overlapping highlights', () => {
    expect(highlightRanges('Évaluations', ['evalua', 'luation'])).toEqual([[0, 10]]);
  });

  it('reduces Markdown to plain text', () => {
    expect(toPlainText('# Titre\n\n- **Gras** et _italique_ avec [un lien](https://example.org) et `code`\n> cité\nsnake_case')).toBe(
      'Titre Gras et italique avec un lien et code cité snake_case',
    );
  });

  it('cuts a long text around the first match on word boundaries, with ellipses, and highlights every match', () => {
    const before = Array.from({ length: 40 }, (_, index) => `mot${index}`).join(' ');
    const after = Array.from({ length: 40 }, (_, index) => `suite${index}`).join(' ');
    const text = `${before} l'Évaluation de l'utilité sociale ${after}`;
    const { snippet, highlights } = makeSnippet(text, ['evaluation', 'utilite']);
    expect(snippet.startsWith('… ')).toBe(true);
    expect(snippet.endsWith(' …')).toBe(true);
    expect(snippet.length).toBeLessThanOrEqual(164);
    for (const part of snippet.replace(/^… | …$/g, '').split(' ')) expect(text.split(' ')).toContain(part);
    expect(highlights.map(([start, end]) => snippet.slice(start, end))).toEqual(['Évaluation', 'utilité']);
    expect(highlights.map(([start, end]) => foldForSearch(snippet.slice(start, end)))).toEqual(['evaluation', 'utilite']);
  });

  it('keeps a short text whole', () => {
    expect(makeSnippet('Les Écossolies', ['ecossolies'])).toEqual({ snippet: 'Les Écossolies', highlights: [[4, 14]] });
  });

  it('scores phrases and occurrences', () => {
    expect(containsPhrase("l'evaluation de l'utilite", searchTerms("évaluation de l'utilité"))).toBe(true);
    expect(containsPhrase('utilite de evaluation', searchTerms('evaluation utilite'))).toBe(false);
    expect(containsPhrase('au cour du sujet', searchTerms('coeur du sujet'))).toBe(true);
    expect(countOccurrences('eva eva eva', [['eva']], 2)).toBe(2);
    expect(countWordStarts('un parcours de ressources', searchTerms('cœur sœur'))).toBe(0);
    expect(countWordStarts('le coeur, la sour', searchTerms('cœur sœur eva'))).toBe(2);
  });
});
