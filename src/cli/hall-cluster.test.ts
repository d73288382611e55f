/**
 * The deployment of docs/deployment.md, for real: a throwaway PostgreSQL cluster, two `npm run hall`
 * nodes on it (HALL_DATABASE_URL; one shared data directory holding the blob store and the at-rest
 * key) behind real nginx. Four kiosks push applications with distinct scans through nginx; node A is
 * killed with SIGKILL mid-run; the kiosks carry on through node B. At the end every outbox entry of
 * every kiosk is at the hall exactly once and byte-identical, every application once, and every scan
 * in the shared blob store opens to the kiosk's bytes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../backend/index.js';
import { createHallService } from '../hall/index.js';
import { openHallStore, type HallStore } from '../hall/store/index.js';
import { createSyncClient, enrollKiosk, readEnrollment, type SyncClient } from '../sync/index.js';
import { kioskRecords, seedCatalogRow, submitApplication } from '../sync/testing/kiosk-fixture.js';
import { silentLogger } from '../sync/testing/fake-fetch.js';
import { startNginxProxy, type NginxProxy } from '../testing/nginx-proxy.js';
import { startHallProcess, type HallProcess } from '../testing/hall-process.js';
import { startPostgresCluster, type PostgresCluster } from '../testing/postgres-cluster.js';

const KIOSKS = 4;
const APPS_PER_KIOSK = 10;
/** Node A dies once this many applications were acknowledged (of 40). */
const KILL_AFTER = 12;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

type Node = HallProcess;
const startNode = (env: Record<string, string>) => startHallProcess(env);

type Kiosk = { db: Db; blobDir: string; client: SyncClient; acked: number };

describe('two hall nodes on one PostgreSQL behind nginx, one killed with SIGKILL', () => {
  let cluster: PostgresCluster;
  let dir: string;
  let hallDir: string;
  const nodes: Node[] = [];
  let proxy: NginxProxy | undefined;
  const kiosks: Kiosk[] = [];
  let store: HallStore | undefined;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-cluster-'));
    hallDir = join(dir, 'hall');
    const env = { HALL_DATA_DIR: hallDir, HALL_DATABASE_URL: cluster.url };
    // The first node creates the key file in the shared directory; the second finds it.
    nodes.push(await startNode(env));
    nodes.push(await startNode(env));
    proxy = await startNginxProxy({ upstreamPorts: nodes.map((n) => n.port) });
  }, 120_000);

  afterAll(async () => {
    for (const k of kiosks) k.db.close();
    await store?.close();
    for (const n of nodes) {
      if (n.child.exitCode === null && n.child.signalCode === null) n.child.kill('SIGTERM');
      await n.exited;
    }
    await proxy?.stop();
    await cluster?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('every record is at the hall exactly once and byte-identical', async () => {
    const opened = await openHallStore({ dataDir: hallDir, databaseUrl: cluster.url, databasePoolSize: 2 });
    if (!opened.ok) throw new Error(opened.message);
    store = opened.store;
    const clock = () => new Date();
    const service = await createHallService({ db: store.sql, dataDir: hallDir, clock });
    const url = proxy!.url;
    // Both nodes ready behind nginx: the database answers, the cross-node notifier is connected.
    for (let i = 0; i < 2; i++) {
      const r = await fetch(new URL('readyz', url));
      expect([r.status, await r.json()]).toEqual([200, { ok: true, database: 'up', notifier: 'up' }]);
    }
    for (let k = 0; k < KIOSKS; k++) {
      const o = openDatabase(join(dir, `kiosk-${k}`, 'kiosk.db'));
      if (!o.ok) throw new Error(o.message);
      seedCatalogRow(o.db);
      const { code } = await service.createEnrollmentCode('610102');
      const e = await enrollKiosk({ db: o.db, hallUrl: url, code, clock });
      if (!e.ok) throw new Error(JSON.stringify(e.error));
      const blobDir = join(dir, `kiosk-${k}`, 'blobs');
      const client = createSyncClient({
        db: o.db,
        hallUrl: url,
        credentials: e.enrollment,
        firstSeq: e.enrollment.firstSeq,
        blobDir,
        clock,
        logger: silentLogger,
        random: () => 0.5,
        records: kioskRecords(o.db),
        requestTimeoutMs: 5_000,
      });
      kiosks.push({ db: o.db, blobDir, client, acked: 0 });
    }

    // Each kiosk submits its applications one after another, syncing after each; node A is killed
    // once KILL_AFTER were acknowledged, in the middle of the four kiosks' traffic.
    let acked = 0;
    let killedAt = -1;
    const failedCycles: string[] = [];
    const run = async (k: Kiosk, n: number) => {
      for (let i = 0; i < APPS_PER_KIOSK; i++) {
        const pages = [randomBytes(20_000 + 1000 * i), ...(i % 3 === 0 ? [randomBytes(9_000)] : [])];
        submitApplication(k.db, k.blobDir, `cluster-${n}-${i}`, pages);
        const r = await k.client.runOnce();
        if (r.ok) {
          acked += r.pushed;
          if (killedAt < 0 && acked >= KILL_AFTER) {
            killedAt = acked;
            nodes[0]!.child.kill('SIGKILL');
          }
        } else failedCycles.push(JSON.stringify(r.error));
      }
      // Drain what a failed cycle left (bounded).
      for (let c = 0; c < 40; c++) {
        const r = await k.client.runOnce();
        if (r.ok && r.backlog === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`kiosk ${n} not drained: ${JSON.stringify(k.client.status())}`);
    };
    await Promise.all(kiosks.map((k, n) => run(k, n)));
    await nodes[0]!.exited;
    expect(nodes[0]!.child.signalCode).toBe('SIGKILL');
    expect(killedAt).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(killedAt).toBeLessThan(KIOSKS * APPS_PER_KIOSK);

    const sql = store.sql;
    type Row = { seq: number; kind: string; payload: string };
    for (const [n, k] of kiosks.entries()) {
      const outbox = k.db
        .prepare('SELECT seq, kind, payload, acked_at AS ackedAt FROM outbox ORDER BY seq')
        .all() as (Row & { ackedAt: string | null })[];
      expect(
        outbox.every((r) => r.ackedAt !== null),
        `kiosk ${n}: everything acknowledged`,
      ).toBe(true);
      const enrolled = readEnrollment(k.db);
      const atHall = (
        await sql.all<Row>('SELECT seq, kind, payload FROM entries WHERE kiosk_id = ? ORDER BY seq', [
          enrolled?.kioskId,
        ])
      ).map((r) => ({ ...r, payload: sql.open(r.payload) }));
      // Exactly once (the unique (kiosk_id, seq) would refuse a second row) and byte-identical.
      expect(atHall.map((r) => [r.seq, r.kind, r.payload])).toEqual(
        outbox.map((r) => [r.seq, r.kind, r.payload]),
      );
    }
    expect(await sql.value('SELECT count(*) FROM applications')).toBe(KIOSKS * APPS_PER_KIOSK);
    expect(await sql.value("SELECT count(*) FROM entries WHERE status <> 'applied'")).toBe(0);

    // Every scan, sealed in the shared blob store, opens to the kiosk's bytes.
    let scans = 0;
    for (const k of kiosks) {
      const shas = k.db.prepare('SELECT sha256 FROM attachments').pluck().all() as string[];
      for (const s of shas) {
        const row = await sql.get<{ pack: string | null; offset: number | null; length: number | null }>(
          'SELECT pack, pack_offset AS "offset", stored_length AS "length" FROM blobs WHERE sha256 = ?',
          [s],
        );
        expect(row?.pack, `blob ${s} indexed in a pack`).toBeTruthy();
        const sealed = readFileSync(join(hallDir, 'blobs', 'packs', `${row!.pack}.pack`)).subarray(
          row!.offset!,
          row!.offset! + row!.length!,
        );
        const plain = sql.sealer.open(sealed);
        if (!plain.ok) throw new Error(`blob ${s} does not open`);
        expect(sha(plain.value)).toBe(s);
        expect(plain.value.equals(readFileSync(join(k.blobDir, s.slice(0, 2), s)))).toBe(true);
        scans++;
      }
    }
    expect(scans).toBeGreaterThanOrEqual(KIOSKS * APPS_PER_KIOSK);
    // Node B carried on alone after A died: nginx sent it everything (no answer was lost).
    expect(failedCycles.length).toBeLessThanOrEqual(KIOSKS * 2);
  }, 180_000);
});
