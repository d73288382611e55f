/**
 * Migration 15 (the desk's 叫号 panel): a version-14 hall upgrades with its queue kept — a number
 * already called stays called, never recalled, skipped or transferred — and the new columns hold the
 * panel's moves; a number cannot be passed over (过号) before it was called.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openHallDatabase } from './index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-m15-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('adds recall, skip and transfer to the queue of a version-14 hall, keeping its numbers', () => {
  const path = join(dir, 'hall.db');
  const old = openHallDatabase(path, { targetVersion: 14 });
  if (!old.ok) throw new Error(old.message);
  old.db
    .prepare(
      "INSERT INTO kiosks (id, jurisdiction, secret_hash, secret, enrolled_at) VALUES ('K-1', '610113', 'h', 's', '2026-03-01T00:00:00Z')",
    )
    .run();
  old.db
    .prepare(
      "INSERT INTO queue_numbers (id, idempotency_key, kiosk_id, window_code, number, service_date, issued_at, called_at) VALUES ('n1', 'key-n1', 'K-1', 'ylsb', 'E001', '2026-03-02', '2026-03-02T01:00:00Z', '2026-03-02T01:05:00Z')",
    )
    .run();
  old.db.close();

  const r = openHallDatabase(path, { targetVersion: 15 });
  if (!r.ok) throw new Error(r.message);
  const { db } = r;
  try {
    expect([r.migratedFrom, r.migratedTo]).toEqual([14, 15]);
    expect(
      db
        .prepare(
          "SELECT number, called_at AS calledAt, called_by AS calledBy, recall_count AS recalls, skipped_at AS skippedAt, transferred_from AS transferredFrom FROM queue_numbers WHERE id = 'n1'",
        )
        .get(),
    ).toEqual({
      number: 'E001',
      calledAt: '2026-03-02T01:05:00Z',
      calledBy: null,
      recalls: 0,
      skippedAt: null,
      transferredFrom: null,
    });
    db.prepare("UPDATE queue_numbers SET skipped_at = '2026-03-02T01:06:00Z' WHERE id = 'n1'").run();
    db.prepare(
      "INSERT INTO queue_numbers (id, idempotency_key, kiosk_id, window_code, number, service_date, issued_at) VALUES ('n2', 'key-n2', 'K-1', 'ylsb', 'E002', '2026-03-02', '2026-03-02T01:01:00Z')",
    ).run();
    // 过号 only after a call.
    expect(() =>
      db.prepare("UPDATE queue_numbers SET skipped_at = '2026-03-02T01:06:00Z' WHERE id = 'n2'").run(),
    ).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE queue_numbers SET recall_count = -1 WHERE id = 'n2'").run()).toThrow(
      /CHECK/,
    );
    const cols = db
      .prepare(
        "SELECT name FROM pragma_table_info('tickets') WHERE name IN ('called_by', 'recall_count', 'recalled_at', 'skipped_at', 'transferred_from', 'transferred_at') ORDER BY name",
      )
      .pluck()
      .all();
    expect(cols).toEqual([
      'called_by',
      'recall_count',
      'recalled_at',
      'skipped_at',
      'transferred_at',
      'transferred_from',
    ]);
  } finally {
    db.close();
  }
});
