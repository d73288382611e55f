/**
 * Smoke test of the `pouch` and `fleet` benchmark harnesses (bench/pouch.bench.ts,
 * bench/fleet.bench.ts) through the functions `npm run bench` runs, at a small size: what arrives
 * where, exactly once — never timings (the figures are the benchmark's, docs/benchmarks.md).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runFleet } from './fleet.bench.js';
import { comparePouch } from './pouch.bench.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'zizhu-bench-smoke-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('sync benchmark harnesses', () => {
  it('pouch: the same 20 documents reach the hall and the PouchDB target once each, with their scans', async () => {
    const c = await comparePouch({ docs: 20, rounds: 1, root });
    const held = { docs: 20, distinct: 20, withScan: 20 };
    expect(c.runs.map((r) => [r.who, r.atTarget])).toEqual([
      ['ours', held],
      ['pouch', held],
    ]);
    // Batch sync: the missing-blobs question and one POST /v2/sync (docs/sync-protocol.md, 5e).
    expect(c.runs[0]!.requests).toBeLessThanOrEqual(2);
    expect(c.ratio).toBeGreaterThan(0);
  }, 60_000);

  it('fleet: 10 kiosks over 2 processes, every committed row at the hall exactly once, no errors', async () => {
    const r = await runFleet({ kiosks: 10, procs: 2, durationS: 2, thinkMs: 100, longPoll: true, root });
    expect(r.errors).toEqual([]);
    // Between cycles the kiosks held long-polls, cut short by their next application without an error.
    expect(r.longPoll).toBe(true);
    expect(r.waits).toBeGreaterThanOrEqual(10);
    expect(r.committed.undrained).toBe(0);
    // Every kiosk starts at least one cycle in the window (its first think time is ≤ 200 ms).
    expect(r.committed.applications).toBeGreaterThanOrEqual(10);
    expect(r.committed.rows).toBe(3 * r.committed.applications);
    expect(r.atHall).toEqual({
      applications: r.committed.applications,
      missing: 0,
      unexpected: 0,
      entries: r.committed.rows,
      rejected: 0,
      rejections: [],
    });
    expect(r.push.n).toBeGreaterThanOrEqual(10);
    expect(r.workerBusy).toHaveLength(2);
  }, 60_000);
});
