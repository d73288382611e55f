/**
 * Scheduled blob GC (docs/blob-store.md, "Scheduled GC") through the hall server: two hall servers
 * on ONE data directory (one hall.db, one blob directory, as two nodes sharing them) collect the
 * unreferenced blobs past retention by themselves; when both are due at once exactly one runs and
 * the other finds the maintenance lock held; a lock left by a dead holder is taken over; closing
 * a hall stops its run and releases the lock; HALL_BLOB_GC_HOURS=0 switches the schedule off.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadHallConfig } from './config.js';
import { startHallServer, type HallServer } from './server.js';
import { createHallService } from './service.js';
import { openHallDatabase } from './store/index.js';
import { sha } from './testing/staff-fixture.js';

let dir: string;
const halls: HallServer[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-gc-schedule-'));
});
afterEach(async () => {
  for (const h of halls.splice(0)) await h.close();
  rmSync(dir, { recursive: true, force: true });
});

const lockPath = () => join(dir, 'blobs', '.maintenance.lock');

/** `n` blobs nothing references, received in March 2026 (long past a 30-day retention). */
async function seedGarbage(n: number): Promise<string[]> {
  const r = openHallDatabase(join(dir, 'hall.db'));
  if (!r.ok) throw new Error(r.message);
  try {
    const service = await createHallService({
      db: r.db,
      dataDir: dir,
      clock: () => new Date('2026-03-02T08:00:00Z'),
    });
    const hashes: string[] = [];
    // Several packs, so a run has several steps.
    for (let p = 0; p < 4; p++) {
      const blobs = Array.from({ length: n / 4 }, () => {
        const bytes = randomBytes(2000);
        return { sha256: sha(bytes), bytes };
      });
      expect((await service.putBlobs(blobs)).ok).toBe(true);
      hashes.push(...blobs.map((b) => b.sha256));
    }
    return hashes;
  } finally {
    r.db.close();
  }
}

const start = async (name: string, env: Record<string, string>, everyMs?: number) => {
  const c = loadHallConfig({ HALL_DATA_DIR: dir, HALL_HOST: '127.0.0.1', HALL_PORT: '0', ...env });
  if (!c.ok) throw new Error(c.error);
  const h = await startHallServer(c.config, {
    silent: true,
    nodeName: name,
    blobGcGraceMs: 0,
    ...(everyMs !== undefined ? { blobGcEveryMs: everyMs } : {}),
  });
  halls.push(h);
  return h;
};

const until = async (what: string, check: () => boolean, timeoutMs = 10_000) => {
  const end = Date.now() + timeoutMs;
  // Bounded by the deadline.
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('scheduled blob GC on two halls sharing one directory', { timeout: 60_000 }, () => {
  it('both due at once: one collects the garbage, the other finds the lock held; asked while running: busy', async () => {
    const garbage = await seedGarbage(40);
    // Scheduled far apart first: the two runs below are started by hand, in the same tick.
    const a = await start('hall-a', { HALL_BLOB_GC_HOURS: '24' });
    const b = await start('hall-b', { HALL_BLOB_GC_HOURS: '24' });
    expect((await a.service.blobState(garbage[0] ?? '')).complete).toBe(true);
    const [ra, rb] = await Promise.all([a.blobGc.runNow(), b.blobGc.runNow()]);
    expect(ra.kind).toBe('done');
    expect(rb).toMatchObject({ kind: 'locked', holder: { node: 'hall-a', what: 'gc' } });
    if (ra.kind !== 'done') return;
    expect(ra.report).toMatchObject({ removedBlobs: 40, packsDeleted: 4, stopped: false });
    // It gave the event loop back between steps (index transaction, each pack, …).
    expect(ra.report.steps).toBeGreaterThanOrEqual(5);
    expect(existsSync(lockPath())).toBe(false);
    for (const h of garbage) expect((await b.service.blobState(h)).complete).toBe(false);
    // Asked again while a run is going: busy, not a second run.
    const first = a.blobGc.runNow();
    expect(await a.blobGc.runNow()).toEqual({ kind: 'busy' });
    expect((await first).kind).toBe('done');
    expect(a.blobGc.stats()).toMatchObject({ runs: 2, skippedBusy: 1, skippedLocked: 0 });
    expect(b.blobGc.stats()).toMatchObject({ runs: 0, skippedLocked: 1 });
  });

  it('runs on its schedule on both nodes and takes over the lock a dead holder left', async () => {
    const garbage = await seedGarbage(20);
    // A lock left by a process of this host that no longer exists.
    writeFileSync(
      lockPath(),
      JSON.stringify({
        token: 'dead',
        host: (await import('node:os')).hostname(),
        pid: 2 ** 22 + 12345,
        node: 'gone',
        what: 'gc',
        at: '2026-01-01T00:00:00Z',
      }),
    );
    const a = await start('hall-a', {}, 40);
    const b = await start('hall-b', {}, 40);
    await until('both nodes ran', () => a.blobGc.stats().runs >= 1 && b.blobGc.stats().runs >= 1);
    for (const h of garbage) expect((await a.service.blobState(h)).complete).toBe(false);
    const removed = [a, b].reduce((n, h) => {
      const last = h.blobGc.stats().last;
      return n + (last?.kind === 'done' ? last.report.removedBlobs : 0);
    }, 0);
    expect(removed).toBeLessThanOrEqual(20);
    expect([a, b].some((h) => h.blobGc.stats().failed > 0)).toBe(false);
  });

  it('closing the hall stops a run at its next step and releases the lock', async () => {
    await seedGarbage(40);
    const a = await start('hall-a', { HALL_BLOB_GC_HOURS: '24' });
    const run = a.blobGc.runNow();
    expect(existsSync(lockPath())).toBe(true);
    halls.splice(halls.indexOf(a), 1);
    await a.close();
    const o = await run;
    expect(o.kind).toBe('done');
    if (o.kind === 'done') expect(o.report.stopped).toBe(true);
    expect(existsSync(lockPath())).toBe(false);
  });

  it('HALL_BLOB_GC_HOURS=0 switches it off; bad values are refused', async () => {
    await seedGarbage(4);
    const c = loadHallConfig({ HALL_DATA_DIR: dir, HALL_BLOB_GC_HOURS: '0', HALL_BLOB_RETENTION_DAYS: '7' });
    expect(c.ok && c.config.blobGc).toEqual({ everyHours: 0, retentionDays: 7 });
    expect(loadHallConfig({ HALL_DATA_DIR: dir }).ok && loadHallConfig({}).ok).toBe(true);
    const defaults = loadHallConfig({ HALL_DATA_DIR: dir });
    expect(defaults.ok && defaults.config.blobGc).toEqual({ everyHours: 24, retentionDays: 30 });
    expect(loadHallConfig({ HALL_BLOB_GC_HOURS: '-1' })).toMatchObject({ ok: false });
    expect(loadHallConfig({ HALL_BLOB_GC_HOURS: 'daily' })).toMatchObject({ ok: false });
    expect(loadHallConfig({ HALL_BLOB_RETENTION_DAYS: '1.5' })).toMatchObject({ ok: false });
    const a = await start('hall-a', { HALL_BLOB_GC_HOURS: '0' });
    await new Promise((r) => setTimeout(r, 300));
    expect(a.blobGc.stats()).toMatchObject({ runs: 0, skippedLocked: 0, last: null });
  });
});
