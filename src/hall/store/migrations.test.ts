/**
 * The hall's migrations: a hall.db created at every earlier version and upgraded has exactly the
 * schema of a fresh one and keeps its rows; every table is STRICT; versions follow positions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqliteDb } from '../../sqlite/index.js';
import { checkUpgradeFrom, earlierVersions } from '../../sqlite/testing/upgrades.js';
import { randomBytes } from 'node:crypto';
import { createSealer } from '../../shared/at-rest/index.js';
import { prepareHallConnection } from './db.js';
import { HALL_LATEST_VERSION, HALL_MIGRATIONS, openHallDatabase } from './index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-mig-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const SHA = 'a'.repeat(64);
const sealer = createSealer({ key: randomBytes(32) });
const APP = '00000000-0000-4000-8000-000000000001';

/** Rows in the tables a database at `version` has, as a hall of that release would have written. */
function seed(db: SqliteDb, version: number): void {
  if (version < 1) return;
  db.prepare(
    "INSERT INTO kiosks (id, jurisdiction, secret_hash, enrolled_at) VALUES ('K-1', '610113', 'h', '2026-03-01T00:00:00Z')",
  ).run();
  if (version < 2) return;
  db.prepare(
    "INSERT INTO entries (id, kiosk_id, seq, kind, payload, payload_hash, status, received_at) VALUES (1, 'K-1', 1, 'application', '{}', 'x', 'applied', '2026-03-01T00:00:00Z')",
  ).run();
  db.prepare(
    `INSERT INTO applications (id, kiosk_id, entry_id, jurisdiction, item_code, status, payload, received_at, updated_at)
     VALUES ('${APP}', 'K-1', 1, '610102', 'X1', 'correction-requested', '{}', '2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z')`,
  ).run();
  db.prepare(
    `INSERT INTO blobs (sha256, size, received_at) VALUES ('${SHA}', 3, '2026-03-01T00:00:00Z')`,
  ).run();
  db.prepare(`INSERT INTO application_blobs (application_id, sha256) VALUES ('${APP}', '${SHA}')`).run();
  if (version < 3) return;
  db.prepare(
    `INSERT INTO case_events (application_id, at, staff, action, from_status, to_status, detail)
     VALUES ('${APP}', '2026-03-02T00:00:00Z', '王科员', 'request-correction', 'received', 'correction-requested', '{}')`,
  ).run();
  if (version < 4) return;
  db.prepare(
    "INSERT INTO entries (id, kiosk_id, seq, kind, payload, payload_hash, status, received_at) VALUES (2, 'K-1', 2, 'supplement', '{}', 'y', 'applied', '2026-03-03T00:00:00Z')",
  ).run();
  db.prepare(
    `INSERT INTO supplements (id, application_id, entry_id, payload, received_at) VALUES ('S-1', '${APP}', 2, '{}', '2026-03-03T00:00:00Z')`,
  ).run();
}

const count = (db: SqliteDb, table: string) =>
  db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

describe('hall migrations', () => {
  it('number their versions by position and name every step', () => {
    HALL_MIGRATIONS.forEach((m, i) => {
      expect(m.version).toBe(i + 1);
      expect(m.name.length).toBeGreaterThan(0);
    });
    expect(HALL_LATEST_VERSION).toBe(HALL_MIGRATIONS.length);
  });

  it('create every table STRICT', () => {
    const r = openHallDatabase(join(dir, 'hall.db'));
    if (!r.ok) throw new Error(r.message);
    const list = r.db.prepare('PRAGMA table_list').all() as {
      name: string;
      strict: number;
      schema: string;
    }[];
    const ours = list.filter((t) => t.schema === 'main' && !t.name.startsWith('sqlite_'));
    expect(ours.length).toBeGreaterThanOrEqual(20);
    for (const t of ours) expect({ table: t.name, strict: t.strict }).toEqual({ table: t.name, strict: 1 });
    r.db.close();
  });

  it.each(earlierVersions(HALL_MIGRATIONS))(
    'upgrade a hall database created at version %i to the schema of a fresh one, keeping its rows',
    (from) => {
      const r = checkUpgradeFrom(from, {
        migrations: HALL_MIGRATIONS,
        label: 'hall',
        dir,
        // The hall's SQL functions (zk_reseal, zk_lookup: migration 10), as openHallDatabase registers them.
        prepare: (db) => prepareHallConnection(sealer).prepare(db),
        seed,
        read: (db) => ({
          kiosks: count(db, 'kiosks'),
          applications: db.prepare('SELECT id, status FROM applications').all(),
          blobs: count(db, 'application_blobs'),
          events: count(db, 'case_events'),
          supplements: count(db, 'supplements'),
          brokenForeignKeys: db.pragma('foreign_key_check'),
        }),
      });
      expect([r.migratedFrom, r.migratedTo]).toEqual([from, HALL_LATEST_VERSION]);
      expect(r.upgraded).toEqual(r.fresh);
      expect(r.read).toEqual({
        kiosks: from >= 1 ? 1 : 0,
        applications: from >= 2 ? [{ id: APP, status: 'correction-requested' }] : [],
        blobs: from >= 2 ? 1 : 0,
        events: from >= 3 ? 1 : 0,
        supplements: from >= 4 ? 1 : 0,
        brokenForeignKeys: [],
      });
    },
  );
});
