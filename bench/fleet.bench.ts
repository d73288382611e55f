/**
 * Suite `fleet` (issue #11, item 6): FLEET_BENCH_KIOSKS kiosks (default 200) spread over
 * FLEET_BENCH_PROCS forked worker processes (default 4, `bench/fleet-worker.ts`) against one reference
 * hall (SQLite, its own process), so the kiosks' side is not one busy event loop inflating its own
 * latencies. For FLEET_BENCH_DURATION_S seconds (default 30) every kiosk, after a think time drawn
 * from [0, 2 × FLEET_BENCH_THINK_MS] (default 1,000 ms), commits an application with a distinct
 * 50 KB scan, a queue ticket and an evaluation and runs one sync cycle (batch sync: the missing-blobs
 * question and one POST /v2/sync). Then every kiosk drains its backlog and the hall's database is
 * checked: every committed application there exactly once, every outbox row applied.
 *
 * Reported: p50/p95/p99 of the POST /v2/sync round trip ("push") and of the whole cycle, errors
 * (HTTP refusals, failed requests and cycles), applications/s reached, the hall's CPU use and the
 * machine's load average.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { BenchResult, BenchSuite } from './harness.js';
import type { FleetDone, FleetGo, FleetReady, FleetSetup } from './fleet-worker.js';
import { cpuSeconds, enrollmentCodes, quantile, startHall } from './sync-fixture.js';

export const FLEET_BENCH_KIOSKS = Number(process.env.FLEET_BENCH_KIOSKS ?? 200);
export const FLEET_BENCH_PROCS = Number(process.env.FLEET_BENCH_PROCS ?? 4);
export const FLEET_BENCH_DURATION_S = Number(process.env.FLEET_BENCH_DURATION_S ?? 30);
export const FLEET_BENCH_THINK_MS = Number(process.env.FLEET_BENCH_THINK_MS ?? 1000);
const ROOT = join(import.meta.dirname, '..');

type Percentiles = { n: number; p50: number; p95: number; p99: number; max: number };
const percentiles = (values: number[]): Percentiles => {
  const s = [...values].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: quantile(s, 0.5),
    p95: quantile(s, 0.95),
    p99: quantile(s, 0.99),
    max: s.length === 0 ? NaN : s[s.length - 1]!,
  };
};

export type FleetReport = {
  kiosks: number;
  procs: number;
  durationS: number;
  thinkMs: number;
  push: Percentiles;
  missing: Percentiles;
  cycle: Percentiles;
  errors: [string, number][];
  errorCount: number;
  committed: { applications: number; rows: number; undrained: number };
  /** At the hall after the drain. */
  atHall: {
    applications: number;
    missing: number;
    unexpected: number;
    entries: number;
    rejected: number;
    /** Rejected entries by kind and reason. */
    rejections: string[];
  };
  /** Applications committed in the window ÷ its length. */
  appsPerSecond: number;
  /** CPU seconds ÷ window: the hall's, and each worker's. */
  hallBusy: number;
  workerBusy: number[];
  load: { before: number[]; after: number[] };
};

/** A forked worker and its next message (bounded wait: a worker that hangs fails the run). */
function startWorker(): { child: ChildProcess; next: <T>(timeoutMs: number) => Promise<T> } {
  const child = fork(join(ROOT, 'bench', 'fleet-worker.ts'), [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>(timeoutMs: number) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fleet worker ${child.pid} sent nothing for ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (m: T) => {
        cleanup();
        resolve(m);
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`fleet worker ${child.pid} exited (${code})`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  return { child, next };
}

/** What the hall holds of the committed applications and rows (read-only look at hall.db). */
function hallHolds(hallDb: string, committed: ReadonlySet<string>): FleetReport['atHall'] {
  const db = new Database(hallDb, { readonly: true });
  try {
    const ids = db.prepare('SELECT id FROM applications').pluck().all() as string[];
    const held = new Set(ids);
    return {
      applications: ids.length,
      missing: [...committed].filter((id) => !held.has(id)).length,
      unexpected: ids.filter((id) => !committed.has(id)).length,
      entries: db.prepare('SELECT count(*) FROM entries').pluck().get() as number,
      rejected: db.prepare("SELECT count(*) FROM entries WHERE status <> 'applied'").pluck().get() as number,
      rejections: (
        db
          .prepare(
            "SELECT kind, reason, count(*) AS n FROM entries WHERE status <> 'applied' GROUP BY kind, reason",
          )
          .all() as { kind: string; reason: string | null; n: number }[]
      ).map((r) => `${r.n} × ${r.kind}: ${r.reason ?? '?'}`),
    };
  } finally {
    db.close();
  }
}

export async function runFleet(opts: {
  kiosks: number;
  procs: number;
  durationS: number;
  thinkMs: number;
  root: string;
}): Promise<FleetReport> {
  const { kiosks, durationS, thinkMs, root } = opts;
  const procs = Math.max(1, Math.min(opts.procs, kiosks));
  const hall = await startHall(join(root, 'hall'));
  const workers: ReturnType<typeof startWorker>[] = [];
  try {
    const codes = await enrollmentCodes(hall.dataDir, kiosks);
    for (let p = 0; p < procs; p++) workers.push(startWorker());
    const setupTimeout = 60_000 + kiosks * 1_000;
    const ready = workers.map((w, p) => {
      const setup: FleetSetup = {
        type: 'setup',
        hallUrl: hall.url,
        codes: codes.filter((_, k) => k % procs === p),
        dir: join(root, `w${p}`),
        durationMs: durationS * 1000,
        thinkMs,
      };
      w.child.send(setup);
      return w.next<FleetReady>(setupTimeout);
    });
    for (const r of await Promise.all(ready))
      if (r.type === 'failed') throw new Error(`fleet worker could not start: ${r.message}`);

    const done = Promise.all(workers.map((w) => w.next<FleetDone>(durationS * 1000 + setupTimeout)));
    // Awaited after the window; a worker failing during it must not be an unhandled rejection.
    done.catch(() => undefined);
    const startAt = Date.now() + 500;
    const go: FleetGo = { type: 'go', startAt };
    for (const w of workers) w.child.send(go);
    const before = loadavg();
    // CPU used by the hall and each worker during the window (sampled at its start and end).
    const sample = () => [hall.pid, ...workers.map((w) => w.child.pid!)].map(cpuSeconds);
    await new Promise((r) => setTimeout(r, startAt - Date.now()));
    const cpu0 = sample();
    await new Promise((r) => setTimeout(r, durationS * 1000));
    const cpu1 = sample();
    const after = loadavg();
    const answers = await done;

    const committed = new Set(answers.flatMap((a) => a.applications));
    const errors = new Map<string, number>();
    for (const a of answers) for (const [k, n] of a.errors) errors.set(k, (errors.get(k) ?? 0) + n);
    const busy = cpu1.map((c, i) => (c - cpu0[i]!) / durationS);
    return {
      kiosks,
      procs,
      durationS,
      thinkMs,
      push: percentiles(answers.flatMap((a) => a.syncMs)),
      missing: percentiles(answers.flatMap((a) => a.missingMs)),
      cycle: percentiles(answers.flatMap((a) => a.cycleMs)),
      errors: [...errors],
      errorCount: [...errors.values()].reduce((a, b) => a + b, 0),
      committed: {
        applications: committed.size,
        rows: answers.reduce((a, b) => a + b.rows, 0),
        undrained: answers.reduce((a, b) => a + b.undrained, 0),
      },
      atHall: hallHolds(join(hall.dataDir, 'hall.db'), committed),
      appsPerSecond: answers.reduce((a, b) => a + b.cycleMs.length, 0) / durationS,
      hallBusy: busy[0]!,
      workerBusy: busy.slice(1),
      load: { before, after },
    };
  } finally {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGTERM');
    await hall.stop();
  }
}

const ms = (x: number) => `${x.toFixed(0)} ms`;

export const fleetSuite: BenchSuite = {
  name: 'fleet',
  async run(): Promise<BenchResult[]> {
    const root = mkdtempSync(join(tmpdir(), 'zizhu-bench-fleet-'));
    try {
      const r = await runFleet({
        kiosks: FLEET_BENCH_KIOSKS,
        procs: FLEET_BENCH_PROCS,
        durationS: FLEET_BENCH_DURATION_S,
        thinkMs: FLEET_BENCH_THINK_MS,
        root,
      });
      const what = `${r.kiosks} kiosks over ${r.procs} processes → one hall (SQLite), ${r.durationS} s, think time 0–${2 * r.thinkMs} ms; each cycle 1 application (50 KB scan) + 1 ticket + 1 evaluation`;
      const exact =
        r.atHall.missing === 0 &&
        r.atHall.unexpected === 0 &&
        r.atHall.applications === r.committed.applications &&
        r.atHall.entries === r.committed.rows &&
        r.atHall.rejected === 0;
      const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' / ');
      const name = `fleet (${r.kiosks} kiosks, ${r.procs} procs)`;
      return [
        {
          name: `${name}: push p50`,
          value: r.push.p50,
          unit: 'ms',
          note: `${what}; POST /v2/sync round trip, ${r.push.n} requests`,
        },
        {
          name: `${name}: push p95`,
          value: r.push.p95,
          unit: 'ms',
          note: 'POST /v2/sync round trip',
        },
        {
          name: `${name}: push p99`,
          value: r.push.p99,
          unit: 'ms',
          note: `POST /v2/sync round trip (issue #11 goal ≤ 250 ms); max ${ms(r.push.max)}; POST /v2/blobs/missing p50/p99 ${ms(r.missing.p50)} / ${ms(r.missing.p99)}`,
        },
        {
          name: `${name}: cycle p99`,
          value: r.cycle.p99,
          unit: 'ms',
          note: `whole cycle (missing-blobs question + sync), p50 ${ms(r.cycle.p50)}, p95 ${ms(r.cycle.p95)}, ${r.cycle.n} cycles`,
        },
        {
          name: `${name}: errors`,
          value: r.errorCount,
          unit: 'count',
          note: `HTTP refusals, failed requests and cycles${r.errors.length > 0 ? `; seen: ${r.errors.map(([k, n]) => `${n} × ${k}`).join('; ')}` : ''}`,
        },
        {
          name: `${name}: applications/s`,
          value: r.appsPerSecond,
          unit: 'apps/s',
          note: `hall CPU ${(r.hallBusy * 100).toFixed(0)} % busy, workers ${r.workerBusy.map((b) => `${(b * 100).toFixed(0)} %`).join(', ')}; load average before ${load(r.load.before)}, after ${load(r.load.after)}`,
        },
        {
          name: `${name}: exactly once at the hall`,
          value: exact ? 1 : 0,
          unit: 'bool',
          note: `${r.committed.applications} applications and ${r.committed.rows} rows committed; at the hall ${r.atHall.applications} applications (${r.atHall.missing} missing, ${r.atHall.unexpected} unexpected), ${r.atHall.entries} entries (${r.atHall.rejected} rejected${r.atHall.rejections.length > 0 ? `: ${r.atHall.rejections.join('; ')}` : ''}); ${r.committed.undrained} kiosks not drained`,
        },
      ];
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
};
