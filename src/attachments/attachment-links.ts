import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ACCEPTED_TYPES } from './content-type';

/** What an exported list of files needs of each. */
export interface LinkedFile {
  name: string;
  type: string;
  size: number;
  url: string;
}

/**
 * The origin the request reached (scheme and host; behind TRUST_PROXY, as the proxy saw them), so that exported
 * files link to the files of the instance they came from.
 */
export const RequestOrigin = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<Request>();
  return `${request.protocol}://${request.get('host') ?? 'localhost'}`;
});

/** « 12 ko », « 1,4 Mo »: sizes as French readers write them. */
export function frenchSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString('fr-FR')} ko`;
  return `${(bytes / (1024 * 1024)).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
}

/** Markdown list items: the file's name as a link to its download, its kind and its size. */
export function attachmentMarkdown(files: LinkedFile[], origin: string, indent = ''): string[] {
  return files.map((file) => {
    const name = file.name.replace(/\s+/g, ' ').replace(/[\\`*_[\]<>#|~]/g, (char) => `\\${char}`);
    return `${indent}- Pièce jointe : [${name}](<${origin}${file.url}>) (${ACCEPTED_TYPES[file.type]?.label ?? file.type}, ${frenchSize(file.size)})`;
  });
}
