/**
 * Migration 9 (sync recovery): a version-8 kiosk upgrades with its pulled records and outbox kept;
 * old records have no epoch (NULL: compared as before), outbox rows gain `resent_at`, and uploaded
 * blobs are remembered per kiosk identity, 64 lowercase hex digits each.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase } from './db.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-kiosk-m9-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('adds record epochs, resent entries and uploaded blobs to a version-8 kiosk, keeping its data', () => {
  const path = join(dir, 'kiosk.db');
  const old = openDatabase(path, { targetVersion: 8 });
  if (!old.ok) throw new Error(old.message);
  old.db
    .prepare(
      "INSERT INTO sync_records (stream, key, op, version, data, received_at) VALUES ('case-status', 'a1', 'put', 2, '{\"status\":\"accepted\"}', '2026-03-02T00:00:00Z')",
    )
    .run();
  old.db
    .prepare(
      "INSERT INTO outbox (kind, entity_id, payload, created_at, acked_at) VALUES ('queue-ticket', 't1', '{}', '2026-03-02T00:00:00Z', '2026-03-02T00:01:00Z')",
    )
    .run();
  old.db.close();

  const r = openDatabase(path, { targetVersion: 9 });
  if (!r.ok) throw new Error(r.message);
  const { db } = r;
  try {
    expect([r.migratedFrom, r.migratedTo]).toEqual([8, 9]);
    expect(db.prepare("SELECT version, epoch FROM sync_records WHERE key = 'a1'").get()).toEqual({
      version: 2,
      epoch: null,
    });
    expect(db.prepare("SELECT acked_at, resent_at FROM outbox WHERE entity_id = 't1'").get()).toEqual({
      acked_at: '2026-03-02T00:01:00Z',
      resent_at: null,
    });
    const blob = db.prepare(
      "INSERT INTO sync_uploaded_blobs (kiosk_id, sha256, uploaded_at) VALUES (?, ?, '2026-03-02T00:00:00Z')",
    );
    blob.run('K-1', 'a'.repeat(64));
    blob.run('K-2', 'a'.repeat(64));
    expect(() => blob.run('K-1', 'a'.repeat(64))).toThrow(/UNIQUE/);
    expect(() => blob.run('K-1', 'A'.repeat(64))).toThrow(/CHECK/);
    expect(() => blob.run('K-1', 'abc')).toThrow(/CHECK/);
  } finally {
    db.close();
  }
});
