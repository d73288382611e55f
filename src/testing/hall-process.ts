/**
 * `npm run hall` as a deployment runs it, for tests: src/cli/hall-main.ts in a child process on a
 * free loopback port, ready once it printed its URL; its stderr (JSON log lines) kept.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(import.meta.dirname, '..', '..');
export const HALL_MAIN = join(ROOT, 'src', 'cli', 'hall-main.ts');

export type HallProcess = {
  url: string;
  port: number;
  child: ChildProcess;
  log: string[];
  exited: Promise<void>;
};

/**
 * Starts the hall with `env` (over HALL_PORT=0, HALL_HOST=127.0.0.1, no scheduled blob GC);
 * `maxOpenFiles` runs it under that open-files limit (soft and hard, as `ulimit -n` sets it).
 */
export async function startHallProcess(
  env: Record<string, string>,
  opts: { timeoutMs?: number; maxOpenFiles?: number } = {},
): Promise<HallProcess> {
  const timeoutMs = opts.timeoutMs ?? 40_000;
  const node = [process.execPath, '--import', 'tsx', HALL_MAIN];
  const [file, ...args] =
    opts.maxOpenFiles === undefined
      ? node
      : ['/bin/sh', '-c', `ulimit -n ${Math.trunc(opts.maxOpenFiles)} && exec "$@"`, 'sh', ...node];
  const child = spawn(file!, args, {
    cwd: ROOT,
    env: { ...process.env, HALL_PORT: '0', HALL_HOST: '127.0.0.1', HALL_BLOB_GC_HOURS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  createInterface({ input: child.stderr }).on('line', (l) => log.push(l));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hall did not start: ${log.join('\n')}`)), timeoutMs);
    createInterface({ input: child.stdout }).on('line', (l) => {
      const m = /Hall server ready: (\S+)/.exec(l);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hall exited (${code}) before listening: ${log.join('\n')}`));
    });
  });
  return { url, port: Number(new URL(url).port), child, log, exited };
}

/** SIGTERM (a clean stop) unless it already ended; resolves once it exited. */
export async function stopHallProcess(n: HallProcess | undefined): Promise<void> {
  if (!n) return;
  if (n.child.exitCode === null && n.child.signalCode === null) n.child.kill('SIGTERM');
  await n.exited;
}
