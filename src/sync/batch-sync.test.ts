/**
 * Batch sync from the kiosk's side (docs/sync-protocol.md, 5e): the real sync client (its cycle and
 * its background loop) against the real hall over loopback, every request counted at the fetch and
 * every connection at a TCP proxy in front of the hall.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../backend/index.js';
import { startHallServer, type HallServer } from '../hall/index.js';
import { startFaultProxy, type FaultProxy } from './testing/fault-proxy.js';
import { keepAliveFetch } from './hall-endpoint.js';
import { createSyncClient, enrollKiosk, type FetchFn, type SyncClient } from './index.js';
import { kioskRecords, seedCatalogRow, submitApplication } from './testing/kiosk-fixture.js';
import { SYNC_V2_MAX_INLINE_BLOB_BYTES } from '../shared/wire/index.js';
import { silentLogger } from './testing/fake-fetch.js';

let root: string;
let hall: HallServer;
let db: Db;
let proxy: FaultProxy | null = null;
/** Every request the kiosk sent: "METHOD path". */
let sent: string[] = [];

const blobDir = () => join(root, 'kiosk', 'blobs');

async function startHall(syncV2 = true) {
  hall = await startHallServer(
    { host: '127.0.0.1', port: 0, dataDir: join(root, 'hall'), ...(syncV2 ? {} : { syncV2: false }) },
    { silent: true },
  );
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'zizhu-batch-'));
  sent = [];
  const opened = openDatabase(join(root, 'kiosk', 'kiosk.db'));
  if (!opened.ok) throw new Error(opened.message);
  db = opened.db;
  seedCatalogRow(db);
});
afterEach(async () => {
  await proxy?.close();
  proxy = null;
  if (db.open) db.close();
  await hall.close();
  rmSync(root, { recursive: true, force: true });
});

/** Counts each request, then hands it to `inner` (a keep-alive fetch unless given). */
function counting(inner: FetchFn = keepAliveFetch()): FetchFn {
  return (input, init) => {
    const u = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    sent.push(`${init?.method ?? 'GET'} ${u.pathname}`);
    return inner(input, init);
  };
}

async function client(
  opts: { fetch?: FetchFn; url?: string; batchSync?: boolean; batchSize?: number } = {},
): Promise<SyncClient> {
  const { code } = await hall.service.createEnrollmentCode('610113');
  const url = opts.url ?? hall.url;
  const e = await enrollKiosk({ db, hallUrl: url, code, clock: () => new Date() });
  if (!e.ok) throw new Error('enrolment failed');
  const { kioskId, secret, firstSeq } = e.enrollment;
  return createSyncClient({
    db,
    hallUrl: url,
    credentials: { kioskId, secret },
    firstSeq,
    blobDir: blobDir(),
    fetch: opts.fetch ?? counting(),
    clock: () => new Date(),
    logger: silentLogger,
    random: () => 0.5,
    records: kioskRecords(db),
    waitMs: 200,
    ...(opts.batchSync === false ? { batchSync: false } : {}),
    ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
  });
}

/** Logs "→ path" when a request starts and "← path" when its answer has arrived. */
function timeline(log: string[], inner: FetchFn = keepAliveFetch()): FetchFn {
  return async (input, init) => {
    const u = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    log.push(`→ ${u.pathname}`);
    const res = await inner(input, init);
    const body = await res.arrayBuffer();
    log.push(`← ${u.pathname}`);
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

/** Distinct 50 KB scans, as a resident's pages would be. */
const scan = () => randomBytes(50 * 1024);

function hallCounts(): { cases: number; blobs: number } {
  const h = new Database(join(root, 'hall', 'hall.db'), { readonly: true });
  try {
    return {
      cases: h.prepare('SELECT count(*) FROM applications').pluck().get() as number,
      blobs: h.prepare('SELECT count(*) FROM blobs').pluck().get() as number,
    };
  } finally {
    h.close();
  }
}

describe('batch sync (kiosk → hall)', () => {
  it('a cycle with entries and blobs is at most 2 requests; an idle cycle is 1', async () => {
    await startHall();
    const c = await client();
    const pages = [scan(), scan(), scan(), scan()];
    submitApplication(db, blobDir(), 'a1', pages.slice(0, 2));
    submitApplication(db, blobDir(), 'a2', pages.slice(2));
    sent = [];
    const r = await c.runOnce();
    expect(r).toMatchObject({ ok: true, pushed: 2, backlog: 0 });
    expect(sent).toEqual(['POST /v2/blobs/missing', 'POST /v2/sync']);
    expect(c.usingBatchSync()).toBe(true);
    // At the hall, byte-identical, and the kiosk heard "received" in the same answer.
    expect(hallCounts()).toEqual({ cases: 2, blobs: 4 });
    for (const p of pages) {
      const b = await hall.service.readBlob(createHash('sha256').update(p).digest('hex'));
      expect(b.ok && b.value.equals(p)).toBe(true);
    }
    // The heartbeat went with it: the fleet view has this kiosk's backlog.
    const hb = new Database(join(root, 'hall', 'hall.db'), { readonly: true });
    expect(hb.prepare('SELECT backlog FROM kiosk_heartbeats').pluck().all()).toEqual([0]);
    hb.close();

    sent = [];
    expect((await c.runOnce()).ok).toBe(true);
    expect(sent).toEqual(['POST /v2/sync']);
  });

  it('falls back to /v1 against a hall with batch sync switched off (HALL_SYNC_V2=0)', async () => {
    await startHall(false);
    const c = await client();
    submitApplication(db, blobDir(), 'b1', [scan()]);
    const r = await c.runOnce();
    expect(r).toMatchObject({ ok: true, pushed: 1, backlog: 0 });
    expect(c.usingBatchSync()).toBe(false);
    expect(sent).toContain('POST /v2/blobs/missing');
    expect(
      sent.filter((s) => s.startsWith('HEAD /v1/blobs/') || s.startsWith('PUT /v1/blobs/')),
    ).toHaveLength(2);
    expect(sent).toContain('POST /v1/push');
    expect(hallCounts()).toEqual({ cases: 1, blobs: 1 });
    // The next cycle does not ask for /v2 again (until V2_REPROBE_MS has passed).
    sent = [];
    submitApplication(db, blobDir(), 'b2', [scan()]);
    expect((await c.runOnce()).ok).toBe(true);
    expect(sent.filter((s) => s.includes('/v2/'))).toEqual([]);
    expect(hallCounts()).toEqual({ cases: 2, blobs: 2 });
  });

  it('exactly once when the answer to a batch is lost after the hall committed it', async () => {
    await startHall();
    let lose = 1;
    const inner = keepAliveFetch();
    const lossy: FetchFn = async (input, init) => {
      const res = await inner(input, init);
      const u = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      if (u.pathname === '/v2/sync' && lose > 0) {
        lose--;
        throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
      }
      return res;
    };
    const c = await client({ fetch: counting(lossy) });
    for (let i = 0; i < 3; i++) submitApplication(db, blobDir(), `c${i}`, [scan()]);
    const first = await c.runOnce();
    expect(first.ok).toBe(false);
    expect(hallCounts()).toEqual({ cases: 3, blobs: 3 }); // committed, the kiosk did not hear
    const again = await c.runOnce();
    expect(again).toMatchObject({ ok: true, backlog: 0 });
    expect(hallCounts()).toEqual({ cases: 3, blobs: 3 });
    const refs = db
      .prepare("SELECT hall_status, hall_reference FROM outbox WHERE kind = 'application' ORDER BY seq")
      .all() as { hall_status: string; hall_reference: string }[];
    expect(refs.map((r) => r.hall_status)).toEqual(['applied', 'applied', 'applied']);
    expect(new Set(refs.map((r) => r.hall_reference)).size).toBe(3);
  });

  it('prepares the next batch while the one before is in flight, one /v2/sync at a time and in order', async () => {
    await startHall();
    const log: string[] = [];
    const c = await client({ fetch: counting(timeline(log)), batchSize: 10 });
    for (let i = 0; i < 25; i++) submitApplication(db, blobDir(), `p${i}`, [scan()]);
    log.length = 0;
    sent = [];
    expect(await c.runOnce()).toMatchObject({ ok: true, pushed: 25, backlog: 0 });
    // Three batches (10, 10, 5), each a question and a sync: no more requests than one by one.
    expect(sent.filter((s) => s === 'POST /v2/blobs/missing')).toHaveLength(3);
    expect(sent.filter((s) => s === 'POST /v2/sync')).toHaveLength(3);
    // The question for batch 2 went out before the answer to batch 1's sync came back …
    const syncs = log.flatMap((e, i) => (e.endsWith('/v2/sync') ? [[e, i] as const] : []));
    const questions = log.flatMap((e, i) => (e === '→ /v2/blobs/missing' ? [i] : []));
    const firstAnswer = syncs.find(([e]) => e.startsWith('←'))![1];
    expect(questions[1]).toBeLessThan(firstAnswer);
    // … but never two syncs in flight: each starts after the one before was answered.
    expect(syncs.map(([e]) => e[0])).toEqual(['→', '←', '→', '←', '→', '←']);
    expect(hallCounts()).toEqual({ cases: 25, blobs: 25 });
    const statuses = db.prepare("SELECT hall_status FROM outbox WHERE kind = 'application'").pluck().all();
    expect(statuses).toEqual(Array(25).fill('applied'));
  });

  it('drops the batch prepared ahead when the one before is not acknowledged, and loses nothing', async () => {
    await startHall();
    let syncs = 0;
    const inner = keepAliveFetch();
    const lossy: FetchFn = async (input, init) => {
      const res = await inner(input, init);
      const u = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      // The hall commits batch 2; its answer is lost on the way back.
      if (u.pathname === '/v2/sync' && ++syncs === 2)
        throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
      return res;
    };
    const c = await client({ fetch: counting(lossy), batchSize: 10 });
    for (let i = 0; i < 35; i++) submitApplication(db, blobDir(), `q${i}`, [scan()]);
    const first = await c.runOnce();
    expect(first.ok).toBe(false);
    // Batches 1 and 2 are at the hall; batch 3, prepared meanwhile, was not sent.
    expect(hallCounts()).toEqual({ cases: 20, blobs: 20 });
    expect(db.prepare('SELECT count(*) FROM outbox WHERE acked_at IS NULL').pluck().get()).toBe(25);
    expect(await c.runOnce()).toMatchObject({ ok: true, backlog: 0 });
    expect(hallCounts()).toEqual({ cases: 35, blobs: 35 });
    const refs = db
      .prepare("SELECT hall_status, hall_reference FROM outbox WHERE kind = 'application'")
      .all() as { hall_status: string; hall_reference: string }[];
    expect(refs.every((r) => r.hall_status === 'applied')).toBe(true);
    expect(new Set(refs.map((r) => r.hall_reference)).size).toBe(35);
  });

  it('sends a scan too large for a frame by the resumable /v1 upload, the rest in the batch', async () => {
    await startHall();
    const c = await client();
    const big = randomBytes(SYNC_V2_MAX_INLINE_BLOB_BYTES + 1024);
    const small = scan();
    submitApplication(db, blobDir(), 'e1', [big, small]);
    sent = [];
    expect(await c.runOnce()).toMatchObject({ ok: true, pushed: 1, backlog: 0 });
    expect(sent.filter((s) => s.startsWith('PUT /v1/blobs/')).length).toBeGreaterThan(1);
    expect(sent.filter((s) => s === 'POST /v2/sync')).toHaveLength(1);
    for (const p of [big, small]) {
      const b = await hall.service.readBlob(createHash('sha256').update(p).digest('hex'));
      expect(b.ok && b.value.equals(p)).toBe(true);
    }
  });

  it('the background loop moves 30 applications over one or two connections', async () => {
    await startHall();
    proxy = await startFaultProxy({ upstreamPort: hall.port });
    const c = await client({ url: proxy.url });
    for (let i = 0; i < 30; i++) submitApplication(db, blobDir(), `d${i}`, [scan()]);
    const loop = c.start();
    try {
      for (let i = 0; i < 200 && hallCounts().cases < 30; i++) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await loop.stop();
    }
    expect(hallCounts()).toEqual({ cases: 30, blobs: 30 });
    const connections = Object.values(proxy.stats()).reduce((a, b) => a + b, 0);
    // The cycle and the long-poll: keep-alive, a small number in flight (HALL_MAX_SOCKETS).
    expect(connections).toBeLessThanOrEqual(4);
    expect(sent.filter((s) => s.startsWith('HEAD') || s.startsWith('PUT'))).toEqual([]);
  });
});
