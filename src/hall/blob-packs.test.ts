/**
 * Batched blob writes (docs/blob-store.md): `putBlobs` puts many complete blobs into one sealed pack
 * with one file fsync and one directory fsync, shared by every batch of the same turn; the index
 * rows are committed before the batch resolves; packed and single-file blobs read side by side and
 * are checked the same way; a batch with one bad blob stores nothing; a staged batch that was never
 * indexed is not held.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createHallService, type HallService } from './service.js';
import { sha } from './testing/staff-fixture.js';
import { hallSqlOf, openHallDatabase, type HallDb } from './store/index.js';

let dir: string;
let db: HallDb;
let service: HallService;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-packs-'));
  const r = openHallDatabase(join(dir, 'hall.db'));
  if (!r.ok) throw new Error(r.message);
  db = r.db;
  service = await createHallService({ db, dataDir: dir, clock: () => new Date('2026-03-02T08:00:00Z') });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const MARK = 'PLAIN-MARKER-身份证';
const blob = (i: number) => {
  const bytes = Buffer.concat([Buffer.from(`${MARK} ${i} `), randomBytes(2000 + i)]);
  return { sha256: sha(bytes), bytes };
};
const packs = () => readdirSync(join(dir, 'blobs', 'packs'));

it('writes the batches of one turn into one sealed pack with one file fsync and one directory fsync', async () => {
  const batches = [0, 1, 2].map((b) => Array.from({ length: 40 }, (_, i) => blob(b * 100 + i)));
  const results = await Promise.all(batches.map((batch) => service.putBlobs(batch, 'K-a')));
  for (const r of results) expect(r).toMatchObject({ ok: true, value: { stored: 40, known: 0 } });
  expect(service.blobWriteStats()).toEqual({ packs: 1, blobs: 120, batches: 3, fileFsyncs: 1, dirFsyncs: 1 });
  expect(packs()).toHaveLength(1);
  // Sealed at rest: the plain bytes are nowhere in the pack.
  expect(readFileSync(join(dir, 'blobs', 'packs', packs()[0] ?? '')).includes(MARK)).toBe(false);
  for (const b of batches.flat()) {
    const read = await service.readBlob(b.sha256);
    expect(read.ok && read.value.equals(b.bytes)).toBe(true);
    expect(await service.blobState(b.sha256)).toEqual({ complete: true, size: b.bytes.length });
  }
  // Committed before the batch resolved.
  expect(db.prepare('SELECT count(*) FROM blobs WHERE pack IS NOT NULL').pluck().get()).toBe(120);
});

it('writes nothing for blobs it holds or a batch repeats', async () => {
  const batch = Array.from({ length: 5 }, (_, i) => blob(i));
  expect(await service.putBlobs(batch)).toMatchObject({ ok: true, value: { stored: 5, known: 0 } });
  const again = await service.putBlobs([...batch, batch[0]!, blob(99)]);
  expect(again).toMatchObject({ ok: true, value: { stored: 1, known: 5 } });
  expect(service.blobWriteStats()).toMatchObject({ packs: 2, blobs: 6, fileFsyncs: 2 });
  expect(await service.putBlobs(batch)).toMatchObject({
    ok: true,
    value: { stored: 0, known: 5, pack: null },
  });
  expect(service.blobWriteStats()).toMatchObject({ packs: 2, fileFsyncs: 2 });
});

it('refuses a whole batch when one blob does not hash to its name, and stores none of it', async () => {
  const good = blob(1);
  const bad = { sha256: blob(2).sha256, bytes: Buffer.from('other bytes') };
  const r = await service.putBlobs([good, bad]);
  expect(r).toMatchObject({
    ok: false,
    error: { status: 422, body: { error: 'hash-mismatch', sha256: bad.sha256 } },
  });
  expect(await service.putBlobs([{ sha256: 'ABC', bytes: Buffer.alloc(1) }])).toMatchObject({
    ok: false,
    error: { status: 400 },
  });
  expect(await service.blobState(good.sha256)).toEqual({ complete: false, offset: 0 });
  expect(packs()).toEqual([]);
});

it('reads packed and single-file blobs side by side, and finds a changed byte in a pack', async () => {
  const single = blob(7);
  expect((await service.putBlob(single.sha256, 0, single.bytes.length, single.bytes)).status).toBe(201);
  const packed = [blob(8), blob(9)];
  await service.putBlobs(packed);
  for (const b of [single, ...packed]) expect((await service.readBlob(b.sha256)).ok).toBe(true);
  const file = join(dir, 'blobs', 'packs', packs()[0] ?? '');
  const bytes = readFileSync(file);
  const at = db
    .prepare('SELECT pack_offset FROM blobs WHERE sha256 = ?')
    .pluck()
    .get(packed[1]!.sha256) as number;
  bytes[at + 30] = (bytes[at + 30] ?? 0) ^ 0xff;
  writeFileSync(file, bytes);
  expect((await service.readBlob(packed[0]!.sha256)).ok).toBe(true);
  expect(await service.readBlob(packed[1]!.sha256)).toMatchObject({ ok: false, error: { kind: 'corrupt' } });
  rmSync(file);
  expect(await service.readBlob(packed[0]!.sha256)).toMatchObject({ ok: false, error: { kind: 'missing' } });
  // Bytes gone: the hall no longer holds it, and takes it again.
  expect(await service.blobState(packed[0]!.sha256)).toEqual({ complete: false, offset: 0 });
  expect(await service.putBlobs([packed[0]!])).toMatchObject({ ok: true, value: { stored: 1 } });
  expect((await service.readBlob(packed[0]!.sha256)).ok).toBe(true);
});

it('drops the sender’s unfinished /v1 upload of a blob the batch stored', async () => {
  const b = blob(3);
  expect((await service.putBlob(b.sha256, 0, b.bytes.length, b.bytes.subarray(0, 100), 'K-a')).status).toBe(
    202,
  );
  const partial = join(dir, 'blobs', '.partial', 'K-a', b.sha256);
  expect(existsSync(partial)).toBe(true);
  await service.putBlobs([b], 'K-a');
  expect(existsSync(partial)).toBe(false);
  expect(service.blobStore.partialBytes('K-a')).toBe(0);
});

it('does not hold a staged batch until its rows are indexed', async () => {
  const b = blob(4);
  const staged = await service.stageBlobs([b], 'K-a');
  if (!staged.ok) throw new Error('not staged');
  expect(packs()).toHaveLength(1);
  expect((await service.blobState(b.sha256)).complete).toBe(false);
  expect(await service.readBlob(b.sha256)).toMatchObject({ ok: false, error: { kind: 'missing' } });
  await hallSqlOf(db).transaction(() => service.indexStagedBlobs(staged.value));
  expect((await service.readBlob(b.sha256)).ok).toBe(true);
});
