/**
 * Conformance suite (docs/sync-protocol.md, 10 "Proof"): the real kiosk sync client against the real hall
 * server over loopback, through a fault-injecting TCP proxy (drops, resets mid-request and mid-response,
 * delays, duplicated requests), with a hall restart and a kiosk "crash" between the hall's commit and the
 * kiosk's acknowledgement. At the end every outbox entry exists exactly once on the hall,
 * byte-identical; every blob is there and verified; every status change reached the kiosk.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../backend/index.js';
import { loadKeyFile } from '../shared/at-rest/index.js';
import { openHallStore, startHallServer, type HallConfig, type HallServer } from '../hall/index.js';
import { startPostgresCluster, type PostgresCluster } from '../testing/postgres-cluster.js';
import { createSyncClient, enrollKiosk, type FetchFn, type SyncClient } from './index.js';
import { seededRandom, startFaultProxy, type Fault, type FaultProxy } from './testing/fault-proxy.js';
import {
  evaluate,
  issueTicket,
  fixtureId,
  kioskRecords,
  malformed,
  seedCatalogRow,
  submitApplication,
} from './testing/kiosk-fixture.js';

const silent = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};
const urlOf = (input: Parameters<FetchFn>[0]): string =>
  typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/**
 * Every test runs against both engines (issue #11): the embedded SQLite database, and PostgreSQL — a
 * throwaway cluster for the file, a fresh database per test (HALL_DATABASE_URL's `databaseUrl`).
 */
const ENGINE = (process.env.CONFORMANCE_ENGINE ?? 'both') as 'sqlite' | 'postgres' | 'both';
let engine: 'sqlite' | 'postgres' = 'sqlite';
let cluster: PostgresCluster | undefined;
let databaseUrl: string | undefined;

/** The hall's configuration on this test's engine (port 0: any free one). */
const hallConfig = (port = 0): HallConfig => ({
  host: '127.0.0.1',
  port,
  dataDir: hallDir,
  ...(databaseUrl !== undefined ? { databaseUrl } : {}),
});

let root: string;
let hallDir: string;
let kioskDir: string;
let hall: HallServer;
let db: Db;
const cleanups: (() => Promise<void> | void)[] = [];

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'zizhu-conf-'));
  hallDir = join(root, 'hall');
  kioskDir = join(root, 'kiosk');
  databaseUrl = undefined;
  if (engine === 'postgres') {
    if (!cluster) throw new Error('no PostgreSQL cluster');
    databaseUrl = (await cluster.createDatabase('conformance')).url;
  }
  hall = await startHallServer(hallConfig(), { silent: true });
  const opened = openDatabase(join(kioskDir, 'kiosk.db'));
  if (!opened.ok) throw new Error(opened.message);
  db = opened.db;
  seedCatalogRow(db);
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  if (db.open) db.close();
  await hall.close();
  rmSync(root, { recursive: true, force: true });
});

async function enrolled(url: string) {
  const { code } = await hall.service.createEnrollmentCode('610113');
  const r = await enrollKiosk({ db, hallUrl: url, code, clock: () => new Date() });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.enrollment;
}

function client(
  url: string,
  credentials: { kioskId: string; secret: string },
  extra: { fetch?: FetchFn; waitMs?: number; batchSync?: boolean } = {},
): SyncClient {
  return createSyncClient({
    db,
    records: kioskRecords(db),
    hallUrl: url,
    credentials,
    blobDir: join(kioskDir, 'blobs'),
    clock: () => new Date(),
    logger: silent,
    random: seededRandom(7),
    batchSize: 7,
    chunkSize: 16 * 1024,
    requestTimeoutMs: 2_000,
    // The /v1 protocol as an older kiosk speaks it, over the platform fetch (a connection per
    // request, as the fault plans expect), unless a test asks for batch sync (docs/sync-protocol.md, 5e).
    fetch,
    batchSync: false,
    ...extra,
  });
}

/** Runs cycles until one succeeds with an empty backlog (bounded). */
async function drain(c: SyncClient, maxCycles: number): Promise<number> {
  for (let i = 1; i <= maxCycles; i++) {
    const r = await c.runOnce();
    if (r.ok && r.backlog === 0) return i;
  }
  throw new Error(`not drained after ${maxCycles} cycles: ${JSON.stringify(c.status())}`);
}

/** The hall's at-rest sealer, from the key file it created in its data directory. */
function hallSealer() {
  const loaded = loadKeyFile(join(hallDir, 'hall.key'), { create: false });
  if (!loaded.ok) throw new Error(loaded.error.message);
  return loaded.value.sealer;
}

/** What the hall holds, read through its own store (its sealed payloads opened with its key). */
async function hallView() {
  const opened = await openHallStore(hallConfig());
  if (!opened.ok) throw new Error(opened.message);
  const { sql } = opened.store;
  try {
    const ids = async (table: string) =>
      (await sql.all<{ id: string }>(`SELECT id FROM ${table} ORDER BY id`)).map((r) => r.id);
    return {
      entries: (
        await sql.all<{ seq: number; kind: string; payload: string; status: string; reason: string | null }>(
          'SELECT seq, kind, payload, status, reason FROM entries ORDER BY seq',
        )
      ).map((e) => ({ ...e, payload: sql.open(e.payload) })),
      applications: await ids('applications'),
      tickets: await ids('tickets'),
      evaluations: await ids('evaluations'),
      blobs: await sql.all<{
        sha256: string;
        size: number;
        pack: string | null;
        offset: number | null;
        length: number | null;
      }>(
        'SELECT sha256, size, pack, pack_offset AS "offset", stored_length AS "length" FROM blobs ORDER BY sha256',
      ),
      lastApplied: (await sql.all<{ seq: number }>('SELECT last_applied_seq AS seq FROM kiosks')).map(
        (r) => r.seq,
      ),
    };
  } finally {
    await opened.store.close();
  }
}

async function expectExactlyOnce() {
  const kiosk = db
    .prepare('SELECT seq, kind, payload, acked_at AS ackedAt FROM outbox ORDER BY seq')
    .all() as { seq: number; kind: string; payload: string; ackedAt: string | null }[];
  const v = await hallView();
  expect(kiosk.every((r) => r.ackedAt !== null)).toBe(true);
  expect(v.entries.map((e) => [e.seq, e.kind, e.payload])).toEqual(
    kiosk.map((r) => [r.seq, r.kind, r.payload]),
  );
  expect(v.lastApplied).toEqual([kiosk.length]);
  const shas = db.prepare('SELECT sha256, size FROM attachments ORDER BY sha256').all() as {
    sha256: string;
    size: number;
  }[];
  expect(v.blobs.map((b) => [b.sha256, b.size]).sort()).toEqual(shas.map((s) => [s.sha256, s.size]));
  for (const s of shas) {
    // Sealed at rest, named by the plain bytes' hash: a file of its own (/v1) or a pack record (/v2,
    // docs/blob-store.md).
    const row = v.blobs.find((b) => b.sha256 === s.sha256);
    const sealed =
      row?.pack != null && row.offset !== null && row.length !== null
        ? readFileSync(join(hallDir, 'blobs', 'packs', `${row.pack}.pack`)).subarray(
            row.offset,
            row.offset + row.length,
          )
        : readFileSync(join(hallDir, 'blobs', s.sha256.slice(0, 2), s.sha256));
    const opened = hallSealer().open(sealed);
    if (!opened.ok) throw new Error(`hall blob ${s.sha256} does not open`);
    const bytes = opened.value;
    expect(sha(bytes)).toBe(s.sha256);
    expect(bytes.equals(readFileSync(join(kioskDir, 'blobs', s.sha256.slice(0, 2), s.sha256)))).toBe(true);
  }
  return v;
}

const ENGINES = ENGINE === 'both' ? (['sqlite', 'postgres'] as const) : ([ENGINE] as const);

describe.each(ENGINES)('sync conformance on %s (kiosk client ↔ hall over loopback)', (on) => {
  beforeAll(async () => {
    engine = on;
    if (on === 'postgres') cluster = await startPostgresCluster();
  }, 60_000);
  afterAll(async () => {
    await cluster?.destroy();
    cluster = undefined;
  });

  // Five seeded fault plans on SQLite; on PostgreSQL one per protocol (the network's faults are the
  // same on both: what differs is the store under them).
  const plans = [
    [20260302, 'v1'],
    [7, 'v1'],
    [4242, 'v1'],
    [20260302, 'v2'],
    [7, 'v2'],
  ] as const;
  it.each(on === 'sqlite' ? plans : plans.filter(([seed]) => seed === 20260302))(
    'delivers everything exactly once through a faulty network, a hall restart and status changes (seed %i, %s)',
    async (seed, protocol) => {
      const proxy: FaultProxy = await startFaultProxy({ upstreamPort: hall.port });
      cleanups.push(() => proxy.close());
      const e = await enrolled(proxy.url);
      const rnd = seededRandom(seed);
      const faults: Fault[] = [
        { kind: 'drop' },
        { kind: 'reset-request', afterBytes: 0 },
        { kind: 'reset-response', afterBytes: 0 },
        { kind: 'delay', ms: 0 },
        { kind: 'duplicate' },
      ];
      // Every kind of fault early on for sure, then a seeded mix.
      const forced: Fault[] = [
        { kind: 'drop' },
        { kind: 'pass' },
        { kind: 'reset-request', afterBytes: 300 },
        { kind: 'reset-response', afterBytes: 40 },
        { kind: 'pass' },
        { kind: 'delay', ms: 100 },
        { kind: 'duplicate' },
      ];
      let connections = 0;
      proxy.setPlan((): Fault => {
        const early = forced[connections++];
        if (early) return early;
        if (rnd() < 0.55) return { kind: 'pass' };
        const f = faults[Math.floor(rnd() * faults.length)] ?? { kind: 'pass' };
        switch (f.kind) {
          case 'reset-request':
            return { kind: 'reset-request', afterBytes: Math.floor(rnd() * 3000) };
          case 'reset-response':
            return { kind: 'reset-response', afterBytes: Math.floor(rnd() * 300) };
          case 'delay':
            return { kind: 'delay', ms: 20 + Math.floor(rnd() * 150) };
          case 'drop':
          case 'duplicate':
          case 'pass':
          case 'stall-response-after':
            return f;
        }
      });
      const c = client(proxy.url, e, { batchSync: protocol === 'v2' });

      const pageRnd = seededRandom(99);
      const page = (i: number) =>
        Buffer.concat([Buffer.from(`page ${i}\n`), randomBytes(20_000 + Math.floor(pageRnd() * 40_000))]);
      for (let i = 0; i < 12; i++)
        submitApplication(db, join(kioskDir, 'blobs'), `app-${i}`, [page(i), page(i + 100)]);
      for (let i = 0; i < 10; i++) issueTicket(db, `t-${i}`, `A9${String(i).padStart(2, '0')}`);
      malformed(db, 'bad-1');
      for (let i = 0; i < 6; i++) evaluate(db, `ev-${i}`, `app-${i}`);

      // A few cycles through the faults, then the hall restarts (new port; the proxy follows).
      for (let i = 0; i < 4; i++) await c.runOnce();
      await hall.close();
      expect((await c.runOnce()).ok).toBe(false);
      expect(c.status().online).toBe(false);
      hall = await startHallServer(hallConfig(), { silent: true });
      proxy.setUpstream(hall.port);

      malformed(db, 'bad-2');
      for (let i = 12; i < 16; i++) submitApplication(db, join(kioskDir, 'blobs'), `app-${i}`, [page(i)]);
      await drain(c, 150);

      // Staff of the case's jurisdiction move some cases; the changes come back through the same
      // faulty network.
      const staff = { name: '王科员', jurisdiction: '610102', jurisdictions: ['610102'] };
      const actions = [
        ['app-1', { action: 'accept' }],
        ['app-2', { action: 'request-correction', materials: ['户口簿'] }],
        ['app-1', { action: 'complete', result: '准予许可' }],
      ] as const;
      for (const [name, action] of actions)
        expect((await hall.staff.act(staff, fixtureId(name), action)).status).toBe(200);
      await drain(c, 150);
      const stats = proxy.stats();
      // Batch sync makes far fewer requests (and connections): the forced faults at least.
      for (const k of protocol === 'v1'
        ? (['drop', 'reset-request', 'reset-response', 'delay', 'duplicate'] as const)
        : (['drop', 'reset-request', 'reset-response'] as const))
        expect(stats[k]).toBeGreaterThan(0);

      const v = await expectExactlyOnce();
      expect(v.applications).toHaveLength(16);
      expect(v.tickets).toHaveLength(10);
      expect(v.evaluations).toHaveLength(6);
      const rejected = v.entries.filter((x) => x.status === 'rejected');
      expect(rejected.map((x) => JSON.parse(x.payload) as { id: string }).map((p) => p.id)).toEqual([
        fixtureId('bad-1'),
        fixtureId('bad-2'),
      ]);
      expect(rejected.every((x) => (x.reason ?? '').includes('level'))).toBe(true);
      const kioskRejected = db
        .prepare(
          "SELECT entity_id AS id, last_error AS reason FROM outbox WHERE hall_status = 'rejected' ORDER BY seq",
        )
        .all() as { id: string; reason: string }[];
      expect(kioskRejected.map((r) => r.id)).toEqual([fixtureId('bad-1'), fixtureId('bad-2')]);
      expect(kioskRejected[0]?.reason).toMatch(/level/);

      const history = db
        .prepare(
          "SELECT application_id AS app, status FROM application_status_history WHERE source = 'hall' AND status != 'received' ORDER BY id",
        )
        .all();
      expect(history).toEqual([
        { app: fixtureId('app-1'), status: 'accepted' },
        { app: fixtureId('app-2'), status: 'correction-requested' },
        { app: fixtureId('app-1'), status: 'completed' },
      ]);
      // Every application the hall acknowledged is 大厅已收件 at the kiosk, once.
      expect(
        db
          .prepare(
            "SELECT count(DISTINCT application_id), count(*) FROM application_status_history WHERE status = 'received'",
          )
          .raw()
          .get(),
      ).toEqual([16, 16]);
      expect(db.prepare('SELECT status FROM applications WHERE id = ?').pluck().get(fixtureId('app-1'))).toBe(
        'completed',
      );
      expect(
        db.prepare('SELECT count(*) FROM applications WHERE hall_acknowledged_at IS NOT NULL').pluck().get(),
      ).toBe(16);
      expect(c.status()).toMatchObject({ backlog: 0, online: true });
    },
  );

  it('survives a hall restart and a kiosk crash between the hall commit and the kiosk acknowledgement', async () => {
    const e = await enrolled(hall.url);
    for (let i = 0; i < 5; i++)
      submitApplication(db, join(kioskDir, 'blobs'), `app-${i}`, [Buffer.from(`scan ${i} `.repeat(3000))]);
    const port = hall.port;
    let cut = true;
    // The hall commits the push, then the answer is lost and the hall goes down.
    const losing: FetchFn = async (input, init) => {
      const res = await fetch(input, init);
      if (cut && urlOf(input).endsWith('/v1/push')) {
        cut = false;
        await res.arrayBuffer();
        await hall.close();
        throw new TypeError('fetch failed');
      }
      return res;
    };
    const first = await client(hall.url, e, { fetch: losing }).runOnce();
    expect(first).toMatchObject({ ok: false, error: { kind: 'network' }, backlog: 5 });
    expect((await hallView()).entries).toHaveLength(5); // committed on the hall, unknown to the kiosk

    // The kiosk process dies: reopen its database from disk with a new client.
    db.close();
    const reopened = openDatabase(join(kioskDir, 'kiosk.db'));
    if (!reopened.ok) throw new Error(reopened.message);
    db = reopened.db;
    hall = await startHallServer(hallConfig(port), { silent: true });
    // The first request may meet a pooled connection to the old process: a transient network error.
    const c2 = client(hall.url, e);
    expect(await drain(c2, 3)).toBeLessThanOrEqual(2);
    const v = await expectExactlyOnce();
    expect(v.applications).toHaveLength(5);
    // The kiosk recorded the hall's references from the duplicate acknowledgements.
    expect(
      db.prepare('SELECT count(*) FROM outbox WHERE hall_reference LIKE ?').pluck().get('610102-%'),
    ).toBe(5);
  });

  it('recovers when the kiosk process is killed after the hall committed and before the answer', async () => {
    const proxy = await startFaultProxy({ upstreamPort: hall.port });
    cleanups.push(() => proxy.close());
    const e = await enrolled(proxy.url);
    for (let i = 0; i < 3; i++)
      submitApplication(db, join(kioskDir, 'blobs'), `app-${i}`, [Buffer.from(`scan ${i} `.repeat(2000))]);
    // Blobs go through; the push is committed by the hall but its answer never reaches the kiosk.
    // `sync now` syncs the batch way by default (POST /v2/sync, sync-protocol.md 5e): the match is
    // what the entries of either push carry, so the answer is stalled for /v1 and /v2 alike.
    proxy.setPlan(() => ({ kind: 'stall-response-after', match: '"payloadHash"' }));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sync', 'now'], {
      cwd: process.cwd(),
      env: { ...process.env, KIOSK_DATA_DIR: kioskDir, KIOSK_LOG_LEVEL: 'silent' },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.on('exit', (code, signal) => resolve(signal ?? code)),
    );
    try {
      const t0 = Date.now();
      while ((await hallView()).entries.length < 3) {
        if (Date.now() - t0 > 15_000) throw new Error('the child never pushed');
        await new Promise((r) => setTimeout(r, 25));
      }
    } finally {
      child.kill('SIGKILL');
    }
    expect(await exited).toBe('SIGKILL');
    expect(db.prepare('SELECT count(*) FROM outbox WHERE acked_at IS NULL').pluck().get()).toBe(3);

    proxy.setPlan(() => ({ kind: 'pass' }));
    expect(await drain(client(proxy.url, e), 3)).toBeLessThanOrEqual(2);
    expect((await expectExactlyOnce()).applications).toHaveLength(3);
  });

  // PostgreSQL's own (registered on that engine only: nothing shows as skipped on SQLite).
  if (on === 'postgres')
    it('keeps serving through a PostgreSQL restart: refused while the server is away, nothing lost or twice after', async () => {
      const e = await enrolled(hall.url);
      const v2 = client(hall.url, e, { batchSync: true });
      const scans = (i: number) => [Buffer.concat([Buffer.from(`scan ${i} `), randomBytes(30_000)])];
      for (let i = 0; i < 3; i++) submitApplication(db, join(kioskDir, 'blobs'), `app-${i}`, scans(i));
      await drain(v2, 3);

      // The server goes away (fast shutdown: every connection of the hall's pool is cut).
      await cluster!.stopServer();
      for (let i = 3; i < 6; i++) submitApplication(db, join(kioskDir, 'blobs'), `app-${i}`, scans(i));
      const away = await v2.runOnce();
      // The hall answered (a refusal to retry), it did not go down with its database.
      expect(away).toMatchObject({
        ok: false,
        error: { kind: 'http', status: 503, error: 'unavailable', retryAfterMs: 2000 },
        backlog: 3,
      });
      expect(v2.status().lastError).toMatch(/503 unavailable/);
      const alive = await fetch(new URL('healthz', hall.url));
      expect(alive.status).toBe(200);
      // Ready is another matter: a monitor sees the database is down (which part, never why).
      const notReady = await fetch(new URL('readyz', hall.url));
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toEqual({ ok: false, database: 'down', notifier: 'in-process' });
      expect(db.prepare('SELECT count(*) FROM outbox WHERE acked_at IS NULL').pluck().get()).toBe(3);

      // Back: the same hall process serves again, with new connections; /v1 kiosks too.
      await cluster!.startServer();
      // Ready again within a few seconds (the answer is kept a second at most).
      let ready = 0;
      for (let i = 0; i < 50 && ready !== 200; i++) {
        ready = (await fetch(new URL('readyz', hall.url))).status;
        if (ready !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(ready).toBe(200);
      expect(await drain(v2, 5)).toBeLessThanOrEqual(3);
      for (let i = 6; i < 8; i++) submitApplication(db, join(kioskDir, 'blobs'), `app-${i}`, scans(i));
      expect(await drain(client(hall.url, e), 5)).toBeLessThanOrEqual(3);
      expect((await expectExactlyOnce()).applications).toHaveLength(8);
    });

  it('resumes a truncated blob upload from the offset the hall holds', async () => {
    const e = await enrolled(hall.url);
    const bytes = randomBytes(200_000);
    submitApplication(db, join(kioskDir, 'blobs'), 'app-big', [bytes]);
    const h = sha(bytes);
    let puts = 0;
    const offsets: string[] = [];
    const cutting: FetchFn = (input, init) => {
      if (init?.method === 'PUT') {
        offsets.push(new Headers(init.headers).get('x-zizhu-blob-offset') ?? '');
        if (++puts === 4) return Promise.reject(new TypeError('fetch failed'));
      }
      return fetch(input, init);
    };
    expect((await client(hall.url, e, { fetch: cutting }).runOnce()).ok).toBe(false);
    // Each kiosk's unfinished uploads are its own (docs/security.md).
    expect(existsSync(join(hallDir, 'blobs', '.partial', e.kioskId, h))).toBe(true);
    expect((await client(hall.url, e, { fetch: cutting }).runOnce()).ok).toBe(true);
    // 16 KiB chunks: the fourth chunk failed, the retry started at the third chunk's end.
    expect(offsets.slice(0, 5)).toEqual(['0', '16384', '32768', '49152', '49152']);
    await expectExactlyOnce();
  });

  it('refuses a replayed request and requests with a wrong secret', async () => {
    const e = await enrolled(hall.url);
    issueTicket(db, 't-1', 'A901');
    let captured: { url: string; init: RequestInit } | null = null;
    const recording: FetchFn = (input, init) => {
      if (urlOf(input).endsWith('/v1/push') && init) captured = { url: urlOf(input), init };
      return fetch(input, init);
    };
    expect((await client(hall.url, e, { fetch: recording }).runOnce()).ok).toBe(true);
    if (captured === null) throw new Error('no push captured');
    const { url, init } = captured as { url: string; init: RequestInit };
    const replay = await fetch(url, init);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: string }).error).toBe('replayed');

    issueTicket(db, 't-2', 'A902');
    const wrong = await client(hall.url, { kioskId: e.kioskId, secret: 'f'.repeat(64) }).runOnce();
    expect(wrong).toMatchObject({
      ok: false,
      error: { kind: 'http', status: 401, error: 'bad-signature' },
      backlog: 1,
    });
    expect((await hallView()).entries).toHaveLength(1);
  });

  it('refuses a replayed batch-sync request, the missing-blobs question and the sync alike', async () => {
    const e = await enrolled(hall.url);
    submitApplication(db, join(kioskDir, 'blobs'), 'app-1', [Buffer.from('scan of app-1')]);
    const captured = new Map<string, { url: string; init: RequestInit }>();
    const recording: FetchFn = (input, init) => {
      const url = urlOf(input);
      for (const path of ['/v2/blobs/missing', '/v2/sync'])
        if (url.endsWith(path) && init && !captured.has(path)) captured.set(path, { url, init });
      return fetch(input, init);
    };
    expect((await client(hall.url, e, { fetch: recording, batchSync: true }).runOnce()).ok).toBe(true);
    expect([...captured.keys()].sort()).toEqual(['/v2/blobs/missing', '/v2/sync']);
    for (const { url, init } of captured.values()) {
      const replay = await fetch(url, init);
      expect(replay.status).toBe(401);
      expect(((await replay.json()) as { error: string }).error).toBe('replayed');
    }
    await expectExactlyOnce();
  });

  it('wakes up within a second of a staff action through the long-poll, and pushes at once on a nudge', async () => {
    const e = await enrolled(hall.url);
    submitApplication(db, join(kioskDir, 'blobs'), 'app-1', [Buffer.from('scan')]);
    const c = client(hall.url, e, { waitMs: 3_000 });
    const loop = c.start();
    try {
      const until = async (cond: () => boolean, ms: number) => {
        const t0 = Date.now();
        while (!cond()) {
          if (Date.now() - t0 > ms) throw new Error('timed out');
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      await until(() => c.status().backlog === 0, 5_000);
      await new Promise((r) => setTimeout(r, 100)); // the loop is now long-polling
      const t0 = Date.now();
      await hall.service.setCaseStatus(fixtureId('app-1'), {
        status: 'accepted',
        at: new Date().toISOString(),
      });
      await until(
        () =>
          db.prepare('SELECT status FROM applications WHERE id = ?').pluck().get(fixtureId('app-1')) ===
          'accepted',
        1_000,
      );
      expect(Date.now() - t0).toBeLessThan(1_000);
      // A new outbox row is picked up at once on nudge.
      issueTicket(db, 't-1', 'A901');
      loop.nudge();
      await until(() => c.status().backlog === 0, 2_000);
    } finally {
      await loop.stop();
    }
    expect(c.networkStatus()).toMatchObject({ state: 'online', backlog: 0 });
  });
});
