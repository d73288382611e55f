/**
 * What the sync benchmarks share (suites `sync`, `pouch`, `fleet`): the reference hall in a child
 * process, enrolment codes made as `npm run cli -- hall enrollment-code` makes them, percentiles and
 * CPU time; the kiosk side is in bench-kiosk.ts (re-exported here).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createHallService, openHallDatabase } from '../src/hall/index.js';

export * from './bench-kiosk.js';

const ROOT = join(import.meta.dirname, '..');

export type Hall = { url: string; dataDir: string; pid: number; stop(): Promise<void> };

/** The reference hall in a child process on a free port; resolves once it listens. */
export async function startHall(dataDir: string, env: Record<string, string> = {}): Promise<Hall> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      // BENCH_HALL_CPU_PROF=<dir>: the hall writes a V8 CPU profile there when it stops (docs/benchmarks.md).
      ...(process.env.BENCH_HALL_CPU_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_HALL_CPU_PROF}`]
        : []),
      '--import',
      'tsx',
      join(ROOT, 'src', 'cli', 'hall-main.ts'),
    ],
    {
      cwd: ROOT,
      env: { ...process.env, HALL_PORT: '0', HALL_HOST: '127.0.0.1', HALL_DATA_DIR: dataDir, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (l) => {
      const m = /Hall server ready: (\S+)/.exec(l);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`hall exited (${code}) before listening`)));
  });
  return {
    url,
    dataDir,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** One-time enrolment codes, made the way `npm run cli -- hall enrollment-code` makes them. */
export async function enrollmentCodes(hallDataDir: string, n: number): Promise<string[]> {
  const opened = openHallDatabase(join(hallDataDir, 'hall.db'));
  if (!opened.ok) throw new Error(opened.message);
  try {
    const service = await createHallService({ db: opened.db, dataDir: hallDataDir, clock: () => new Date() });
    const codes: string[] = [];
    for (let i = 0; i < n; i++) codes.push((await service.createEnrollmentCode('610113')).code);
    return codes;
  } finally {
    opened.db.close();
  }
}

export const quantile = (sorted: readonly number[], q: number): number =>
  sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): utime is the 12th, stime the 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}
const CLOCK_TICKS = 100;
