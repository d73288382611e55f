/**
 * Migration 20 (columns filled by the store): the triggers that opened sealed payloads at ingest
 * (migration 14's case keys, migration 19's evaluations.given_at) and the three that marked a case
 * for the case list are gone; the store writes the same rows. The same cases and evaluations are
 * stored into a version-19 hall the way its store did (the triggers filling the columns) and through
 * today's store into a version-20 hall: the keys, given_at and listed_at come out the same.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { applicationPayload } from '../testing/staff-fixture.js';
import { sqliteInstant } from './filled-columns.js';
import { createCaseStore, createEvaluationStore, hallSqlOf, openHallDatabase, type HallDb } from './index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-m20-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const at = '2026-03-02T00:00:00.000Z';

/** Payloads that exercise every rule of the keys: spaces, case, tabs, numbers, form phones. */
const cases = (): { id: string; payload: string }[] => {
  const plain = applicationPayload('plain');
  const messy = {
    ...applicationPayload('messy'),
    receiptNo: '  fd01-20260302-000777 ',
    applicant: { name: ' 李 四 ', idNumber: ' 61010219900101123x', cardType: 'resident' },
    delivery: { phone: ' 13912345678 ' },
    form: {
      a: ' 13700001111 ',
      b: '\t13600001111',
      c: '1370000111',
      d: 13500001111,
      e: '12300001111',
      f: ['13400001111'],
      g: '13700001111',
    },
  };
  const sparse = {
    ...applicationPayload('sparse'),
    receiptNo: '   ',
    applicant: { name: 42, idNumber: null, cardType: true },
    delivery: { phone: false },
    form: [' 13300001111', 'x'],
  };
  return [plain, messy, sparse].map((p) => ({ id: p.id, payload: JSON.stringify(p) }));
};

/** createdAt forms SQLite's strftime reads (and some it does not). */
const evaluations = (): { id: string; payload: string; receivedAt: string }[] =>
  [
    { createdAt: '2026-03-04T15:30:00Z' },
    { createdAt: '2026-03-04T15:30:00.123456Z' },
    { createdAt: '2026-03-04 23:30:00+08:00' },
    { createdAt: '2026-03-04T23:30-08:30' },
    { createdAt: '2026-03-04' },
    { createdAt: '2026-02-31T10:00:00Z' },
    { createdAt: 'yesterday' },
    { createdAt: 20260304 },
    {},
  ].map((p, i) => ({ id: `ev-${i}`, payload: JSON.stringify({ ...p, level: 'satisfied' }), receivedAt: at }));

function prepare(db: HallDb): void {
  db.prepare(
    "INSERT INTO kiosks (id, jurisdiction, secret_hash, secret, enrolled_at) VALUES ('K-1', '610102', 'h', 's', ?)",
  ).run(at);
  db.prepare(
    "INSERT INTO entries (id, kiosk_id, seq, kind, payload, payload_hash, status, received_at) VALUES (1, 'K-1', 1, 'application', zk_seal('{}'), 'x', 'applied', ?)",
  ).run(at);
}

/** What the columns hold, by application / evaluation id. */
function filled(db: HallDb) {
  return {
    keys: db.prepare('SELECT application_id, kind, hash FROM case_keys ORDER BY 1, 2, 3').all(),
    givenAt: db.prepare('SELECT id, given_at FROM evaluations ORDER BY id').all(),
    listed: db.prepare('SELECT id, listed_at FROM applications ORDER BY id').all(),
  };
}

it('drops the triggers; the store fills the same case keys, given_at and listed_at they did', async () => {
  // A version-19 hall: rows inserted as its store did, the triggers filling the columns.
  const old = openHallDatabase(join(dir, 'old.db'), { targetVersion: 19 });
  if (!old.ok) throw new Error(old.message);
  // Today's hall, on a database with the same lookup key (the hashes compare).
  const fresh = openHallDatabase(join(dir, 'new.db'), { keyFile: join(dir, 'hall.key') });
  if (!fresh.ok) throw new Error(fresh.message);
  const lookupKey = old.db
    .prepare("SELECT value FROM hall_meta WHERE key = 'at-rest.lookupKey'")
    .pluck()
    .get();
  fresh.db.prepare("UPDATE hall_meta SET value = ? WHERE key = 'at-rest.lookupKey'").run(lookupKey);
  fresh.db.close();
  const now = openHallDatabase(join(dir, 'new.db'), { keyFile: join(dir, 'hall.key') });
  if (!now.ok) throw new Error(now.message);
  try {
    expect(now.db.pragma('user_version', { simple: true })).toBe(20);
    expect(
      now.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name").pluck().all(),
    ).toEqual(['staff_audit_no_delete', 'staff_audit_no_update']);
    prepare(old.db);
    prepare(now.db);
    const store = createCaseStore(hallSqlOf(now.db));
    for (const c of cases()) {
      old.db
        .prepare(
          `INSERT INTO applications (id, kiosk_id, entry_id, jurisdiction, item_code, status, payload, received_at, updated_at)
           VALUES (?, 'K-1', 1, '610102', 'X1', 'received', zk_seal(?), ?, ?)`,
        )
        .run(c.id, c.payload, at, at);
      await store.insert({
        id: c.id,
        kioskId: 'K-1',
        entryId: 1,
        jurisdiction: '610102',
        itemCode: 'X1',
        status: 'received',
        payload: c.payload,
        at,
      });
    }
    const evals = createEvaluationStore(hallSqlOf(now.db));
    for (const e of evaluations()) {
      old.db
        .prepare(
          `INSERT INTO evaluations (id, kiosk_id, entry_id, target_kind, target_id, level, payload, received_at)
           VALUES (?, 'K-1', 1, 'kiosk', 'K-1', 'satisfied', zk_seal(?), ?)`,
        )
        .run(e.id, e.payload, e.receivedAt);
      await evals.insert({
        id: e.id,
        kioskId: 'K-1',
        entryId: 1,
        targetKind: 'kiosk',
        targetId: 'K-1',
        level: 'satisfied',
        payload: e.payload,
        at: e.receivedAt,
      });
    }
    // Every case listed, then a status change, a staff action and a supplement on one case each.
    const [a, b, c] = cases().map((x) => x.id) as [string, string, string];
    for (const db of [old.db, now.db]) db.prepare('UPDATE applications SET listed_at = ?').run(at);
    old.db.prepare("UPDATE applications SET status = 'accepted', updated_at = ? WHERE id = ?").run(at, a);
    await store.setStatus(a, 'accepted', at);
    old.db
      .prepare(
        "INSERT INTO case_events (application_id, at, staff, action, from_status, to_status, detail) VALUES (?, ?, 'x', 'note', 'received', 'received', zk_seal('{}'))",
      )
      .run(b, at);
    await store.addEvent({
      applicationId: b,
      at,
      staff: 'x',
      action: 'note',
      from: 'received',
      to: 'received',
      detail: {},
    });
    old.db
      .prepare(
        "INSERT INTO supplements (id, application_id, entry_id, payload, received_at) VALUES ('s-1', ?, 1, zk_seal('{}'), ?)",
      )
      .run(c, at);
    await store.addSupplement({ id: 's-1', applicationId: c, entryId: 1, payload: '{}', at });

    const before = filled(old.db);
    expect(before.keys.length).toBeGreaterThan(8);
    expect(before.listed.filter((r) => (r as { listed_at: string | null }).listed_at === null)).toHaveLength(
      3,
    );
    expect(filled(now.db)).toEqual(before);
  } finally {
    old.db.close();
    now.db.close();
  }
});

it('reads time strings as SQLite’s strftime does', () => {
  const open = openHallDatabase(':memory:');
  if (!open.ok) throw new Error(open.message);
  try {
    const strftime = open.db.prepare("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', ?)").pluck();
    for (const t of [
      '2026-03-04T15:30:00Z',
      '2026-03-04T15:30:00.9996Z',
      '2026-03-04T15:30:30.57Z',
      '2026-03-04T15:30:59.999999Z',
      '2026-03-04 15:30',
      '2026-03-04T15:30:59+14:00',
      '2026-12-31T23:59:59.999-00:30',
      '2026-03-04',
      '2026-13-01',
      '2026-03-04T25:00:00Z',
      '2026-3-4',
      '',
    ])
      expect({ t, js: sqliteInstant(t) }).toEqual({ t, js: strftime.get(t) });
  } finally {
    open.db.close();
  }
});
