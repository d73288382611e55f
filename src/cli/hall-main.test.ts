/**
 * `npm run hall` as a deployment runs it (src/cli/hall-main.ts): two hall processes on one data
 * directory with HALL_NOTIFY_URL pointing at a real throwaway PostgreSQL cluster. A kiosk
 * long-polling node A is woken when staff acting on node B accept its application — the wake-up
 * crossed the two processes over LISTEN/NOTIFY. And a HALL_NOTIFY_URL that is not a PostgreSQL URL is refused.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../backend/index.js';
import { createHallService, createStaffDesk, openHallDatabase } from '../hall/index.js';
import { createSyncClient, createTransport, enrollKiosk } from '../sync/index.js';
import { fixtureId, kioskRecords, seedCatalogRow, submitApplication } from '../sync/testing/kiosk-fixture.js';
import { silentLogger } from '../sync/testing/fake-fetch.js';
import {
  HALL_MAIN as MAIN,
  startHallProcess,
  stopHallProcess,
  type HallProcess,
} from '../testing/hall-process.js';
import { startPostgresCluster, type PostgresCluster } from '../testing/postgres-cluster.js';

const ROOT = join(import.meta.dirname, '..', '..');

type Node = HallProcess;
const startNode = (env: Record<string, string>) => startHallProcess(env);
const stopNode = stopHallProcess;

describe('npm run hall with HALL_NOTIFY_URL (two nodes, one PostgreSQL)', () => {
  let cluster: PostgresCluster;
  let dir: string;
  let a: Node;
  let b: Node;
  let kiosk: Db;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-main-'));
    const env = { HALL_DATA_DIR: join(dir, 'hall'), HALL_NOTIFY_URL: cluster.url };
    a = await startNode(env);
    b = await startNode(env);
    const opened = openDatabase(join(dir, 'kiosk.db'));
    if (!opened.ok) throw new Error(opened.message);
    kiosk = opened.db;
    seedCatalogRow(kiosk);
  }, 90_000);
  afterAll(async () => {
    await stopNode(a);
    await stopNode(b);
    kiosk?.close();
    await cluster?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a kiosk waiting on node A is woken when staff on node B accept its application', async () => {
    // Both nodes said their notifier is up (JSON log lines on stderr).
    for (const n of [a, b]) expect(n.log.some((l) => l.includes('"msg":"notifier connected"'))).toBe(true);
    // An enrolment code and a staff API token made as `npm run cli -- hall enrollment-code` and
    // `hall staff-token` make them, on the store both nodes share.
    const hallDb = openHallDatabase(join(dir, 'hall', 'hall.db'));
    if (!hallDb.ok) throw new Error(hallDb.message);
    const clock = () => new Date();
    const service = await createHallService({ db: hallDb.db, dataDir: join(dir, 'hall'), clock });
    const { code } = await service.createEnrollmentCode('610102');
    const token = await createStaffDesk({ db: hallDb.db, service, clock }).createToken('王五', '610102');
    hallDb.db.close();
    const e = await enrollKiosk({ db: kiosk, hallUrl: a.url, code, clock });
    if (!e.ok) throw new Error(JSON.stringify(e.error));
    // The kiosk's application goes to node A.
    const blobDir = join(dir, 'kiosk-blobs');
    submitApplication(kiosk, blobDir, 'hall-main-1', [randomBytes(2048)]);
    const client = createSyncClient({
      db: kiosk,
      hallUrl: a.url,
      credentials: e.enrollment,
      firstSeq: e.enrollment.firstSeq,
      blobDir,
      clock,
      logger: silentLogger,
      random: () => 0.5,
      records: kioskRecords(kiosk),
    });
    expect(await client.runOnce()).toMatchObject({ ok: true, pushed: 1, backlog: 0 });
    // It long-polls node A from where it is …
    const onA = createTransport({ hallUrl: a.url, credentials: e.enrollment, clock, logger: silentLogger });
    const get = async (path: string) => {
      const r = await onA.send('GET', path);
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      return r.value.body as Record<string, unknown>;
    };
    const cursor = String((await get('v1/changes?cursor=')).nextCursor);
    const t0 = Date.now();
    const waiting = get(`v1/wait?cursor=${cursor}&timeoutMs=8000`);
    // … while a clerk whose desk is served by node B accepts the case.
    const accepted = await fetch(new URL(`v1/staff/cases/${fixtureId('hall-main-1')}/actions`, b.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'accept' }),
    });
    expect(accepted.status).toBe(200);
    expect(await waiting).toEqual({ changed: true });
    // Woken by the notification, well before its 8 s timeout; the change is there to pull.
    expect(Date.now() - t0).toBeLessThan(6000);
    const page = await get(`v1/changes?cursor=${cursor}`);
    expect(JSON.stringify(page.changes)).toContain('accepted');
  }, 60_000);
});

it('refuses a HALL_NOTIFY_URL that is not a PostgreSQL URL, without echoing it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-main-bad-'));
  try {
    const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN], {
      cwd: ROOT,
      env: { ...process.env, HALL_DATA_DIR: dir, HALL_PORT: '0', HALL_NOTIFY_URL: 'mysql://u:secret@db/x' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('HALL_NOTIFY_URL must be a postgres:// or postgresql:// connection URL');
    expect(r.stderr).not.toContain('secret');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 40_000);

describe('npm run hall and its open-files limit', () => {
  it('says at start when the process may not open as many files as HALL_MAX_CONNECTIONS needs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-nofile-'));
    try {
      // Each connection is a file: 1,000 files cannot hold the default 4,096 connections.
      const low = await startHallProcess({ HALL_DATA_DIR: join(dir, 'a') }, { maxOpenFiles: 1000 });
      await stopHallProcess(low);
      const said = low.log.filter((l) => l.includes('HALL_MAX_CONNECTIONS'));
      expect(said).toHaveLength(1);
      expect(said[0]).toMatch(/"level":40/);
      expect(said[0]).toMatch(
        /may open 1000 files, but HALL_MAX_CONNECTIONS is 4096 .*LimitNOFILE.*at least 4352, or lower HALL_MAX_CONNECTIONS/,
      );
      // A cap the limit can hold: nothing said.
      const fits = await startHallProcess(
        { HALL_DATA_DIR: join(dir, 'b'), HALL_MAX_CONNECTIONS: '700' },
        { maxOpenFiles: 1000 },
      );
      await stopHallProcess(fits);
      expect(fits.log.filter((l) => l.includes('HALL_MAX_CONNECTIONS'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
