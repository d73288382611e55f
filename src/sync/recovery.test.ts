/**
 * Sync that recovers from the real world (issue 11, item 5; docs/sync-protocol.md 2, 3 and 4.3):
 * - the loop's backoff: a nudge while backing off is not a failure, progress starts the count over,
 *   an unreachable hall is retried within seconds, a 426 waits five minutes;
 * - blobs the hall confirmed are remembered in the kiosk database: a restarted client does not ask
 *   about them again;
 * - a lost answer to `POST /v1/enroll` does not burn the code: the retry gets the same identity, no
 *   orphan kiosk at the hall, and the failure was the kiosk's last error meanwhile.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../backend/index.js';
import { startHallServer, type HallServer } from '../hall/index.js';
import type { BackoffPolicy } from './backoff.js';
import type { CycleResult } from './cycle.js';
import { createSyncClient, enrollKiosk, readSyncState, type FetchFn } from './index.js';
import { startLoop, UPGRADE_RETRY_MS, type SyncLoop } from './loop.js';
import type { SyncError } from './sync-error.js';
import { kioskRecords, seedCatalogRow, submitApplication } from './testing/kiosk-fixture.js';
import type { SyncLogger } from './transport.js';

const silent: SyncLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

describe('backoff', () => {
  const failure = (error: SyncError, progressed = false): CycleResult => ({
    ok: false,
    error,
    backlog: 1,
    progressed,
  });
  const down = failure({ kind: 'network', message: 'POST /v1/push: ECONNRESET' });
  let loop: SyncLoop | null = null;
  let backoffs: { failures: number; delayMs: number }[] = [];
  const logger: SyncLogger = {
    ...silent,
    info: (o: object, msg?: string) => {
      if (msg === 'sync cycle failed; backing off') backoffs.push(o as { failures: number; delayMs: number });
    },
  };

  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
    backoffs = [];
  });
  afterEach(async () => {
    const stopping = loop?.stop();
    loop = null;
    await vi.runOnlyPendingTimersAsync();
    await stopping;
    vi.useRealTimers();
  });

  function run(cycles: CycleResult[], backoff: BackoffPolicy = { baseMs: 1000, capMs: 300_000 }) {
    let n = 0;
    loop = startLoop({
      runOnce: () => Promise.resolve(cycles[Math.min(n++, cycles.length - 1)] ?? down),
      waitForChanges: () => Promise.resolve('quiet'),
      logger,
      random: () => 0.999,
      backoff,
    });
    return loop;
  }

  it('does not count a cycle a submission started while backing off', async () => {
    const l = run([down]);
    await vi.advanceTimersByTimeAsync(0);
    // Twelve offline submissions, each nudging the loop.
    for (let i = 0; i < 12; i++) {
      l.nudge();
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(backoffs.length).toBeGreaterThanOrEqual(13);
    expect(Math.max(...backoffs.map((b) => b.failures))).toBe(1);
    // The loop's own retries still count: 1 s, then 2 s, then 4 s.
    await vi.advanceTimersByTimeAsync(1000 + 2000);
    expect(backoffs.slice(-2).map((b) => b.failures)).toEqual([2, 3]);
  });

  it('starts the count over when a failed cycle still moved the backlog down', async () => {
    run([down, down, down, down, failure({ kind: 'network', message: 'ECONNRESET' }, true), down]);
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000 + 8000 + 1000);
    expect(backoffs.map((b) => b.failures)).toEqual([1, 2, 3, 4, 1, 2]);
    expect(backoffs[4]?.delayMs).toBeLessThan(1000);
  });

  it('retries an unreachable hall within 6 s however long it has been away', async () => {
    const refused = failure({ kind: 'network', message: 'POST /v1/push: ECONNREFUSED' });
    run([refused], { baseMs: 1000, capMs: 300_000, unreachableCapMs: 6000 });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(backoffs.length).toBeGreaterThan(15);
    expect(Math.max(...backoffs.map((b) => b.delayMs))).toBeLessThan(6000);
    expect(Math.max(...backoffs.map((b) => b.failures))).toBeGreaterThan(15);
  });

  it('waits five minutes after a 426 (a software update is needed), not the growing backoff', async () => {
    const upgrade = failure({
      kind: 'http',
      status: 426,
      error: 'schema-version-unsupported',
      message: 'schema version 2 is not supported',
      retryAfterMs: 0,
    });
    run([upgrade]);
    await vi.advanceTimersByTimeAsync(0);
    expect(backoffs).toHaveLength(1);
    expect(backoffs[0]?.delayMs).toBe(UPGRADE_RETRY_MS);
    expect(UPGRADE_RETRY_MS).toBe(300_000);
    await vi.advanceTimersByTimeAsync(UPGRADE_RETRY_MS - 1);
    expect(backoffs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(backoffs).toHaveLength(2);
  });
});

describe('against a real hall', () => {
  let root: string;
  let hall: HallServer;
  let db: Db;
  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'zizhu-recovery-'));
    hall = await startHallServer(
      { host: '127.0.0.1', port: 0, dataDir: join(root, 'hall') },
      { silent: true },
    );
    const opened = openDatabase(join(root, 'kiosk', 'kiosk.db'));
    if (!opened.ok) throw new Error(opened.message);
    db = opened.db;
    seedCatalogRow(db);
  });
  afterEach(async () => {
    if (db.open) db.close();
    await hall.close();
    rmSync(root, { recursive: true, force: true });
  });

  const hallKiosks = (): string[] => {
    const h = new Database(join(root, 'hall', 'hall.db'), { readonly: true });
    try {
      return h.prepare('SELECT id FROM kiosks').pluck().all() as string[];
    } finally {
      h.close();
    }
  };

  it('remembers uploaded blobs in the database: a restarted client does not ask about them again', async () => {
    const { code } = await hall.service.createEnrollmentCode('610113');
    const e = await enrollKiosk({ db, hallUrl: hall.url, code, clock: () => new Date() });
    if (!e.ok) throw new Error(JSON.stringify(e.error));
    const requests: string[] = [];
    const counting: FetchFn = (input, init) => {
      const u = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      requests.push(`${init?.method ?? 'GET'} ${new URL(u).pathname}`);
      return fetch(input, init);
    };
    const client = () =>
      createSyncClient({
        db,
        records: kioskRecords(db),
        hallUrl: e.enrollment.hallUrl,
        credentials: e.enrollment,
        blobDir: join(root, 'kiosk', 'blobs'),
        clock: () => new Date(),
        logger: silent,
        random: () => 0.5,
        fetch: counting,
        // What the /v1 uploader remembers (batch sync keeps the same record: batch-sync.test.ts).
        batchSync: false,
      });
    const page = Buffer.from('the same scanned page '.repeat(500));
    submitApplication(db, join(root, 'kiosk', 'blobs'), 'app-1', [page]);
    expect(await client().runOnce()).toMatchObject({ ok: true, pushed: 1 });
    expect(requests.filter((r) => r.startsWith('HEAD ')).length).toBe(1);
    expect(db.prepare('SELECT count(*) FROM sync_uploaded_blobs').pluck().get()).toBe(1);

    // "Restart": a new client over the same database; a second application with the same page.
    requests.length = 0;
    submitApplication(db, join(root, 'kiosk', 'blobs'), 'app-2', [page]);
    expect(await client().runOnce()).toMatchObject({ ok: true, pushed: 1, backlog: 0 });
    expect(requests.filter((r) => r.includes('/v1/blobs/'))).toEqual([]);
  });

  it('a lost enrolment answer does not burn the code: the retry gets the same identity', async () => {
    const { code } = await hall.service.createEnrollmentCode('610113');
    // The request reaches the hall, which enrols the kiosk; its answer is lost on the way back.
    const losing: FetchFn = async (input, init) => {
      await fetch(input, init);
      throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    };
    const lost = await enrollKiosk({ db, hallUrl: hall.url, code, clock: () => new Date(), fetch: losing });
    expect(lost).toMatchObject({ ok: false, error: { kind: 'network' } });
    expect(hallKiosks()).toHaveLength(1);
    expect(readSyncState(db)).toMatchObject({
      lastError: expect.stringMatching(/^enrolment failed: network: ECONNRESET/) as unknown,
      lastErrorAt: expect.any(String) as unknown,
    });

    const again = await enrollKiosk({ db, hallUrl: hall.url, code, clock: () => new Date() });
    if (!again.ok) throw new Error(JSON.stringify(again.error));
    expect(hallKiosks()).toEqual([again.enrollment.kioskId]);
    // The identity works: a signed cycle succeeds.
    const c = createSyncClient({
      db,
      records: kioskRecords(db),
      hallUrl: again.enrollment.hallUrl,
      credentials: again.enrollment,
      blobDir: join(root, 'kiosk', 'blobs'),
      clock: () => new Date(),
      logger: silent,
      random: () => 0.5,
    });
    expect(await c.runOnce()).toMatchObject({ ok: true });
    // The code is spent for anyone else: another key is refused.
    db.prepare("DELETE FROM kiosk_config WHERE key = 'sync.enrollment'").run();
    const other = openDatabase(join(root, 'other.db'));
    if (!other.ok) throw new Error(other.message);
    try {
      const stranger = await enrollKiosk({ db: other.db, hallUrl: hall.url, code, clock: () => new Date() });
      expect(stranger).toMatchObject({ ok: false, error: { kind: 'http', status: 403, error: 'code-used' } });
    } finally {
      other.db.close();
    }
    expect(hallKiosks()).toHaveLength(1);
  });
});
