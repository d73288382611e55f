/**
 * An offline backlog reaches the hall quickly once it is back (issue 11, item 5; docs/sync-protocol.md
 * 4.3): the real sync service — background loop, default backoff — against the real hall over
 * loopback. The hall goes away, twelve applications are submitted one after another (each nudges the
 * loop, as the backend does), the hall comes back on the same address, and all twelve must be at the
 * hall within 10 s. The submissions' nudges must not have counted as failures (before the fix each
 * one did, and the next try was minutes away).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase, type Db } from '../backend/index.js';
import { startHallServer, type HallServer } from '../hall/index.js';
import { createSyncService, type SyncService } from './index.js';
import { kioskRecords, seedCatalogRow, submitApplication } from './testing/kiosk-fixture.js';

const BACKLOG = 12;

let root: string;
let hall: HallServer | null;
let db: Db;
let service: SyncService | null = null;
/** Every "sync cycle failed; backing off" the loop logged: its failure count and delay. */
const backoffs: { failures: number; delayMs: number }[] = [];
const logger = {
  info: (o: unknown, msg?: string) => {
    if (msg === 'sync cycle failed; backing off') backoffs.push(o as { failures: number; delayMs: number });
  },
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'zizhu-offline-'));
  hall = await startHallServer({ host: '127.0.0.1', port: 0, dataDir: join(root, 'hall') }, { silent: true });
  const opened = openDatabase(join(root, 'kiosk', 'kiosk.db'));
  if (!opened.ok) throw new Error(opened.message);
  db = opened.db;
  seedCatalogRow(db);
});
afterEach(async () => {
  await service?.stop();
  service = null;
  if (db.open) db.close();
  await hall?.close();
  rmSync(root, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How far the hall has applied this kiosk's outbox, read from its own database. */
function appliedAtHall(kioskId: string): number {
  const h = new Database(join(root, 'hall', 'hall.db'), { readonly: true });
  try {
    return (
      (h.prepare('SELECT last_applied_seq FROM kiosks WHERE id = ?').pluck().get(kioskId) as number) ?? 0
    );
  } finally {
    h.close();
  }
}

it(`a backlog of ${BACKLOG} offline applications is at the hall within 10 s of it coming back`, async () => {
  if (!hall) throw new Error('no hall');
  const port = hall.port;
  const url = hall.url;
  service = createSyncService({
    db,
    blobDir: join(root, 'kiosk', 'blobs'),
    clock: () => new Date(),
    logger,
    records: kioskRecords(db),
    hall: { url },
    requestTimeoutMs: 3_000,
    waitMs: 1_000,
  });
  service.start();
  const { code } = await hall.service.createEnrollmentCode('610113');
  const enrolled = await service.enroll(code);
  expect(enrolled.ok).toBe(true);
  const kioskId = enrolled.ok ? enrolled.kioskId : '';

  await hall.close();
  hall = null;
  // Offline: a resident every half second; each submission nudges the loop.
  for (let i = 0; i < BACKLOG; i++) {
    submitApplication(db, join(root, 'kiosk', 'blobs'), `offline-${i}`, [
      Buffer.from(`page ${i} `.repeat(3000)),
    ]);
    service.nudge();
    await sleep(500);
  }
  expect(service.status().backlog).toBe(BACKLOG);
  const failuresWhileOffline = Math.max(0, ...backoffs.map((b) => b.failures));
  // Twelve nudges, six seconds: only the loop's own retries count (1 s, 2 s, 4 s … apart).
  expect(failuresWhileOffline).toBeLessThanOrEqual(5);
  expect(Math.max(...backoffs.map((b) => b.delayMs))).toBeLessThanOrEqual(6_000);

  const back = await startHallServer(
    { host: '127.0.0.1', port, dataDir: join(root, 'hall') },
    { silent: true },
  );
  hall = back;
  const t0 = performance.now();
  let elapsed = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 300; i++) {
    if (appliedAtHall(kioskId) >= BACKLOG) {
      elapsed = performance.now() - t0;
      break;
    }
    await sleep(50);
  }
  console.log(
    `offline backlog: ${BACKLOG} applications at the hall ${Math.round(elapsed)} ms after it came back (failures counted while offline: ${failuresWhileOffline})`,
  );
  expect(elapsed).toBeLessThan(10_000);
}, 40_000);
