import { spawn, spawnSync } from 'node:child_process';
import { freePort } from '../live/server-process';
import { accepts, until } from './until';

/** Whether redis-server is installed here: the tests of several instances are skipped without it. */
export const hasRedis = spawnSync('redis-server', ['--version']).status === 0;

/** A throwaway redis-server on a free port, without persistence; resolves once it accepts connections. */
export async function startRedis(): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await until('redis-server accepts connections', () => accepts(port));
  return { url: `redis://127.0.0.1:${port}`, stop: () => redis.kill('SIGKILL') };
}
