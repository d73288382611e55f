/**
 * Migration 8 (a CHECK on applications.status from HALL_CASE_STATUSES): the table rebuild keeps
 * every row and every reference to it (application_blobs, case_events, supplements), foreign keys
 * stay enforced, the CHECK is the shared list, and an unknown status refuses the migration with
 * the rows named, leaving the database at version 7.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HALL_CASE_STATUSES } from '../../shared/case-status.js';
import { schemaVersion, type SqliteDb } from '../../sqlite/index.js';
import { HALL_MIGRATIONS, openHallDatabase } from './index.js';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-m8-'));
  path = join(dir, 'hall.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const sha = (c: string) => c.repeat(64);

/** A version-7 hall.db with one application per given status and rows in every table referencing one. */
function hallAtVersion7(statuses: readonly string[]): void {
  const r = openHallDatabase(path, { targetVersion: 7 });
  if (!r.ok) throw new Error(r.message);
  const db = r.db;
  db.prepare(
    "INSERT INTO kiosks (id, jurisdiction, secret_hash, secret, enrolled_at) VALUES ('K-1', '610113', 'h', 's', '2026-03-01T00:00:00Z')",
  ).run();
  const entry = db.prepare(
    "INSERT INTO entries (kiosk_id, seq, kind, payload, payload_hash, status, received_at) VALUES ('K-1', ?, ?, '{}', 'x', 'applied', '2026-03-01T00:00:00Z')",
  );
  const app = db.prepare(
    `INSERT INTO applications (id, kiosk_id, entry_id, jurisdiction, item_code, status, payload, received_at, updated_at)
     VALUES (?, 'K-1', ?, '610102', 'X1', ?, '{"n":1}', '2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z')`,
  );
  db.prepare(`INSERT INTO blobs (sha256, size, received_at) VALUES (?, 3, '2026-03-01T00:00:00Z')`).run(
    sha('a'),
  );
  db.prepare(`INSERT INTO blobs (sha256, size, received_at) VALUES (?, 3, '2026-03-01T00:00:00Z')`).run(
    sha('b'),
  );
  let seq = 0;
  statuses.forEach((status, i) => {
    const appId = id(i + 1);
    app.run(appId, Number(entry.run(++seq, 'application').lastInsertRowid), status);
    db.prepare('INSERT INTO application_blobs (application_id, sha256) VALUES (?, ?), (?, ?)').run(
      appId,
      sha('a'),
      appId,
      sha('b'),
    );
    db.prepare(
      `INSERT INTO case_events (application_id, at, staff, action, from_status, to_status, detail)
       VALUES (?, '2026-03-02T00:00:00Z', '王科员', 'accept', 'received', ?, '{"note":"ok"}')`,
    ).run(appId, status);
    db.prepare(
      "INSERT INTO supplements (id, application_id, entry_id, payload, received_at) VALUES (?, ?, ?, '{}', '2026-03-03T00:00:00Z')",
    ).run(`S-${i + 1}`, appId, Number(entry.run(++seq, 'supplement').lastInsertRowid));
  });
  db.close();
}

const dump = (db: SqliteDb) => ({
  applications: db.prepare('SELECT * FROM applications ORDER BY id').all(),
  applicationBlobs: db.prepare('SELECT * FROM application_blobs ORDER BY application_id, sha256').all(),
  caseEvents: db.prepare('SELECT * FROM case_events ORDER BY id').all(),
  supplements: db.prepare('SELECT * FROM supplements ORDER BY id').all(),
});

describe('migration 8: applications.status CHECK', () => {
  it('rebuilds applications keeping every row and every reference, with foreign keys enforced after', () => {
    hallAtVersion7(HALL_CASE_STATUSES);
    const before = new Database(path);
    const rows = dump(before);
    const indexBefore = before
      .prepare("SELECT sql FROM sqlite_schema WHERE name = 'applications_jurisdiction'")
      .pluck()
      .get();
    before.close();
    expect(rows.applications).toHaveLength(HALL_CASE_STATUSES.length);
    expect(rows.applicationBlobs).toHaveLength(2 * HALL_CASE_STATUSES.length);

    const r = openHallDatabase(path, { targetVersion: 8 });
    if (!r.ok) throw new Error(r.message);
    const { db } = r;
    try {
      expect([r.migratedFrom, r.migratedTo]).toEqual([7, 8]);
      expect(dump(db)).toEqual(rows);
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(
        db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'applications_jurisdiction'").pluck().get(),
      ).toBe(indexBefore);
      expect(
        db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'applications_new'").pluck().get(),
      ).toBe(0);
      // The referencing tables now point at the rebuilt table, and it is enforced both ways.
      expect(() =>
        db
          .prepare('INSERT INTO application_blobs (application_id, sha256) VALUES (?, ?)')
          .run(id(99), sha('a')),
      ).toThrow(/FOREIGN KEY/);
      expect(() =>
        db
          .prepare(
            "INSERT INTO case_events (application_id, at, staff, action, from_status, to_status, detail) VALUES (?, 'x', 's', 'a', 'f', 't', '{}')",
          )
          .run(id(99)),
      ).toThrow(/FOREIGN KEY/);
      expect(() =>
        db
          .prepare(
            "INSERT INTO supplements (id, application_id, entry_id, payload, received_at) VALUES ('S-x', ?, 1, '{}', 'x')",
          )
          .run(id(99)),
      ).toThrow(/FOREIGN KEY/);
      expect(() => db.prepare('DELETE FROM applications WHERE id = ?').run(id(1))).toThrow(/FOREIGN KEY/);
      expect(() =>
        db
          .prepare(
            `INSERT INTO applications (id, kiosk_id, entry_id, jurisdiction, item_code, status, payload, received_at, updated_at)
             VALUES (?, 'K-nobody', 1, '610102', 'X1', 'received', '{}', 'x', 'x')`,
          )
          .run(id(98)),
      ).toThrow(/FOREIGN KEY/);
    } finally {
      db.close();
    }
  });

  it('accepts exactly the hall case statuses (one rule with src/shared/case-status.ts)', () => {
    hallAtVersion7(['received']);
    const r = openHallDatabase(path, { targetVersion: 8 });
    if (!r.ok) throw new Error(r.message);
    const set = r.db.prepare('UPDATE applications SET status = ? WHERE id = ?');
    try {
      for (const status of HALL_CASE_STATUSES) expect(set.run(status, id(1)).changes).toBe(1);
      for (const status of ['submitted', 'supplement-submitted', 'Received', 'on-hold', ''])
        expect(() => set.run(status, id(1))).toThrow(/CHECK constraint failed/);
    } finally {
      r.db.close();
    }
  });

  it('refuses a database holding an unknown status, naming the rows, and leaves it at version 7', () => {
    hallAtVersion7(['received', 'on-hold', 'accepted', 'Received']);
    const raw = new Database(path);
    const rows = dump(raw);
    raw.close();

    const r = openHallDatabase(path, { targetVersion: 8 });
    expect(r).toMatchObject({ ok: false, error: 'cannot-open' });
    if (r.ok) return;
    expect(r.message).toContain('migration 8 (applications.status is a hall case status) failed');
    expect(r.message).toContain(
      `2 application(s) have a status that is not one of ${HALL_CASE_STATUSES.join(', ')}`,
    );
    expect(r.message).toContain(`${id(2)} ("on-hold")`);
    expect(r.message).toContain(`${id(4)} ("Received")`);
    expect(r.message).not.toContain(id(1));
    expect(r.message).toContain('UPDATE applications SET status');

    const after = new Database(path);
    try {
      expect(schemaVersion(after)).toBe(7);
      expect(dump(after)).toEqual(rows);
      expect(
        after.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'applications_new'").pluck().get(),
      ).toBe(0);
      // Once an operator has set the statuses, the hall opens.
      after
        .prepare("UPDATE applications SET status = 'received' WHERE status IN ('on-hold', 'Received')")
        .run();
    } finally {
      after.close();
    }
    const again = openHallDatabase(path);
    expect(again).toMatchObject({ ok: true, migratedFrom: 7, migratedTo: HALL_MIGRATIONS.length });
    if (again.ok) again.db.close();
  });

  it('was released with this status list: a change to HALL_CASE_STATUSES needs a new migration', () => {
    // Migration 8's CHECK is generated from HALL_CASE_STATUSES. A database already at version 8
    // keeps the list it was built with, so when the list changes, freeze migration 8 to this list
    // and add a migration that rebuilds applications with the new one.
    expect(HALL_CASE_STATUSES).toEqual([
      'received',
      'accepted',
      'refused',
      'correction-requested',
      'supplement-received',
      'completed',
    ]);
    expect(HALL_MIGRATIONS[7]?.sql).toContain(
      "CHECK (status IN ('received', 'accepted', 'refused', 'correction-requested', 'supplement-received', 'completed'))",
    );
  });
});
