import { plainExcerpt } from './plain-text';

describe('plainExcerpt', () => {
  it('drops the marks of Markdown and keeps the words', () => {
    expect(plainExcerpt('## Titre\n\n> cité\n\n- **gras** et _penché_ avec `code`\n1. un [lien](https://example.org) ![image](x.png)')).toBe(
      'Titre cité gras et penché avec code un lien image',
    );
    expect(plainExcerpt('```ts\nconst a = 1;\n```')).toBe('const a = 1;');
    expect(plainExcerpt('<script>alert(1)</script> texte')).toBe('alert(1) texte');
  });

  it('cuts at 200 characters at most, with an ellipsis', () => {
    const cut = plainExcerpt('mot '.repeat(200));
    expect(cut.length).toBeLessThanOrEqual(200);
    expect(cut.endsWith('…')).toBe(true);
    expect(plainExcerpt('court')).toBe('court');
  });
});
