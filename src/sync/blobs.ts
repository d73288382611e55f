/**
 * Resumable blob upload (docs/sync-protocol.md, 3 "Blobs"): HEAD for the offset the
 * hall already holds, then PUT the rest in chunks. A blob the hall confirmed is remembered — in the
 * kiosk database when `remembered` is given (sync_uploaded_blobs, so a restart does not ask about
 * every blob again), else for the life of the client — so a later entry that names it costs no
 * request. A forced upload (the hall said it is missing) forgets it first.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSealedBytes, type Sealer } from '../shared/at-rest/index.js';
import { err, ok } from '../shared/result.js';
import { blobPutResponse, errorResponse, HEADERS, sha256Hex } from './protocol.js';
import type { Synced } from './sync-error.js';
import type { Transport } from './transport.js';

/** Where the kiosk keeps a content-addressed file: <blobDir>/<aa>/<sha256>. */
export const blobFile = (blobDir: string, sha256: string): string =>
  join(blobDir, sha256.slice(0, 2), sha256);

export const DEFAULT_CHUNK_SIZE = 256 * 1024;
/** A chunk may take longer than an ordinary request on a slow link. */
const MIN_CHUNK_TIMEOUT_MS = 30_000;

export type BlobUploader = {
  /** Makes sure the hall holds this blob; `force` asks again even if it confirmed it before. */
  upload: (sha256: string, force?: boolean) => Promise<Synced<void>>;
};

export function createBlobUploader(deps: {
  transport: Transport;
  blobDir: string;
  chunkSize?: number;
  /** Opens files sealed at rest (the hall receives the plain bytes its hash names). */
  sealer?: Sealer;
  /** Where confirmed blobs are remembered across restarts (store.ts `createUploadedBlobs`). */
  remembered?: { has(sha256: string): boolean; add(sha256: string): void; forget(sha256: string): void };
}): BlobUploader {
  const { transport } = deps;
  const chunkSize = deps.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const inMemory = new Set<string>();
  const uploaded = deps.remembered ?? {
    has: (sha: string) => inMemory.has(sha),
    add: (sha: string) => void inMemory.add(sha),
    forget: (sha: string) => void inMemory.delete(sha),
  };
  const missingLocally = (sha256: string) => err({ kind: 'blob-missing-locally' as const, sha256 });

  async function upload(sha: string, force = false): Promise<Synced<void>> {
    if (force) uploaded.forget(sha);
    else if (uploaded.has(sha)) return ok(undefined);
    const file = blobFile(deps.blobDir, sha);
    if (!existsSync(file)) return missingLocally(sha);
    const head = await transport.send('HEAD', `v1/blobs/${sha}`);
    if (!head.ok) return head;
    if (head.value.status === 200) {
      uploaded.add(sha);
      return ok(undefined);
    }
    if (head.value.status !== 404) return err(transport.httpError(head.value));
    const stored = readFileSync(file);
    let bytes: Buffer = stored;
    if (isSealedBytes(stored)) {
      const opened = deps.sealer?.open(stored);
      if (!opened?.ok) return missingLocally(sha);
      bytes = opened.value;
    }
    if (sha256Hex(bytes) !== sha) return missingLocally(sha);
    let offset = Number(head.value.headers.get(HEADERS.blobOffset) ?? '0');
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > bytes.length) offset = 0;
    // Bounded: each round either advances, or re-learns the offset; a hash mismatch restarts once.
    for (let round = 0; round < Math.ceil(bytes.length / chunkSize) + 4; round++) {
      const chunk = bytes.subarray(offset, Math.min(bytes.length, offset + chunkSize));
      const r = await transport.send('PUT', `v1/blobs/${sha}`, {
        body: chunk,
        contentType: 'application/octet-stream',
        headers: { [HEADERS.blobOffset]: String(offset), [HEADERS.blobSize]: String(bytes.length) },
        timeout: Math.max(transport.timeoutMs, MIN_CHUNK_TIMEOUT_MS),
      });
      if (!r.ok) return r;
      const { status, body } = r.value;
      if (status === 200 || status === 201) {
        uploaded.add(sha);
        return ok(undefined);
      }
      if (status === 202) {
        const p = blobPutResponse.safeParse(body);
        offset = p.success && p.data.offset !== undefined ? p.data.offset : offset + chunk.length;
        continue;
      }
      if (status === 409) {
        const p = errorResponse.safeParse(body);
        if (p.success && p.data.error === 'offset-mismatch' && p.data.offset !== undefined) {
          offset = p.data.offset;
          continue;
        }
      }
      if (status === 422) {
        offset = 0;
        continue;
      }
      return err(transport.httpError(r.value));
    }
    return err({ kind: 'stuck', message: `upload of blob ${sha} made no progress` });
  }

  return { upload };
}
