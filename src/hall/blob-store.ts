/**
 * The hall's content-addressed blob store (docs/sync-protocol.md, "Blobs"): files at
 * <dataDir>/blobs/<aa>/<sha256>, uploaded in resumable chunks into <dataDir>/blobs/.partial and
 * indexed once complete and verified.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { MAX_BLOB_BYTES } from '../shared/wire/index.js';
import { hallError, type HttpAnswer } from './answers.js';
import type { BlobIndex } from './store/index.js';

const hex64 = /^[0-9a-f]{64}$/;

export type BlobState = { complete: true; size: number } | { complete: false; offset: number };

export function createBlobStore(deps: { index: BlobIndex; dataDir: string; clock: () => Date }) {
  const { index, clock } = deps;
  const blobRoot = join(deps.dataDir, 'blobs');
  const partialDir = join(blobRoot, '.partial');
  mkdirSync(partialDir, { recursive: true });

  const blobPath = (sha: string) => join(blobRoot, sha.slice(0, 2), sha);
  const partialPath = (sha: string) => join(partialDir, sha);

  /** Complete → its size; otherwise how many bytes of an interrupted upload the hall holds. */
  function blobState(sha: string): BlobState {
    const size = index.size(sha);
    if (size !== undefined && existsSync(blobPath(sha))) return { complete: true, size };
    return { complete: false, offset: existsSync(partialPath(sha)) ? statSync(partialPath(sha)).size : 0 };
  }

  /**
   * Appends one chunk at `offset` of a blob of `size` bytes. When the last byte arrives the file is
   * hashed, fsynced and renamed into place, then indexed: a known hash is done, a wrong hash or size
   * discards the partial file.
   */
  function putBlob(sha: string, offset: number, size: number, chunk: Buffer): HttpAnswer {
    if (!hex64.test(sha)) return hallError(400, 'bad-hash', 'blob name must be 64 lowercase hex digits');
    if (!Number.isSafeInteger(size) || size < 0 || size > MAX_BLOB_BYTES)
      return hallError(400, 'bad-size', `x-zizhu-blob-size must be 0–${MAX_BLOB_BYTES}`);
    const state = blobState(sha);
    if (state.complete) return { status: 200, body: { complete: true, size: state.size } };
    if (!Number.isSafeInteger(offset) || offset !== state.offset) {
      return hallError(409, 'offset-mismatch', `the hall holds ${state.offset} bytes of this blob`, {
        offset: state.offset,
      });
    }
    if (offset + chunk.length > size) return hallError(400, 'bad-size', 'chunk runs past the declared size');
    const fd = openSync(partialPath(sha), 'a');
    try {
      writeSync(fd, chunk);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    const have = offset + chunk.length;
    if (have < size) return { status: 202, body: { complete: false, offset: have } };
    const bytes = readFileSync(partialPath(sha));
    if (createHash('sha256').update(bytes).digest('hex') !== sha) {
      rmSync(partialPath(sha), { force: true });
      return hallError(
        422,
        'hash-mismatch',
        'the uploaded bytes do not hash to the blob name; upload again from offset 0',
      );
    }
    mkdirSync(join(blobRoot, sha.slice(0, 2)), { recursive: true });
    renameSync(partialPath(sha), blobPath(sha));
    const dirFd = openSync(join(blobRoot, sha.slice(0, 2)), 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
    index.add(sha, size, clock().toISOString());
    return { status: 201, body: { complete: true, size } };
  }

  return { blobState, putBlob };
}

export type BlobStore = ReturnType<typeof createBlobStore>;
