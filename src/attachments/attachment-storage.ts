import { Injectable, OnModuleInit } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { Database } from '../database/database.service';
import { runSql } from '../database/sql';

/** The file as uploaded, and for images the scaled-down preview. */
export type ContentVariant = 'original' | 'preview';

/** Inclusive byte offsets, as in HTTP's Range. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where attachments' bytes live. `save` runs inside the write transaction that records the attachment, so with the
 * database storage the bytes commit with the row; `purge` frees what deleted rows left (after their commit).
 */
export abstract class AttachmentStorage {
  abstract save(manager: EntityManager, id: string, variant: ContentVariant, file: string): Promise<void>;
  abstract read(id: string, variant: ContentVariant, range: ByteRange): Readable;
  abstract purge(ids: string[]): Promise<void>;
}

/** Rows of this many bytes: a Range request reads only the chunks it needs, and no query moves more than this. */
export const CHUNK_BYTES = 1024 * 1024;

const INSERT_CHUNK = 'INSERT INTO "attachment_chunks" ("attachmentId", "variant", "position", "data") VALUES (:id, :variant, :position, :data)';
const READ_CHUNK = 'SELECT "data" FROM "attachment_chunks" WHERE "attachmentId" = :id AND "variant" = :variant AND "position" = :position';

/**
 * SQLite BLOBs or PostgreSQL bytea, in chunks: every instance on one PostgreSQL serves every file with no shared disk.
 * Rows go with their attachment (ON DELETE CASCADE), so there is nothing to purge.
 */
@Injectable()
export class DatabaseAttachmentStorage extends AttachmentStorage {
  constructor(private readonly database: Database) {
    super();
  }

  async save(manager: EntityManager, id: string, variant: ContentVariant, file: string): Promise<void> {
    const handle = await open(file, 'r');
    try {
      for (let position = 0; ; position++) {
        const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
        const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
        if (bytesRead === 0) break;
        await runSql(manager, INSERT_CHUNK, { id, variant, position, data: buffer.subarray(0, bytesRead) });
      }
    } finally {
      await handle.close();
    }
  }

  read(id: string, variant: ContentVariant, range: ByteRange): Readable {
    const manager = this.database.dataSource.manager;
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let position = Math.floor(range.start / CHUNK_BYTES); position <= Math.floor(range.end / CHUNK_BYTES); position++) {
        const [row] = await runSql<Array<{ data: Buffer }>>(manager, READ_CHUNK, { id, variant, position });
        if (!row) throw new Error(`attachment ${id} (${variant}) lacks its chunk ${position}`);
        const offset = position * CHUNK_BYTES;
        yield row.data.subarray(Math.max(0, range.start - offset), range.end - offset + 1);
      }
    }
    return Readable.from(chunks());
  }

  async purge(): Promise<void> {
    // the chunks were deleted with their attachment's row
  }
}

/** Files in ATTACHMENT_DIR, for a single instance that prefers files on disk: `<dir>/<2 first chars>/<id>.<variant>`. */
@Injectable()
export class DirectoryAttachmentStorage extends AttachmentStorage implements OnModuleInit {
  private readonly dir: string;

  constructor(config: AppConfig) {
    super();
    this.dir = config.attachments.dir;
  }

  async onModuleInit(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  private path(id: string, variant: ContentVariant): string {
    return join(this.dir, id.slice(0, 2), `${id}.${variant}`);
  }

  async save(_manager: EntityManager, id: string, variant: ContentVariant, file: string): Promise<void> {
    const target = this.path(id, variant);
    await mkdir(join(this.dir, id.slice(0, 2)), { recursive: true });
    // copied under a temporary name then renamed, so a reader never meets half a file
    await copyFile(file, `${target}.part`);
    await rename(`${target}.part`, target);
  }

  read(id: string, variant: ContentVariant, range: ByteRange): Readable {
    return createReadStream(this.path(id, variant), { start: range.start, end: range.end });
  }

  async purge(ids: string[]): Promise<void> {
    for (const id of ids) {
      for (const variant of ['original', 'preview'] as const) {
        await unlink(this.path(id, variant)).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        });
      }
    }
  }
}
