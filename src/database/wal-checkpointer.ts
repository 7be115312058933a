import { Logger } from '@nestjs/common';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

/**
 * Past this size the WAL is truncated once every frame is back in the database file. Under a steady stream of
 * commits a passive checkpoint is always overtaken by the next commit, so SQLite never gets to rewind the WAL by itself
 * (better-sqlite3 calls this checkpoint starvation); about SQLite's own auto-checkpoint threshold (1,000 pages).
 */
export const WAL_LIMIT_BYTES = 4 * 1024 * 1024;

interface CheckpointerData {
  path: string;
  driverPath: string;
  synchronous: string;
  walLimitBytes: number;
}

/** What the worker uses of better-sqlite3 (which ships no types). */
type Sqlite = new (
  path: string,
  options: { fileMustExist: boolean; timeout: number },
) => { pragma(source: string, options?: { simple: boolean }): unknown; close(): void };

/**
 * The worker's body, run from its source text (so the same code serves the compiled build and the tests): a
 * connection of its own to the same file, which checkpoints on each request. PASSIVE never waits for a reader or a
 * writer; once the WAL file has grown past the limit and PASSIVE has copied all of it back, TRUNCATE empties it. The
 * connection does not wait for locks (timeout 0): a TRUNCATE that would have to wait is skipped, and tried again at
 * the next request, rather than holding the writer back. Checkpoints sync the database file as the app's own
 * `synchronous` setting says, as SQLite's automatic ones on the app's connection did.
 */
function serveCheckpoints(): void {
  /* eslint-disable @typescript-eslint/no-require-imports -- runs as a worker's source text, where imports cannot reach */
  const threads = require('node:worker_threads') as typeof import('node:worker_threads');
  const fs = require('node:fs') as typeof import('node:fs');
  const { path, driverPath, synchronous, walLimitBytes } = threads.workerData as CheckpointerData;
  const Driver = require(driverPath) as Sqlite;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const parentPort = threads.parentPort!;
  const db = new Driver(path, { fileMustExist: true, timeout: 0 });
  db.pragma(`synchronous = ${synchronous}`);
  const walFileSize = () => fs.statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  const checkpoint = (mode: string) => (db.pragma(`wal_checkpoint(${mode})`) as Array<{ busy: number; log: number; checkpointed: number }>)[0];
  parentPort.on('message', (message: 'checkpoint' | 'close') => {
    if (message === 'close') {
      db.close();
      parentPort.close();
      return;
    }
    try {
      const { log, checkpointed } = checkpoint('PASSIVE');
      // the file, not the frames of the WAL's current pass: a WAL rewound by the writer keeps its size
      if (checkpointed === log && walFileSize() > walLimitBytes) checkpoint('TRUNCATE');
      parentPort.postMessage({});
    } catch (error) {
      parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
    }
  });
}

/**
 * Checkpoints a SQLite file's WAL from a worker thread. SQLite's automatic checkpoint runs inside the commit that
 * crosses its threshold, on the connection that commits: with better-sqlite3, on the event loop, which then stalls for
 * the whole checkpoint. The app's connection has it switched off (`wal_autocheckpoint = 0`) and tells this one after
 * each commit instead; requests made while a round runs are answered by one more round after it.
 */
export class WalCheckpointer {
  private readonly logger = new Logger(WalCheckpointer.name);
  private worker: Worker | undefined;
  private running = false;
  private requested = false;
  private closed = false;

  constructor(
    private readonly path: string,
    private readonly synchronous: string,
  ) {
    this.startedWorker();
  }

  /** After a commit: one round now, or one more after the round under way. */
  committed(): void {
    if (this.closed) return;
    if (this.running) {
      this.requested = true;
      return;
    }
    this.running = true;
    this.startedWorker().postMessage('checkpoint');
  }

  private startedWorker(): Worker {
    if (this.worker) return this.worker;
    const data: CheckpointerData = {
      path: this.path,
      driverPath: require.resolve('better-sqlite3'),
      synchronous: this.synchronous,
      walLimitBytes: WAL_LIMIT_BYTES,
    };
    const worker = new Worker(`(${serveCheckpoints.toString()})()`, { eval: true, workerData: data });
    worker.on('message', ({ error }: { error?: string }) => {
      if (error !== undefined) this.logger.error(`WAL checkpoint failed: ${error}`);
      this.roundEnded();
    });
    // a worker that died is started again at the next commit; the WAL meanwhile only grows
    worker.on('error', (error) => this.logger.error(`WAL checkpointer stopped: ${error.message}`));
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.roundEnded();
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private roundEnded(): void {
    this.running = false;
    if (!this.requested) return;
    this.requested = false;
    this.committed();
  }

  /**
   * Closes the worker's connection. Commits made afterwards (writes drained at shutdown) are checkpointed by SQLite
   * when the app's connection, then the last one, closes.
   */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    const exited = once(worker, 'exit');
    worker.postMessage('close');
    await exited;
  }
}
