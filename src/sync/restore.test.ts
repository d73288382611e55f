/**
 * A hall restored from an older backup (docs/sync-protocol.md, 5.1 "Epochs"; issue 11, item 5):
 * the real kiosk sync client against the real hall server over loopback. The hall is backed up,
 * then more happens (an application pushed, a case accepted, one refused, one sent for 补正), then
 * the backup is restored — with `restoreHall` (the CLI's `hall db restore`), or by copying the
 * file back under a stopped hall (noticed by the change-log mark) — and staff act again on the
 * restored hall, reusing change-log positions and versions the kiosk already passed. The kiosk must
 * notice the other history, refetch, let the snapshot overwrite what it holds, and resend at once
 * what the restored hall lost: at the end every case state at the kiosk is the hall's, and every
 * application is at the hall exactly once.
 *
 * On both engines (issue #11): the embedded SQLite hall.db, and PostgreSQL — a throwaway cluster for
 * the file, a fresh database per test; there the backup is `pg_dump -Fc` (`hall db backup`), and
 * "copied back by hand" is the database dropped, created again and loaded with `pg_restore`.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../backend/index.js';
import {
  backupHall,
  openHallStore,
  restoreHall,
  startHallServer,
  type HallConfig,
  type HallServer,
} from '../hall/index.js';
import { findPgTools, libpqConnection } from '../hall/store/index.js';
import { startPostgresCluster, type PostgresCluster } from '../testing/postgres-cluster.js';
import { createSyncClient, enrollKiosk, type SyncClient } from './index.js';
import { readCursor } from './store.js';
import { seededRandom } from './testing/fault-proxy.js';
import { fixtureId, kioskRecords, seedCatalogRow, submitApplication } from './testing/kiosk-fixture.js';

const silent = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};
const staff = { name: '王科员', jurisdiction: '610102', jurisdictions: ['610102'] };

let engine: 'sqlite' | 'postgres' = 'sqlite';
let cluster: PostgresCluster | undefined;
let databaseUrl: string | undefined;
let databaseName = '';

let root: string;
let hallDir: string;
let kioskDir: string;
let hall: HallServer;
let port: number;
let db: Db;

/** The hall's configuration on this test's engine (port 0: any free one). */
const hallConfig = (p = 0): HallConfig => ({
  host: '127.0.0.1',
  port: p,
  dataDir: hallDir,
  ...(databaseUrl !== undefined ? { databaseUrl } : {}),
});
/** What `hall db backup / restore` are given (the CLI's configuration, on this test's engine). */
const where = () => ({
  dataDir: hallDir,
  atRest: {},
  clock: () => new Date(),
  ...(databaseUrl !== undefined ? { databaseUrl } : {}),
});

async function admin(statement: string): Promise<void> {
  if (!cluster) throw new Error('no PostgreSQL cluster');
  const c = new pg.Client({ connectionString: cluster.url });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'zizhu-restore-'));
  hallDir = join(root, 'hall');
  kioskDir = join(root, 'kiosk');
  databaseUrl = undefined;
  if (engine === 'postgres') {
    if (!cluster) throw new Error('no PostgreSQL cluster');
    ({ name: databaseName, url: databaseUrl } = await cluster.createDatabase('restore'));
  }
  hall = await startHallServer(hallConfig(), { silent: true });
  port = hall.port;
  const opened = openDatabase(join(kioskDir, 'kiosk.db'));
  if (!opened.ok) throw new Error(opened.message);
  db = opened.db;
  seedCatalogRow(db);
});
afterEach(async () => {
  if (db.open) db.close();
  await hall.close();
  rmSync(root, { recursive: true, force: true });
});

/**
 * The backup put back by hand under the stopped hall, without `hall db restore`: hall.db copied
 * over (its WAL gone), or the database dropped, created again and loaded with pg_restore.
 */
async function putBackByHand(backup: string): Promise<void> {
  if (databaseUrl === undefined) {
    rmSync(join(hallDir, 'hall.db-wal'), { force: true });
    rmSync(join(hallDir, 'hall.db-shm'), { force: true });
    copyFileSync(backup, join(hallDir, 'hall.db'));
    return;
  }
  await admin(`DROP DATABASE ${databaseName} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${databaseName}`);
  const bin = findPgTools(['pg_restore'], { path: process.env.PATH ?? '' });
  if (bin === null) throw new Error('pg_restore not found');
  const conn = libpqConnection(databaseUrl);
  execFileSync(
    join(bin, 'pg_restore'),
    ['--no-owner', '--exit-on-error', `--dbname=${conn.dbname}`, backup],
    {
      env: { ...process.env, ...conn.env },
      stdio: 'pipe',
    },
  );
}

async function enrolledClient(): Promise<{ client: SyncClient; firstSeq: number }> {
  const { code } = await hall.service.createEnrollmentCode('610113');
  const r = await enrollKiosk({ db, hallUrl: hall.url, code, clock: () => new Date() });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  const client = createSyncClient({
    db,
    records: kioskRecords(db),
    hallUrl: r.enrollment.hallUrl,
    credentials: r.enrollment,
    firstSeq: r.enrollment.firstSeq,
    blobDir: join(kioskDir, 'blobs'),
    clock: () => new Date(),
    logger: silent,
    random: seededRandom(3),
    requestTimeoutMs: 5_000,
  });
  return { client, firstSeq: r.enrollment.firstSeq };
}

const submit = (name: string) =>
  submitApplication(db, join(kioskDir, 'blobs'), name, [Buffer.from(`scan of ${name} `.repeat(200))]);

/**
 * One successful cycle. A kept-alive connection to the hall before its restart fails once
 * (`UND_ERR_SOCKET`), as it would in the background loop, which retries: so does this, twice.
 */
async function cycleOk(c: SyncClient) {
  for (let i = 0; i < 3; i++) {
    const r = await c.runOnce();
    if (r.ok) return r;
    if (r.error.kind !== 'network') throw new Error(`cycle failed: ${JSON.stringify(r.error)}`);
  }
  throw new Error('cycle failed three times on the network');
}

async function act(name: string, action: Parameters<HallServer['staff']['act']>[2]) {
  const r = await hall.staff.act(staff, fixtureId(name), action);
  expect(r.status, `${name} ${JSON.stringify(r.body)}`).toBe(200);
}

/** What the hall holds, read through its own store (its sealed payloads opened with its key). */
async function hallView(): Promise<{ statuses: Map<string, string>; applicationIds: string[] }> {
  const opened = await openHallStore(hallConfig());
  if (!opened.ok) throw new Error(opened.message);
  const { sql } = opened.store;
  try {
    const cases = await sql.all<{ id: string; status: string }>(
      'SELECT id, status FROM applications ORDER BY id',
    );
    const entries = await sql.all<{ payload: string }>(
      "SELECT payload FROM entries WHERE kind = 'application' AND status = 'applied'",
    );
    return {
      statuses: new Map(cases.map((c) => [c.id, c.status])),
      applicationIds: entries.map((e) => (JSON.parse(sql.open(e.payload)) as { id: string }).id),
    };
  } finally {
    await opened.store.close();
  }
}

const kioskStatus = (name: string) =>
  db.prepare('SELECT status FROM applications WHERE id = ?').pluck().get(fixtureId(name)) as string;

async function restartHall(restore: () => void | Promise<void>): Promise<void> {
  await hall.close();
  await restore();
  // Same address: the kiosk's enrolment names it.
  hall = await startHallServer(hallConfig(port), { silent: true });
}

async function scenario(restore: (backup: string) => void | Promise<void>) {
  const { client: c } = await enrolledClient();
  for (const n of ['app-1', 'app-2', 'app-3']) submit(n);
  expect(await cycleOk(c)).toMatchObject({ pushed: 3, backlog: 0 });
  const epochBefore = (await hall.service.currentEpoch()).id;

  const backup = join(root, 'hall-backup.db');
  const b = await backupHall({ ...where(), dest: backup });
  expect(b).toEqual({ ok: true, value: undefined });

  // After the backup: one more application, an accept, a refuse and a 补正 request — all synced.
  submit('app-4');
  await act('app-1', { action: 'accept' });
  await act('app-2', { action: 'request-correction', materials: ['户口簿'] });
  await act('app-3', { action: 'refuse', reason: '不属于本机关职权范围' });
  expect(await cycleOk(c)).toMatchObject({ pushed: 1, pulled: 3, backlog: 0 });
  expect(['app-1', 'app-2', 'app-3', 'app-4'].map(kioskStatus)).toEqual([
    'accepted',
    'correction-requested',
    'refused',
    'received',
  ]);
  const cursorBefore = readCursor(db);
  expect(cursorBefore.startsWith(`${epochBefore}.`)).toBe(true);

  await restartHall(() => restore(backup));
  // The restored hall has lost app-4 and the three staff actions; its log is another history.
  expect((await hall.service.currentEpoch()).id).not.toBe(epochBefore);
  expect((await hallView()).applicationIds.sort()).toEqual(['app-1', 'app-2', 'app-3'].map(fixtureId).sort());

  // Staff act again on the restored hall: the same positions and versions (v1) the kiosk passed,
  // and more changes than before, so a cursor position alone would not look "unknown".
  await act('app-1', { action: 'accept' });
  await act('app-2', { action: 'refuse', reason: '材料不齐' });
  await act('app-3', { action: 'accept' });
  await act('app-1', { action: 'complete', result: '准予许可' });

  const r = await cycleOk(c);
  expect(r.backlog).toBe(0);
  // app-4 went again at once, in the same cycle: the pull told the kiosk the hall's lastAppliedSeq.
  expect(r.pushed).toBe(1);
  expect(
    db
      .prepare('SELECT resent_at IS NOT NULL FROM outbox WHERE entity_id = ?')
      .pluck()
      .get(fixtureId('app-4')),
  ).toBe(1);
  expect(readCursor(db).startsWith(`${(await hall.service.currentEpoch()).id}.`)).toBe(true);

  // A second cycle changes nothing: the kiosk and the hall agree.
  expect(await cycleOk(c)).toMatchObject({ pushed: 0, pulled: 0, backlog: 0 });

  const view = await hallView();
  expect([...view.applicationIds].sort()).toEqual(['app-1', 'app-2', 'app-3', 'app-4'].map(fixtureId).sort());
  expect(new Set(view.applicationIds).size).toBe(view.applicationIds.length);
  const expected = { 'app-1': 'completed', 'app-2': 'refused', 'app-3': 'accepted', 'app-4': 'received' };
  for (const [name, status] of Object.entries(expected)) {
    expect(view.statuses.get(fixtureId(name)), `hall ${name}`).toBe(status);
    expect(kioskStatus(name), `kiosk ${name}`).toBe(status);
  }
  // The refusal of app-2 (v1) replaced the correction request the kiosk held as v1 too.
  expect(
    db
      .prepare(
        "SELECT status FROM application_status_history WHERE application_id = ? AND source = 'hall' ORDER BY rowid",
      )
      .pluck()
      .all(fixtureId('app-2')),
  ).toEqual(['received', 'correction-requested', 'refused']);
}

const ENGINES = ['sqlite', 'postgres'] as const;

describe.each(ENGINES)('a hall restored from a backup (%s)', (on) => {
  beforeAll(async () => {
    engine = on;
    if (on === 'postgres') cluster = await startPostgresCluster();
  }, 60_000);
  afterAll(async () => {
    await cluster?.destroy();
    cluster = undefined;
  });

  it('restored with `hall db restore`: the kiosk refetches, resends what was lost, and converges', async () => {
    await scenario(async (backup) => {
      const r = await restoreHall({ ...where(), backup });
      if (!r.ok) throw new Error(r.error);
      expect(r.value.reason).toBe('restored');
    });
    expect((await hall.service.epochs()).map((e) => e.reason)).toEqual(['created', 'restored']);
  });

  it('a backup copied back under a stopped hall: the hall notices at start and converges the same', async () => {
    await scenario((backup) => putBackByHand(backup));
    expect((await hall.service.epochs()).map((e) => e.reason)).toEqual(['created', 'detected-restore']);
  });

  it('a kiosk cursor beyond the log of the same epoch (the mark lost too) starts a new epoch', async () => {
    const { client: c } = await enrolledClient();
    submit('app-1');
    await cycleOk(c);
    const backup = join(root, 'b.db');
    expect((await backupHall({ ...where(), dest: backup })).ok).toBe(true);
    await act('app-1', { action: 'accept' });
    await cycleOk(c);
    await restartHall(async () => {
      rmSync(join(hallDir, 'change-log-mark.json'), { force: true });
      await putBackByHand(backup);
    });
    expect((await hall.service.epochs()).map((e) => e.reason)).toEqual(['created']);
    await cycleOk(c);
    expect((await hall.service.epochs()).map((e) => e.reason)).toEqual(['created', 'detected-restore']);
    await act('app-1', { action: 'refuse', reason: '材料不齐' });
    await cycleOk(c);
    expect(kioskStatus('app-1')).toBe('refused');
  });
});
