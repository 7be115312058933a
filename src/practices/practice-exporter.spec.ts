import { CSV_HEADERS, csvField, practicesToCsv } from './practice-exporter';
import type { PracticeView } from './practice.view';

function practice(overrides: Partial<PracticeView> = {}): PracticeView {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    title: 'Fiche',
    summary: 'Résumé',
    description: 'Description',
    descriptionHtml: '<p>Description</p>',
    metropolis: { id: '00000000-0000-4000-8000-000000000002', slug: 'nantes-metropole', name: 'Nantes Métropole' },
    topics: [],
    levers: ['ecosystem-support', 'social-rnd'],
    leverLabels: ['Soutien', 'R&D'],
    partners: ['A', 'B'],
    stage: 'pilot',
    stageLabel: 'Expérimentation',
    links: [],
    contact: null,
    threadId: '00000000-0000-4000-8000-000000000003',
    postCount: 0,
    author: null,
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-02T00:00:00.000Z',
    attachments: [],
    ...overrides,
  };
}

describe('practice CSV export', () => {
  it('quotes fields per RFC 4180 only when needed', () => {
    expect(csvField('simple')).toBe('simple');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('il a dit "oui"')).toBe('"il a dit ""oui"""');
    expect(csvField('ligne 1\nligne 2')).toBe('"ligne 1\nligne 2"');
    expect(csvField('a; b')).toBe('a; b');
    expect(csvField('a; b', ';')).toBe('"a; b"');
  });

  it('defuses spreadsheet formulas', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+33 1 23')).toBe("'+33 1 23");
    expect(csvField('@sum')).toBe("'@sum");
  });

  it('starts with a BOM and a header row, ends lines with CRLF and joins lists with « ; »', () => {
    const csv = practicesToCsv([practice()]);
    expect(csv.startsWith('\uFEFFIdentifiant,Titre,Métropole,')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(lines[0].split(',')).toEqual(CSV_HEADERS);
    expect(lines[1]).toContain(',Soutien ; R&D,A ; B,Expérimentation,');
  });
});
