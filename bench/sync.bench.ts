/**
 * Sync figures (docs/sync-protocol.md, 10 "Proof"; docs/benchmarks.md, "Sync"), the real sync client against
 * the reference hall over loopback. The hall runs in a child process (`src/cli/hall-main.ts`), as it would on
 * its own machine, so the kiosk side and the hall each have a core of this 2-core box.
 *
 * - Throughput: SYNC_BENCH_APPS (default 10,000) applications, each with one distinct 50 KB scan,
 *   pushed by one kiosk — blobs first (HEAD + PUT each), then the outbox in batches of 100 (the
 *   client's default) — and the same workload again with one entry per push request (batch size 1),
 *   each against a fresh hall. Reported: applications/s, MB/s of scan bytes, and the ratio.
 * - Fleet: SYNC_BENCH_KIOSKS (default 200) enrolled kiosks, each with its own identity, database and
 *   signed requests, in this one process; SYNC_BENCH_ROUNDS (default 5) rounds in which every kiosk
 *   commits an application (one 50 KB scan), a queue ticket and an evaluation, then all push at once.
 *   Reported: p50/p99 of the POST /v1/push round trip, p50/p99 of the whole cycle (blob HEAD + PUT,
 *   push, pull, heartbeat), and errors (failed cycles + failed blob/push/pull requests; the blob
 *   HEAD's 404 is the protocol, and a best-effort heartbeat timing out is listed but not counted).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../src/backend/index.js';
import {
  createSyncClient,
  describeError,
  enrollKiosk,
  keepAliveFetch,
  type FetchFn,
} from '../src/sync/index.js';
import { startFaultProxy } from '../src/sync/testing/fault-proxy.js';
import { kioskRecords } from '../src/sync/testing/kiosk-fixture.js';
import type { BenchResult, BenchSuite } from './harness.js';
import {
  enrollmentCodes,
  fillOutbox,
  makeApplications,
  openKiosk,
  quantile,
  SCAN_BYTES,
  silent,
  startHall,
} from './sync-fixture.js';

export const SYNC_BENCH_APPS = Number(process.env.SYNC_BENCH_APPS ?? 10_000);
export const SYNC_BENCH_KIOSKS = Number(process.env.SYNC_BENCH_KIOSKS ?? 200);
export const SYNC_BENCH_ROUNDS = Number(process.env.SYNC_BENCH_ROUNDS ?? 5);

type Phases = Record<'HEAD' | 'PUT' | 'push' | 'missing', { n: number; ms: number }>;

/**
 * A fetch that adds each request's round trip to its kind (blob HEAD, blob PUT, outbox push — /v1
 * push or /v2 sync —, the /v2 missing-blobs question), over `inner`.
 */
function phaseTimer(inner: FetchFn = fetch): { fetch: FetchFn; phases: Phases } {
  const phases: Phases = {
    HEAD: { n: 0, ms: 0 },
    PUT: { n: 0, ms: 0 },
    push: { n: 0, ms: 0 },
    missing: { n: 0, ms: 0 },
  };
  return {
    phases,
    fetch: async (input, init) => {
      const t0 = performance.now();
      const res = await inner(input, init);
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const kind =
        init?.method === 'HEAD'
          ? 'HEAD'
          : init?.method === 'PUT'
            ? 'PUT'
            : url.endsWith('/v1/push') || url.endsWith('/v2/sync')
              ? 'push'
              : url.endsWith('/v2/blobs/missing')
                ? 'missing'
                : null;
      if (kind) {
        phases[kind].n++;
        phases[kind].ms += performance.now() - t0;
      }
      return res;
    },
  };
}

/**
 * Pushes the whole outbox of a copy of `template` to a fresh hall with the given batch size, through
 * a TCP proxy that counts the connections. `v1`: the /v1 protocol over the platform fetch (the
 * "before" of docs/sync-protocol.md 11); else batch sync over the client's keep-alive fetch.
 */
async function pushAll(
  root: string,
  label: string,
  template: string,
  blobDir: string,
  batchSize: number,
  n: number,
  v1 = true,
): Promise<{ seconds: number; phases: Phases; connections: number }> {
  const hall = await startHall(join(root, `hall-${label}`));
  const proxyUrl = new URL(hall.url);
  const proxy = await startFaultProxy({ upstreamPort: Number(proxyUrl.port) });
  const dbPath = join(root, `kiosk-${label}.db`);
  copyFileSync(template, dbPath);
  const db = openKiosk(dbPath);
  try {
    const [code] = await enrollmentCodes(hall.dataDir, 1);
    const e = await enrollKiosk({ db, hallUrl: proxy.url, code: code!, clock: () => new Date() });
    if (!e.ok) throw new Error(JSON.stringify(e.error));
    const timer = phaseTimer(v1 ? fetch : keepAliveFetch());
    const client = createSyncClient({
      db,
      records: kioskRecords(db),
      hallUrl: proxy.url,
      batchSync: !v1,
      credentials: e.enrollment,
      blobDir,
      clock: () => new Date(),
      logger: silent,
      random: Math.random,
      batchSize,
      fetch: timer.fetch,
    });
    const t0 = process.hrtime.bigint();
    // One cycle pushes a bounded number of requests (the client's round limit): cycle until the
    // backlog is empty, as the sync loop does.
    for (let cycle = 0; cycle < 100; cycle++) {
      const r = await client.runOnce();
      const finished = r.ok && r.backlog === 0;
      const bounded = !r.ok && r.error.kind === 'stuck';
      if (finished) break;
      if (!bounded) throw new Error(`push with batch ${batchSize} failed: ${JSON.stringify(r)}`);
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const left = db.prepare('SELECT count(*) FROM outbox WHERE acked_at IS NULL').pluck().get() as number;
    if (left !== 0)
      throw new Error(`push with batch ${batchSize} of ${n} entries did not finish: ${left} left`);
    const connections = Object.values(proxy.stats()).reduce((a, b) => a + b, 0);
    return { seconds, phases: timer.phases, connections };
  } finally {
    db.close();
    await proxy.close();
    await hall.stop();
    rmSync(join(root, `hall-${label}`), { recursive: true, force: true });
  }
}

async function throughput(root: string): Promise<BenchResult[]> {
  const n = SYNC_BENCH_APPS;
  const blobDir = join(root, 'blobs');
  const template = join(root, 'kiosk-template.db');
  const db = openKiosk(template);
  fillOutbox(db, makeApplications(blobDir, n), false);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const v2 = await pushAll(root, 'v2', template, blobDir, 100, n, false);
  const batched = await pushAll(root, 'batch100', template, blobDir, 100, n);
  const single = await pushAll(root, 'batch1', template, blobDir, 1, n);
  const per300 = (r: { connections: number }) => (r.connections * 300) / n;
  const mb = (n * SCAN_BYTES) / 1e6;
  const note = `${n.toLocaleString('en')} applications × one distinct 50 KB scan, one kiosk → reference hall (child process) over loopback`;
  const mean = (p: { n: number; ms: number }) => (p.n === 0 ? 0 : p.ms / p.n);
  const per = (r: { phases: Phases }) =>
    `mean round trip: blob HEAD ${mean(r.phases.HEAD).toFixed(1)} ms, blob PUT ${mean(r.phases.PUT).toFixed(1)} ms, push ${mean(r.phases.push).toFixed(1)} ms × ${r.phases.push.n}`;
  return [
    {
      name: 'sync push, batch sync (/v2): applications/s',
      value: n / v2.seconds,
      unit: 'apps/s',
      note: `${note}; POST /v2/blobs/missing + one POST /v2/sync per 100 entries with their scans, keep-alive; ${v2.seconds.toFixed(1)} s in all; mean round trip: missing ${mean(v2.phases.missing).toFixed(1)} ms × ${v2.phases.missing.n}, sync ${mean(v2.phases.push).toFixed(1)} ms × ${v2.phases.push.n}`,
    },
    {
      name: 'sync push, batch sync (/v2) vs /v1 batch 100',
      value: batched.seconds / v2.seconds,
      unit: '×',
      note: 'elapsed time of the /v1 push (HEAD + PUT per blob, platform fetch) ÷ batch sync, same workload',
    },
    {
      name: 'sync push, batch sync (/v2): connections per 300 applications',
      value: per300(v2),
      unit: 'count',
      note: `TCP connections counted at a proxy in front of the hall: ${v2.connections} for ${n}`,
    },
    {
      name: 'sync push, /v1 batch 100: connections per 300 applications',
      value: per300(batched),
      unit: 'count',
      note: `the platform fetch, HEAD + PUT per blob: ${batched.connections} for ${n}`,
    },
    {
      name: 'sync push, batch 100: applications/s',
      value: n / batched.seconds,
      unit: 'apps/s',
      note: `${note}; ${batched.seconds.toFixed(1)} s in all; ${per(batched)}`,
    },
    {
      name: 'sync push, batch 100: scan bytes/s',
      value: mb / batched.seconds,
      unit: 'MB/s',
      note: `${mb.toFixed(0)} MB of scans (HEAD + PUT per blob, then the outbox in batches of 100)`,
    },
    {
      name: 'sync push, batch 1: applications/s',
      value: n / single.seconds,
      unit: 'apps/s',
      note: `same workload, one entry per push request; ${single.seconds.toFixed(1)} s in all; ${per(single)}`,
    },
    {
      name: 'sync push, batch 1: scan bytes/s',
      value: mb / single.seconds,
      unit: 'MB/s',
      note: 'same workload, one entry per push request',
    },
    {
      name: 'sync push, batch 100 vs batch 1 (whole push)',
      value: single.seconds / batched.seconds,
      unit: '×',
      note: 'elapsed time of batch 1 ÷ batch 100, blob uploads included',
    },
    {
      name: 'sync push, batch 100 vs batch 1 (outbox requests only)',
      value: single.phases.push.ms / batched.phases.push.ms,
      unit: '×',
      note: `time in POST /v1/push: ${(single.phases.push.ms / 1000).toFixed(1)} s vs ${(batched.phases.push.ms / 1000).toFixed(1)} s`,
    },
  ];
}

async function fleet(root: string): Promise<BenchResult[]> {
  const kiosks = SYNC_BENCH_KIOSKS;
  const rounds = SYNC_BENCH_ROUNDS;
  const hall = await startHall(join(root, 'hall-fleet'));
  const pushMs: number[] = [];
  const cycleMs: number[] = [];
  const errors = new Map<string, number>();
  const error = (what: string) => errors.set(what, (errors.get(what) ?? 0) + 1);
  const timed: FetchFn = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? 'GET';
    const t0 = performance.now();
    try {
      const res = await fetch(input, init);
      if (method === 'POST' && (url.endsWith('/v1/push') || url.endsWith('/v2/sync')))
        pushMs.push(performance.now() - t0);
      if (res.status >= 400 && !(method === 'HEAD' && res.status === 404))
        error(`${method} ${new URL(url).pathname.split('/')[2]} → ${res.status}`);
      return res;
    } catch (e) {
      error(`${method} ${new URL(url).pathname.split('/')[2]} → ${(e as Error).name}`);
      throw e;
    }
  };
  const fleetDbs: Db[] = [];
  try {
    const codes = await enrollmentCodes(hall.dataDir, kiosks);
    const clients = [];
    for (let k = 0; k < kiosks; k++) {
      const dir = join(root, 'fleet', `k${k}`);
      mkdirSync(dir, { recursive: true });
      const db = openKiosk(join(dir, 'kiosk.db'));
      // 200 kiosks share this process: their local fsyncs would stall the one event loop and be
      // counted as hall latency. Each real kiosk pays its own; the hall here keeps synchronous=FULL.
      db.pragma('synchronous = OFF');
      fleetDbs.push(db);
      const e = await enrollKiosk({ db, hallUrl: hall.url, code: codes[k]!, clock: () => new Date() });
      if (!e.ok) throw new Error(JSON.stringify(e.error));
      clients.push({
        db,
        dir,
        client: createSyncClient({
          db,
          records: kioskRecords(db),
          hallUrl: hall.url,
          credentials: e.enrollment,
          blobDir: join(dir, 'blobs'),
          clock: () => new Date(),
          logger: silent,
          random: Math.random,
          fetch: timed,
        }),
      });
    }
    for (let r = 0; r < rounds; r++) {
      for (const c of clients) fillOutbox(c.db, makeApplications(join(c.dir, 'blobs'), 1), true);
      const outcomes = await Promise.all(
        clients.map(async (c) => {
          const t0 = performance.now();
          const res = await c.client.runOnce();
          cycleMs.push(performance.now() - t0);
          return res;
        }),
      );
      for (const o of outcomes) {
        if (!o.ok) error(`failed cycle: ${describeError(o.error)}`);
        else if (o.backlog !== 0) error('cycle left a backlog');
      }
    }
  } finally {
    for (const db of fleetDbs) db.close();
    await hall.stop();
  }
  pushMs.sort((a, b) => a - b);
  cycleMs.sort((a, b) => a - b);
  const what = `${kiosks} enrolled kiosks × ${rounds} rounds, all pushing at once (1 application with a 50 KB scan + 1 ticket + 1 evaluation each per round)`;
  return [
    {
      name: `sync fleet (${kiosks} kiosks): push p50`,
      value: quantile(pushMs, 0.5),
      unit: 'ms',
      note: `${what}; POST /v1/push round trip, ${pushMs.length} requests`,
    },
    {
      name: `sync fleet (${kiosks} kiosks): push p99`,
      value: quantile(pushMs, 0.99),
      unit: 'ms',
      note: 'POST /v1/push round trip',
    },
    {
      name: `sync fleet (${kiosks} kiosks): cycle p50`,
      value: quantile(cycleMs, 0.5),
      unit: 'ms',
      note: `whole cycle (blob HEAD + PUT, push, pull, heartbeat), ${cycleMs.length} cycles`,
    },
    {
      name: `sync fleet (${kiosks} kiosks): cycle p99`,
      value: quantile(cycleMs, 0.99),
      unit: 'ms',
      note: 'whole cycle',
    },
    {
      name: `sync fleet (${kiosks} kiosks): errors`,
      // The heartbeat (fleet view) is best-effort with a 5 s timeout and never fails a cycle: listed, not counted.
      value: [...errors].filter(([k]) => !k.includes('heartbeat')).reduce((a, [, n]) => a + n, 0),
      unit: 'count',
      note: `failed cycles + failed blob/push/pull requests (a blob HEAD 404 is the protocol)${errors.size > 0 ? `; seen: ${[...errors].map(([k, n]) => `${n} × ${k}`).join('; ')}` : ''}`,
    },
  ];
}

export const syncSuite: BenchSuite = {
  name: 'sync',
  async run(): Promise<BenchResult[]> {
    const root = mkdtempSync(join(tmpdir(), 'zizhu-bench-sync-'));
    try {
      // SYNC_BENCH_APPS=0 / SYNC_BENCH_KIOSKS=0 skip a part.
      return [
        ...(SYNC_BENCH_APPS > 0 ? await throughput(root) : []),
        ...(SYNC_BENCH_KIOSKS > 0 ? await fleet(root) : []),
      ];
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
};
