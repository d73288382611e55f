/**
 * The hall's content-addressed blob store (docs/sync-protocol.md, "Blobs"): files at
 * <dataDir>/blobs/<aa>/<sha256>, uploaded in resumable chunks into <dataDir>/blobs/.partial/<kiosk>/
 * and indexed once complete and verified. Each kiosk's unfinished uploads are its own (one kiosk
 * cannot append to another's), count against its quota (507 `quota-exceeded`), and are removed when
 * untouched for `partialMaxAgeMs` (docs/security.md, "The hall as an Internet-facing service").
 *
 * At rest (docs/security.md, "Hall data at rest and key rotation") every byte is sealed with the
 * hall's key: a complete blob is one sealed envelope, still named by the SHA-256 of the plain bytes
 * the kiosk sent (the protocol's address) and verified against it when read; an unfinished upload is
 * a run of sealed frames, `plain length (u32 BE) ‖ sealed length (u32 BE) ‖ sealed chunk`, so the
 * offset a kiosk resumes from is known without opening them, and a frame torn by a crash is cut off.
 *
 * Batches (docs/blob-store.md): `putBlobs` writes many complete blobs into ONE pack file
 * (blob-packs.ts) with one file fsync and one directory fsync, off the event loop; every caller
 * whose batch arrives in the same turn of the event loop shares that pack (group commit). The index
 * rows of a batch commit in one transaction before it is acknowledged — or, for /v2/sync, in the
 * group transaction that acknowledges the request (`stageBlobs` + `indexStaged`).
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { err, ok, type Result } from '../shared/result.js';
import {
  describeOpenError,
  fileKeyId,
  filesUnder,
  isSealedBytes,
  type Sealer,
} from '../shared/at-rest/index.js';
import { MAX_BLOB_BYTES } from '../shared/wire/index.js';
import { hallError, type HttpAnswer } from './answers.js';
import {
  fsyncDirSync,
  layoutPack,
  newPackId,
  readPackedEnvelope,
  writePackFile,
  type FsyncCounts,
  type PackPlacement,
} from './blob-packs.js';
import { DEFAULT_HALL_LIMITS } from './limits.js';
import type { BlobIndex, BlobLocation, PackedBlobRow } from './store/index.js';

const hex64 = /^[0-9a-f]{64}$/;
/** Uploads not made by an enrolled kiosk (operator tools, fixtures) share this owner. */
export const LOCAL_OWNER = 'local';
const ownerPattern = /^[A-Za-z0-9_-]{1,80}$/;

export type BlobState = { complete: true; size: number } | { complete: false; offset: number };

export type BlobReadError =
  | { kind: 'missing' }
  /** The file does not open with the hall's keys, or its bytes do not hash to its name. */
  | { kind: 'corrupt'; message: string };

const FRAME_HEAD = 8;

/** A complete blob handed to `putBlobs`: its name and its plain bytes. */
export type BlobInput = { sha256: string; bytes: Buffer };

/** A batch written to a pack (fsynced) but not yet indexed: `indexStaged` commits it. */
export type StagedBlobs = {
  /** Packed by this batch, to be indexed. */
  rows: PackedBlobRow[];
  /** How many of the batch's blobs the hall already held (nothing written for them). */
  known: number;
  /** Every blob of the batch (for partial clean-up once indexed). */
  hashes: string[];
};

export type PutBlobsResult = { stored: number; known: number; pack: string | null };

export type BlobWriteStats = {
  /** Pack files written by batches. */
  packs: number;
  /** Blobs written into them. */
  blobs: number;
  /** Batches (callers) served by them. */
  batches: number;
  /** fsyncs of pack files and of their directory. */
  fileFsyncs: number;
  dirFsyncs: number;
};

/** The frames of an unfinished upload: the plain bytes they hold and where the last whole one ends. */
function readFrames(bytes: Buffer): { plainBytes: number; end: number; frames: Buffer[] } {
  let at = 0;
  let plainBytes = 0;
  const frames: Buffer[] = [];
  while (at + FRAME_HEAD <= bytes.length) {
    const plain = bytes.readUInt32BE(at);
    const sealed = bytes.readUInt32BE(at + 4);
    if (at + FRAME_HEAD + sealed > bytes.length) break;
    frames.push(bytes.subarray(at + FRAME_HEAD, at + FRAME_HEAD + sealed));
    plainBytes += plain;
    at += FRAME_HEAD + sealed;
  }
  return { plainBytes, end: at, frames };
}

/** The plain bytes the whole frames of an unfinished upload hold, reading only their heads. */
function framedPlainBytes(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(FRAME_HEAD);
    let at = 0;
    let plain = 0;
    while (at + FRAME_HEAD <= size && readSync(fd, head, 0, FRAME_HEAD, at) === FRAME_HEAD) {
      const sealed = head.readUInt32BE(4);
      if (at + FRAME_HEAD + sealed > size) break;
      plain += head.readUInt32BE(0);
      at += FRAME_HEAD + sealed;
    }
    return plain;
  } finally {
    closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes `bytes` to `path` (0600) through a fsynced temp file and a rename. */
function writeDurably(path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}

export function createBlobStore(deps: {
  index: BlobIndex;
  dataDir: string;
  clock: () => Date;
  /** The hall's at-rest sealer (sealerFor(db)). */
  sealer: Sealer;
  partialQuotaBytes?: number;
  partialMaxAgeMs?: number;
}) {
  const { index, clock, sealer } = deps;
  const quota = deps.partialQuotaBytes ?? DEFAULT_HALL_LIMITS.partialQuotaBytes;
  const maxAge = deps.partialMaxAgeMs ?? DEFAULT_HALL_LIMITS.partialMaxAgeMs;
  const blobRoot = join(deps.dataDir, 'blobs');
  const partialDir = join(blobRoot, '.partial');
  mkdirSync(partialDir, { recursive: true, mode: 0o700 });

  const blobPath = (sha: string) => join(blobRoot, sha.slice(0, 2), sha);
  // A kiosk id comes from the store (K-<uuid>); the pattern keeps any other owner out of the path.
  const ownerDir = (owner: string) =>
    join(partialDir, ownerPattern.test(owner) && owner !== '.' && owner !== '..' ? owner : LOCAL_OWNER);
  const partialPath = (sha: string, owner: string) => join(ownerDir(owner), sha);
  const packDir = join(blobRoot, 'packs');
  if (!existsSync(packDir)) {
    mkdirSync(packDir, { recursive: true, mode: 0o700 });
    fsyncDirSync(blobRoot);
  }
  const packPath = (pack: string) => join(packDir, `${pack}.pack`);

  /** Bytes of unfinished uploads `owner` holds (the plain bytes the kiosk sent). */
  function partialBytes(owner: string): number {
    const dir = ownerDir(owner);
    if (!existsSync(dir)) return 0;
    let total = 0;
    for (const name of readdirSync(dir)) {
      try {
        total += framedPlainBytes(join(dir, name));
      } catch {
        // Removed meanwhile (completed or swept).
      }
    }
    return total;
  }

  /**
   * Removes unfinished uploads untouched for the maximum age (and owner folders left empty);
   * returns how many files went. Runs at start and periodically (server.ts).
   */
  function sweepPartials(): number {
    const cutoff = clock().getTime() - maxAge;
    let removed = 0;
    const sweepDir = (dir: string, depth: number) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory() && depth === 0) {
          sweepDir(path, 1);
          if (readdirSync(path).length === 0) rmSync(path, { recursive: true, force: true });
        } else if (entry.isFile()) {
          try {
            if (statSync(path).mtimeMs < cutoff) {
              rmSync(path, { force: true });
              removed += 1;
            }
          } catch {
            // Removed meanwhile.
          }
        }
      }
    };
    sweepDir(partialDir, 0);
    return removed;
  }

  /**
   * Complete → its size; otherwise how many bytes of an interrupted upload by `owner` (the kiosk
   * asking) the hall holds.
   */
  async function blobState(sha: string, owner: string = LOCAL_OWNER): Promise<BlobState> {
    return stateOf(sha, await index.location(sha), owner);
  }

  /** `blobState` of many blobs, the index asked once (the missing-blobs question of /v2). */
  async function blobStates(hashes: readonly string[], owner: string = LOCAL_OWNER): Promise<BlobState[]> {
    const at = await index.locations(hashes);
    return hashes.map((h) => stateOf(h, at.get(h), owner));
  }

  function stateOf(sha: string, at: BlobLocation | undefined, owner: string): BlobState {
    if (at !== undefined && bytesPresent(sha, at)) return { complete: true, size: at.size };
    return { complete: false, offset: partialOffset(partialPath(sha, owner)) };
  }

  /** Whether the file an index row points at exists (its bytes are checked by readBlob / verify). */
  const bytesPresent = (sha: string, at: BlobLocation): boolean =>
    existsSync(at.pack === null ? blobPath(sha) : packPath(at.pack));

  /**
   * The plain bytes an unfinished upload holds. A frame torn by a crash is cut off; a file that is
   * not a run of frames (an upload begun by a hall that kept them in clear) is dropped, and the
   * kiosk starts that blob again from 0.
   */
  function partialOffset(path: string): number {
    if (!existsSync(path)) return 0;
    const bytes = readFileSync(path);
    const { plainBytes, end, frames } = readFrames(bytes);
    if (!frames.every((f) => isSealedBytes(f))) {
      rmSync(path, { force: true });
      return 0;
    }
    if (end !== bytes.length) {
      if (end === 0) {
        rmSync(path, { force: true });
        return 0;
      }
      truncateSync(path, end);
    }
    return plainBytes;
  }

  /** The plain bytes of an unfinished upload, its frames opened; null when one does not open. */
  function partialPlain(path: string): Buffer | null {
    const parts: Buffer[] = [];
    for (const f of readFrames(readFileSync(path)).frames) {
      const opened = sealer.open(f);
      if (!opened.ok) return null;
      parts.push(opened.value);
    }
    return Buffer.concat(parts);
  }

  /**
   * A complete blob's plain bytes: opened with the hall's keys and checked against its name (a file
   * an older hall stored in clear is checked the same way).
   */
  async function readBlob(sha: string): Promise<Result<Buffer, BlobReadError>> {
    if (!hex64.test(sha)) return err({ kind: 'missing' });
    const at = await index.location(sha);
    if (at === undefined) return err({ kind: 'missing' });
    if (at.pack !== null) {
      const first = readPacked(sha, at);
      if (first.ok || first.error.kind !== 'missing') return first;
      // Compaction (GC) may have moved it between the index read and the file read: ask again.
      const moved = await index.location(sha);
      return moved?.pack != null && moved.pack !== at.pack ? readPacked(sha, moved) : first;
    }
    if (!existsSync(blobPath(sha))) return err({ kind: 'missing' });
    const raw = readFileSync(blobPath(sha));
    let plain: Buffer = raw;
    if (fileKeyId(blobPath(sha)) !== null) {
      const opened = sealer.open(raw);
      if (!opened.ok)
        return err({
          kind: 'corrupt',
          message: `blob ${sha} does not open: ${describeOpenError(opened.error)}`,
        });
      plain = opened.value;
    }
    if (createHash('sha256').update(plain).digest('hex') !== sha)
      return err({ kind: 'corrupt', message: `blob ${sha} does not hash to its name` });
    return ok(plain);
  }

  /** A packed blob's plain bytes: record head checked, envelope opened, plain bytes hashed. */
  function readPacked(
    sha: string,
    at: { pack: string; offset: number; length: number },
  ): Result<Buffer, BlobReadError> {
    const r = readPackedEnvelope(packPath(at.pack), sha, at.offset, at.length);
    if (!r.ok) return err(r.error);
    const opened = sealer.open(r.envelope);
    if (!opened.ok)
      return err({
        kind: 'corrupt',
        message: `blob ${sha} does not open: ${describeOpenError(opened.error)}`,
      });
    if (createHash('sha256').update(opened.value).digest('hex') !== sha)
      return err({ kind: 'corrupt', message: `blob ${sha} does not hash to its name` });
    return ok(opened.value);
  }

  /**
   * Seals the complete blobs an older hall stored in clear (at start, after migration 10): each one
   * checked against its name, sealed, and renamed over the clear file. Returns how many.
   */
  function sealClearBlobs(): number {
    let sealed = 0;
    for (const path of filesUnder(blobRoot)) {
      if (relative(blobRoot, path).split(sep)[0] === '.partial') continue;
      const name = basename(path);
      if (!hex64.test(name) || fileKeyId(path) !== null) continue;
      const bytes = readFileSync(path);
      if (createHash('sha256').update(bytes).digest('hex') !== name) continue;
      writeDurably(path, sealer.seal(bytes));
      sealed += 1;
    }
    return sealed;
  }

  /**
   * Appends one chunk at `offset` of a blob of `size` bytes. When the last byte arrives the file is
   * hashed, fsynced and renamed into place, then indexed: a known hash is done, a wrong hash or size
   * discards the partial file. A chunk that would take `owner` over its quota of unfinished bytes
   * is refused (507) before anything is written.
   */
  async function putBlob(
    sha: string,
    offset: number,
    size: number,
    chunk: Buffer,
    owner: string = LOCAL_OWNER,
  ): Promise<HttpAnswer> {
    if (!hex64.test(sha)) return hallError(400, 'bad-hash', 'blob name must be 64 lowercase hex digits');
    if (!Number.isSafeInteger(size) || size < 0 || size > MAX_BLOB_BYTES)
      return hallError(400, 'bad-size', `x-zizhu-blob-size must be 0–${MAX_BLOB_BYTES}`);
    const state = await blobState(sha, owner);
    if (state.complete) return { status: 200, body: { complete: true, size: state.size } };
    if (!Number.isSafeInteger(offset) || offset !== state.offset) {
      return hallError(409, 'offset-mismatch', `the hall holds ${state.offset} bytes of this blob`, {
        offset: state.offset,
      });
    }
    if (offset + chunk.length > size) return hallError(400, 'bad-size', 'chunk runs past the declared size');
    const held = partialBytes(owner);
    if (held + chunk.length > quota) {
      return hallError(
        507,
        'quota-exceeded',
        `unfinished uploads of this kiosk would exceed ${quota} bytes; finish or abandon some first`,
        { held, quota },
      );
    }
    mkdirSync(ownerDir(owner), { recursive: true, mode: 0o700 });
    const frame = sealer.seal(chunk);
    const frameHead = Buffer.alloc(FRAME_HEAD);
    frameHead.writeUInt32BE(chunk.length, 0);
    frameHead.writeUInt32BE(frame.length, 4);
    const fd = openSync(partialPath(sha, owner), 'a', 0o600);
    try {
      writeSync(fd, Buffer.concat([frameHead, frame]));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    const have = offset + chunk.length;
    if (have < size) return { status: 202, body: { complete: false, offset: have } };
    const bytes = partialPlain(partialPath(sha, owner));
    if (bytes === null || createHash('sha256').update(bytes).digest('hex') !== sha) {
      rmSync(partialPath(sha, owner), { force: true });
      return hallError(
        422,
        'hash-mismatch',
        'the uploaded bytes do not hash to the blob name; upload again from offset 0',
      );
    }
    // Sealed whole under the plain bytes' name; the frames go once it is durable.
    writeDurably(blobPath(sha), sealer.seal(bytes));
    rmSync(partialPath(sha, owner), { force: true });
    // Its file is durable before the row commits (a crash between leaves a stray file for GC).
    await index.add(sha, size, clock().toISOString());
    return { status: 201, body: { complete: true, size } };
  }

  // ---- Batches: many blobs, one pack, one fsync (docs/blob-store.md, "Writing a batch") ----

  const fsyncs: FsyncCounts = { files: 0, dirs: 0 };
  const writes = { packs: 0, blobs: 0, batches: 0 };
  type PackJob = {
    blobs: readonly BlobInput[];
    owner: string;
    /** Index the rows in the writer's own transaction (putBlobs) or hand them back (stageBlobs). */
    commit: boolean;
    resolve: (s: StagedBlobs) => void;
    reject: (e: unknown) => void;
  };
  let waiting: PackJob[] = [];
  let scheduled = false;
  let writing = false;

  /** Checks a batch before anything is written: a bad name, size or hash refuses it whole. */
  function checkBatch(blobs: readonly BlobInput[]): HttpAnswer | null {
    for (const b of blobs) {
      if (!hex64.test(b.sha256))
        return hallError(400, 'bad-hash', 'blob name must be 64 lowercase hex digits');
      if (b.bytes.length > MAX_BLOB_BYTES)
        return hallError(400, 'bad-size', `a blob is at most ${MAX_BLOB_BYTES} bytes`, { sha256: b.sha256 });
      if (createHash('sha256').update(b.bytes).digest('hex') !== b.sha256)
        return hallError(422, 'hash-mismatch', `blob ${b.sha256} does not hash to its name; nothing stored`, {
          sha256: b.sha256,
        });
    }
    return null;
  }

  /**
   * Writes every batch waiting now into one pack (the hall's blobs already complete, and repeats,
   * skipped), fsyncs it and its directory once, then indexes the putBlobs batches in one
   * transaction and releases every caller. One pack at a time: batches that arrive meanwhile wait
   * for the next one (and so share it).
   */
  async function flushPacks(): Promise<void> {
    scheduled = false;
    if (writing) return;
    writing = true;
    // Bounded: each turn takes the queue as it is; a turn with nothing queued ends the loop.
    while (waiting.length > 0) {
      const jobs = waiting;
      waiting = [];
      try {
        const records = new Map<string, { sha256: string; size: number; envelope: Buffer }>();
        const known: number[] = [];
        // The index asked once for every blob of the turn, not once a blob.
        const held = await index.locations(jobs.flatMap((job) => job.blobs.map((b) => b.sha256)));
        for (const job of jobs) {
          let k = 0;
          const seen = new Set<string>();
          for (const b of job.blobs) {
            if (seen.has(b.sha256)) continue;
            seen.add(b.sha256);
            if (records.has(b.sha256)) continue;
            const at = held.get(b.sha256);
            if (at !== undefined && bytesPresent(b.sha256, at)) {
              k += 1;
              continue;
            }
            records.set(b.sha256, { sha256: b.sha256, size: b.bytes.length, envelope: sealer.seal(b.bytes) });
          }
          known.push(k);
        }
        let placed = new Map<string, PackPlacement>();
        let pack: string | null = null;
        if (records.size > 0) {
          pack = newPackId(clock().getTime());
          const { bytes, placements } = layoutPack([...records.values()]);
          await writePackFile(packDir, pack, bytes, fsyncs);
          writes.packs += 1;
          writes.blobs += placements.length;
          placed = new Map(placements.map((p) => [p.sha256, p]));
        }
        writes.batches += jobs.length;
        const staged = jobs.map((job, i): StagedBlobs => {
          const hashes = [...new Set(job.blobs.map((b) => b.sha256))];
          const rows = hashes.flatMap((h) => {
            const p = placed.get(h);
            return p && pack !== null ? [{ ...p, pack }] : [];
          });
          return { rows, known: known[i] ?? 0, hashes };
        });
        const committing = staged.filter((_, i) => jobs[i]?.commit);
        // The pack is written and fsynced above: only the index rows inside the transaction.
        if (committing.length > 0)
          await index.transaction(async () => {
            for (const st of committing) await indexStaged(st);
          });
        jobs.forEach((job, i) => {
          const st = staged[i] as StagedBlobs;
          if (job.commit) dropPartials(job.owner, st.hashes);
          job.resolve(st);
        });
      } catch (e) {
        for (const job of jobs) job.reject(e);
      }
    }
    writing = false;
  }

  function enqueue(blobs: readonly BlobInput[], owner: string, commit: boolean): Promise<StagedBlobs> {
    return new Promise<StagedBlobs>((resolve, reject) => {
      waiting.push({ blobs, owner, commit, resolve, reject });
      if (!scheduled && !writing) {
        scheduled = true;
        // After the poll phase: every batch that arrived in this turn joins the pack.
        setImmediate(() => void flushPacks());
      }
    });
  }

  /**
   * Writes complete blobs to a pack (fsynced) without indexing them: the caller commits
   * `indexStaged(staged)` in the transaction that acknowledges them (/v2/sync's group). A bad name,
   * size or hash refuses the whole batch before anything is written.
   */
  async function stageBlobs(
    blobs: readonly BlobInput[],
    owner: string = LOCAL_OWNER,
  ): Promise<Result<StagedBlobs, HttpAnswer>> {
    const bad = checkBatch(blobs);
    if (bad) return err(bad);
    if (blobs.length === 0) return ok({ rows: [], known: 0, hashes: [] });
    return ok(await enqueue(blobs, owner, false));
  }

  /** Indexes a staged batch (inside the caller's transaction: no file I/O here). */
  async function indexStaged(staged: StagedBlobs): Promise<void> {
    await index.addPacked(staged.rows, clock().toISOString());
  }

  /**
   * `owner`'s unfinished /v1 uploads of blobs now complete are no longer needed (they would count
   * against its quota until swept): removed once the batch is indexed.
   */
  function dropPartials(owner: string, hashes: readonly string[]): void {
    if (hashes.length === 0 || !existsSync(ownerDir(owner))) return;
    for (const h of hashes) rmSync(partialPath(h, owner), { force: true });
  }

  /**
   * Stores many complete blobs: one pack, one file fsync and one directory fsync for every batch
   * that arrived in the same turn, their index rows committed in one transaction before this
   * resolves (so a resolved batch is durable). `owner` is the kiosk sending them (LOCAL_OWNER for
   * operator tools): its unfinished /v1 uploads of these blobs are dropped once they are stored.
   * A 400/422 answer names the first bad blob, and nothing of the batch is stored.
   */
  async function putBlobs(
    blobs: readonly BlobInput[],
    owner: string = LOCAL_OWNER,
  ): Promise<Result<PutBlobsResult, HttpAnswer>> {
    const bad = checkBatch(blobs);
    if (bad) return err(bad);
    if (blobs.length === 0) return ok({ stored: 0, known: 0, pack: null });
    const st = await enqueue(blobs, owner, true);
    return ok({ stored: st.rows.length, known: st.known, pack: st.rows[0]?.pack ?? null });
  }

  const writeStats = (): BlobWriteStats => ({
    ...writes,
    fileFsyncs: fsyncs.files,
    dirFsyncs: fsyncs.dirs,
  });

  return {
    blobState,
    blobStates,
    putBlob,
    putBlobs,
    stageBlobs,
    indexStaged,
    dropPartials,
    readBlob,
    sealClearBlobs,
    sweepPartials,
    partialBytes,
    writeStats,
    paths: { blobRoot, packDir, packPath, blobPath },
  };
}

export type BlobStore = ReturnType<typeof createBlobStore>;
