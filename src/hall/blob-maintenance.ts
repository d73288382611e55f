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
 * Synchronous: these run from the CLI (`hall blobs verify|gc`, `hall db reseal`), not in requests.
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sealedKeyId, type Sealer } from '../shared/at-rest/index.js';
import {
  fsyncDirSync,
  layoutPack,
  newPackId,
  PACK_HEADER_BYTES,
  packFileStat,
  packIdPattern,
  readPackedEnvelope,
  RECORD_HEAD_BYTES,
  writePackFileSync,
  type FsyncCounts,
  type PackRecordIn,
} from './blob-packs.js';
import type { BlobStore } from './blob-store.js';
import { referencedBlobs, type BlobIndex, type HallDb, type IndexedBlob } from './store/index.js';

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

const packBytesOf = (live: readonly IndexedBlob[]): number =>
  PACK_HEADER_BYTES + live.reduce((n, b) => n + (b.pack !== null ? RECORD_HEAD_BYTES + b.length : 0), 0);

export function createBlobMaintenance(deps: {
  db: HallDb;
  index: BlobIndex;
  store: BlobStore;
  sealer: Sealer;
  clock: () => Date;
}) {
  const { db, index, store, sealer, clock } = deps;
  const { blobRoot, packDir, packPath, blobPath } = store.paths;

  const packFiles = (): string[] =>
    existsSync(packDir)
      ? readdirSync(packDir)
          .filter((n) => n.endsWith('.pack') && packIdPattern.test(n.slice(0, -5)))
          .map((n) => n.slice(0, -5))
          .sort()
      : [];

  function verify(): VerifyReport {
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
    for (const b of index.all()) {
      report.checked += 1;
      if (b.pack === null) report.files += 1;
      else report.packed += 1;
      const r = store.readBlob(b.sha256);
      if (r.ok) {
        report.readable += 1;
        report.bytes += r.value.length;
      } else if (r.error.kind === 'missing') report.missing.push(b.sha256);
      else report.corrupt.push({ sha256: b.sha256, message: r.error.message });
    }
    const indexed = new Set(index.packs());
    report.unindexedPacks = packFiles().filter((p) => !indexed.has(p));
    return report;
  }

  /**
   * Copies the live blobs of `pack` into a new pack (sealed again under the current key when
   * `reseal`), moves their rows in one transaction and deletes the old file. Null when done, else
   * why nothing was changed.
   */
  function rewritePack(pack: string, reseal: boolean, counts: FsyncCounts): string | null {
    const live = index.inPack(pack);
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
      writePackFileSync(packDir, id, bytes, counts);
      index.transaction(() => {
        for (const p of placements) index.move(p.sha256, pack, id, p.offset, p.length);
      });
    }
    // Only once no row points into it any more.
    if (index.inPack(pack).length > 0) return `pack ${pack}: still referenced after the rewrite`;
    rmSync(packPath(pack), { force: true });
    fsyncDirSync(packDir, counts);
    return null;
  }

  function collectGarbage(opts: { retentionDays?: number; dryRun?: boolean; graceMs?: number }): GcReport {
    const retentionDays = opts.retentionDays ?? DEFAULT_BLOB_RETENTION_DAYS;
    const dryRun = opts.dryRun ?? false;
    const now = clock().getTime();
    const cutoff = new Date(now - retentionDays * DAY_MS).toISOString();
    const graceCutoff = now - (opts.graceMs ?? DEFAULT_PACK_GRACE_MS);
    const report: GcReport = {
      dryRun,
      retentionDays,
      removedBlobs: 0,
      removedBytes: 0,
      packsDeleted: 0,
      packsCompacted: 0,
      strayFilesDeleted: 0,
      reclaimedFileBytes: 0,
      problems: [],
    };
    const counts: FsyncCounts = { files: 0, dirs: 0 };

    // 1. Unreferenced blobs past retention: the references read and the rows removed in one
    // immediate transaction, so no push can link one in between.
    const garbage: IndexedBlob[] = db
      .transaction(() => {
        const refs = referencedBlobs(db);
        const g = index.all().filter((b) => !refs.has(b.sha256) && b.receivedAt < cutoff);
        if (!dryRun) for (const b of g) index.remove(b.sha256);
        return g;
      })
      .immediate();
    report.removedBlobs = garbage.length;
    report.removedBytes = garbage.reduce((n, b) => n + b.size, 0);
    const gone = new Set(garbage.map((b) => b.sha256));

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
      const live = index.inPack(pack).filter((b) => !gone.has(b.sha256));
      if (live.length === 0) {
        report.packsDeleted += 1;
        report.reclaimedFileBytes += st.size;
        if (!dryRun) {
          rmSync(packPath(pack), { force: true });
          dirs.add(packDir);
        }
        continue;
      }
      const liveBytes = packBytesOf(live);
      if (liveBytes * 2 >= st.size) continue;
      if (dryRun) {
        report.packsCompacted += 1;
        report.reclaimedFileBytes += st.size - liveBytes;
        continue;
      }
      const problem = rewritePack(pack, false, counts);
      if (problem) report.problems.push(problem);
      else {
        report.packsCompacted += 1;
        report.reclaimedFileBytes += st.size - liveBytes;
      }
    }

    // 4. Loose files nothing indexes: a one-file blob whose index row never committed (a crash
    // between its rename and its commit), temp files of an interrupted write.
    for (const entry of existsSync(blobRoot) ? readdirSync(blobRoot, { withFileTypes: true }) : []) {
      if (!entry.isDirectory() || !/^[0-9a-f]{2}$/.test(entry.name)) continue;
      const dir = join(blobRoot, entry.name);
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        const isBlob = hex64.test(name);
        if (isBlob && index.location(name) !== undefined) continue;
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
    }
    for (const d of dirs) if (existsSync(d)) fsyncDirSync(d, counts);
    return report;
  }

  /** Packs with a blob sealed under another key, rewritten under the current one; returns how many. */
  function resealPacks(): number {
    let rewritten = 0;
    const counts: FsyncCounts = { files: 0, dirs: 0 };
    for (const pack of index.packs()) {
      const stale = index.inPack(pack).some((b) => {
        if (b.pack === null) return false;
        const r = readPackedEnvelope(packPath(pack), b.sha256, b.offset, b.length);
        return r.ok && sealedKeyId(r.envelope) !== sealer.keyId;
      });
      if (!stale) continue;
      const problem = rewritePack(pack, true, counts);
      if (problem) throw new Error(problem);
      rewritten += 1;
    }
    return rewritten;
  }

  return { verify, collectGarbage, resealPacks };
}

export type BlobMaintenance = ReturnType<typeof createBlobMaintenance>;
