/**
 * The index of complete blobs (the bytes live under <dataDir>/blobs, see src/hall/blob-store.ts and
 * docs/blob-store.md): its own file when `pack` is null, else a record of a pack file (hall
 * migration 17). On the hall's query layer (sql.ts): the same SQL on SQLite and PostgreSQL.
 */
import type { EntryKind } from '../../shared/wire/index.js';
import type { HallSql } from './sql.js';

/** Where a complete blob's sealed bytes are. */
export type BlobLocation =
  { size: number; pack: null } | { size: number; pack: string; offset: number; length: number };

/** A packed blob's index row (written for a batch, see blob-store.ts `putBlobs`). */
export type PackedBlobRow = { sha256: string; size: number; pack: string; offset: number; length: number };

export type IndexedBlob = BlobLocation & { sha256: string; receivedAt: string };

type Row = {
  sha256: string;
  size: number | string;
  pack: string | null;
  pack_offset: number | string | null;
  stored_length: number | string | null;
  received_at: string;
};

// PostgreSQL's BIGINT columns come back as strings from node-postgres: numbers here on both engines.
const num = (v: number | string): number => (typeof v === 'number' ? v : Number(v));

const locationOf = (r: Row): BlobLocation =>
  r.pack === null || r.pack_offset === null || r.stored_length === null
    ? { size: num(r.size), pack: null }
    : { size: num(r.size), pack: r.pack, offset: num(r.pack_offset), length: num(r.stored_length) };

const COLS = 'sha256, size, pack, pack_offset, stored_length, received_at';

/**
 * Rows per statement when many go at once (a batch carries up to 256 blobs, a question 1,000): one of
 * a few sizes, so PostgreSQL prepares a handful of statement texts per query, not one per count.
 */
const SIZES = [200, 64, 16, 4, 1] as const;

/** Each distinct value of `list` once, in statements of SIZES' lengths (largest first). */
function exactChunks<T>(list: readonly T[]): T[][] {
  const rest = [...new Set(list)];
  const out: T[][] = [];
  while (rest.length > 0) {
    const n = SIZES.find((k) => k <= rest.length) ?? 1;
    out.push(rest.splice(0, n));
  }
  return out;
}

/** For a question (IN list): chunks of up to 200, each padded to a size of SIZES with its last value. */
function paddedChunks<T>(list: readonly T[]): T[][] {
  const distinct = [...new Set(list)];
  const out: T[][] = [];
  for (let i = 0; i < distinct.length; i += SIZES[0]) {
    const part = distinct.slice(i, i + SIZES[0]);
    const size = [...SIZES].reverse().find((k) => k >= part.length) ?? SIZES[0];
    while (part.length < size) part.push(part[part.length - 1] as T);
    out.push(part);
  }
  return out;
}

const marks = (n: number, one = '?') => Array.from({ length: n }, () => one).join(', ');
const Q = {
  size: 'SELECT size FROM blobs WHERE sha256 = ?',
  get: `SELECT ${COLS} FROM blobs WHERE sha256 = ?`,
  // A blob sent again as its own file replaces a location whose bytes were lost (blobState said
  // incomplete); an intact row stays as it is.
  add: `INSERT INTO blobs (sha256, size, received_at) VALUES (?, ?, ?)
       ON CONFLICT (sha256) DO UPDATE SET pack = NULL, pack_offset = NULL, stored_length = NULL`,
  // Rows go between the two halves: VALUES (…), (…) — a batch's rows in one statement.
  addPacked: 'INSERT INTO blobs (sha256, size, received_at, pack, pack_offset, stored_length) VALUES ',
  addPackedConflict: `
       ON CONFLICT (sha256) DO UPDATE SET pack = excluded.pack, pack_offset = excluded.pack_offset,
         stored_length = excluded.stored_length`,
  all: `SELECT ${COLS} FROM blobs ORDER BY sha256`,
  inPack: `SELECT ${COLS} FROM blobs WHERE pack = ? ORDER BY pack_offset`,
  packs: 'SELECT DISTINCT pack FROM blobs WHERE pack IS NOT NULL ORDER BY pack',
  olderThan: `SELECT ${COLS} FROM blobs WHERE received_at < ? ORDER BY sha256`,
  move: 'UPDATE blobs SET pack = @to, pack_offset = @offset, stored_length = @length WHERE sha256 = @sha256 AND pack = @from',
  remove: 'DELETE FROM blobs WHERE sha256 = ?',
};

export function createBlobIndex(sql: HallSql) {
  const indexed = (r: Row): IndexedBlob => ({
    ...locationOf(r),
    sha256: r.sha256,
    receivedAt: r.received_at,
  });
  // PostgreSQL: inside a transaction the row is share-locked until it ends, so the GC (which takes
  // the rows it removes FOR UPDATE first) cannot remove a blob a push has just found (nor the other way
  // round: a push after the GC's lock waits and then finds the blob gone). SQLite's immediate
  // transactions serialize the two already.
  const forShare = sql.dialect({ sqlite: '', postgres: ' FOR SHARE' });
  const forUpdate = sql.dialect({ sqlite: '', postgres: ' FOR UPDATE' });
  /** The index rows of those of `hashes` it holds (`cols` of each), a few statements for any number. */
  async function rowsOf<T extends { sha256: string }>(
    hashes: readonly string[],
    cols: string,
    suffix: string,
  ) {
    const rows: T[] = [];
    for (const part of paddedChunks(hashes))
      rows.push(
        ...(await sql.all<T>(
          `SELECT ${cols} FROM blobs WHERE sha256 IN (${marks(part.length)})${suffix}`,
          part,
        )),
      );
    return rows;
  }
  return {
    /** The size of a complete blob, or undefined when the hall does not have it. */
    async size(sha256: string): Promise<number | undefined> {
      const v = await sql.value<number | string>(Q.size + forShare, [sha256]);
      return v === undefined || v === null ? undefined : num(v);
    },
    /**
     * Which of `hashes` are complete at the hall — one statement per 200 (or fewer), share-locked inside a
     * transaction on PostgreSQL like `size` (a push checking a batch's blobs).
     */
    held: async (hashes: readonly string[]): Promise<Set<string>> =>
      new Set((await rowsOf<{ sha256: string }>(hashes, 'sha256', forShare)).map((r) => r.sha256)),
    async location(sha256: string): Promise<BlobLocation | undefined> {
      const r = await sql.get<Row>(Q.get, [sha256]);
      return r ? locationOf(r) : undefined;
    },
    /** `location` of many: those of `hashes` the index holds, one statement per 200 (or fewer). */
    locations: async (hashes: readonly string[]): Promise<Map<string, BlobLocation>> =>
      new Map((await rowsOf<Row>(hashes, COLS, '')).map((r) => [r.sha256, locationOf(r)])),
    async add(sha256: string, size: number, at: string): Promise<void> {
      await sql.run(Q.add, [sha256, size, at]);
    },
    /** Index rows of a written pack (in the caller's transaction). */
    async addPacked(rows: readonly PackedBlobRow[], at: string): Promise<void> {
      // Rows in statements of a few fixed sizes; a hash once (an upsert may not touch a row twice).
      const byHash = new Map(rows.map((r) => [r.sha256, r]));
      for (const part of exactChunks([...byHash.keys()])) {
        const values = part.flatMap((h) => {
          const r = byHash.get(h) as PackedBlobRow;
          return [r.sha256, r.size, at, r.pack, r.offset, r.length];
        });
        await sql.run(Q.addPacked + marks(part.length, '(?, ?, ?, ?, ?, ?)') + Q.addPackedConflict, values);
      }
    },
    /** Every indexed blob, in hash order (verify, reseal). */
    all: async (): Promise<IndexedBlob[]> => (await sql.all<Row>(Q.all)).map(indexed),
    /**
     * Blobs received before `cutoff`, in hash order; inside a transaction on PostgreSQL their rows
     * are locked for it (the GC removes some of them).
     */
    receivedBefore: async (cutoff: string): Promise<IndexedBlob[]> =>
      (await sql.all<Row>(Q.olderThan + forUpdate, [cutoff])).map(indexed),
    /** The blobs a pack holds, in file order. */
    inPack: async (pack: string): Promise<IndexedBlob[]> =>
      (await sql.all<Row>(Q.inPack, [pack])).map(indexed),
    /** Ids of the packs some row points into. */
    packs: async (): Promise<string[]> => (await sql.all<{ pack: string }>(Q.packs)).map((r) => r.pack),
    /** Points a blob at its copy in another pack, if it still is in `from` (compaction). */
    async move(sha256: string, from: string, to: string, offset: number, length: number): Promise<boolean> {
      return (await sql.run(Q.move, { sha256, from, to, offset, length })).changes === 1;
    },
    async remove(sha256: string): Promise<void> {
      await sql.run(Q.remove, [sha256]);
    },
    /** Runs `fn` in one transaction (a savepoint inside an open one). No file I/O inside. */
    transaction: <T>(fn: () => Promise<T>): Promise<T> => sql.transaction(fn),
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

/** The entry kinds whose payloads name blobs (a scan of an application or a 补正 supplement). */
const KINDS_WITH_BLOBS: readonly EntryKind[] = ['application', 'supplement'];

/** The sealed payloads of a query, a page at a time by key (never every payload in memory at once). */
async function* pagedPayloads(
  sql: HallSql,
  /** Selects `k` (the key) and `payload`, with two parameters: the key to start after, the page size. */
  query: string,
  first: number | string,
  pageSize: number,
): AsyncGenerator<string> {
  let after: number | string = first;
  for (;;) {
    const page = await sql.all<{ k: number | string; payload: string }>(query, [after, pageSize]);
    for (const r of page) yield r.payload;
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.k;
  }
}

/**
 * The blobs something the hall keeps still references (blob GC, docs/blob-store.md): the blobs linked
 * to a case, and every blob an entry or a 补正 supplement names in its payload (opened with the
 * hall's key), whatever became of it. `among`: only these are asked about (GC's candidates) — the
 * answer holds no more than them. Payloads are read `pageSize` rows at a time by key, so a hall with
 * millions of cases never holds them all in memory.
 */
export async function referencedBlobs(
  sql: HallSql,
  opts: { among?: ReadonlySet<string>; pageSize?: number } = {},
): Promise<Set<string>> {
  const { among } = opts;
  const pageSize = opts.pageSize ?? 500;
  const refs = new Set<string>();
  if (among !== undefined && among.size === 0) return refs;
  if (among === undefined) {
    for (const r of await sql.all<{ sha256: string }>('SELECT sha256 FROM application_blobs'))
      refs.add(r.sha256);
  } else {
    const asked = [...among];
    for (let i = 0; i < asked.length; i += pageSize) {
      const chunk = asked.slice(i, i + pageSize);
      const rows = await sql.all<{ sha256: string }>(
        `SELECT DISTINCT sha256 FROM application_blobs WHERE sha256 IN (${chunk.map(() => '?').join(', ')})`,
        chunk,
      );
      for (const r of rows) refs.add(r.sha256);
    }
  }
  const kinds = KINDS_WITH_BLOBS.map((k) => `'${k}'`).join(', ');
  const sources = [
    pagedPayloads(
      sql,
      `SELECT id AS k, payload FROM entries WHERE kind IN (${kinds}) AND id > ? ORDER BY id LIMIT ?`,
      0,
      pageSize,
    ),
    pagedPayloads(
      sql,
      'SELECT id AS k, payload FROM supplements WHERE id > ? ORDER BY id LIMIT ?',
      '',
      pageSize,
    ),
  ];
  for (const source of sources)
    for await (const payload of source) {
      const named = new Set<string>();
      try {
        collectHashes(JSON.parse(sql.open(payload)) as unknown, named, 0);
      } catch {
        // A payload that is not JSON names no blob (it was refused as such when pushed).
      }
      for (const h of named) if (among === undefined || among.has(h)) refs.add(h);
    }
  return refs;
}

export type BlobIndex = ReturnType<typeof createBlobIndex>;
