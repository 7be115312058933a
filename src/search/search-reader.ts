import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Worker } from 'node:worker_threads';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { bindSql, runSql } from '../database/sql';
import type { Statement } from './search-query';

interface Pending {
  resolve: (rows: unknown[]) => void;
  reject: (error: Error) => void;
}

/** What the worker uses of better-sqlite3 (which ships no types). */
type ReadOnlySqlite = new (
  path: string,
  options: { readonly: boolean; fileMustExist: boolean; timeout: number },
) => { prepare(sql: string): { all(...values: unknown[]): unknown[] } };

/**
 * The worker's body, run from its source text (so the same code serves the compiled build and the tests): a
 * read-only better-sqlite3 connection to the same file, which WAL lets read beside the writer, answering one query
 * per message with its rows. Statements are prepared once each.
 */
function serveSearchReads(): void {
  /* eslint-disable @typescript-eslint/no-require-imports -- runs as a worker's source text, where imports cannot reach */
  const threads = require('node:worker_threads') as typeof import('node:worker_threads');
  const { path, driverPath } = threads.workerData as { path: string; driverPath: string };
  const Sqlite = require(driverPath) as ReadOnlySqlite;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const parentPort = threads.parentPort!;
  const db = new Sqlite(path, { readonly: true, fileMustExist: true, timeout: 5000 });
  const statements = new Map<string, { all(...values: unknown[]): unknown[] }>();
  parentPort.on('message', ({ id, sql, values }: { id: number; sql: string; values: unknown[] }) => {
    try {
      let statement = statements.get(sql);
      if (!statement) statements.set(sql, (statement = db.prepare(sql)));
      parentPort.postMessage({ id, rows: statement.all(...values) });
    } catch (error) {
      parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
    }
  });
}

/**
 * Runs the search's ranking query. better-sqlite3 is synchronous: a ranking over tens of thousands of matches on the
 * main thread would hold every other request of the process, so on a SQLite file it runs in a worker thread with a
 * connection of its own. PostgreSQL (a pool, asynchronous), an in-memory SQLite database (which no second connection
 * can open) and the `sqlite3` driver (which already queries off the event loop) use the app's data source.
 */
@Injectable()
export class SearchReader implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SearchReader.name);
  private readonly sqliteFile: string | undefined;
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: AppConfig,
  ) {
    const { database } = config;
    if (database.type === 'sqlite' && database.driver === 'better-sqlite3' && database.path !== ':memory:') this.sqliteFile = database.path;
  }

  /** The worker starts with the app (after the migrations), so that the first search does not wait for it. */
  onApplicationBootstrap(): void {
    if (this.sqliteFile) this.startedWorker(this.sqliteFile);
  }

  /** True when reads leave the event loop for a worker thread. */
  get usesWorker(): boolean {
    return this.sqliteFile !== undefined;
  }

  query<T>(statement: Statement): Promise<T[]> {
    if (!this.sqliteFile) return runSql<T[]>(this.dataSource.manager, statement.sql, statement.parameters);
    const [sql, values] = bindSql(this.dataSource.driver, statement.sql, statement.parameters);
    const worker = this.startedWorker(this.sqliteFile);
    const id = ++this.nextId;
    return new Promise<T[]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (rows: unknown[]) => void, reject });
      worker.postMessage({ id, sql, values });
    });
  }

  private startedWorker(path: string): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(`(${serveSearchReads.toString()})()`, {
      eval: true,
      workerData: { path, driverPath: require.resolve('better-sqlite3') },
    });
    worker.on('message', ({ id, rows, error }: { id: number; rows?: unknown[]; error?: string }) => {
      const waiting = this.pending.get(id);
      this.pending.delete(id);
      if (error !== undefined) waiting?.reject(new Error(error));
      else waiting?.resolve(rows ?? []);
    });
    // a worker that died fails what it held; the next search starts another
    worker.on('error', (error) => this.abandon(worker, error));
    worker.on('exit', (code) => this.abandon(worker, new Error(`search worker exited with code ${code}`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private abandon(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    if (this.pending.size > 0) this.logger.error(`search worker stopped: ${error.message}`);
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }

  async onModuleDestroy(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}
