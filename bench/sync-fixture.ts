/**
 * What the sync benchmarks share (suites `sync`, `pouch`, `fleet`): the reference hall in a child
 * process, enrolment codes made as `npm run cli -- hall enrollment-code` makes them, percentiles and
 * CPU time; the kiosk side is in bench-kiosk.ts (re-exported here).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createHallService } from '../src/hall/index.js';
import { openHallStore, type HallStore } from '../src/hall/store/index.js';

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

/**
 * The hall's store as its nodes open it (SQLite in dataDir, or PostgreSQL with databaseUrl), for the
 * benchmark's own reads and writes next to the running hall.
 */
export async function openBenchStore(dataDir: string, databaseUrl?: string): Promise<HallStore> {
  const opened = await openHallStore({
    dataDir,
    ...(databaseUrl !== undefined ? { databaseUrl, databasePoolSize: 2 } : {}),
  });
  if (!opened.ok) throw new Error(opened.message);
  return opened.store;
}

/** One-time enrolment codes, made the way `npm run cli -- hall enrollment-code` makes them. */
export async function enrollmentCodesIn(store: HallStore, dataDir: string, n: number): Promise<string[]> {
  const service = await createHallService({ db: store.sql, dataDir, clock: () => new Date() });
  const codes: string[] = [];
  for (let i = 0; i < n; i++) codes.push((await service.createEnrollmentCode('610113')).code);
  return codes;
}

/** The same, for the SQLite hall in hallDataDir (its store opened and closed around it). */
export async function enrollmentCodes(hallDataDir: string, n: number): Promise<string[]> {
  const store = await openBenchStore(hallDataDir);
  try {
    return await enrollmentCodesIn(store, hallDataDir, n);
  } finally {
    await store.close();
  }
}

export const quantile = (sorted: readonly number[], q: number): number =>
  sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

/** /proc/PID/stat's fields after the command name (which may hold spaces); null once it is gone. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  // utime is the 12th field after the command name, stime the 13th.
  const f = statFields(pid);
  return f === null ? NaN : (Number(f[11]) + Number(f[12])) / CLOCK_TICKS;
}

/**
 * CPU seconds a process and its children have used so far: its own, its reaped children's (cutime +
 * cstime, the 14th and 15th fields) and its live children's. For the PostgreSQL postmaster: every
 * backend and background process, the ones that exited too.
 */
export function treeCpuSeconds(pid: number): number {
  const f = statFields(pid);
  if (f === null) return NaN;
  let ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const c = statFields(Number(name));
    // The parent pid is the 2nd field after the command name.
    if (c !== null && Number(c[1]) === pid) ticks += Number(c[11]) + Number(c[12]);
  }
  return ticks / CLOCK_TICKS;
}
const CLOCK_TICKS = 100;
