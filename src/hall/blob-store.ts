/**
 * The hall's content-addressed blob store (docs/sync-protocol.md, "Blobs"): files at
 * <dataDir>/blobs/<aa>/<sha256>, uploaded in resumable chunks into <dataDir>/blobs/.partial/<kiosk>/
 * and indexed once complete and verified. Each kiosk's unfinished uploads are its own (one kiosk
 * cannot append to another's), count against its quota (507 `quota-exceeded`), and are removed when
 * untouched for `partialMaxAgeMs` (docs/security.md, "The hall as an Internet-facing service").
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { MAX_BLOB_BYTES } from '../shared/wire/index.js';
import { hallError, type HttpAnswer } from './answers.js';
import { DEFAULT_HALL_LIMITS } from './limits.js';
import type { BlobIndex } from './store/index.js';

const hex64 = /^[0-9a-f]{64}$/;
/** Uploads not made by an enrolled kiosk (operator tools, fixtures) share this owner. */
export const LOCAL_OWNER = 'local';
const ownerPattern = /^[A-Za-z0-9_-]{1,80}$/;

export type BlobState = { complete: true; size: number } | { complete: false; offset: number };

export function createBlobStore(deps: {
  index: BlobIndex;
  dataDir: string;
  clock: () => Date;
  partialQuotaBytes?: number;
  partialMaxAgeMs?: number;
}) {
  const { index, clock } = deps;
  const quota = deps.partialQuotaBytes ?? DEFAULT_HALL_LIMITS.partialQuotaBytes;
  const maxAge = deps.partialMaxAgeMs ?? DEFAULT_HALL_LIMITS.partialMaxAgeMs;
  const blobRoot = join(deps.dataDir, 'blobs');
  const partialDir = join(blobRoot, '.partial');
  mkdirSync(partialDir, { recursive: true });

  const blobPath = (sha: string) => join(blobRoot, sha.slice(0, 2), sha);
  // A kiosk id comes from the store (K-<uuid>); the pattern keeps any other owner out of the path.
  const ownerDir = (owner: string) =>
    join(partialDir, ownerPattern.test(owner) && owner !== '.' && owner !== '..' ? owner : LOCAL_OWNER);
  const partialPath = (sha: string, owner: string) => join(ownerDir(owner), sha);

  /** Bytes of unfinished uploads `owner` holds. */
  function partialBytes(owner: string): number {
    const dir = ownerDir(owner);
    if (!existsSync(dir)) return 0;
    let total = 0;
    for (const name of readdirSync(dir)) {
      try {
        total += statSync(join(dir, name)).size;
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
    const partial = partialPath(sha, owner);
    return { complete: false, offset: existsSync(partial) ? statSync(partial).size : 0 };
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
    mkdirSync(ownerDir(owner), { recursive: true });
    const fd = openSync(partialPath(sha, owner), 'a');
    try {
      writeSync(fd, chunk);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    const have = offset + chunk.length;
    if (have < size) return { status: 202, body: { complete: false, offset: have } };
    const bytes = readFileSync(partialPath(sha, owner));
    if (createHash('sha256').update(bytes).digest('hex') !== sha) {
      rmSync(partialPath(sha, owner), { force: true });
      return hallError(
        422,
        'hash-mismatch',
        'the uploaded bytes do not hash to the blob name; upload again from offset 0',
      );
    }
    mkdirSync(join(blobRoot, sha.slice(0, 2)), { recursive: true });
    renameSync(partialPath(sha, owner), blobPath(sha));
    const dirFd = openSync(join(blobRoot, sha.slice(0, 2)), 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
    index.add(sha, size, clock().toISOString());
    return { status: 201, body: { complete: true, size } };
  }

  return { blobState, putBlob, sweepPartials, partialBytes };
}

export type BlobStore = ReturnType<typeof createBlobStore>;
