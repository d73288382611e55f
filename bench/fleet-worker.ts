/**
 * One process of the `fleet` benchmark (bench/fleet.bench.ts forks several): a share of the kiosks,
 * each with its own identity, database, blob store, keep-alive connections and the real sync client
 * (batch sync), against one hall. Talks to its parent over the fork IPC channel:
 *
 *   parent → worker  { type: 'setup', … }   enrol the kiosks, answer { type: 'ready' }
 *   parent → worker  { type: 'go', startAt } from startAt (epoch ms) for durationMs, every kiosk
 *                    submits an application (one 50 KB scan) + a queue ticket + an evaluation and
 *                    runs a sync cycle, after a think time drawn from [0, 2 × thinkMs] — with
 *                    `longPoll`, spent holding GET /v1/wait as the sync loop does between cycles (a
 *                    new application cuts the wait short: the loop's nudge); then each
 *                    drains its backlog (bounded), and the worker answers { type: 'done', … } and exits.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../src/backend/store/db.js';
import {
  createSyncClient,
  describeError,
  enrollKiosk,
  keepAliveFetch,
  type FetchFn,
  type SyncClient,
} from '../src/sync/index.js';
import { kioskRecords } from '../src/sync/testing/kiosk-fixture.js';
import { fillOutbox, makeApplications, openKiosk, silent } from './bench-kiosk.js';

export type FleetSetup = {
  type: 'setup';
  hallUrl: string;
  /** One enrolment code per kiosk this worker runs. */
  codes: string[];
  dir: string;
  durationMs: number;
  thinkMs: number;
  /** Hold a long-poll (GET /v1/wait) through each think time, as the sync loop does. */
  longPoll: boolean;
};
export type FleetGo = { type: 'go'; startAt: number };
export type FleetReady = { type: 'ready' } | { type: 'failed'; message: string };
export type FleetDone = {
  type: 'done';
  /** Round trips in the measured window, ms: POST /v2/sync, POST /v2/blobs/missing, whole cycles. */
  syncMs: number[];
  missingMs: number[];
  cycleMs: number[];
  errors: [string, number][];
  /** Every application committed (ids) and every outbox row, measured window and drain. */
  applications: string[];
  rows: number;
  /** Kiosks whose backlog was not empty after the drain. */
  undrained: number;
  /** Long-polls held in the measured window (each cut short by the next application, or answered). */
  waits: number;
};

/** Cycles per kiosk at most, whatever the duration (a bound on the loop). */
const MAX_CYCLES = 10_000;
/** Drain cycles per kiosk at most once the window is over. */
const MAX_DRAIN_CYCLES = 20;

type Kiosk = { db: Db; dir: string; client: SyncClient };

const send = (m: FleetReady | FleetDone) =>
  new Promise<void>((resolve) => {
    process.send!(m, undefined, undefined, () => resolve());
  });

function run(setup: FleetSetup): void {
  let measuring = false;
  const syncMs: number[] = [];
  const missingMs: number[] = [];
  const cycleMs: number[] = [];
  const errors = new Map<string, number>();
  const error = (what: string) => errors.set(what, (errors.get(what) ?? 0) + 1);
  const applications: string[] = [];
  let rows = 0;

  /** The kiosk's own keep-alive fetch, timed by request kind; HTTP refusals and failures counted. */
  const timed = (inner: FetchFn): FetchFn => {
    return async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const path = new URL(url).pathname;
      const method = init?.method ?? 'GET';
      const t0 = performance.now();
      try {
        const res = await inner(input, init);
        const ms = performance.now() - t0;
        if (measuring && path.endsWith('/v2/sync')) syncMs.push(ms);
        if (measuring && path.endsWith('/v2/blobs/missing')) missingMs.push(ms);
        if (res.status >= 400 && !(method === 'HEAD' && res.status === 404))
          error(`${method} ${path} → ${res.status}`);
        return res;
      } catch (e) {
        // A long-poll the kiosk itself cut short (the next application) is no error.
        if (!init?.signal?.aborted) error(`${method} ${path} → ${(e as Error).name}`);
        throw e;
      }
    };
  };

  const kiosks: Kiosk[] = [];
  const prepare = async () => {
    for (const [k, code] of setup.codes.entries()) {
      const dir = join(setup.dir, `k${k}`);
      mkdirSync(dir, { recursive: true });
      const db = openKiosk(join(dir, 'kiosk.db'));
      // Many kiosks share this process: their local fsyncs would stall its one event loop and be
      // counted as hall latency. Each real kiosk pays its own; the hall keeps synchronous=FULL.
      db.pragma('synchronous = OFF');
      const e = await enrollKiosk({ db, hallUrl: setup.hallUrl, code, clock: () => new Date() });
      if (!e.ok) throw new Error(`enrolment: ${JSON.stringify(e.error)}`);
      kiosks.push({
        db,
        dir,
        client: createSyncClient({
          db,
          records: kioskRecords(db),
          hallUrl: setup.hallUrl,
          credentials: e.enrollment,
          blobDir: join(dir, 'blobs'),
          clock: () => new Date(),
          logger: silent,
          random: Math.random,
          fetch: timed(keepAliveFetch()),
        }),
      });
    }
  };

  const submit = (k: Kiosk) => {
    const apps = makeApplications(join(k.dir, 'blobs'), 1);
    rows += fillOutbox(k.db, apps, true, applications.length);
    applications.push(...apps.map((a) => a.id));
  };

  let waits = 0;
  /**
   * The think time as the sync loop spends it: waiting on the hall (GET /v1/wait) until the next
   * application cuts the wait short (bounded: an answered wait is asked again until the time is up).
   */
  const holdLongPoll = async (k: Kiosk, ms: number) => {
    const until = Date.now() + ms;
    for (let i = 0; i < 100 && Date.now() < until; i++) {
      const cut = new AbortController();
      const timer = setTimeout(() => cut.abort(), Math.max(0, until - Date.now()));
      const w = await k.client.waitForChanges(cut.signal);
      clearTimeout(timer);
      if (measuring) waits++;
      if (w === 'failed' && !cut.signal.aborted) {
        error('GET /v1/wait failed');
        await sleep(Math.max(0, until - Date.now()));
      }
    }
  };

  const kioskLoop = async (k: Kiosk, deadline: number) => {
    for (let c = 0; c < MAX_CYCLES; c++) {
      const think = Math.random() * 2 * setup.thinkMs;
      if (Date.now() + think >= deadline) break;
      if (think > 0) await (setup.longPoll ? holdLongPoll(k, think) : sleep(think));
      submit(k);
      const t0 = performance.now();
      const r = await k.client.runOnce();
      cycleMs.push(performance.now() - t0);
      if (!r.ok) error(`failed cycle: ${describeError(r.error)}`);
      else if (r.backlog !== 0) error('cycle left a backlog');
    }
  };

  /** After the window: cycle until nothing is left, so every committed row can be looked for at the hall. */
  const drain = async (k: Kiosk): Promise<boolean> => {
    for (let c = 0; c < MAX_DRAIN_CYCLES; c++) {
      const r = await k.client.runOnce();
      if (r.ok && r.backlog === 0) return true;
      if (!r.ok) error(`failed drain cycle: ${describeError(r.error)}`);
    }
    return false;
  };

  process.on('message', (m: FleetSetup | FleetGo) => {
    if (m.type === 'setup') return;
    void (async () => {
      await sleep(Math.max(0, m.startAt - Date.now()));
      const deadline = m.startAt + setup.durationMs;
      measuring = true;
      await Promise.all(kiosks.map((k) => kioskLoop(k, deadline)));
      measuring = false;
      const drained = await Promise.all(kiosks.map(drain));
      for (const k of kiosks) k.db.close();
      await send({
        type: 'done',
        syncMs,
        missingMs,
        cycleMs,
        errors: [...errors],
        applications,
        rows,
        undrained: drained.filter((d) => !d).length,
        waits,
      });
      process.exit(0);
    })();
  });
  prepare().then(
    () => send({ type: 'ready' }),
    async (e: unknown) => {
      await send({ type: 'failed', message: (e as Error).message });
      process.exit(1);
    },
  );
}

process.once('message', (m: FleetSetup) => {
  if (m.type === 'setup') run(m);
});
