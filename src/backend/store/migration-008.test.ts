/**
 * Migration 8 (priority tickets): a version-7 kiosk upgrades with its tickets kept as ordinary ones;
 * a priority is one of the three kinds; priority numbers of the offline range count apart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { fixtureCatalog } from '../services/catalog-fixture.js';
import { replaceCatalog } from '../services/catalog.js';
import { openDatabase } from './db.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-kiosk-m8-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('adds priority to the tickets of a version-7 kiosk, keeping them', () => {
  const path = join(dir, 'kiosk.db');
  const old = openDatabase(path, { targetVersion: 7 });
  if (!old.ok) throw new Error(old.message);
  replaceCatalog(old.db, fixtureCatalog(), 'seed', new Date('2026-03-01T00:00:00Z'));
  old.db
    .prepare(
      "INSERT INTO queue_tickets (id, idempotency_key, window_code, number, service_date, issued_at, status) VALUES ('t1', 'key-t1', 'ylsb', 'E900', '2026-03-02', '2026-03-02T01:00:00Z', 'issued')",
    )
    .run();
  old.db.close();

  const r = openDatabase(path, { targetVersion: 8 });
  if (!r.ok) throw new Error(r.message);
  const { db } = r;
  try {
    expect([r.migratedFrom, r.migratedTo]).toEqual([7, 8]);
    expect(db.prepare("SELECT number, priority FROM queue_tickets WHERE id = 't1'").get()).toEqual({
      number: 'E900',
      priority: null,
    });
    const insert = db.prepare(
      "INSERT INTO queue_tickets (id, idempotency_key, window_code, number, service_date, issued_at, status, priority) VALUES (?, ?, 'ylsb', ?, '2026-03-02', '2026-03-02T01:01:00Z', 'issued', ?)",
    );
    insert.run('t2', 'key-t2', 'PE900', 'disabled');
    expect(() => insert.run('t3', 'key-t3', 'PE901', 'vip')).toThrow(/CHECK/);
    const counter = db.prepare(
      "INSERT INTO queue_priority_counters (service_date, window_code, last_number) VALUES ('2026-03-02', ?, 900)",
    );
    counter.run('ylsb');
    expect(() => counter.run('nope')).toThrow(/FOREIGN KEY/);
  } finally {
    db.close();
  }
});
