import { foldForSearch, slugify } from './text';

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
});
