import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../backend/index.js';
import { startHallServer, type HallServer } from '../hall/index.js';
import { backoffDelay, parseRetryAfter } from './backoff.js';
import {
  createSyncClient,
  createSyncService,
  enrollKiosk,
  readEnrollment,
  type CycleResult,
  type FetchFn,
} from './index.js';
import { applyPage, readCursor } from './store.js';
import { createChangeApplier } from './streams.js';
import {
  fixtureId,
  issueTicket,
  kioskRecords,
  seedCatalogRow,
  submitApplication,
} from './testing/kiosk-fixture.js';

const silent = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

let root: string;
let db: Db;
const halls: HallServer[] = [];
let now: number;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'zizhu-sync-'));
  const opened = openDatabase(join(root, 'kiosk', 'kiosk.db'));
  if (!opened.ok) throw new Error(opened.message);
  db = opened.db;
  seedCatalogRow(db);
  now = Date.parse('2026-03-02T08:00:00Z');
});
afterEach(async () => {
  for (const h of halls.splice(0)) await h.close();
  db.close();
  rmSync(root, { recursive: true, force: true });
});

const clock = () => new Date(now);
async function hallAt(name: string, retentionMs?: number) {
  const h = await startHallServer(
    { host: '127.0.0.1', port: 0, dataDir: join(root, name) },
    { silent: true, clock, ...(retentionMs ? { retentionMs } : {}) },
  );
  halls.push(h);
  return h;
}
async function enrolIn(h: HallServer) {
  const r = await enrollKiosk({
    db,
    hallUrl: h.url,
    code: (await h.service.createEnrollmentCode('610113')).code,
    clock,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.enrollment;
}
const clientFor = (url: string, credentials: { kioskId: string; secret: string }, fetch?: FetchFn) =>
  createSyncClient({
    db,
    records: kioskRecords(db),
    hallUrl: url,
    credentials,
    blobDir: join(root, 'kiosk', 'blobs'),
    clock,
    logger: silent,
    random: () => 0.5,
    requestTimeoutMs: 2000,
    batchSize: 2,
    ...(fetch ? { fetch } : {}),
  });

describe('backoff', () => {
  it('is full-jitter exponential, capped, with Retry-After as a floor', () => {
    const p = { baseMs: 1000, capMs: 60_000 };
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, () => 0.999999, p))).toEqual([999, 1999, 3999, 7999]);
    expect(backoffDelay(50, () => 0.5, p)).toBe(30_000);
    expect(backoffDelay(1, () => 0, p, 5000)).toBe(5000);
    expect(parseRetryAfter('7', new Date(0))).toBe(7000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', new Date(0))).toBe(10_000);
    expect(parseRetryAfter(null, new Date(0))).toBe(0);
  });
});

describe('applying pulled pages', () => {
  it('is idempotent, keeps unknown streams and tombstones, and writes the cursor with the page', () => {
    submitApplication(db, join(root, 'kiosk', 'blobs'), 'app-1', []);
    const app1 = fixtureId('app-1');
    const applier = createChangeApplier(db, { records: kioskRecords(db) });
    const page = [
      {
        stream: 'case-status',
        key: app1,
        op: 'put' as const,
        version: 1,
        data: {
          status: 'correction-requested',
          at: '2026-03-02T09:00:00.000Z',
          note: '补正',
          materials: ['m2'],
        },
      },
      { stream: 'future-stream', key: 'k', op: 'put' as const, version: 3, data: { x: 1 } },
      { stream: 'holidays', key: '2026', op: 'del' as const, version: 2, data: null },
    ];
    expect(applyPage(db, page, '17', 'now', { guard: true, applier })).toEqual({ applied: 3, skipped: 0 });
    expect(applyPage(db, page, '17', 'now', { guard: true, applier })).toEqual({ applied: 0, skipped: 3 });
    expect(readCursor(db)).toBe('17');
    expect(
      db
        .prepare(
          "SELECT status, source, note, detail FROM application_status_history WHERE application_id = ? AND source = 'hall'",
        )
        .all(app1),
    ).toEqual([
      { status: 'correction-requested', source: 'hall', note: '补正', detail: '{"materials":["m2"]}' },
    ]);
    expect(db.prepare('SELECT status FROM applications WHERE id = ?').pluck().get(app1)).toBe(
      'correction-requested',
    );
    expect(db.prepare('SELECT stream, op, version FROM sync_records ORDER BY stream').all()).toEqual([
      { stream: 'case-status', op: 'put', version: 1 },
      { stream: 'future-stream', op: 'put', version: 3 },
      { stream: 'holidays', op: 'del', version: 2 },
    ]);
    // A status for an application this kiosk does not hold is kept, not applied.
    applyPage(
      db,
      [
        {
          stream: 'case-status',
          key: fixtureId('elsewhere'),
          op: 'put',
          version: 1,
          data: { status: 'accepted', at: '2026-03-02T09:00:00.000Z' },
        },
        // A status the contract does not know is refused: kept in sync_records, never applied.
        {
          stream: 'case-status',
          key: app1,
          op: 'put',
          version: 2,
          data: { status: 'suspended', at: '2026-03-02T09:00:00.000Z' },
        },
      ],
      '18',
      'now',
      { guard: true, applier },
    );
    expect(
      db.prepare("SELECT count(*) FROM application_status_history WHERE source = 'hall'").pluck().get(),
    ).toBe(1);
    expect(db.prepare('SELECT status FROM applications WHERE id = ?').pluck().get(app1)).toBe(
      'correction-requested',
    );
  });
});

describe('sync client', () => {
  it('stores the enrolment and reports status before and after a cycle', async () => {
    const h = await hallAt('hall');
    expect(readEnrollment(db)).toBeNull();
    const e = await enrolIn(h);
    expect(readEnrollment(db)).toMatchObject({ kioskId: e.kioskId, hallUrl: h.url, jurisdiction: '610113' });
    const bad = await enrollKiosk({ db, hallUrl: h.url, code: 'WRONG', clock });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'http', status: 403, error: 'invalid-code' } });
    issueTicket(db, 't-1', 'A901');
    const c = clientFor(h.url, e);
    // The refused enrolment is the last error until a cycle succeeds.
    expect(c.status()).toEqual({
      backlog: 1,
      lastSuccessAt: null,
      lastError: 'enrolment failed: hall answered 403 invalid-code: unknown enrolment code',
      lastErrorAt: clock().toISOString(),
      online: false,
    });
    expect(c.networkStatus()).toMatchObject({ state: 'offline', backlog: 1 });
    expect(await c.runOnce()).toMatchObject({ ok: true, pushed: 1, backlog: 0 });
    expect(c.status()).toEqual({
      backlog: 0,
      lastSuccessAt: clock().toISOString(),
      lastError: null,
      lastErrorAt: null,
      online: true,
    });
  });

  it('treats 503 as transient: keeps the rows, records the error and the Retry-After', async () => {
    const h = await hallAt('hall');
    const e = await enrolIn(h);
    issueTicket(db, 't-1', 'A901');
    const busy: FetchFn = () =>
      Promise.resolve(
        new Response(JSON.stringify({ error: 'unavailable', message: 'later' }), {
          status: 503,
          headers: { 'retry-after': '7' },
        }),
      );
    const r = await clientFor(h.url, e, busy).runOnce();
    expect(r).toMatchObject({
      ok: false,
      error: { kind: 'http', status: 503, retryAfterMs: 7000 },
      backlog: 1,
    });
    expect(db.prepare('SELECT attempts, last_error AS e FROM outbox').get()).toMatchObject({
      attempts: 1,
      e: expect.stringContaining('503') as unknown,
    });
    expect(clientFor(h.url, e).status()).toMatchObject({
      online: false,
      lastError: expect.stringContaining('503') as unknown,
    });
    const down = await clientFor('http://127.0.0.1:1/', e).runOnce();
    expect(down).toMatchObject({ ok: false, error: { kind: 'network' } });
  });

  it('resends from the seq the hall expects when the hall lost entries (gap)', async () => {
    const a = await hallAt('hall-a');
    const ea = await enrolIn(a);
    for (let i = 1; i <= 3; i++) issueTicket(db, `t-${i}`, `A90${i}`);
    expect(await clientFor(a.url, ea).runOnce()).toMatchObject({ ok: true, backlog: 0 });
    // The kiosk is moved to a hall restored without its entries (a new, empty hall).
    const b = await hallAt('hall-b');
    const eb = await enrolIn(b);
    issueTicket(db, 't-4', 'A904');
    expect(await clientFor(b.url, eb).runOnce()).toMatchObject({ ok: true, backlog: 0 });
    const count = (await (await fetch(new URL('v1/info', b.url))).json()) as { kiosks: number };
    expect(count.kiosks).toBe(1);
    expect(db.prepare("SELECT count(*) FROM outbox WHERE hall_status = 'applied'").pluck().get()).toBe(4);
  });

  it('corrects a kiosk clock that is off by hours after one stale-timestamp refusal', async () => {
    const h = await hallAt('hall');
    const e = await enrolIn(h);
    issueTicket(db, 't-1', 'A901');
    const kioskClock = () => new Date(now - 3 * 3600_000);
    const c = createSyncClient({
      db,
      records: kioskRecords(db),
      hallUrl: h.url,
      credentials: e,
      blobDir: join(root, 'kiosk', 'blobs'),
      clock: kioskClock,
      logger: silent,
      random: () => 0.5,
    });
    expect(await c.runOnce()).toMatchObject({ ok: true, backlog: 0 });
  });

  it('signs the full request path when the hall URL has a path prefix', async () => {
    const h = await hallAt('hall');
    const e = await enrolIn(h);
    issueTicket(db, 't-1', 'A901');
    const seen: string[] = [];
    // A reverse proxy that serves the hall under /gov/kiosk/ would see (and forward) this path.
    const prefixed: FetchFn = (input, init) => {
      const u = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      seen.push(u.pathname);
      return fetch(new URL(`${u.pathname.replace('/gov/kiosk', '')}${u.search}`, h.url), init);
    };
    const c = clientFor(`${h.url}gov/kiosk`, e, prefixed);
    const r = await c.runOnce();
    // The hall verifies against the path it received (without the prefix), so it refuses: the
    // prefix must be part of what both sides sign — documented in "String to sign".
    expect(seen[0]).toBe('/gov/kiosk/v2/sync');
    expect(r).toMatchObject({ ok: false, error: { kind: 'http', status: 401, error: 'bad-signature' } });
  });

  it('refetches a full snapshot when its cursor fell out of the retention window', async () => {
    const h = await hallAt('hall', 3600_000);
    const e = await enrolIn(h);
    const c = clientFor(h.url, e);
    await h.service.appendChange({
      kioskId: null,
      stream: 'holidays',
      key: '2026',
      op: 'put',
      data: { v: 1 },
    });
    expect(await c.runOnce()).toMatchObject({ ok: true, pulled: 1 });
    await h.service.appendChange({
      kioskId: null,
      stream: 'holidays',
      key: '2026',
      op: 'put',
      data: { v: 2 },
    });
    await h.service.appendChange({
      kioskId: null,
      stream: 'catalog',
      key: 'X1',
      op: 'put',
      data: { name: 'x' },
    });
    await h.service.appendChange({ kioskId: null, stream: 'catalog', key: 'X1', op: 'del', data: null });
    now += 2 * 3600_000;
    await h.service.purgeChanges();
    expect(await c.runOnce()).toMatchObject({ ok: true, pulled: 2 });
    expect(readCursor(db)).toMatch(
      new RegExp(
        `^${(await h.service.currentEpoch()).id}\\.${await h.service.maxPosition()}\\.[0-9a-f]{16}$`,
      ),
    );
    expect(db.prepare('SELECT stream, op, version, data FROM sync_records ORDER BY stream').all()).toEqual([
      { stream: 'catalog', op: 'del', version: 2, data: null },
      { stream: 'holidays', op: 'put', version: 2, data: '{"v":2}' },
    ]);
  });
});

describe('background loop', () => {
  it('backs off after failures and recovers by itself', async () => {
    const h = await hallAt('hall');
    const e = await enrolIn(h);
    issueTicket(db, 't-1', 'A901');
    const attempts: number[] = [];
    const flaky: FetchFn = (input, init) => {
      attempts.push(Date.now());
      return attempts.length <= 3 ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init);
    };
    const c = createSyncClient({
      db,
      records: kioskRecords(db),
      hallUrl: h.url,
      credentials: e,
      blobDir: join(root, 'kiosk', 'blobs'),
      clock,
      logger: silent,
      random: () => 0.999,
      fetch: flaky,
      backoff: { baseMs: 40, capMs: 1000 },
      waitMs: 500,
    });
    const loop = c.start();
    try {
      const t0 = Date.now();
      while (c.status().backlog > 0 && Date.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 10));
    } finally {
      await loop.stop();
    }
    expect(c.status()).toMatchObject({ backlog: 0, online: true });
    // Gaps between the failed attempts grow: ~40 ms, then ~80 ms, then ~160 ms.
    const gaps = attempts.slice(1, 4).map((t, i) => t - (attempts[i] ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(30);
    expect(gaps[1]).toBeGreaterThanOrEqual(70);
    expect(gaps[2]).toBeGreaterThanOrEqual(140);
  });
});

describe('background loop without a working wake-up', () => {
  it('does not spin when /v1/wait fails', async () => {
    const h = await hallAt('hall');
    const e = await enrolIn(h);
    let waits = 0;
    const noWait: FetchFn = (input, init) => {
      const u = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (u.includes('/v1/wait')) {
        waits++;
        return Promise.resolve(new Response('{"error":"not-found"}', { status: 404 }));
      }
      return fetch(input, init);
    };
    const c = createSyncClient({
      db,
      records: kioskRecords(db),
      hallUrl: h.url,
      credentials: e,
      blobDir: join(root, 'kiosk', 'blobs'),
      clock,
      logger: silent,
      random: () => 0.999,
      fetch: noWait,
      backoff: { baseMs: 100, capMs: 400 },
    });
    const loop = c.start();
    await new Promise((r) => setTimeout(r, 600));
    await loop.stop();
    // ~100 + 200 + 400 ms of backoff between waits: a handful, not thousands.
    expect(waits).toBeGreaterThanOrEqual(2);
    expect(waits).toBeLessThanOrEqual(5);
  });
});

describe('sync service (what the backend runs)', () => {
  it('reports not-enrolled, enrols, runs the loop and reports each cycle', async () => {
    const h = await hallAt('hall');
    const cycles: CycleResult[] = [];
    const svc = createSyncService({
      db,
      records: kioskRecords(db),
      blobDir: join(root, 'kiosk', 'blobs'),
      clock,
      logger: silent,
      random: () => 0.5,
      waitMs: 1000,
      onCycle: (r) => cycles.push(r),
      hall: { url: h.url },
    });
    svc.start();
    expect(svc.networkStatus()).toEqual({ state: 'not-enrolled' });
    expect(await svc.runOnce()).toMatchObject({ ok: false, error: { kind: 'not-enrolled' } });
    issueTicket(db, 't-1', 'A901');
    // Enrolling while started (technician console) starts the loop under the new identity.
    const e = await svc.enroll((await h.service.createEnrollmentCode('610113')).code);
    expect(e.ok).toBe(true);
    try {
      const t0 = Date.now();
      while ((cycles.length === 0 || svc.status().backlog > 0) && Date.now() - t0 < 3000)
        await new Promise((r) => setTimeout(r, 20));
      expect(svc.status()).toMatchObject({
        backlog: 0,
        online: true,
        enrolled: true,
        kioskId: expect.stringMatching(/^K-/) as unknown,
      });
      expect(svc.networkStatus()).toMatchObject({ state: 'online', backlog: 0 });
      issueTicket(db, 't-2', 'A902');
      svc.nudge();
      while (svc.status().backlog > 0 && Date.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 20));
      expect(svc.status().backlog).toBe(0);
    } finally {
      await svc.stop();
    }
    expect(cycles.length).toBeGreaterThanOrEqual(2);
    expect(cycles.every((c) => c.ok)).toBe(true);
  });
});
