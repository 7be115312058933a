import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppConfig } from '../config/app-config';
import { AttachmentsService } from './attachments.service';

/** An upload still in the temporary folder after this long was abandoned (a request cannot last that long). */
const ABANDONED_AFTER_MS = 60 * 60 * 1000;
/** Uploads attached to nothing are removed after a day. */
export const UNREFERENCED_LIFETIME_MS = 24 * 60 * 60 * 1000;
const SWEEP_EVERY_MS = 60 * 60 * 1000;

/**
 * Where uploads stream before they are checked: a folder per process (`<tempDir>/<pid>`), so instances sharing a
 * machine never clean each other's uploads in progress. Left-overs are cleaned at start and every hour: folders of
 * processes that are gone, and files older than any upload can take; uploads attached to nothing for a day go too.
 */
@Injectable()
export class UploadFolder implements OnModuleInit, OnModuleDestroy {
  readonly path: string;
  private readonly root: string;
  private timer: NodeJS.Timeout | undefined;
  private readonly logger = new Logger('Attachments');

  constructor(
    config: AppConfig,
    private readonly attachments: AttachmentsService,
  ) {
    this.root = config.attachments.tempDir;
    this.path = join(this.root, String(process.pid));
    // made now, not at init: multer's disk storage is given this folder when the interceptor is built
    mkdirSync(this.path, { recursive: true });
  }

  async onModuleInit(): Promise<void> {
    await this.sweep();
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** One round of cleaning; `now` is a parameter so that tests can look a day ahead. */
  async sweep(now = new Date()): Promise<{ temporaryFiles: number; unreferenced: number }> {
    try {
      const temporaryFiles = await this.cleanTemporaryFiles(now.getTime());
      const unreferenced = await this.attachments.removeUnreferencedBefore(new Date(now.getTime() - UNREFERENCED_LIFETIME_MS));
      if (temporaryFiles + unreferenced > 0) this.logger.log({ temporaryFiles, unreferenced }, 'attachments cleaned');
      return { temporaryFiles, unreferenced };
    } catch (error) {
      this.logger.error({ err: error }, 'attachments cleaning failed');
      return { temporaryFiles: 0, unreferenced: 0 };
    }
  }

  private async cleanTemporaryFiles(now: number): Promise<number> {
    let removed = 0;
    for (const entry of await readdir(this.root, { withFileTypes: true })) {
      const folder = join(this.root, entry.name);
      const pid = Number(entry.name);
      if (entry.isDirectory() && pid !== process.pid && !isRunning(pid)) {
        removed += (await readdir(folder)).length;
        await rm(folder, { recursive: true, force: true });
        continue;
      }
      if (!entry.isDirectory()) continue;
      for (const name of await readdir(folder)) {
        const file = join(folder, name);
        const info = await stat(file).catch(() => null);
        if (info && now - info.mtimeMs > ABANDONED_AFTER_MS) {
          await rm(file, { force: true });
          removed += 1;
        }
      }
    }
    return removed;
  }
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
