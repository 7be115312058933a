import { strToU8, zipSync, type Zippable } from 'fflate';
import sharp from 'sharp';

/** A real small file of each type Essor accepts, made here rather than kept as binaries in the repository. */
export interface SampleFile {
  name: string;
  type: string;
  bytes: Buffer;
}

const image = (format: 'png' | 'jpeg' | 'webp', width = 1600, height = 900) =>
  sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 90 } } })
    .toFormat(format)
    .toBuffer();

/** A one-page PDF with its cross-reference table: what a PDF reader opens. */
export function minimalPdf(text = 'Grille d’évaluation'): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${text.length + 31} >>\nstream\nBT /F1 18 Tf 72 760 Td (${text.replace(/[^\x20-\x7e]/g, '?')}) Tj ET\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(Buffer.byteLength(pdf));
    pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf);
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** OpenDocument: a zip whose first entry, stored uncompressed, is `mimetype`. */
function openDocument(mime: string, body: string): Buffer {
  const files: Zippable = {
    mimetype: [strToU8(mime), { level: 0 }],
    'META-INF/manifest.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="${mime}"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`,
    ),
    'content.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>${body}</office:body></office:document-content>`,
    ),
  };
  return Buffer.from(zipSync(files));
}

/** Office Open XML: a zip whose `[Content_Types].xml` names the main part's type. */
function officeOpenXml(folder: 'word' | 'xl' | 'ppt', main: string, mainType: string): Buffer {
  const files: Zippable = {
    '[Content_Types].xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/${folder}/${main}" ContentType="${mainType}"/></Types>`,
    ),
    '_rels/.rels': strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${folder}/${main}"/></Relationships>`,
    ),
    [`${folder}/${main}`]: strToU8('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><root/>'),
  };
  return Buffer.from(zipSync(files));
}

export async function acceptedSamples(): Promise<SampleFile[]> {
  return [
    { name: 'affiche.png', type: 'image/png', bytes: await image('png') },
    { name: 'photo-lille.jpg', type: 'image/jpeg', bytes: await image('jpeg') },
    { name: 'schema.webp', type: 'image/webp', bytes: await image('webp', 400, 300) },
    { name: 'grille-evaluation.pdf', type: 'application/pdf', bytes: minimalPdf() },
    {
      name: 'etude.odt',
      type: 'application/vnd.oasis.opendocument.text',
      bytes: openDocument('application/vnd.oasis.opendocument.text', '<office:text><text:p>Étude</text:p></office:text>'),
    },
    {
      name: 'budget.ods',
      type: 'application/vnd.oasis.opendocument.spreadsheet',
      bytes: openDocument('application/vnd.oasis.opendocument.spreadsheet', '<office:spreadsheet/>'),
    },
    {
      name: 'focus.odp',
      type: 'application/vnd.oasis.opendocument.presentation',
      bytes: openDocument('application/vnd.oasis.opendocument.presentation', '<office:presentation/>'),
    },
    {
      name: 'deliberation.docx',
      type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      bytes: officeOpenXml('word', 'document.xml', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml'),
    },
    {
      name: 'indicateurs.xlsx',
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      bytes: officeOpenXml('xl', 'workbook.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml'),
    },
    {
      name: 'presentation-nantes.pptx',
      type: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
      bytes: officeOpenXml('ppt', 'presentation.xml', 'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml'),
    },
    { name: 'structures.csv', type: 'text/csv', bytes: Buffer.from('métropole;structures\nNantes;14\nLille;9\n', 'utf8') },
    { name: 'notes.txt', type: 'text/plain', bytes: Buffer.from('Compte rendu préparatoire — séance du 5 mars 2019\n', 'utf8') },
  ];
}

/** A Windows executable's header (MZ, then the PE signature where its offset points). */
export function windowsExecutable(): Buffer {
  const bytes = Buffer.alloc(512);
  bytes.write('MZ', 0, 'latin1');
  bytes.writeUInt32LE(0x80, 0x3c);
  bytes.write('PE\0\0', 0x80, 'latin1');
  return bytes;
}

export const htmlPage = (): Buffer => Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>\n', 'utf8');
