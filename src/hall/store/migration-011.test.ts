/**
 * Migration 11 (the free space a kiosk reports in its heartbeat): a heartbeat stored before it keeps
 * every value and reads as "space not reported" (NULL); afterwards the columns take a kiosk's report
 * and refuse negative space or more free than total.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schemaVersion } from '../../sqlite/index.js';
import { createKioskStore } from './kiosks.js';
import { HALL_MIGRATIONS, hallSqlOf, openHallDatabase } from './index.js';

const VERSION = HALL_MIGRATIONS.findIndex((m) => m.name === 'heartbeat storage') + 1;

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-m11-'));
  path = join(dir, 'hall.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('hall migration 11: heartbeat storage', () => {
  it('keeps the heartbeats stored before it, with the space unreported, and takes reports after it', async () => {
    expect(VERSION).toBe(11);
    const before = openHallDatabase(path, { targetVersion: VERSION - 1 });
    if (!before.ok) throw new Error(before.message);
    before.db
      .prepare(
        "INSERT INTO kiosks (id, jurisdiction, secret_hash, secret, enrolled_at) VALUES ('K-1', '610113', 'h', 's', '2026-03-01T00:00:00Z')",
      )
      .run();
    before.db
      .prepare(
        `INSERT INTO kiosk_heartbeats (kiosk_id, at, backlog, app_version, devices) VALUES ('K-1', '2026-03-01T08:00:00Z', 4, '0.1.0', '[]')`,
      )
      .run();
    before.db.close();

    const after = openHallDatabase(path);
    if (!after.ok) throw new Error(after.message);
    const db = after.db;
    try {
      expect(schemaVersion(db)).toBeGreaterThanOrEqual(VERSION);
      const kiosks = createKioskStore(hallSqlOf(db));
      expect((await kiosks.fleet())[0]).toMatchObject({
        id: 'K-1',
        heartbeatAt: '2026-03-01T08:00:00Z',
        backlog: 4,
        appVersion: '0.1.0',
        devices: [],
        storage: null,
      });
      const beat = {
        kioskId: 'K-1',
        at: '2026-03-01T09:00:00Z',
        backlog: 0,
        appVersion: '0.2.0',
        devices: [],
      };
      await kiosks.saveHeartbeat({ ...beat, storage: { freeBytes: 5, totalBytes: 10 } });
      expect((await kiosks.fleet())[0]?.storage).toEqual({ freeBytes: 5, totalBytes: 10 });
      for (const storage of [
        { freeBytes: -1, totalBytes: 10 },
        { freeBytes: 11, totalBytes: 10 },
      ])
        await expect(kiosks.saveHeartbeat({ ...beat, storage })).rejects.toThrow(/CHECK constraint failed/);
      expect((await kiosks.fleet())[0]?.storage).toEqual({ freeBytes: 5, totalBytes: 10 });
    } finally {
      db.close();
    }
  });
});
