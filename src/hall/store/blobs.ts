/**
 * The index of complete blobs (the bytes live under <dataDir>/blobs, see src/hall/blob-store.ts and
 * docs/blob-store.md): its own file when `pack` is null, else a record of a pack file (hall
 * migration 17).
 */
import type { HallDb } from './db.js';

/** Where a complete blob's sealed bytes are. */
export type BlobLocation =
  { size: number; pack: null } | { size: number; pack: string; offset: number; length: number };

/** A packed blob's index row (written for a batch, see blob-store.ts `putBlobs`). */
export type PackedBlobRow = { sha256: string; size: number; pack: string; offset: number; length: number };

export type IndexedBlob = BlobLocation & { sha256: string; receivedAt: string };

type Row = {
  sha256: string;
  size: number;
  pack: string | null;
  pack_offset: number | null;
  stored_length: number | null;
  received_at: string;
};

const locationOf = (r: Row): BlobLocation =>
  r.pack === null || r.pack_offset === null || r.stored_length === null
    ? { size: r.size, pack: null }
    : { size: r.size, pack: r.pack, offset: r.pack_offset, length: r.stored_length };

export function createBlobIndex(db: HallDb) {
  const cols = 'sha256, size, pack, pack_offset, stored_length, received_at';
  const q = {
    size: db.prepare('SELECT size FROM blobs WHERE sha256 = ?').pluck(),
    get: db.prepare(`SELECT ${cols} FROM blobs WHERE sha256 = ?`),
    // A blob sent again as its own file replaces a location whose bytes were lost (blobState said
    // incomplete); an intact row stays as it is.
    add: db.prepare(
      `INSERT INTO blobs (sha256, size, received_at) VALUES (?, ?, ?)
       ON CONFLICT (sha256) DO UPDATE SET pack = NULL, pack_offset = NULL, stored_length = NULL`,
    ),
    addPacked: db.prepare(
      `INSERT INTO blobs (sha256, size, received_at, pack, pack_offset, stored_length)
       VALUES (@sha256, @size, @at, @pack, @offset, @length)
       ON CONFLICT (sha256) DO UPDATE SET pack = excluded.pack, pack_offset = excluded.pack_offset,
         stored_length = excluded.stored_length`,
    ),
    all: db.prepare(`SELECT ${cols} FROM blobs ORDER BY sha256`),
    inPack: db.prepare(`SELECT ${cols} FROM blobs WHERE pack = ? ORDER BY pack_offset`),
    packs: db.prepare('SELECT DISTINCT pack FROM blobs WHERE pack IS NOT NULL').pluck(),
    move: db.prepare(
      'UPDATE blobs SET pack = @to, pack_offset = @offset, stored_length = @length WHERE sha256 = @sha256 AND pack = @from',
    ),
    remove: db.prepare('DELETE FROM blobs WHERE sha256 = ?'),
  };
  const indexed = (r: Row): IndexedBlob => ({
    ...locationOf(r),
    sha256: r.sha256,
    receivedAt: r.received_at,
  });
  return {
    /** The size of a complete blob, or undefined when the hall does not have it. */
    size: (sha256: string): number | undefined => q.size.get(sha256) as number | undefined,
    location(sha256: string): BlobLocation | undefined {
      const r = q.get.get(sha256) as Row | undefined;
      return r ? locationOf(r) : undefined;
    },
    add(sha256: string, size: number, at: string): void {
      q.add.run(sha256, size, at);
    },
    /** Index rows of a written pack (in the caller's transaction). */
    addPacked(rows: readonly PackedBlobRow[], at: string): void {
      for (const r of rows) q.addPacked.run({ ...r, at });
    },
    /** Every indexed blob, in hash order (verify, GC). */
    all: (): IndexedBlob[] => (q.all.all() as Row[]).map(indexed),
    /** The blobs a pack holds, in file order. */
    inPack: (pack: string): IndexedBlob[] => (q.inPack.all(pack) as Row[]).map(indexed),
    /** Ids of the packs some row points into. */
    packs: (): string[] => q.packs.all() as string[],
    /** Points a blob at its copy in another pack, if it still is in `from` (compaction). */
    move(sha256: string, from: string, to: string, offset: number, length: number): boolean {
      return q.move.run({ sha256, from, to, offset, length }).changes === 1;
    },
    remove(sha256: string): void {
      q.remove.run(sha256);
    },
    /** Runs `fn` in one immediate transaction (a savepoint inside an open one). */
    transaction: <T>(fn: () => T): T => db.transaction(fn).immediate(),
  };
}

/** Every `sha256` property (64 lowercase hex digits) at any depth of a JSON value (docs/sync-protocol.md, 3). */
function collectHashes(value: unknown, into: Set<string>, depth: number): void {
  if (depth > 64 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) collectHashes(v, into, depth + 1);
    return;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k === 'sha256' && typeof v === 'string' && /^[0-9a-f]{64}$/.test(v)) into.add(v);
    else collectHashes(v, into, depth + 1);
  }
}

/**
 * The blobs something the hall keeps still references (blob GC, docs/blob-store.md): the blobs linked
 * to a case, and every blob an entry or a 补正 supplement names in its payload (opened with the
 * hall's key), whatever became of it.
 */
export function referencedBlobs(db: HallDb): Set<string> {
  const refs = new Set<string>(db.prepare('SELECT sha256 FROM application_blobs').pluck().all() as string[]);
  const payloads = [
    db.prepare("SELECT zk_open(payload) FROM entries WHERE kind IN ('application', 'supplement')").pluck(),
    db.prepare('SELECT zk_open(payload) FROM supplements').pluck(),
  ];
  for (const stmt of payloads)
    for (const text of stmt.iterate() as Iterable<string>) {
      try {
        collectHashes(JSON.parse(text) as unknown, refs, 0);
      } catch {
        // A payload that is not JSON names no blob (it was refused as such when pushed).
      }
    }
  return refs;
}

export type BlobIndex = ReturnType<typeof createBlobIndex>;
