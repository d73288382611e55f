/**
 * Migration 9 (help_requests): a version-8 hall upgrades with its kiosks kept; the table refuses a
 * resident's name recorded without consent, an unknown state and a request of an unknown kiosk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openHallDatabase } from './index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-m9-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('adds help_requests to a version-8 hall and guards consent, state and kiosk', () => {
  const path = join(dir, 'hall.db');
  const old = openHallDatabase(path, { targetVersion: 8 });
  if (!old.ok) throw new Error(old.message);
  old.db
    .prepare(
      "INSERT INTO kiosks (id, jurisdiction, secret_hash, secret, enrolled_at) VALUES ('K-1', '610113', 'h', 's', '2026-03-01T00:00:00Z')",
    )
    .run();
  old.db.close();

  const r = openHallDatabase(path, { targetVersion: 9 });
  if (!r.ok) throw new Error(r.message);
  const { db } = r;
  try {
    expect([r.migratedFrom, r.migratedTo]).toEqual([8, 9]);
    const insert = db.prepare(
      `INSERT INTO help_requests (id, kiosk_id, jurisdiction, step, since, consent, resident_name, state, created_at)
       VALUES (?, ?, '610113', 'apply', '2026-03-01T00:00:00Z', ?, ?, ?, '2026-03-01T00:00:00Z')`,
    );
    insert.run('h1', 'K-1', 1, '张*明', 'waiting');
    insert.run('h2', 'K-1', 0, null, 'answered');
    expect(() => insert.run('h3', 'K-1', 0, '张*明', 'waiting')).toThrow(/CHECK/);
    expect(() => insert.run('h4', 'K-1', 0, null, 'ringing')).toThrow(/CHECK/);
    expect(() => insert.run('h5', 'K-9', 0, null, 'waiting')).toThrow(/FOREIGN KEY/);
    expect(db.prepare('SELECT count(*) FROM help_requests').pluck().get()).toBe(2);
  } finally {
    db.close();
  }
});
