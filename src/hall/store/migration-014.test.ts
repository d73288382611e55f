/**
 * Migration 14 (the case list): a version-13 hall upgrades with its cases kept and their search keys
 * backfilled as keyed hashes (never the values); a case stored after it gets its keys from the ingest
 * trigger, and a status change or staff action marks the case for the list to work out again.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { applicationPayload } from '../testing/staff-fixture.js';
import { createCaseStore, hallSqlOf, openHallDatabase, type HallDb } from './index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-m14-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const at = '2026-03-02T00:00:00.000Z';
function addCase(db: HallDb, name: string, entryId: number): string {
  const entry = applicationPayload(name);
  db.prepare(
    "INSERT INTO entries (id, kiosk_id, seq, kind, payload, payload_hash, status, received_at) VALUES (?, 'K-1', ?, 'application', zk_seal('{}'), 'x', 'applied', ?)",
  ).run(entryId, entryId, at);
  // As the store of a hall of that version wrote it (today's store also writes the keys, since
  // migration 20, into a table a version-13 hall does not have).
  db.prepare(
    `INSERT INTO applications (id, kiosk_id, entry_id, jurisdiction, item_code, status, payload, received_at, updated_at)
     VALUES (?, 'K-1', ?, '610102', 'X1', 'received', zk_seal(?), ?, ?)`,
  ).run(entry.id, entryId, JSON.stringify(entry), at, at);
  return entry.id;
}
const keysOf = (db: HallDb, id: string) =>
  db.prepare('SELECT kind, hash FROM case_keys WHERE application_id = ? ORDER BY kind').all(id) as {
    kind: string;
    hash: string;
  }[];

it('backfills the search keys of a version-13 hall as keyed hashes and keys new cases at ingest', async () => {
  const path = join(dir, 'hall.db');
  const old = openHallDatabase(path, { targetVersion: 13 });
  if (!old.ok) throw new Error(old.message);
  old.db
    .prepare(
      "INSERT INTO kiosks (id, jurisdiction, secret_hash, secret, enrolled_at) VALUES ('K-1', '610113', 'h', 's', ?)",
    )
    .run(at);
  const before = addCase(old.db, 'old-case', 1);
  old.db.close();

  const r = openHallDatabase(path, { targetVersion: 14 });
  if (!r.ok) throw new Error(r.message);
  const { db } = r;
  try {
    expect([r.migratedFrom, r.migratedTo]).toEqual([13, 14]);
    const hash = (v: string) => db.prepare('SELECT zk_lookup(?)').pluck().get(v) as string;
    const entry = applicationPayload('old-case');
    // 受理编号, name, ID number; the delivery phone and the form's phone are one key.
    expect(keysOf(db, before)).toEqual([
      { kind: 'id', hash: hash(entry.applicant.idNumber) },
      { kind: 'name', hash: hash(entry.applicant.name) },
      { kind: 'phone', hash: hash('13800138000') },
      { kind: 'receipt', hash: hash(entry.receiptNo) },
    ]);
    expect(db.prepare('SELECT listed_at, assigned_to FROM applications').get()).toEqual({
      listed_at: null,
      assigned_to: null,
    });

    const after = addCase(db, 'new-case', 2);
    expect(keysOf(db, after).map((k) => k.kind)).toEqual(['id', 'name', 'phone', 'receipt']);
    // A listed case is marked again by a status change and by a staff action.
    db.prepare("UPDATE applications SET listed_at = 'x'").run();
    await createCaseStore(hallSqlOf(db)).setStatus(after, 'accepted', at);
    await createCaseStore(hallSqlOf(db)).addEvent({
      applicationId: before,
      at,
      staff: '王科员',
      action: 'accept',
      from: 'received',
      to: 'accepted',
      detail: {},
    });
    expect(db.prepare('SELECT count(*) FROM applications WHERE listed_at IS NULL').pluck().get()).toBe(2);
  } finally {
    db.close();
  }
  // Keys are hashes: the database file holds no name or ID number in clear.
  const file =
    readFileSync(path).toString('utf8') + readFileSync(`${path}-wal`, { flag: 'a+' }).toString('utf8');
  expect(file).not.toContain('张小三');
  expect(file).not.toContain('610102199001011234');
});
