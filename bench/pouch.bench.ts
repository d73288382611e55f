/**
 * Suite `pouch` (issue #11, item 6): our kiosk push against PouchDB replication of the SAME documents,
 * side by side in one run (docs/benchmarks.md, "Ours vs PouchDB").
 *
 * One set of POUCH_BENCH_DOCS applications (default 1,000), each with a DISTINCT 50 KB scan, is
 * written once to a kiosk outbox (copied fresh for every run) and once to a local PouchDB (LevelDB)
 * as documents of the same entry with the scan as an attachment. Each run pushes all of them over
 * loopback to a fresh target in its own process:
 *
 * - ours: the real kiosk sync client (`createSyncClient`, batch sync on — the /v2 routes — over its
 *   keep-alive fetch, as `src/sync/service.ts` builds it) against the reference hall
 *   (`src/cli/hall-main.ts`, SQLite, `synchronous=FULL`), cycling until the backlog is empty;
 * - PouchDB: `PouchDB.replicate(local, 'http://127.0.0.1:PORT/bench')` with its defaults against
 *   express-pouchdb over pouchdb-node (`bench/pouch-server.ts`).
 *
 * POUCH_BENCH_ROUNDS rounds (default 3), interleaved (ours first in even rounds, PouchDB first in odd
 * ones) so both see the same machine. Setup and the check afterwards are outside the timed part: after
 * each run every document must be at the target exactly once with its attachment or scan.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import PouchDB from 'pouchdb-node';
import { createSyncClient, enrollKiosk, keepAliveFetch, type FetchFn } from '../src/sync/index.js';
import { kioskRecords } from '../src/sync/testing/kiosk-fixture.js';
import { applicationEntry, type BenchApplication } from './sync-fixture.js';
import { median, type BenchResult, type BenchSuite } from './harness.js';
import {
  cpuSeconds,
  enrollmentCodes,
  fillOutbox,
  makeApplications,
  openKiosk,
  SCAN_BYTES,
  silent,
  startHall,
} from './sync-fixture.js';

export const POUCH_BENCH_DOCS = Number(process.env.POUCH_BENCH_DOCS ?? 1000);
export const POUCH_BENCH_ROUNDS = Number(process.env.POUCH_BENCH_ROUNDS ?? 3);
const ROOT = join(import.meta.dirname, '..');

/** What one run measured and what the target held afterwards. */
export type PushRun = {
  who: 'ours' | 'pouch';
  round: number;
  seconds: number;
  appsPerSecond: number;
  /** Requests the kiosk side sent (ours: counted at its fetch; PouchDB: not counted). */
  requests: number | null;
  /** CPU seconds of the target process (hall / pouch server) and of this process during the run. */
  targetCpu: number;
  clientCpu: number;
  /** At the target after the run: documents, distinct documents, documents whose scan is there. */
  atTarget: { docs: number; distinct: number; withScan: number };
};

export type PouchComparison = {
  docs: number;
  runs: PushRun[];
  ours: number;
  pouch: number;
  ratio: number;
  load: { before: number[]; after: number[] };
};

type Server = { url: string; pid: number; stop(): Promise<void> };

async function startPouchServer(dataDir: string): Promise<Server> {
  mkdirSync(dataDir, { recursive: true });
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench', 'pouch-server.ts'), dataDir],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (l) => {
      const m = /Pouch server ready: (\S+)/.exec(l);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`pouch server exited (${code}) before listening`)));
  });
  return {
    url,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

const ownCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** Our push of the template outbox to a fresh hall, timed from the first cycle to an empty backlog. */
async function runOurs(
  root: string,
  round: number,
  template: string,
  blobDir: string,
  apps: readonly BenchApplication[],
): Promise<PushRun> {
  const hallDir = join(root, `hall-${round}`);
  const hall = await startHall(hallDir);
  const dbPath = join(root, `kiosk-${round}.db`);
  copyFileSync(template, dbPath);
  const db = openKiosk(dbPath);
  try {
    const [code] = await enrollmentCodes(hall.dataDir, 1);
    const e = await enrollKiosk({ db, hallUrl: hall.url, code: code!, clock: () => new Date() });
    if (!e.ok) throw new Error(JSON.stringify(e.error));
    let requests = 0;
    const inner = keepAliveFetch();
    const counting: FetchFn = (input, init) => {
      requests++;
      return inner(input, init);
    };
    const client = createSyncClient({
      db,
      records: kioskRecords(db),
      hallUrl: hall.url,
      credentials: e.enrollment,
      blobDir,
      clock: () => new Date(),
      logger: silent,
      random: Math.random,
      fetch: counting,
    });
    const cpu0 = [cpuSeconds(hall.pid), ownCpu()] as const;
    const t0 = process.hrtime.bigint();
    // A cycle pushes a bounded number of batches: cycle until the backlog is empty, as the loop does.
    for (let cycle = 0; cycle < 1000; cycle++) {
      const r = await client.runOnce();
      if (r.ok && r.backlog === 0) break;
      if (!r.ok && r.error.kind !== 'stuck') throw new Error(`our push failed: ${JSON.stringify(r)}`);
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const targetCpu = cpuSeconds(hall.pid) - cpu0[0];
    const clientCpu = ownCpu() - cpu0[1];
    if (!client.usingBatchSync()) throw new Error('the kiosk did not use batch sync');
    const left = db.prepare('SELECT count(*) FROM outbox WHERE acked_at IS NULL').pluck().get() as number;
    if (left !== 0) throw new Error(`our push of ${apps.length} entries did not finish: ${left} left`);
    return {
      who: 'ours',
      round,
      seconds,
      appsPerSecond: apps.length / seconds,
      requests,
      targetCpu,
      clientCpu,
      atTarget: hallHolds(join(hallDir, 'hall.db'), apps),
    };
  } finally {
    db.close();
    await hall.stop();
    rmSync(hallDir, { recursive: true, force: true });
  }
}

/** How many of `apps` the hall holds, once each, with their scan recorded (read-only look at hall.db). */
export function hallHolds(
  hallDb: string,
  apps: readonly { id: string; sha256: string }[],
): PushRun['atTarget'] {
  const db = new Database(hallDb, { readonly: true });
  try {
    const ids = new Set(apps.map((a) => a.id));
    const rows = db.prepare('SELECT id FROM applications').pluck().all() as string[];
    const entries = db
      .prepare("SELECT count(*) FROM entries WHERE kind = 'application' AND status = 'applied'")
      .pluck()
      .get() as number;
    const linked = db
      .prepare(
        'SELECT ab.application_id, ab.sha256 FROM application_blobs ab JOIN blobs b ON b.sha256 = ab.sha256',
      )
      .all() as { application_id: string; sha256: string }[];
    const want = new Map(apps.map((a) => [a.id, a.sha256]));
    return {
      docs: entries,
      distinct: new Set(rows.filter((id) => ids.has(id))).size,
      withScan: linked.filter((l) => want.get(l.application_id) === l.sha256).length,
    };
  } finally {
    db.close();
  }
}

/** PouchDB replication of the same documents to a fresh express-pouchdb target. */
async function runPouch(
  root: string,
  round: number,
  source: PouchDB,
  apps: readonly BenchApplication[],
): Promise<PushRun> {
  const dir = join(root, `pouch-target-${round}`);
  const server = await startPouchServer(dir);
  const target = new PouchDB(`${server.url}bench`);
  try {
    const cpu0 = [cpuSeconds(server.pid), ownCpu()] as const;
    const t0 = process.hrtime.bigint();
    const r = await PouchDB.replicate(source, target);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const targetCpu = cpuSeconds(server.pid) - cpu0[0];
    const clientCpu = ownCpu() - cpu0[1];
    if (!r.ok || r.doc_write_failures > 0)
      throw new Error(`PouchDB replication failed: ${JSON.stringify(r)}`);
    return {
      who: 'pouch',
      round,
      seconds,
      appsPerSecond: apps.length / seconds,
      requests: null,
      targetCpu,
      clientCpu,
      atTarget: await pouchHolds(target, apps),
    };
  } finally {
    await target.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** How many of `apps` the PouchDB target holds, and how many with their 50 KB scan attached. */
async function pouchHolds(target: PouchDB, apps: readonly BenchApplication[]): Promise<PushRun['atTarget']> {
  const want = new Map(apps.map((a) => [a.id, a.sha256]));
  const info = await target.info();
  const seen = new Set<string>();
  let withScan = 0;
  const page = 200;
  for (let skip = 0; skip < info.doc_count + page; skip += page) {
    const r = await target.allDocs({ include_docs: true, limit: page, skip });
    for (const row of r.rows) {
      if (!want.has(row.id)) continue;
      seen.add(row.id);
      const scan = row.doc?._attachments?.scan;
      if (scan?.length === SCAN_BYTES && row.doc?.scanSha256 === want.get(row.id)) withScan++;
    }
    if (r.rows.length < page) break;
  }
  return { docs: info.doc_count, distinct: seen.size, withScan };
}

/** The local PouchDB holding the same applications: the entry as the document, the scan attached. */
async function fillPouch(dir: string, blobDir: string, apps: readonly BenchApplication[]): Promise<PouchDB> {
  const db = new PouchDB(dir);
  const at = new Date().toISOString();
  for (let i = 0; i < apps.length; i += 100) {
    const docs = apps.slice(i, i + 100).map((a, j) => ({
      _id: a.id,
      kind: 'application',
      entry: applicationEntry(a.id, i + j, a.sha256, at),
      scanSha256: a.sha256,
      _attachments: {
        scan: {
          content_type: 'image/jpeg',
          data: readFileSync(join(blobDir, a.sha256.slice(0, 2), a.sha256)),
        },
      },
    }));
    const r = await db.bulkDocs(docs);
    const failed = r.filter((x) => x.error);
    if (failed.length > 0) throw new Error(`PouchDB setup failed: ${JSON.stringify(failed[0])}`);
  }
  return db;
}

/** Both pushes of the same `docs` applications, `rounds` times each, interleaved. */
export async function comparePouch(opts: {
  docs: number;
  rounds: number;
  root: string;
}): Promise<PouchComparison> {
  const { docs, rounds, root } = opts;
  const blobDir = join(root, 'blobs');
  const apps = makeApplications(blobDir, docs);
  const template = join(root, 'kiosk-template.db');
  const db = openKiosk(template);
  fillOutbox(db, apps, false);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const source = await fillPouch(join(root, 'pouch-source'), blobDir, apps);
  const before = loadavg();
  const runs: PushRun[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const ours = () => runOurs(root, round, template, blobDir, apps);
      const pouch = () => runPouch(root, round, source, apps);
      if (round % 2 === 0) runs.push(await ours(), await pouch());
      else runs.push(await pouch(), await ours());
    }
  } finally {
    await source.close();
  }
  const rate = (who: PushRun['who']) => median(runs.filter((r) => r.who === who).map((r) => r.appsPerSecond));
  const ours = rate('ours');
  const pouch = rate('pouch');
  return { docs, runs, ours, pouch, ratio: ours / pouch, load: { before, after: loadavg() } };
}

const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' / ');

export const pouchSuite: BenchSuite = {
  name: 'pouch',
  async run(): Promise<BenchResult[]> {
    const root = mkdtempSync(join(tmpdir(), 'zizhu-bench-pouch-'));
    try {
      const c = await comparePouch({ docs: POUCH_BENCH_DOCS, rounds: POUCH_BENCH_ROUNDS, root });
      for (const r of c.runs)
        if (r.atTarget.distinct !== c.docs || r.atTarget.withScan !== c.docs || r.atTarget.docs !== c.docs)
          throw new Error(`${r.who} round ${r.round}: the target holds ${JSON.stringify(r.atTarget)}`);
      const each = (who: PushRun['who']) =>
        c.runs
          .filter((r) => r.who === who)
          .map(
            (r) =>
              `${r.appsPerSecond.toFixed(0)}/s (${r.seconds.toFixed(1)} s; target CPU ${r.targetCpu.toFixed(1)} s, client CPU ${r.clientCpu.toFixed(1)} s${r.requests === null ? '' : `, ${r.requests} requests`})`,
          )
          .join(', ');
      const what = `${c.docs.toLocaleString('en')} applications × one distinct 50 KB scan, one client → one target process over loopback, median of ${POUCH_BENCH_ROUNDS} interleaved runs`;
      return [
        {
          name: 'pouch: ours (kiosk sync client, batch sync) applications/s',
          value: c.ours,
          unit: 'apps/s',
          note: `${what}; reference hall, SQLite synchronous=FULL; runs: ${each('ours')}`,
        },
        {
          name: 'pouch: PouchDB replication applications/s',
          value: c.pouch,
          unit: 'apps/s',
          note: `${what}; pouchdb-node 9.0.0 → express-pouchdb 4.2.0 (LevelDB), replicate() defaults; runs: ${each('pouch')}`,
        },
        {
          name: 'pouch: ours ÷ PouchDB',
          value: c.ratio,
          unit: '×',
          note: `ratio of the medians (issue #11 goal: ≥ 3×); load average before ${load(c.load.before)}, after ${load(c.load.after)}`,
        },
      ];
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
};
