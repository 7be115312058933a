import type { PracticeView } from './practice.view';

/** The sheets as exported: their files' links made absolute (the instance the request reached), for use outside Essor. */
export function withAbsoluteLinks(practices: PracticeView[], origin: string): PracticeView[] {
  return practices.map((practice) => ({
    ...practice,
    attachments: practice.attachments.map((file) => ({
      ...file,
      url: `${origin}${file.url}`,
      previewUrl: file.previewUrl && `${origin}${file.previewUrl}`,
    })),
  }));
}

export const CSV_FILE_NAME = 'fiches-pratiques.csv';
export const JSON_FILE_NAME = 'fiches-pratiques.json';

/** Lists inside one cell. */
export const LIST_JOINER = ' ; ';

/** Excel reads a file as UTF-8 only when it starts with a byte order mark; without it the accents come out garbled. */
const BOM = '\uFEFF';

/** The catalogue's columns, headed in French for the study team, lists joined with « ; ». */
const COLUMNS: ReadonlyArray<readonly [string, (practice: PracticeView) => string]> = [
  ['Identifiant', (practice) => practice.id],
  ['Titre', (practice) => practice.title],
  ['Métropole', (practice) => practice.metropolis.name],
  ['Résumé', (practice) => practice.summary],
  ['Description', (practice) => practice.description],
  ['Thèmes', (practice) => practice.topics.map((topic) => topic.title).join(LIST_JOINER)],
  ['Leviers', (practice) => practice.leverLabels.join(LIST_JOINER)],
  ['Partenaires', (practice) => practice.partners.join(LIST_JOINER)],
  ['Stade', (practice) => practice.stageLabel],
  ['Liens', (practice) => practice.links.join(LIST_JOINER)],
  ['Contact', (practice) => practice.contact ?? ''],
  ['Auteur', (practice) => practice.author?.displayName ?? ''],
  ['Créée le', (practice) => practice.createdAt],
  ['Mise à jour le', (practice) => practice.updatedAt],
  ['Documents', (practice) => practice.attachments.map((file) => `${file.name} (${file.url})`).join(LIST_JOINER)],
];

export const CSV_HEADERS = COLUMNS.map(([header]) => header);

/**
 * One CSV field per RFC 4180: quoted when it holds the separator, a quote or a line break, quotes doubled. A field that
 * a spreadsheet would run as a formula (= + - @ tab CR first) is defused with a leading apostrophe.
 */
export function csvField(value: string, separator = ','): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return safe.includes(separator) || /["\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The whole catalogue as CSV: BOM, header row, CRLF line ends. */
export function practicesToCsv(practices: PracticeView[], separator = ','): string {
  const rows = [CSV_HEADERS, ...practices.map((practice) => COLUMNS.map(([, cell]) => cell(practice)))];
  return BOM + rows.map((cells) => cells.map((cell) => csvField(cell, separator)).join(separator)).join('\r\n') + '\r\n';
}
