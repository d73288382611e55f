/**
 * Operator upkeep of the hall's blob store (docs/blob-store.md, "Verify", "Garbage collection"):
 *
 * - `verify` (scrub): every indexed blob is read back — its pack record or file found, opened with
 *   the hall's keys, hashed against its name — and the missing and corrupt ones are named.
 * - `collectGarbage`: blobs no case, entry or 补正 supplement references and received before the
 *   retention cutoff lose their index rows (one transaction) and then their bytes; a pack left with
 *   no live blob is deleted, one mostly garbage is compacted (its live records copied to a new pack,
 *   fsynced, the rows moved in one transaction, the old file deleted). Packs and files younger than
 *   the grace period are left alone: a running hall may have written them and not yet committed
 *   their rows.
 * - `resealPacks`: after a key rotation (`hall db reseal`), packs holding blobs sealed with another
 *   key are rewritten under the current one, the same way as compaction.
 *
 * Async on the hall's query layer (store/sql.ts, SQLite or PostgreSQL); file reads and writes never
 * happen inside an index transaction. They run from the CLI (`hall blobs verify|gc|reindex`,
 * `hall db reseal`) and GC from the hall's schedule (blob-gc-schedule.ts), not in requests.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileKeyId, sealedKeyId, type Sealer } from '../shared/at-rest/index.js';
import {
  fsyncDirSync,
  layoutPack,
  newPackId,
  PACK_HEADER_BYTES,
  packFileStat,
  packIdPattern,
  readPackedEnvelope,
  readPackRecords,
  RECORD_HEAD_BYTES,
  writePackFileSync,
  type FsyncCounts,
  type PackRecordIn,
} from './blob-packs.js';
import type { BlobStore } from './blob-store.js';
import { acquireMaintenanceLock, type LockAttempt } from './blob-maintenance-lock.js';
import { referencedBlobs, type BlobIndex, type HallSql, type IndexedBlob } from './store/index.js';

const hex64 = /^[0-9a-f]{64}$/;
/** Packs and loose files younger than this are not touched by GC (a batch may be mid-commit). */
export const DEFAULT_PACK_GRACE_MS = 60 * 60_000;
export const DEFAULT_BLOB_RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;

export type VerifyReport = {
  checked: number;
  /** Read back, opened and hashed right. */
  readable: number;
  /** Plain bytes of the blobs that read back right. */
  bytes: number;
  packed: number;
  files: number;
  missing: string[];
  corrupt: { sha256: string; message: string }[];
  /** Pack files no index row points into (a batch that never committed; GC removes them). */
  unindexedPacks: string[];
};

export type GcReport = {
  dryRun: boolean;
  retentionDays: number;
  /** Indexed blobs nothing references, received before the cutoff: removed (or would be). */
  removedBlobs: number;
  /** Their plain bytes. */
  removedBytes: number;
  /** Packs deleted: every blob in them garbage, or never indexed. */
  packsDeleted: number;
  /** Packs rewritten with only their live blobs. */
  packsCompacted: number;
  /** Loose files (one-file blobs with no index row, temp files) older than the grace, removed. */
  strayFilesDeleted: number;
  /** Bytes of files freed on disk. */
  reclaimedFileBytes: number;
  /** Packs that could not be compacted (a live blob does not read); nothing of them was changed. */
  problems: string[];
};

export type ReindexReport = {
  /** Pack files read. */
  packs: number;
  /** Single-file blobs read. */
  files: number;
  /** Records and files that verified. */
  found: number;
  /** Of those, rows written (new, or pointed at this copy because the old one did not read). */
  indexed: number;
  /** Already indexed at a copy that reads back: left as they were. */
  alreadyIndexed: number;
  /** Further copies of a blob already counted. */
  duplicates: number;
  /** Records or files that do not open, do not hash to their name, or are cut off. */
  corrupt: { where: string; sha256: string | null; message: string }[];
};

const sha256Hex = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

export type GcOptions = { retentionDays?: number; dryRun?: boolean; graceMs?: number };

const newGcReport = (opts: GcOptions): GcReport => ({
  dryRun: opts.dryRun ?? false,
  retentionDays: opts.retentionDays ?? DEFAULT_BLOB_RETENTION_DAYS,
  removedBlobs: 0,
  removedBytes: 0,
  packsDeleted: 0,
  packsCompacted: 0,
  strayFilesDeleted: 0,
  reclaimedFileBytes: 0,
  problems: [],
});

const packBytesOf = (live: readonly IndexedBlob[]): number =>
  PACK_HEADER_BYTES + live.reduce((n, b) => n + (b.pack !== null ? RECORD_HEAD_BYTES + b.length : 0), 0);

export function createBlobMaintenance(deps: {
  sql: HallSql;
  index: BlobIndex;
  store: BlobStore;
  sealer: Sealer;
  clock: () => Date;
}) {
  const { sql, index, store, sealer, clock } = deps;
  const { blobRoot, packDir, packPath, blobPath } = store.paths;

  const packFiles = (): string[] =>
    existsSync(packDir)
      ? readdirSync(packDir)
          .filter((n) => n.endsWith('.pack') && packIdPattern.test(n.slice(0, -5)))
          .map((n) => n.slice(0, -5))
          .sort()
      : [];

  async function verify(): Promise<VerifyReport> {
    const report: VerifyReport = {
      checked: 0,
      readable: 0,
      bytes: 0,
      packed: 0,
      files: 0,
      missing: [],
      corrupt: [],
      unindexedPacks: [],
    };
    for (const b of await index.all()) {
      report.checked += 1;
      if (b.pack === null) report.files += 1;
      else report.packed += 1;
      const r = await store.readBlob(b.sha256);
      if (r.ok) {
        report.readable += 1;
        report.bytes += r.value.length;
      } else if (r.error.kind === 'missing') report.missing.push(b.sha256);
      else report.corrupt.push({ sha256: b.sha256, message: r.error.message });
    }
    const indexed = new Set(await index.packs());
    report.unindexedPacks = packFiles().filter((p) => !indexed.has(p));
    return report;
  }

  /**
   * Copies the live blobs of `pack` into a new pack (sealed again under the current key when
   * `reseal`), moves their rows in one transaction and deletes the old file. Null when done, else
   * why nothing was changed.
   */
  async function rewritePack(pack: string, reseal: boolean, counts: FsyncCounts): Promise<string | null> {
    const live = await index.inPack(pack);
    const records: PackRecordIn[] = [];
    for (const b of live) {
      if (b.pack === null) continue;
      const r = readPackedEnvelope(packPath(pack), b.sha256, b.offset, b.length);
      if (!r.ok)
        return `pack ${pack}: blob ${b.sha256} does not read (${r.error.kind === 'corrupt' ? r.error.message : 'missing'})`;
      let envelope = r.envelope;
      if (reseal) {
        const opened = sealer.open(envelope);
        if (!opened.ok) return `pack ${pack}: blob ${b.sha256} does not open`;
        envelope = sealer.seal(opened.value);
      }
      records.push({ sha256: b.sha256, size: b.size, envelope });
    }
    if (records.length > 0) {
      const id = newPackId(clock().getTime());
      const { bytes, placements } = layoutPack(records);
      // Written and fsynced before the transaction that moves the rows (no file I/O inside it).
      writePackFileSync(packDir, id, bytes, counts);
      await index.transaction(async () => {
        for (const p of placements) await index.move(p.sha256, pack, id, p.offset, p.length);
      });
    }
    // Only once no row points into it any more.
    if ((await index.inPack(pack)).length > 0) return `pack ${pack}: still referenced after the rewrite`;
    rmSync(packPath(pack), { force: true });
    fsyncDirSync(packDir, counts);
    return null;
  }

  /**
   * GC as a run of short steps (docs/blob-store.md, "Garbage collection"): it yields after the
   * index transaction, after each pack and after each directory of loose files, so the hall's
   * scheduled run (blob-gc-schedule.ts) can give the event loop back in between and stop there.
   * Stopping between steps is safe: what is left is what the next run removes (packs no row points
   * into, loose files no row names).
   */
  async function* gcSteps(opts: GcOptions, report: GcReport): AsyncGenerator<void, GcReport, void> {
    const retentionDays = opts.retentionDays ?? DEFAULT_BLOB_RETENTION_DAYS;
    const dryRun = opts.dryRun ?? false;
    const now = clock().getTime();
    const cutoff = new Date(now - retentionDays * DAY_MS).toISOString();
    const graceCutoff = now - (opts.graceMs ?? DEFAULT_PACK_GRACE_MS);
    const counts: FsyncCounts = { files: 0, dirs: 0 };

    // 1. Unreferenced blobs past retention: the references read and the rows removed in one
    // transaction, so no push can link one in between (SQLite: an immediate transaction; PostgreSQL:
    // the candidate rows are taken FOR UPDATE before the references are read, and a push finds a
    // blob FOR SHARE — it waits for this transaction and then finds the blob gone, or this waits for
    // the push and then reads its references).
    const garbage: IndexedBlob[] = await sql.transaction(async () => {
      const old = (await index.receivedBefore(cutoff)).filter((b) => b.receivedAt < cutoff);
      const refs = await referencedBlobs(sql, { among: new Set(old.map((b) => b.sha256)) });
      const g = old.filter((b) => !refs.has(b.sha256));
      if (!dryRun) for (const b of g) await index.remove(b.sha256);
      return g;
    });
    report.removedBlobs = garbage.length;
    report.removedBytes = garbage.reduce((n, b) => n + b.size, 0);
    const gone = new Set(garbage.map((b) => b.sha256));
    yield;

    // 2. Their own files (one-file blobs).
    const dirs = new Set<string>();
    for (const b of garbage) {
      if (b.pack !== null) continue;
      const path = blobPath(b.sha256);
      const size = existsSync(path) ? statSync(path).size : 0;
      report.reclaimedFileBytes += size;
      if (!dryRun) {
        rmSync(path, { force: true });
        dirs.add(join(path, '..'));
      }
    }

    // 3. Packs: deleted when nothing live is left in them (or nothing ever was indexed), compacted
    // when live records fill less than half of the file.
    for (const pack of packFiles()) {
      const st = packFileStat(packPath(pack));
      if (!st || st.mtimeMs > graceCutoff) continue;
      const live = (await index.inPack(pack)).filter((b) => !gone.has(b.sha256));
      if (live.length === 0) {
        report.packsDeleted += 1;
        report.reclaimedFileBytes += st.size;
        if (!dryRun) {
          rmSync(packPath(pack), { force: true });
          dirs.add(packDir);
        }
        yield;
        continue;
      }
      const liveBytes = packBytesOf(live);
      if (liveBytes * 2 >= st.size) continue;
      if (dryRun) {
        report.packsCompacted += 1;
        report.reclaimedFileBytes += st.size - liveBytes;
        continue;
      }
      const problem = await rewritePack(pack, false, counts);
      if (problem) report.problems.push(problem);
      else {
        report.packsCompacted += 1;
        report.reclaimedFileBytes += st.size - liveBytes;
      }
      yield;
    }

    // 4. Loose files nothing indexes: a one-file blob whose index row never committed (a crash
    // between its rename and its commit), temp files of an interrupted write.
    for (const entry of existsSync(blobRoot) ? readdirSync(blobRoot, { withFileTypes: true }) : []) {
      if (!entry.isDirectory() || !/^[0-9a-f]{2}$/.test(entry.name)) continue;
      const dir = join(blobRoot, entry.name);
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        const isBlob = hex64.test(name);
        if (isBlob && (await index.location(name)) !== undefined) continue;
        if (!isBlob && !name.includes('.tmp-')) continue;
        let st;
        try {
          st = statSync(path);
        } catch {
          continue;
        }
        if (st.mtimeMs > graceCutoff) continue;
        report.strayFilesDeleted += 1;
        report.reclaimedFileBytes += st.size;
        if (!dryRun) {
          rmSync(path, { force: true });
          dirs.add(dir);
        }
      }
      yield;
    }
    for (const d of dirs) if (existsSync(d)) fsyncDirSync(d, counts);
    return report;
  }

  /** GC in one go (the CLI's `hall blobs gc`). */
  async function collectGarbage(opts: GcOptions): Promise<GcReport> {
    const steps = gcSteps(opts, newGcReport(opts));
    // Bounded: every step does a finite piece of the finite work above.
    for (;;) {
      const r = await steps.next();
      if (r.done) return r.value;
    }
  }

  /**
   * GC giving the event loop back between steps (the hall's scheduled run). `shouldStop` is asked
   * before each step: true ends the run there (`stopped` in the report); `afterStep` is told after
   * each one (the lock's refresh).
   */
  async function collectGarbageInSteps(
    opts: GcOptions,
    hooks: { shouldStop?: () => boolean; afterStep?: () => void } = {},
  ): Promise<GcReport & { stopped: boolean; steps: number; longestStepMs: number }> {
    const report = newGcReport(opts);
    const steps = gcSteps(opts, report);
    let count = 0;
    let longest = 0;
    // Bounded as above; each turn ends in a yield to the event loop.
    for (;;) {
      if (hooks.shouldStop?.()) {
        return { ...report, stopped: true, steps: count, longestStepMs: longest };
      }
      const t0 = performance.now();
      const r = await steps.next();
      longest = Math.max(longest, performance.now() - t0);
      count += 1;
      if (r.done) return { ...r.value, stopped: false, steps: count, longestStepMs: longest };
      hooks.afterStep?.();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Rebuilds the index from the bytes on disk (docs/blob-store.md, "Reindex"), after the database was
   * lost or restored from an older backup: every record of every pack and every single file is
   * read, opened with the hall's keys and hashed; a blob that verifies is indexed (its received time
   * is the pack's writing time, or the file's), unless its row already points at a copy that reads
   * back; one that does not verify is reported as corrupt and left unindexed. A pack whose header is
   * wrong, or that ends inside a record, is reported from there on. Rows already in the index are
   * kept: a row whose bytes are gone stays missing for `verify` unless a copy turned up here.
   */
  async function reindex(): Promise<ReindexReport> {
    const report: ReindexReport = {
      packs: 0,
      files: 0,
      found: 0,
      indexed: 0,
      alreadyIndexed: 0,
      duplicates: 0,
      corrupt: [],
    };
    const counted = new Set<string>();
    const intact = async (sha: string): Promise<boolean> => {
      if ((await index.location(sha)) === undefined) return false;
      return (await store.readBlob(sha)).ok;
    };
    const take = async (sha: string, add: () => Promise<void>): Promise<void> => {
      report.found += 1;
      if (counted.has(sha)) {
        report.duplicates += 1;
        return;
      }
      if (await intact(sha)) {
        report.alreadyIndexed += 1;
        counted.add(sha);
        return;
      }
      await add();
      counted.add(sha);
      report.indexed += 1;
    };
    for (const pack of packFiles()) {
      report.packs += 1;
      const at = new Date(parseInt(pack.slice(0, 12), 16)).toISOString();
      const rows: { sha256: string; size: number; pack: string; offset: number; length: number }[] = [];
      for (const rec of readPackRecords(packPath(pack))) {
        if (!rec.ok) {
          report.corrupt.push({
            where: `pack ${pack} @${rec.offset}`,
            sha256: rec.sha256,
            message: rec.message,
          });
          continue;
        }
        const opened = sealer.open(rec.envelope);
        const plain = opened.ok ? opened.value : null;
        if (plain === null || plain.length !== rec.size || sha256Hex(plain) !== rec.sha256) {
          report.corrupt.push({
            where: `pack ${pack} @${rec.offset}`,
            sha256: rec.sha256,
            message: plain === null ? 'does not open with the hall keys' : 'does not hash to its name',
          });
          continue;
        }
        await take(rec.sha256, () => {
          rows.push({
            sha256: rec.sha256,
            size: rec.size,
            pack,
            offset: rec.offset,
            length: rec.envelope.length,
          });
          return Promise.resolve();
        });
      }
      // One transaction per pack: its rows, each with the pack's writing time as received time.
      if (rows.length > 0) await index.transaction(() => index.addPacked(rows, at));
    }
    for (const entry of existsSync(blobRoot) ? readdirSync(blobRoot, { withFileTypes: true }) : []) {
      if (!entry.isDirectory() || !/^[0-9a-f]{2}$/.test(entry.name)) continue;
      const dir = join(blobRoot, entry.name);
      for (const name of readdirSync(dir)) {
        if (!hex64.test(name)) continue;
        const path = join(dir, name);
        report.files += 1;
        let raw: Buffer;
        try {
          raw = readFileSync(path);
        } catch {
          continue; // removed meanwhile
        }
        const opened = fileKeyId(path) !== null ? sealer.open(raw) : { ok: true as const, value: raw };
        if (!opened.ok || sha256Hex(opened.value) !== name) {
          report.corrupt.push({
            where: `file ${entry.name}/${name}`,
            sha256: name,
            message: opened.ok ? 'does not hash to its name' : 'does not open with the hall keys',
          });
          continue;
        }
        const size = opened.value.length;
        const at = new Date(statSync(path).mtimeMs).toISOString();
        await take(name, () => index.transaction(() => index.add(name, size, at)));
      }
    }
    return report;
  }

  /** Packs with a blob sealed under another key, rewritten under the current one; returns how many. */
  async function resealPacks(): Promise<number> {
    let rewritten = 0;
    const counts: FsyncCounts = { files: 0, dirs: 0 };
    for (const pack of await index.packs()) {
      const stale = (await index.inPack(pack)).some((b) => {
        if (b.pack === null) return false;
        const r = readPackedEnvelope(packPath(pack), b.sha256, b.offset, b.length);
        return r.ok && sealedKeyId(r.envelope) !== sealer.keyId;
      });
      if (!stale) continue;
      const problem = await rewritePack(pack, true, counts);
      if (problem) throw new Error(problem);
      rewritten += 1;
    }
    return rewritten;
  }

  /** The blob directory's maintenance lock (blob-maintenance-lock.ts), shared with every node. */
  const acquireLock = (who: { node: string; what: string; staleMs?: number }): LockAttempt =>
    acquireMaintenanceLock(blobRoot, { ...who, clock });

  return { verify, collectGarbage, collectGarbageInSteps, reindex, resealPacks, acquireLock };
}

export type BlobMaintenance = ReturnType<typeof createBlobMaintenance>;
