/**
 * The hall's blob store, one blob at a time vs batches in packs (docs/benchmarks.md, "Hall blob
 * store"; docs/blob-store.md). BLOB_BENCH_N (default 1,000) distinct 50 KB blobs stored in a fresh
 * hall data directory by `bench/blobs-worker.ts` in a child process: once with `putBlob` per blob
 * (the /v1 path), once with `putBlobs` in batches of BLOB_BENCH_BATCH (default 100). Reported:
 * blobs/s of the store phase (median of BLOB_BENCH_ROUNDS, default 3, interleaved), and — when
 * strace is installed — fsync + fdatasync calls per blob (the worker run again under
 * `strace -f -c`, minus a run that stores nothing: opening and migrating the database).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, type BenchResult, type BenchSuite } from './harness.js';

const N = Number(process.env.BLOB_BENCH_N ?? 1000);
const BATCH = Number(process.env.BLOB_BENCH_BATCH ?? 100);
const ROUNDS = Number(process.env.BLOB_BENCH_ROUNDS ?? 3);
const WORKER = join(import.meta.dirname, 'blobs-worker.ts');

type Mode = 'single' | 'batch';

function run(mode: Mode, n: number, strace: string | null): { ms: number } {
  const dir = mkdtempSync(join(tmpdir(), 'zizhu-bench-blobs-'));
  try {
    const node = [process.execPath, '--import', 'tsx', WORKER, mode, dir, String(n), String(BATCH)];
    const cmd = strace ? ['strace', '-f', '-c', '-e', 'trace=fsync,fdatasync', '-o', strace, ...node] : node;
    const r = spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8', timeout: 600_000 });
    if (r.status !== 0) throw new Error(`${mode} run failed (${String(r.status)}): ${r.stderr}`);
    const last = r.stdout.trim().split('\n').at(-1) ?? '{}';
    return JSON.parse(last) as { ms: number };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** fsync + fdatasync calls in an `strace -c` summary. */
function syncCalls(file: string): number {
  let calls = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const cols = line.trim().split(/\s+/);
    const name = cols.at(-1);
    // % time, seconds, usecs/call, calls, [errors], syscall
    if (name === 'fsync' || name === 'fdatasync') calls += Number(cols[3]);
  }
  return calls;
}

const haveStrace = (): boolean => spawnSync('strace', ['-V'], { encoding: 'utf8' }).status === 0;

function fsyncsPerBlob(mode: Mode): number {
  const dir = mkdtempSync(join(tmpdir(), 'zizhu-bench-strace-'));
  try {
    const base = join(dir, 'base');
    const full = join(dir, 'full');
    run(mode, 0, base);
    run(mode, N, full);
    return (syncCalls(full) - syncCalls(base)) / N;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const blobsSuite: BenchSuite = {
  name: 'blobs',
  run(): Promise<BenchResult[]> {
    const rates: Record<Mode, number[]> = { single: [], batch: [] };
    for (let i = 0; i < ROUNDS; i++)
      for (const mode of ['single', 'batch'] as const) rates[mode].push((N / run(mode, N, null).ms) * 1000);
    const single = median(rates.single);
    const batch = median(rates.batch);
    const what = `${N} distinct 50 KB blobs, fresh hall data dir, median of ${ROUNDS} interleaved runs`;
    const results: BenchResult[] = [
      { name: 'hall blobs: putBlob one at a time (/v1 path)', value: single, unit: 'blobs/s', note: what },
      {
        name: `hall blobs: putBlobs, batches of ${BATCH} (packs)`,
        value: batch,
        unit: 'blobs/s',
        note: what,
      },
      { name: 'hall blobs: batch vs one at a time', value: batch / single, unit: '×', note: 'same run' },
    ];
    if (haveStrace()) {
      const note = `strace -f -c fsync+fdatasync over ${N} blobs, minus a run storing none (db open + migrations)`;
      results.push(
        {
          name: 'hall blobs: fsyncs per blob, one at a time',
          value: fsyncsPerBlob('single'),
          unit: 'fsync/blob',
          note,
        },
        {
          name: `hall blobs: fsyncs per blob, batches of ${BATCH}`,
          value: fsyncsPerBlob('batch'),
          unit: 'fsync/blob',
          note,
        },
      );
    }
    return Promise.resolve(results);
  },
};
