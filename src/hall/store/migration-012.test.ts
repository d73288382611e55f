/**
 * Migration 12 (priority tickets): a version-11 hall upgrades with its queue kept; old numbers and
 * tickets stay ordinary (NULL), a priority is one of the three kinds, and the priority counters are
 * a table of their own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openHallDatabase } from './index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-m12-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('adds priority to queue numbers and tickets of a version-11 hall, keeping its queue', () => {
  const path = join(dir, 'hall.db');
  const old = openHallDatabase(path, { targetVersion: 11 });
  if (!old.ok) throw new Error(old.message);
  old.db
    .prepare(
      "INSERT INTO kiosks (id, jurisdiction, secret_hash, secret, enrolled_at) VALUES ('K-1', '610113', 'h', 's', '2026-03-01T00:00:00Z')",
    )
    .run();
  old.db
    .prepare(
      "INSERT INTO queue_numbers (id, idempotency_key, kiosk_id, window_code, number, service_date, issued_at) VALUES ('n1', 'key-n1', 'K-1', 'ylsb', 'E001', '2026-03-02', '2026-03-02T01:00:00Z')",
    )
    .run();
  old.db.close();

  const r = openHallDatabase(path, { targetVersion: 12 });
  if (!r.ok) throw new Error(r.message);
  const { db } = r;
  try {
    expect([r.migratedFrom, r.migratedTo]).toEqual([11, 12]);
    expect(db.prepare("SELECT number, priority FROM queue_numbers WHERE id = 'n1'").get()).toEqual({
      number: 'E001',
      priority: null,
    });
    const insert = db.prepare(
      "INSERT INTO queue_numbers (id, idempotency_key, kiosk_id, window_code, number, service_date, issued_at, priority) VALUES (?, ?, 'K-1', 'ylsb', ?, '2026-03-02', '2026-03-02T01:01:00Z', ?)",
    );
    insert.run('n2', 'key-n2', 'PE001', 'elderly');
    expect(() => insert.run('n3', 'key-n3', 'PE002', 'vip')).toThrow(/CHECK/);
    expect(
      db.prepare("SELECT count(*) FROM pragma_table_info('tickets') WHERE name = 'priority'").pluck().get(),
    ).toBe(1);
    db.prepare(
      "INSERT INTO queue_priority_counters (service_date, window_code, last_number) VALUES ('2026-03-02', 'ylsb', 1)",
    ).run();
    expect(db.prepare('SELECT count(*) FROM queue_counters').pluck().get()).toBe(0);
  } finally {
    db.close();
  }
});
