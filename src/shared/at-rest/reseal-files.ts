/**
 * Sealing files again under the current key after a rotation (`db reseal`, `hall db reseal`;
 * docs/security.md, "Hall data at rest and key rotation"): every file under a data directory whose
 * bytes are a sealed envelope of another key is opened and sealed again, written to a temp file,
 * fsynced and renamed over the old one — a crash leaves either the old sealed file (still opened by
 * the previous key, and sealed again when the command is run again) or the new one.
 */
import {
  closeSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { describeOpenError, isSealedBytes, sealedKeyId, type Sealer } from './sealer.js';

/** Enough of a file's start to read an envelope's header (magic, algorithm, key id). */
const HEAD_BYTES = 64;

function head(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, b, 0, HEAD_BYTES, 0);
    return b.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** The key id a sealed file was sealed with, or null when the file is not sealed. */
export function fileKeyId(path: string): string | null {
  const h = head(path);
  if (!isSealedBytes(h)) return null;
  // The header's key id is within the first bytes; the rest of the envelope is not needed for it.
  const idLen = h[5] ?? 0;
  return h.length >= 6 + idLen ? h.subarray(6, 6 + idLen).toString('ascii') : sealedKeyId(h);
}

/** Every regular file under `root`, recursively. */
export function filesUnder(root: string): string[] {
  let entries;
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) =>
    e.isDirectory() ? filesUnder(join(root, e.name)) : e.isFile() ? [join(root, e.name)] : [],
  );
}

export type ResealFilesResult = { resealed: number; current: number };

/**
 * Seals again, under `sealer`'s current key, every sealed file under `root` that another key sealed.
 * A file that does not open (a key this machine no longer holds, changed bytes) stops the run with
 * its name: the previous key must not be retired while such a file exists.
 */
export function resealFiles(
  root: string,
  sealer: Sealer,
  skip: (path: string) => boolean = () => false,
): ResealFilesResult {
  let resealed = 0;
  let current = 0;
  for (const path of filesUnder(root)) {
    if (skip(path)) continue;
    const id = fileKeyId(path);
    if (id === null) continue;
    if (id === sealer.keyId) {
      current += 1;
      continue;
    }
    const opened = sealer.open(readFileSync(path));
    if (!opened.ok) throw new Error(`${path} does not open: ${describeOpenError(opened.error)}`);
    const tmp = `${path}.reseal-${process.pid}`;
    try {
      const fd = openSync(tmp, 'w', 0o600);
      try {
        writeSync(fd, sealer.seal(opened.value));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, path);
    } finally {
      rmSync(tmp, { force: true });
    }
    if (process.platform !== 'win32') {
      const dfd = openSync(dirname(path), 'r');
      try {
        fsyncSync(dfd);
      } finally {
        closeSync(dfd);
      }
    }
    resealed += 1;
  }
  return { resealed, current };
}

/** The sealed files under `root` not sealed with `keyId` (what must be none before retiring a key). */
export const filesNotSealedWith = (
  root: string,
  keyId: string,
  skip: (path: string) => boolean = () => false,
): string[] =>
  filesUnder(root).filter((p) => {
    if (skip(p)) return false;
    const id = fileKeyId(p);
    return id !== null && id !== keyId;
  });
