/**
 * Whole-process start of `npm start` (target ≤ 500 ms median): spawns `node dist/node/cli/start.js`
 * as a fresh process and times spawn → the "Kiosk ready: http://127.0.0.1:PORT/" line on stdout —
 * node's own boot, every module the backend loads, migrate, catalog seed and listen. Each run then
 * checks the server answers, stops it with SIGTERM and requires a clean exit (status 0).
 *
 * The child sees no DISPLAY/WAYLAND_DISPLAY (so neither Electron nor a browser window is started)
 * and KIOSK_BROWSER=none; every other KIOSK_* variable of the caller is dropped so the figure does
 * not depend on the shell it was run from. Runs: STARTUP_BENCH_RUNS (default 15).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, type BenchResult, type BenchSuite } from './harness.js';

const RUNS = Number(process.env.STARTUP_BENCH_RUNS ?? 15);
/** STARTUP_BENCH_ENTRY measures another build (e.g. a copy of an older dist/node) side by side. */
const ENTRY =
  process.env.STARTUP_BENCH_ENTRY ?? join(import.meta.dirname, '..', 'dist', 'node', 'cli', 'start.js');
const READY = /^Kiosk ready: (http:\/\/127\.0\.0\.1:\d+\/)$/m;
const TIMEOUT_MS = 30_000;

function childEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('KIOSK_') || k.startsWith('ELECTRON_') || k === 'DISPLAY' || k === 'WAYLAND_DISPLAY')
      continue;
    env[k] = v;
  }
  return { ...env, KIOSK_DATA_DIR: dataDir, KIOSK_PORT: '0', KIOSK_BROWSER: 'none' };
}

/**
 * CPU time (user + system) the process has used, from /proc (Linux; null elsewhere). On a machine
 * shared with other work the wall time grows with the load; this grows much less.
 */
function cpuMs(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime in clock ticks (100 Hz)
    return Number.isFinite(ticks) ? ticks * 10 : null;
  } catch {
    return null;
  }
}

type Start = { ms: number; cpu: number | null };

/** One start: ms from spawn to the ready line; the kiosk must then answer and stop with status 0. */
async function startOnce(dataDir: string): Promise<Start> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [ENTRY], {
    env: childEnv(dataDir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    const { ms, cpu, url } = await new Promise<Start & { url: string }>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "Kiosk ready" within ${TIMEOUT_MS} ms`)),
        TIMEOUT_MS,
      );
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = READY.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve({ ms: performance.now() - t0, cpu: cpuMs(child.pid), url: m[1]! });
        }
      });
      void exited.then(({ code }) => {
        clearTimeout(timer);
        reject(new Error(`start.js exited (status ${code}) before "Kiosk ready"`));
      });
    });
    const health = await fetch(new URL('healthz', url));
    if (!health.ok) throw new Error(`${url}healthz answered ${health.status}`);
    await health.arrayBuffer();
    child.kill('SIGTERM');
    const { code, signal } = await exited;
    if (code !== 0) throw new Error(`start.js stopped with status ${code ?? signal} instead of 0`);
    return { ms, cpu };
  } catch (e) {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`${(e as Error).message}\nstdout:\n${stdout}\nstderr:\n${stderr}`, { cause: e });
  }
}

/** Node's own floor on this machine: spawn → exit of an empty script. */
async function nodeFloorOnce(): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return performance.now() - t0;
}

const stats = (runs: readonly number[]) =>
  `median of ${runs.length} (min ${Math.min(...runs).toFixed(0)}, max ${Math.max(...runs).toFixed(0)} ms)`;

/** The CPU part of a note, when /proc gave it for every run. */
function cpuNote(starts: readonly Start[]): string {
  const cpu = starts.map((s) => s.cpu);
  return cpu.every((c): c is number => c !== null) ? `; CPU time to ready median ${median(cpu)} ms` : '';
}

export const processStartSuite: BenchSuite = {
  name: 'process-start',
  async run(): Promise<BenchResult[]> {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm run build first`);
    const load = loadavg()[0]?.toFixed(1) ?? '?';
    const fresh: Start[] = [];
    for (let i = 0; i < RUNS; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'zizhu-start-'));
      try {
        fresh.push(await startOnce(dir));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const again: Start[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'zizhu-start-'));
    try {
      await startOnce(dir); // migrates and loads the catalog seed
      for (let i = 0; i < RUNS; i++) again.push(await startOnce(dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const floor: number[] = [];
    for (let i = 0; i < RUNS; i++) floor.push(await nodeFloorOnce());
    const wall = (starts: readonly Start[]) => starts.map((s) => s.ms);
    return [
      {
        name: 'process start → "Kiosk ready", fresh data dir',
        value: median(wall(fresh)),
        unit: 'ms',
        note: `${stats(wall(fresh))}${cpuNote(fresh)}: node dist/node/cli/start.js, spawn → ready line; new KIOSK_DATA_DIR each run (migrate + catalog seed), KIOSK_PORT=0, no browser; load average ${load} at the start`,
      },
      {
        name: 'process start → "Kiosk ready", existing data dir',
        value: median(wall(again)),
        unit: 'ms',
        note: `${stats(wall(again))}${cpuNote(again)}: same, the database already migrated and seeded (a kiosk's every later start)`,
      },
      {
        name: 'node floor: spawn → exit of `node -e ""`',
        value: median(floor),
        unit: 'ms',
        note: `${stats(floor)}: what any Node process costs here, for scale`,
      },
    ];
  },
};
