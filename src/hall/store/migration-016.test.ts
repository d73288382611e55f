/**
 * Migration 16 (log epochs, enrolment key): a version-15 hall upgrades with its change log kept;
 * it gets one epoch (`created`) that starts after the last position it had given out, epochs are
 * hex ids, and used codes gain the column for the kiosk key they were used with.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openHallDatabase } from './index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-m16-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('gives a version-15 hall its first log epoch after the positions it gave out', () => {
  const path = join(dir, 'hall.db');
  const old = openHallDatabase(path, { targetVersion: 15 });
  if (!old.ok) throw new Error(old.message);
  const change = old.db.prepare(
    "INSERT INTO changes (kiosk_id, stream, key, op, version, data, created_at) VALUES (NULL, 'holidays', ?, 'del', 1, NULL, '2026-03-01T00:00:00Z')",
  );
  for (const k of ['a', 'b', 'c']) change.run(k);
  old.db.prepare("DELETE FROM changes WHERE key = 'c'").run();
  old.db.close();

  const r = openHallDatabase(path, { targetVersion: 16 });
  if (!r.ok) throw new Error(r.message);
  const { db } = r;
  try {
    expect([r.migratedFrom, r.migratedTo]).toEqual([15, 16]);
    const epochs = db.prepare('SELECT id, first_position AS firstPosition, reason FROM log_epochs').all() as {
      id: string;
      firstPosition: number;
      reason: string;
    }[];
    expect(epochs).toHaveLength(1);
    // Position 3 was given out (then deleted): the epoch starts after it.
    expect(epochs[0]).toMatchObject({ firstPosition: 3, reason: 'created' });
    expect(epochs[0]?.id).toMatch(/^[0-9a-f]{16}$/);
    expect(db.prepare('SELECT count(*) FROM changes').pluck().get()).toBe(2);
    const insert = db.prepare(
      "INSERT INTO log_epochs (id, started_at, first_position, reason) VALUES (?, '2026-03-02T00:00:00Z', 3, ?)",
    );
    expect(() => insert.run('NOT-HEX!', 'operator')).toThrow(/CHECK/);
    expect(() => insert.run('0123456789abcdef', 'whim')).toThrow(/CHECK/);
    insert.run('0123456789abcdef', 'restored');
    expect(
      db
        .prepare("SELECT count(*) FROM pragma_table_info('enrollment_codes') WHERE name = 'kiosk_public_key'")
        .pluck()
        .get(),
    ).toBe(1);
  } finally {
    db.close();
  }
});

it('a fresh hall has one epoch starting at 0', () => {
  const r = openHallDatabase(join(dir, 'fresh.db'));
  if (!r.ok) throw new Error(r.message);
  try {
    expect(r.db.prepare('SELECT first_position, reason FROM log_epochs').all()).toEqual([
      { first_position: 0, reason: 'created' },
    ]);
  } finally {
    r.db.close();
  }
});
