/**
 * Migration 17 (blob packs): a version-16 hall upgrades with its blob index kept — every blob it had
 * stays a file of its own (`pack` NULL) and still reads — and a packed row must carry its pack id,
 * offset and length together.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { sealerFor } from '../../shared/at-rest/index.js';
import { createHallService } from '../service.js';
import { sha } from '../testing/staff-fixture.js';
import { openHallDatabase } from './index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-m17-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('keeps a version-16 hall’s blobs as single files that still read, and checks packed rows', async () => {
  const path = join(dir, 'hall.db');
  const old = openHallDatabase(path, { targetVersion: 16 });
  if (!old.ok) throw new Error(old.message);
  const bytes = Buffer.from('扫描件 page 1');
  const h = sha(bytes);
  // As a version-16 hall stored a blob: its sealed file, then its index row.
  mkdirSync(join(dir, 'blobs', h.slice(0, 2)), { recursive: true });
  writeFileSync(join(dir, 'blobs', h.slice(0, 2), h), sealerFor(old.db).seal(bytes));
  old.db
    .prepare("INSERT INTO blobs (sha256, size, received_at) VALUES (?, ?, '2026-03-01T00:00:00Z')")
    .run(h, bytes.length);
  old.db.close();

  const r = openHallDatabase(path, { targetVersion: 17 });
  if (!r.ok) throw new Error(r.message);
  const { db } = r;
  try {
    expect([r.migratedFrom, r.migratedTo]).toEqual([16, 17]);
    expect(db.prepare('SELECT sha256, size, pack, pack_offset, stored_length FROM blobs').all()).toEqual([
      { sha256: h, size: bytes.length, pack: null, pack_offset: null, stored_length: null },
    ]);
    const insert = db.prepare(
      "INSERT INTO blobs (sha256, size, received_at, pack, pack_offset, stored_length) VALUES (?, 1, 't', ?, ?, ?)",
    );
    const other = (n: number) => String(n).repeat(64);
    const pack = '0123456789abcdef0123456789abcdef';
    expect(() => insert.run(other(1), pack, null, 10)).toThrow(/CHECK/);
    expect(() => insert.run(other(2), pack, 48, null)).toThrow(/CHECK/);
    expect(() => insert.run(other(3), null, 48, 10)).toThrow(/CHECK/);
    expect(() => insert.run(other(4), 'not-a-pack', 48, 10)).toThrow(/CHECK/);
    expect(() => insert.run(other(5), pack, -1, 10)).toThrow(/CHECK/);
    insert.run(other(6), pack, 48, 10);
    expect(
      db.prepare("SELECT count(*) FROM pragma_index_list('blobs') WHERE name = 'blobs_pack'").pluck().get(),
    ).toBe(1);
    db.prepare('DELETE FROM blobs WHERE sha256 = ?').run(other(6));
  } finally {
    db.close();
  }
  // The hall of today (every later migration too) reads the old single file.
  const latest = openHallDatabase(path);
  if (!latest.ok) throw new Error(latest.message);
  try {
    const service = await createHallService({
      db: latest.db,
      dataDir: dir,
      clock: () => new Date('2026-03-02T00:00:00Z'),
    });
    const read = await service.readBlob(h);
    expect(read.ok && read.value.equals(bytes)).toBe(true);
    expect(await service.blobState(h)).toEqual({ complete: true, size: bytes.length });
  } finally {
    latest.db.close();
  }
});
