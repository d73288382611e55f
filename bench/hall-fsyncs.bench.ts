/**
 * Suite `hall-fsyncs` — fsyncs per application at the hall (issue #11's closing note;
 * docs/benchmarks.md, "Fsyncs per application at the hall"): the reference hall runs in a child process under
 * `strace -f -y -e trace=fsync,fdatasync`; one kiosk (the real sync client, batch sync /v2) pushes
 * FSYNC_BENCH_APPS (default 300) applications, each with one distinct 50 KB scan, once with one
 * application per `POST /v2/sync` (batch 1) and once with 100 per request — each against a fresh hall.
 * The hall's fsync and fdatasync calls are counted from the trace between "enrolled and idle" and
 * "everything acknowledged", by file (the database's WAL, pack files, directories, other).
 *
 *   npm run bench -- hall-fsyncs
 *
 * Timing under strace means nothing; only the counts do. Needs strace (Debian's package): without
 * it the suite reports nothing and says so.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createSyncClient, enrollKiosk, keepAliveFetch } from '../src/sync/index.js';
import { kioskRecords } from '../src/sync/testing/kiosk-fixture.js';
import type { BenchResult, BenchSuite } from './harness.js';
import { enrollmentCodes, fillOutbox, makeApplications, openKiosk, silent } from './sync-fixture.js';

const ROOT = join(import.meta.dirname, '..');
const N = Number(process.env.FSYNC_BENCH_APPS ?? 300);
const STRACE = process.env.STRACE_BIN ?? '/usr/bin/strace';
const SYNC = /\b(fsync|fdatasync)\(\d+<([^>]*)>/;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The hall's fsync calls so far, by kind of file. */
function count(trace: string): Record<string, number> {
  const by: Record<string, number> = {};
  if (!existsSync(trace)) return by;
  for (const line of readFileSync(trace, 'utf8').split('\n')) {
    const s = SYNC.exec(line);
    if (!s) continue;
    const path = s[2] ?? '';
    const name = basename(path);
    const kind = name.endsWith('.db-wal')
      ? 'database WAL'
      : name.endsWith('.db')
        ? 'database'
        : name.endsWith('.pack')
          ? 'pack file'
          : /^[0-9a-f]{64}$/.test(name) || path.includes('/.partial/')
            ? 'blob file'
            : !name.includes('.')
              ? 'directory'
              : `other (${name})`;
    by[kind] = (by[kind] ?? 0) + 1;
  }
  return by;
}
const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
const minus = (a: Record<string, number>, b: Record<string, number>) =>
  Object.fromEntries(Object.keys(a).map((k) => [k, (a[k] ?? 0) - (b[k] ?? 0)]));

async function startTracedHall(dataDir: string, trace: string) {
  const child: ChildProcess = spawn(
    STRACE,
    [
      '-f',
      '-y',
      '-qq',
      '-o',
      trace,
      '-e',
      'trace=fsync,fdatasync',
      process.execPath,
      '--import',
      'tsx',
      join(ROOT, 'src', 'cli', 'hall-main.ts'),
    ],
    {
      cwd: ROOT,
      env: { ...process.env, HALL_PORT: '0', HALL_HOST: '127.0.0.1', HALL_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (l) => {
      const m = /Hall server ready: (\S+)/.exec(l);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`hall exited (${code}) before listening`)));
  });
  return {
    url,
    async stop() {
      // The node process strace started (its only child): stopped by its id, then strace ends.
      const kids = readdirSync(`/proc/${child.pid}/task`).flatMap((t) =>
        readFileSync(`/proc/${child.pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean),
      );
      for (const k of kids) process.kill(Number(k), 'SIGTERM');
      await exited;
    },
  };
}

async function run(root: string, template: string, blobDir: string, batchSize: number) {
  const hallDir = join(root, `hall-${batchSize}`);
  const trace = join(root, `hall-${batchSize}.strace`);
  const hall = await startTracedHall(hallDir, trace);
  const dbPath = join(root, `kiosk-${batchSize}.db`);
  copyFileSync(template, dbPath);
  const db = openKiosk(dbPath);
  try {
    const [code] = await enrollmentCodes(hallDir, 1);
    const e = await enrollKiosk({ db, hallUrl: hall.url, code: code!, clock: () => new Date() });
    if (!e.ok) throw new Error(JSON.stringify(e.error));
    const client = createSyncClient({
      db,
      records: kioskRecords(db),
      hallUrl: hall.url,
      batchSync: true,
      credentials: e.enrollment,
      blobDir,
      clock: () => new Date(),
      logger: silent,
      random: Math.random,
      batchSize,
      fetch: keepAliveFetch(),
    });
    await sleep(500);
    const before = count(trace);
    // Bounded: each cycle pushes a bounded number of requests; the backlog shrinks every cycle.
    for (let cycle = 0; cycle < 10 * N; cycle++) {
      const r = await client.runOnce();
      if (r.ok && r.backlog === 0) break;
      if (!r.ok && r.error.kind !== 'stuck') throw new Error(`push failed: ${JSON.stringify(r.error)}`);
    }
    const left = db.prepare('SELECT count(*) FROM outbox WHERE acked_at IS NULL').pluck().get() as number;
    if (left !== 0) throw new Error(`${left} entries not acknowledged`);
    await sleep(500);
    const during = minus(count(trace), before);
    return { batchSize, fsyncs: total(during), perApplication: total(during) / N, byFile: during };
  } finally {
    db.close();
    await hall.stop();
  }
}

async function measure(): Promise<BenchResult[]> {
  if (!existsSync(STRACE)) {
    process.stderr.write(`hall-fsyncs: ${STRACE} not found (apt-get install strace); nothing measured\n`);
    return [];
  }
  const root = mkdtempSync(join(tmpdir(), 'zizhu-fsyncs-'));
  try {
    const blobDir = join(root, 'blobs');
    const template = join(root, 'kiosk-template.db');
    const db = openKiosk(template);
    fillOutbox(db, makeApplications(blobDir, N), false);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const out: BenchResult[] = [];
    for (const batch of [1, 100]) {
      const r = await run(root, template, blobDir, batch);
      out.push({
        name: `hall fsyncs per application, /v2 batch ${batch}`,
        value: r.perApplication,
        unit: 'fsyncs',
        note: `${r.fsyncs} fsync/fdatasync calls of the hall (strace -f) for ${N} applications × one distinct 50 KB scan, ${batch} per POST /v2/sync; by file: ${Object.entries(
          r.byFile,
        )
          .filter(([, n]) => n > 0)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')}`,
      });
    }
    return out;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export const hallFsyncsSuite: BenchSuite = { name: 'hall-fsyncs', run: measure };
