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
 *
 * runFleet takes the hall side as a FleetHallStarter: sqliteHall here (one process, SQLite), or two
 * nodes on PostgreSQL behind nginx (suite `fleet-nodes`, bench/fleet-nodes.bench.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HallStore } from '../src/hall/store/index.js';
import type { BenchResult, BenchSuite } from './harness.js';
import type { FleetDone, FleetGo, FleetReady, FleetSetup } from './fleet-worker.js';
import { cpuSeconds, enrollmentCodesIn, openBenchStore, quantile, startHall } from './sync-fixture.js';

export const FLEET_BENCH_KIOSKS = Number(process.env.FLEET_BENCH_KIOSKS ?? 200);
export const FLEET_BENCH_PROCS = Number(process.env.FLEET_BENCH_PROCS ?? 4);
export const FLEET_BENCH_DURATION_S = Number(process.env.FLEET_BENCH_DURATION_S ?? 30);
export const FLEET_BENCH_THINK_MS = Number(process.env.FLEET_BENCH_THINK_MS ?? 1000);
/**
 * Each kiosk holds a long-poll (GET /v1/wait) through its think time, as the sync loop does between
 * cycles (FLEET_BENCH_LONG_POLL=0: it just sleeps): the hall then holds a connection per kiosk.
 */
export const FLEET_BENCH_LONG_POLL = process.env.FLEET_BENCH_LONG_POLL !== '0';
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
  longPoll: boolean;
  /** Long-polls held in the window (with `longPoll`). */
  waits: number;
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
  /** CPU seconds ÷ window: each of the hall's processes (by label), and each worker's. */
  hallBusy: { label: string; busy: number }[];
  workerBusy: number[];
  load: { before: number[]; after: number[] };
  /** FleetHall.diagnostics after the drain. */
  diagnostics: string[];
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

/**
 * The hall side of a fleet run, started and ready: what the kiosks talk to, the store the benchmark
 * makes enrolment codes with and reads the result through, and the processes whose CPU is the hall's.
 */
export type FleetHall = {
  url: string;
  dataDir: string;
  store: HallStore;
  /** CPU seconds used so far, per hall process (a label each: "hall", "node A", "postgres"). */
  cpu: { label: string; seconds: () => number }[];
  /** What the hall side saw, read after the drain (e.g. nginx's error log by kind). */
  diagnostics?: () => string[];
  /** Closes the store and stops everything started (also after a partial start). */
  stop(): Promise<void>;
};
export type FleetHallStarter = (dir: string) => Promise<FleetHall>;

/** One reference hall in its own process, on SQLite in dir (suite `fleet`). */
export const sqliteHall: FleetHallStarter = async (dir) => {
  const hall = await startHall(dir);
  let store: HallStore | undefined;
  try {
    store = await openBenchStore(hall.dataDir);
  } catch (e) {
    await hall.stop();
    throw e;
  }
  return {
    url: hall.url,
    dataDir: hall.dataDir,
    store,
    cpu: [{ label: 'hall', seconds: () => cpuSeconds(hall.pid) }],
    async stop() {
      await store.close();
      await hall.stop();
    },
  };
};

/** What the hall holds of the committed applications and rows, read through its store. */
async function hallHolds(store: HallStore, committed: ReadonlySet<string>): Promise<FleetReport['atHall']> {
  const sql = store.sql;
  const ids = (await sql.all<{ id: string }>('SELECT id FROM applications')).map((r) => r.id);
  const held = new Set(ids);
  const count = async (q: string) => Number(await sql.value<number | string>(q));
  return {
    applications: ids.length,
    missing: [...committed].filter((id) => !held.has(id)).length,
    unexpected: ids.filter((id) => !committed.has(id)).length,
    entries: await count('SELECT count(*) FROM entries'),
    rejected: await count("SELECT count(*) FROM entries WHERE status <> 'applied'"),
    rejections: (
      await sql.all<{ kind: string; reason: string | null; n: number | string }>(
        "SELECT kind, reason, count(*) AS n FROM entries WHERE status <> 'applied' GROUP BY kind, reason",
      )
    ).map((r) => `${Number(r.n)} × ${r.kind}: ${r.reason ?? '?'}`),
  };
}

export async function runFleet(opts: {
  kiosks: number;
  procs: number;
  durationS: number;
  thinkMs: number;
  /** Default FLEET_BENCH_LONG_POLL. */
  longPoll?: boolean;
  root: string;
  /** The hall side (default: one SQLite hall). */
  hall?: FleetHallStarter;
}): Promise<FleetReport> {
  const { kiosks, durationS, thinkMs, root } = opts;
  const longPoll = opts.longPoll ?? FLEET_BENCH_LONG_POLL;
  const procs = Math.max(1, Math.min(opts.procs, kiosks));
  const hall = await (opts.hall ?? sqliteHall)(join(root, 'hall'));
  const workers: ReturnType<typeof startWorker>[] = [];
  try {
    const codes = await enrollmentCodesIn(hall.store, hall.dataDir, kiosks);
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
        longPoll,
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
    const sample = () => [
      ...hall.cpu.map((c) => c.seconds()),
      ...workers.map((w) => cpuSeconds(w.child.pid!)),
    ];
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
      longPoll,
      waits: answers.reduce((a, b) => a + b.waits, 0),
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
      atHall: await hallHolds(hall.store, committed),
      appsPerSecond: answers.reduce((a, b) => a + b.cycleMs.length, 0) / durationS,
      hallBusy: hall.cpu.map((c, i) => ({ label: c.label, busy: busy[i]! })),
      workerBusy: busy.slice(hall.cpu.length),
      load: { before, after },
      diagnostics: hall.diagnostics?.() ?? [],
    };
  } finally {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGTERM');
    await hall.stop();
  }
}

const ms = (x: number) => `${x.toFixed(0)} ms`;
const pct = (b: number) => `${(b * 100).toFixed(0)} %`;

/**
 * A fleet report as bench results named `${name}: …`; `what` describes the setup, `goal` is the
 * issue's bound on push p99.
 */
export function fleetResults(r: FleetReport, name: string, what: string, goal: string): BenchResult[] {
  const exact =
    r.atHall.missing === 0 &&
    r.atHall.unexpected === 0 &&
    r.atHall.applications === r.committed.applications &&
    r.atHall.entries === r.committed.rows &&
    r.atHall.rejected === 0;
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' / ');
  return [
    {
      name: `${name}: push p50`,
      value: r.push.p50,
      unit: 'ms',
      note: `${what}${r.longPoll ? `; between cycles every kiosk holds GET /v1/wait as the sync loop does (${r.waits} long-polls)` : '; no long-polls (FLEET_BENCH_LONG_POLL=0)'}; POST /v2/sync round trip, ${r.push.n} requests`,
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
      note: `POST /v2/sync round trip (${goal}); max ${ms(r.push.max)}; POST /v2/blobs/missing p50/p99 ${ms(r.missing.p50)} / ${ms(r.missing.p99)}`,
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
      note: `HTTP refusals, failed requests and cycles${r.errors.length > 0 ? `; seen: ${r.errors.map(([k, n]) => `${n} × ${k}`).join('; ')}` : ''}${r.diagnostics.length > 0 ? `; ${r.diagnostics.join('; ')}` : ''}`,
    },
    {
      name: `${name}: applications/s`,
      value: r.appsPerSecond,
      unit: 'apps/s',
      note: `CPU busy: ${r.hallBusy.map((h) => `${h.label} ${pct(h.busy)}`).join(', ')}; workers ${r.workerBusy.map(pct).join(', ')}; load average before ${load(r.load.before)}, after ${load(r.load.after)}`,
    },
    {
      name: `${name}: exactly once at the hall`,
      value: exact ? 1 : 0,
      unit: 'bool',
      note: `${r.committed.applications} applications and ${r.committed.rows} rows committed; at the hall ${r.atHall.applications} applications (${r.atHall.missing} missing, ${r.atHall.unexpected} unexpected), ${r.atHall.entries} entries (${r.atHall.rejected} rejected${r.atHall.rejections.length > 0 ? `: ${r.atHall.rejections.join('; ')}` : ''}); ${r.committed.undrained} kiosks not drained`,
    },
  ];
}

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
      return fleetResults(
        r,
        `fleet (${r.kiosks} kiosks, ${r.procs} procs)`,
        `${r.kiosks} kiosks over ${r.procs} processes → one hall (SQLite), ${r.durationS} s, think time 0–${2 * r.thinkMs} ms; each cycle 1 application (50 KB scan) + 1 ticket + 1 evaluation`,
        'issue #11 goal ≤ 250 ms',
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
};
