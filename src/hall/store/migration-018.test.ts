/**
 * Migration 18 (help signals): a version-17 hall upgrades with its help requests kept; a signal row
 * belongs to an existing request, has a direction and a number ≥ 1 unique per request and direction;
 * the store numbers appends 1, 2, … per direction, seals them at rest, and purges those of calls
 * that ended before a time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createHelpStore, hallSqlOf, openHallDatabase } from './index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-m18-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('keeps a version-17 hall’s help requests and checks, numbers, seals and purges signals', async () => {
  const path = join(dir, 'hall.db');
  const old = openHallDatabase(path, { targetVersion: 17 });
  if (!old.ok) throw new Error(old.message);
  old.db
    .prepare(
      `INSERT INTO kiosks (id, jurisdiction, secret_hash, enrolled_at)
       VALUES ('K-1', '610102', 'x', '2026-03-01T00:00:00Z')`,
    )
    .run();
  // As a version-17 hall stored a request (its insert, before help_signals existed).
  old.db
    .prepare(
      `INSERT INTO help_requests (id, kiosk_id, jurisdiction, step, since, consent, state, created_at)
       VALUES ('h-1', 'K-1', '610102', 'apply', '2026-03-01T00:00:00Z', 0, 'waiting', '2026-03-01T00:00:00Z')`,
    )
    .run();
  old.db.close();

  const r = openHallDatabase(path, { targetVersion: 18 });
  if (!r.ok) throw new Error(r.message);
  const { db } = r;
  try {
    expect([r.migratedFrom, r.migratedTo]).toEqual([17, 18]);
    const store = createHelpStore(hallSqlOf(db));
    expect(await store.byId('h-1')).toMatchObject({ id: 'h-1', state: 'waiting' });
    const sdp = JSON.stringify({ type: 'offer', sdp: 'v=0 192.168.1.20' });
    expect(await store.appendSignal('h-1', 'to-kiosk', sdp, 't')).toBe(1);
    expect(await store.appendSignal('h-1', 'to-kiosk', '{"type":"hangup"}', 't')).toBe(2);
    expect(await store.appendSignal('h-1', 'to-staff', '{"type":"hangup"}', 't')).toBe(1);
    expect(await store.signalsAfter('h-1', 'to-kiosk', 1)).toEqual([{ seq: 2, signal: '{"type":"hangup"}' }]);
    // Sealed at rest: the address is not in the row.
    expect(
      db.prepare("SELECT signal FROM help_signals WHERE seq = 1 AND direction = 'to-kiosk'").pluck().get(),
    ).not.toContain('192.168');
    const insert = db.prepare("INSERT INTO help_signals VALUES (?, ?, ?, 'x', 't')");
    expect(() => insert.run('h-1', 'to-kiosk', 2)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => insert.run('h-1', 'sideways', 9)).toThrow(/CHECK/);
    expect(() => insert.run('h-1', 'to-kiosk', 0)).toThrow(/CHECK/);
    expect(() => insert.run('no-such-request', 'to-kiosk', 1)).toThrow(/FOREIGN KEY/);

    // Purged once the call ended before the given time, not before.
    expect(await store.purgeSignals('2026-03-02T00:00:00Z')).toBe(0);
    await store.close('h-1', 'closed', '2026-03-01T10:00:00Z');
    expect(await store.purgeSignals('2026-03-01T09:00:00Z')).toBe(0);
    expect(await store.purgeSignals('2026-03-01T11:00:00Z')).toBe(3);
  } finally {
    db.close();
  }
});
