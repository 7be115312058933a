import { Injectable, OnModuleDestroy, UnsupportedMediaTypeException } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { Worker } from 'node:worker_threads';

/** What Essor takes, by the MIME type read from the content, with the extensions a file of that type may bear. */
export const ACCEPTED_TYPES: Readonly<Record<string, { extensions: string[]; label: string; image?: true }>> = {
  'image/png': { extensions: ['png'], label: 'PNG', image: true },
  'image/jpeg': { extensions: ['jpg', 'jpeg'], label: 'JPEG', image: true },
  'image/webp': { extensions: ['webp'], label: 'WebP', image: true },
  'application/pdf': { extensions: ['pdf'], label: 'PDF' },
  'application/vnd.oasis.opendocument.text': { extensions: ['odt'], label: 'OpenDocument texte' },
  'application/vnd.oasis.opendocument.spreadsheet': { extensions: ['ods'], label: 'OpenDocument tableur' },
  'application/vnd.oasis.opendocument.presentation': { extensions: ['odp'], label: 'OpenDocument présentation' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { extensions: ['docx'], label: 'Word' },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { extensions: ['xlsx'], label: 'Excel' },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { extensions: ['pptx'], label: 'PowerPoint' },
  'text/csv': { extensions: ['csv'], label: 'CSV' },
  'text/plain': { extensions: ['txt', 'text'], label: 'texte brut' },
};

/** Text has no magic bytes: a file that is valid UTF-8 without NUL is text, and its extension says which of these. */
const TEXT_TYPES_BY_EXTENSION: Readonly<Record<string, string>> = { csv: 'text/csv', txt: 'text/plain', text: 'text/plain' };

export const ACCEPTED_LIST_FRENCH = 'PNG, JPEG, WebP, PDF, OpenDocument (odt, ods, odp), Office (docx, xlsx, pptx), CSV et texte brut';

export function isImageType(type: string): boolean {
  return ACCEPTED_TYPES[type]?.image === true;
}

/**
 * file-type is ESM only: a worker thread loads it with a dynamic import() (which also runs where the process's own
 * module loader cannot, e.g. under Jest) and reads each file's header off the event loop. The package is found from
 * this module's resolution paths and entered by its package.json's `exports`, as Node itself would.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const home = workerData.paths.map((dir) => join(dir, 'file-type')).find((dir) => existsSync(join(dir, 'package.json')));
const loading = home
  ? import(pathToFileURL(join(home, JSON.parse(readFileSync(join(home, 'package.json'), 'utf8')).exports['.'].node.import)).href)
  : Promise.reject(new Error('file-type is not installed'));
loading.catch(() => undefined);
parentPort.on('message', async ({ id, path }) => {
  try {
    const found = await (await loading).fileTypeFromFile(path);
    parentPort.postMessage({ id, found: found ? found.mime : null });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

type Answer = { id: number; found?: string | null; error?: string };

@Injectable()
export class ContentTypeDetector implements OnModuleDestroy {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (type: string | null) => void; reject: (error: Error) => void }>();

  /** The accepted MIME type of the file at `path`, judged from its content; anything else is a 415 in French. */
  async detect(path: string, name: string): Promise<string> {
    const sniffed = await this.sniff(path);
    if (sniffed !== null) {
      if (ACCEPTED_TYPES[sniffed]) return sniffed;
      throw refused(`ce fichier est de type ${sniffed}`);
    }
    const textType = TEXT_TYPES_BY_EXTENSION[extensionOf(name)];
    if (!textType) throw refused('son contenu ne correspond à aucun type accepté');
    if (!(await isUtf8Text(path))) throw refused('ce n’est pas du texte en UTF-8');
    return textType;
  }

  private sniff(path: string): Promise<string | null> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, path });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { paths: require.resolve.paths('file-type') ?? [] } });
    worker.on('message', ({ id, found, error }: Answer) => {
      const waiter = this.waiting.get(id);
      this.waiting.delete(id);
      if (error !== undefined) waiter?.reject(new Error(`file-type: ${error}`));
      else waiter?.resolve(found ?? null);
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => {
      this.worker = undefined;
      this.failAll(new Error('the file-type worker stopped'));
    });
    // an idle worker must not keep the process alive
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const { reject } of this.waiting.values()) reject(error);
    this.waiting.clear();
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.terminate();
  }
}

function refused(reason: string): UnsupportedMediaTypeException {
  return new UnsupportedMediaTypeException(`Type de fichier refusé : ${reason}. Types acceptés : ${ACCEPTED_LIST_FRENCH}.`);
}

export function extensionOf(name: string): string {
  return extname(name).slice(1).toLowerCase();
}

/** Valid UTF-8 from end to end, with no NUL byte: read as a stream, so a large file never sits in memory whole. */
async function isUtf8Text(path: string): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      if (chunk.includes(0)) return false;
      decoder.decode(chunk, { stream: true });
    }
    decoder.decode();
    return true;
  } catch {
    return false;
  }
}
