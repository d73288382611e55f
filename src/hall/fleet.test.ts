/**
 * Fleet view: the signed kiosk heartbeat (POST /v1/heartbeat), the staff fleet report (last
 * contact, backlog, device health, the data directory's free space with its low-space warning —
 * optional, so older kiosks keep working), and the real kiosk sync client sending the heartbeat once per
 * successful cycle — best-effort, so a hall that refuses it does not fail the cycle.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../backend/index.js';
import { createSyncClient, enrollKiosk, type FetchFn } from '../sync/index.js';
import { issueTicket, kioskRecords, seedCatalogRow } from '../sync/testing/kiosk-fixture.js';
import { healthOf } from './fleet.js';
import { startHallServer, type HallServer } from './server.js';
import { sha, staffCall } from './testing/staff-fixture.js';
import { enrolWithService } from './testing/enrol.js';

let dir: string;
let hall: HallServer;
let now: number;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-fleet-'));
  now = Date.parse('2026-03-02T08:00:00Z');
  hall = await startHallServer(
    { host: '127.0.0.1', port: 0, dataDir: join(dir, 'hall') },
    { silent: true, clock: () => new Date(now) },
  );
});
afterEach(async () => {
  await hall.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A signed kiosk request written from docs/sync-protocol.md section 1. */
async function signed(k: { kioskId: string; secret: string }, method: string, path: string, body?: unknown) {
  const bytes = Buffer.from(body === undefined ? '' : JSON.stringify(body));
  const ts = String(now);
  const nonce = randomBytes(16).toString('hex');
  const sig = createHmac('sha256', k.secret)
    .update(`${method}\n${path}\n${ts}\n${nonce}\n${sha(bytes)}`)
    .digest('hex');
  const res = await fetch(new URL(path.slice(1), hall.url), {
    method,
    headers: {
      'x-zizhu-kiosk-id': k.kioskId,
      'x-zizhu-timestamp': ts,
      'x-zizhu-nonce': nonce,
      'x-zizhu-schema-version': '2',
      'x-zizhu-signature': sig,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: new Uint8Array(bytes) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
const enrol = (jurisdiction: string) => enrolWithService(hall.service, jurisdiction);

type FleetKiosk = {
  id: string;
  jurisdiction: string;
  connection: string;
  lastContactAt: string | null;
  lastAppliedSeq: number;
  backlog: number | null;
  health: string;
  appVersion: string | null;
  devices: { kind: string; state: string; detail: string | null }[];
  storage: { freeBytes: number; totalBytes: number; low: boolean } | null;
};

describe('heartbeat and fleet', () => {
  it('records what a signed kiosk reports and shows every kiosk to any staff member', async () => {
    const a = await enrol('610113');
    const b = await enrol('610104');
    const beat = {
      backlog: 3,
      devices: [{ kind: 'printer', state: 'fault', detail: 'paper-out' }],
      appVersion: '0.1.0',
    };
    expect((await signed(a, 'POST', '/v1/heartbeat', beat)).body).toMatchObject({ ok: true });
    expect(
      (await signed(a, 'POST', '/v1/heartbeat', { backlog: -1, devices: [], appVersion: 'x' })).status,
    ).toBe(400);
    expect((await signed({ ...a, secret: b.secret }, 'POST', '/v1/heartbeat', beat)).body).toMatchObject({
      error: 'bad-signature',
    });
    const unsigned = await fetch(new URL('v1/heartbeat', hall.url), {
      method: 'POST',
      body: JSON.stringify(beat),
      headers: { 'x-zizhu-schema-version': '2' },
    });
    expect(unsigned.status).toBe(401);

    expect((await staffCall(hall, null, 'GET', '/v1/staff/fleet')).status).toBe(401);
    now += 10 * 60_000;
    const r = await staffCall(
      hall,
      await hall.staff.createToken('王科员', '610102'),
      'GET',
      '/v1/staff/fleet',
    );
    expect(r.status).toBe(200);
    const kiosks = r.body.kiosks as FleetKiosk[];
    expect(kiosks.map((k) => [k.jurisdiction, k.connection, k.backlog, k.health])).toEqual([
      ['610104', 'never', null, 'unknown'],
      ['610113', 'offline', 3, 'fault'],
    ]);
    expect(kiosks[1]).toMatchObject({
      id: a.kioskId,
      lastContactAt: '2026-03-02T08:00:00.000Z',
      appVersion: '0.1.0',
      devices: beat.devices,
    });
  });

  it('keeps the data directory’s free space a kiosk reports, and warns when little is left', async () => {
    const a = await enrol('610113');
    const b = await enrol('610104');
    const c = await enrol('610102');
    const GB = 1024 ** 3;
    const beat = (storage?: unknown) => ({
      backlog: 0,
      devices: [],
      appVersion: '0.2.0',
      ...(storage === undefined ? {} : { storage }),
    });
    expect(
      (await signed(a, 'POST', '/v1/heartbeat', beat({ freeBytes: 40 * GB, totalBytes: 100 * GB }))).status,
    ).toBe(200);
    expect(
      (await signed(b, 'POST', '/v1/heartbeat', beat({ freeBytes: 3 * GB, totalBytes: 100 * GB }))).status,
    ).toBe(200);
    // A kiosk older than the field: its heartbeat is taken as before, the space is not reported.
    expect((await signed(c, 'POST', '/v1/heartbeat', beat())).status).toBe(200);
    // Malformed space is refused whole: more free than total, negative, not a whole number.
    for (const bad of [
      { freeBytes: 2 * GB, totalBytes: GB },
      { freeBytes: -1, totalBytes: GB },
      { freeBytes: 1.5, totalBytes: GB },
      { freeBytes: 1 },
    ])
      expect((await signed(a, 'POST', '/v1/heartbeat', beat(bad))).status, JSON.stringify(bad)).toBe(400);
    const r = await staffCall(
      hall,
      await hall.staff.createToken('王科员', '610102'),
      'GET',
      '/v1/staff/fleet',
    );
    const byId = new Map((r.body.kiosks as FleetKiosk[]).map((k) => [k.id, k]));
    expect(byId.get(a.kioskId)?.storage).toEqual({ freeBytes: 40 * GB, totalBytes: 100 * GB, low: false });
    expect(byId.get(b.kioskId)?.storage).toEqual({ freeBytes: 3 * GB, totalBytes: 100 * GB, low: true });
    expect(byId.get(c.kioskId)?.storage).toBeNull();
    // The next heartbeat replaces the space (room made): the warning goes.
    await signed(b, 'POST', '/v1/heartbeat', beat({ freeBytes: 30 * GB, totalBytes: 100 * GB }));
    const again = await staffCall(
      hall,
      await hall.staff.createToken('王科员', '610102'),
      'GET',
      '/v1/staff/fleet',
    );
    expect((again.body.kiosks as FleetKiosk[]).find((k) => k.id === b.kioskId)?.storage).toMatchObject({
      low: false,
    });
  });

  it('grades device health in words', () => {
    expect(healthOf(null)).toBe('unknown');
    expect(healthOf([])).toBe('ok');
    expect(healthOf([{ kind: 'printer', state: 'warning', detail: 'paper-near-end' }])).toBe('degraded');
    expect(healthOf([{ kind: 'scanner', state: 'disconnected', detail: null }])).toBe('fault');
  });
});

describe('the kiosk sync client’s heartbeat', () => {
  let db: Db;
  beforeEach(() => {
    const opened = openDatabase(join(dir, 'kiosk', 'kiosk.db'));
    if (!opened.ok) throw new Error(opened.message);
    db = opened.db;
    seedCatalogRow(db);
  });
  afterEach(() => db.close());

  const silent = {
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    debug: () => undefined,
  };
  const client = async (fetchFn?: FetchFn, batchSync = true) => {
    const e = await enrollKiosk({
      db,
      hallUrl: hall.url,
      code: (await hall.service.createEnrollmentCode('610113')).code,
      clock: () => new Date(now),
    });
    if (!e.ok) throw new Error(JSON.stringify(e.error));
    return createSyncClient({
      db,
      records: kioskRecords(db),
      hallUrl: hall.url,
      credentials: e.enrollment,
      blobDir: join(dir, 'kiosk', 'blobs'),
      clock: () => new Date(now),
      logger: silent,
      random: () => 0.5,
      requestTimeoutMs: 2000,
      health: () => [{ kind: 'printer', state: 'warning', detail: 'paper-near-end' }],
      appVersion: '9.9.9',
      storage: () => ({ freeBytes: 512 * 1024 ** 2, totalBytes: 64 * 1024 ** 3 }),
      ...(fetchFn ? { fetch: fetchFn } : {}),
      batchSync,
    });
  };

  it('reports backlog, health, version and free space after a successful cycle', async () => {
    const c = await client();
    issueTicket(db, 't-1', 'A901');
    expect(await c.runOnce()).toMatchObject({ ok: true, backlog: 0 });
    const r = await staffCall(
      hall,
      await hall.staff.createToken('王科员', '610102'),
      'GET',
      '/v1/staff/fleet',
    );
    expect((r.body.kiosks as FleetKiosk[])[0]).toMatchObject({
      connection: 'online',
      lastAppliedSeq: 1,
      backlog: 0,
      appVersion: '9.9.9',
      health: 'degraded',
      devices: [{ kind: 'printer', state: 'warning', detail: 'paper-near-end' }],
      storage: { freeBytes: 512 * 1024 ** 2, totalBytes: 64 * 1024 ** 3, low: true },
    });
  });

  it('does not fail the cycle when the hall refuses or drops the heartbeat', async () => {
    let beats = 0;
    const noHeartbeat: FetchFn = (input, init) => {
      const u = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (u.endsWith('/v1/heartbeat')) {
        beats++;
        return beats === 1
          ? Promise.resolve(new Response('{"error":"not-found"}', { status: 404 }))
          : Promise.reject(new TypeError('fetch failed'));
      }
      return fetch(input, init);
    };
    // The /v1 heartbeat (batch sync carries it inside POST /v2/sync: docs/sync-protocol.md, 5e.3).
    const c = await client(noHeartbeat, false);
    issueTicket(db, 't-1', 'A901');
    expect(await c.runOnce()).toMatchObject({ ok: true, backlog: 0 });
    expect(await c.runOnce()).toMatchObject({ ok: true, backlog: 0 });
    expect(beats).toBe(2);
    expect(c.status()).toMatchObject({ online: true, lastError: null });
  });
});
