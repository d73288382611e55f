/**
 * Migration 10 (sealed personal data): a version-9 hall that kept payloads, notes, a help request's
 * name, a kiosk secret and a licence holder's ID number in clear is upgraded; afterwards no byte of
 * hall.db or its WAL holds them, the stores read every value back as it was, and the licence is
 * found by the ID number through its keyed hash.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  createCaseStore,
  createHelpStore,
  hallSqlOf,
  createKioskStore,
  createLicenceStore,
  HALL_LATEST_VERSION,
  openHallDatabase,
} from './index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-m10-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ID = '11010519491231002X';
const NAME = '李秀英';
const SECRET = 'kiosk-secret-0123456789abcdef';
const APP = '00000000-0000-4000-8000-000000000001';
const PAYLOAD = JSON.stringify({ id: APP, applicant: { name: NAME, idNumber: ID } });

const holding = (text: string): string[] =>
  readdirSync(dir).filter((f) => {
    const b = readFileSync(join(dir, f));
    return b.includes(Buffer.from(text, 'utf8')) || b.includes(Buffer.from(text, 'utf16le'));
  });

it('seals what a version-9 hall kept in clear, and reads it all back', async () => {
  const path = join(dir, 'hall.db');
  const old = openHallDatabase(path, { targetVersion: 9 });
  if (!old.ok) throw new Error(old.message);
  const at = '2026-03-01T00:00:00Z';
  const run = (sql: string, ...args: unknown[]) => old.db.prepare(sql).run(...args);
  run(
    "INSERT INTO kiosks (id, jurisdiction, secret_hash, secret, enrolled_at) VALUES ('K-1', '610113', 'h', ?, ?)",
    SECRET,
    at,
  );
  run(
    "INSERT INTO entries (id, kiosk_id, seq, kind, payload, payload_hash, status, received_at) VALUES (1, 'K-1', 1, 'application', ?, 'x', 'applied', ?)",
    PAYLOAD,
    at,
  );
  run(
    `INSERT INTO applications (id, kiosk_id, entry_id, jurisdiction, item_code, status, payload, received_at, updated_at)
     VALUES (?, 'K-1', 1, '610113', 'X1', 'received', ?, ?, ?)`,
    APP,
    PAYLOAD,
    at,
    at,
  );
  run(
    `INSERT INTO case_events (application_id, at, staff, action, from_status, to_status, detail)
     VALUES (?, ?, '王科员', 'request-correction', 'received', 'correction-requested', ?)`,
    APP,
    at,
    JSON.stringify({ note: `请${NAME}补充材料` }),
  );
  run(
    "INSERT INTO changes (kiosk_id, stream, key, op, version, data, created_at) VALUES ('K-1', 'case-status', ?, 'put', 1, ?, ?)",
    APP,
    JSON.stringify({ note: NAME }),
    at,
  );
  run(
    `INSERT INTO help_requests (id, kiosk_id, jurisdiction, step, since, consent, resident_name, state, created_at)
     VALUES ('h1', 'K-1', '610113', 'apply', ?, 1, ?, 'waiting', ?)`,
    at,
    NAME,
    at,
  );
  run(
    "INSERT INTO licences (id_number, material_code, licence_no, added_at) VALUES (?, 'm9', 'LIC-1', ?)",
    ID,
    at,
  );
  old.db.close();
  expect(holding(ID).length).toBeGreaterThan(0);

  const r = openHallDatabase(path);
  if (!r.ok) throw new Error(r.message);
  try {
    expect([r.migratedFrom, r.migratedTo]).toEqual([9, HALL_LATEST_VERSION]);
    for (const secret of [ID, NAME, SECRET, 'LIC-1'])
      expect({ secret, files: holding(secret) }).toEqual({ secret, files: [] });
    expect((await createKioskStore(hallSqlOf(r.db)).get('K-1'))?.secret).toBe(SECRET);
    const cases = createCaseStore(hallSqlOf(r.db));
    expect((await cases.record(APP))?.payload).toBe(PAYLOAD);
    expect(JSON.parse((await cases.eventsOf(APP))[0]?.detail ?? '{}')).toEqual({ note: `请${NAME}补充材料` });
    expect((await createHelpStore(hallSqlOf(r.db)).byId('h1'))?.residentName).toBe(NAME);
    const licences = createLicenceStore(hallSqlOf(r.db));
    expect(await licences.holds(ID, 'm9')).toBe(true);
    expect(await licences.holds(ID.toLowerCase(), 'm9')).toBe(true);
    expect(await licences.holds('610102199001011234', 'm9')).toBe(false);
    expect(r.db.prepare('SELECT id_hash FROM licences').pluck().get()).toMatch(/^[0-9a-f]{64}$/);
  } finally {
    r.db.close();
  }
  // The lookup key survives a restart: the same number is found again.
  const again = openHallDatabase(path);
  if (!again.ok) throw new Error(again.message);
  expect(await createLicenceStore(hallSqlOf(again.db)).holds(ID, 'm9')).toBe(true);
  again.db.close();
});
