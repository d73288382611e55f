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
import { DEFAULT_HALL_LIMITS } from './limits.js';
import type { BlobIndex } from './store/index.js';

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
  function blobState(sha: string, owner: string = LOCAL_OWNER): BlobState {
    const size = index.size(sha);
    if (size !== undefined && existsSync(blobPath(sha))) return { complete: true, size };
    return { complete: false, offset: partialOffset(partialPath(sha, owner)) };
  }

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
  function readBlob(sha: string): Result<Buffer, BlobReadError> {
    if (!hex64.test(sha) || index.size(sha) === undefined || !existsSync(blobPath(sha)))
      return err({ kind: 'missing' });
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
  function putBlob(
    sha: string,
    offset: number,
    size: number,
    chunk: Buffer,
    owner: string = LOCAL_OWNER,
  ): HttpAnswer {
    if (!hex64.test(sha)) return hallError(400, 'bad-hash', 'blob name must be 64 lowercase hex digits');
    if (!Number.isSafeInteger(size) || size < 0 || size > MAX_BLOB_BYTES)
      return hallError(400, 'bad-size', `x-zizhu-blob-size must be 0–${MAX_BLOB_BYTES}`);
    const state = blobState(sha, owner);
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
    index.add(sha, size, clock().toISOString());
    return { status: 201, body: { complete: true, size } };
  }

  return { blobState, putBlob, readBlob, sealClearBlobs, sweepPartials, partialBytes };
}

export type BlobStore = ReturnType<typeof createBlobStore>;
