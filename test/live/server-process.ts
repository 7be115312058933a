import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const START_TIMEOUT_MS = 90_000;

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** What the server wrote so far (stdout and stderr), for failure messages. */
  output(): string;
  /** Sends the signal and resolves once the process is gone. */
  stop(signal: NodeJS.Signals): Promise<void>;
}

/**
 * The environment of a production-mode Essor process on a SQLite file of its own in `directory`, seeded, with `admin`
 * as its first admin; `extra` adds or overrides variables.
 */
export async function sqliteServerEnv(
  directory: string,
  admin: { email: string; password: string },
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  return {
    NODE_ENV: 'production',
    PORT: String(await freePort()),
    DATABASE_URL: `sqlite:${join(directory, 'essor.sqlite')}`,
    DATA_DIR: directory,
    SEED: 'true',
    LOG_LEVEL: 'warn',
    // any secret of the right length: the tests sign in through the API
    JWT_SECRET: 'server-process-test-secret-0123456789abcdef',
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    ...extra,
  };
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Runs the real server (src/main.ts) as a child process, transpiled on the fly by ts-node: no build step, no stale
 * dist/, and a start in a few seconds. Resolves once /api/health answers 200.
 */
export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const port = env.PORT;
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TZ: 'UTC', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const server: ServerProcess = {
    url,
    child,
    output: () => output,
    async stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited during its start:\n${output}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.status === 200) return server;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await server.stop('SIGKILL');
  throw new Error(`the server did not answer /api/health within ${START_TIMEOUT_MS} ms:\n${output}`);
}
