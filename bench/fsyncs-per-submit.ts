/**
 * Counts the fsync/fdatasync calls made during each timed submit of the `resident` suite, from a
 * trace of a run with markers (docs/benchmarks.md, "Submit → durable", its "Fsyncs per submit" paragraph):
 *
 *   BENCH_SUBMIT_MARKERS=1 strace -f -y -e trace=fsync,fdatasync,access -o /tmp/submit.strace \
 *     node --import tsx bench/run.ts resident
 *   node --import tsx bench/fsyncs-per-submit.ts /tmp/submit.strace
 *
 * Prints, per submit, the calls by file (the kiosk database's WAL, the database, anything else), and
 * a summary line. Timing under strace means nothing; only the counts do.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const file = process.argv[2];
if (!file) {
  console.error('usage: fsyncs-per-submit.ts <strace output>');
  process.exit(2);
}

const MARKER = /access\("\/zizhu-bench-marker\/submit-(start|end)-(\d+)"/;
const SYNC = /\b(fsync|fdatasync)\(\d+<([^>]*)>/;

type Window = { submit: number; calls: Map<string, number> };
const windows: Window[] = [];
let open: Window | null = null;
for (const line of readFileSync(file, 'utf8').split('\n')) {
  const m = MARKER.exec(line);
  if (m) {
    if (m[1] === 'start') open = { submit: Number(m[2]), calls: new Map() };
    else if (open) {
      windows.push(open);
      open = null;
    }
    continue;
  }
  const s = SYNC.exec(line);
  if (s && open) {
    const name = basename(s[2] ?? '?');
    const key = name === 'kiosk.db-wal' || name === 'kiosk.db' ? name : `other (${name})`;
    open.calls.set(key, (open.calls.get(key) ?? 0) + 1);
  }
}
if (windows.length === 0) {
  console.error('no marked submits in the trace (was BENCH_SUBMIT_MARKERS=1 set?)');
  process.exit(1);
}
const total = (w: Window) => [...w.calls.values()].reduce((a, b) => a + b, 0);
for (const w of windows) {
  const parts = [...w.calls].map(([k, n]) => `${k}: ${n}`).join(', ');
  console.log(`submit ${w.submit}: ${total(w)} (${parts || 'none'})`);
}
const timed = windows.filter((w) => w.submit > 0);
const counts = (timed.length > 0 ? timed : windows).map(total).sort((a, b) => a - b);
const wal = (timed.length > 0 ? timed : windows)
  .map((w) => w.calls.get('kiosk.db-wal') ?? 0)
  .sort((a, b) => a - b);
const mid = (xs: number[]) => xs[Math.floor(xs.length / 2)] ?? 0;
console.log(
  `${counts.length} timed submits: fsyncs per submit median ${mid(counts)} (min ${counts[0]}, max ${counts.at(-1)}); of the WAL median ${mid(wal)}`,
);
