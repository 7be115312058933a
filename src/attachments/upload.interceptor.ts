import {
  BadRequestException,
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { Request, RequestHandler, Response } from 'express';
import multer, { MulterError } from 'multer';
import { randomUUID } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { catchError, concatMap, Observable } from 'rxjs';
import { hasBody } from '../common/http/request-body';
import { AppConfig } from '../config/app-config';
import { UploadFolder } from './upload-folder';

/** The only text field beside the file: the alternative text of an image. */
export const ALT_MAX = 1000;

export const NO_FILE_MESSAGE = 'file : joignez un fichier dans le champ « file » d’un formulaire multipart/form-data.';

/**
 * Streams the multipart field `file` to a file of the process's temporary folder (never into memory), within the
 * size limit; the handler gets it as `request.file`, and the temporary file is deleted before the answer is sent,
 * whatever happened. multer deletes what it wrote itself when the upload fails or the client goes away.
 */
@Injectable()
export class UploadInterceptor implements NestInterceptor {
  private readonly receive: RequestHandler;
  private readonly maxMegabytes: number;

  constructor(config: AppConfig, folder: UploadFolder) {
    this.maxMegabytes = config.attachments.maxBytes / (1024 * 1024);
    this.receive = multer({
      storage: multer.diskStorage({ destination: folder.path, filename: (_request, _file, done) => done(null, randomUUID()) }),
      limits: { fileSize: config.attachments.maxBytes, files: 1, fields: 1, parts: 2, fieldSize: ALT_MAX * 4 },
      // browsers send the file's name as UTF-8 bytes; busboy would read them as Latin-1 (« DÃ©libÃ©ration »)
      defParamCharset: 'utf8',
    }).single('file');
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<Request & { file?: { path: string } }>();
    const response = context.switchToHttp().getResponse<Response>();
    // a body of another type would otherwise be refused as the JSON it is not
    if (hasBody(request) && !request.is('multipart/form-data')) throw new UnsupportedMediaTypeException(NO_FILE_MESSAGE);
    await new Promise<void>((resolve, reject) =>
      this.receive(request, response, (error: unknown) => (error ? reject(this.toHttp(error)) : resolve())),
    );
    // a text field named `file` (or a file part without a name, which busboy reads as text) is no file
    if (!request.file && Object.hasOwn((request.body ?? {}) as object, 'file')) throw new BadRequestException([NO_FILE_MESSAGE]);
    // awaited before the answer leaves, so that an answered upload has left nothing in the temporary folder
    const removeTemporaryFile = async (): Promise<void> => {
      if (request.file) await unlink(request.file.path).catch(() => undefined);
    };
    return next.handle().pipe(
      concatMap(async (value: unknown) => {
        await removeTemporaryFile();
        return value;
      }),
      catchError(async (error: unknown) => {
        await removeTemporaryFile();
        throw error;
      }),
    );
  }

  private toHttp(error: unknown): Error {
    if (!(error instanceof MulterError)) {
      // a failure of the disk is the server's; anything else busboy throws is a body it could not read
      if (error instanceof Error && 'syscall' in error) return error;
      return new BadRequestException(['Envoi illisible : le corps multipart/form-data est mal formé ou incomplet.']);
    }
    if (error.code === 'LIMIT_FILE_SIZE') {
      return new PayloadTooLargeException(`Fichier trop volumineux : la taille maximale est de ${this.maxMegabytes} Mo (ATTACHMENT_MAX_MB).`);
    }
    if (error.code === 'LIMIT_FIELD_VALUE') return new BadRequestException([`alt ne doit pas dépasser ${ALT_MAX} caractères.`]);
    return new BadRequestException([`Envoi refusé (${error.code}) : un seul fichier, dans le champ « file », et au plus le champ « alt ».`]);
  }
}
