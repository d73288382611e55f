/**
 * The at-rest key file (docs/security.md, "Personal data at rest"): 32 random bytes, created with
 * mode 0600 on first start when missing (its folder 0700). A deployment that keeps the key outside
 * the data directory (a root-only file, or one that systemd-creds / tpm2-tools unseals from the TPM
 * at boot) points `security.keyFile` / `KIOSK_KEY_FILE` at it; such a file is never created here —
 * a missing one is refused, since a fresh key would make every sealed value unreadable.
 * Previous keys after a rotation sit beside it as `<keyFile>.previous` (open only).
 *
 * Rotation (`db reseal`, `hall db reseal`; docs/security.md, "Hall data at rest and key rotation")
 * moves through states that each survive a crash, every step an fsynced write and a rename:
 *   0. `key` = old.
 *   1. `key.new` = new (written to a temp file, fsynced, renamed).
 *   2. `key.previous` = old (the same way).
 *   3. `key.new` renamed over `key`: `key` = new, `key.previous` = old — both open, new values seal
 *      with the new key; every sealed value and file is now sealed again.
 *   4. `key.previous` removed once nothing sealed with it is left.
 * Opening a key file finishes what a crash interrupted: in state 1 the new key is dropped (nothing
 * was sealed with it), in state 2 it is put in place; state 3 is a rotation `db reseal` resumes.
 */
import {
  chmodSync,
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
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { err, ok, type Result } from '../result.js';
import { createSealer, KEY_BYTES, type SealAlgorithm, type Sealer } from './sealer.js';

export type KeyFileError =
  | { kind: 'missing'; path: string; message: string }
  | { kind: 'unreadable'; path: string; message: string }
  | { kind: 'malformed'; path: string; message: string };

function readKey(path: string): Result<Buffer, KeyFileError> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return err({
      kind: 'unreadable',
      path,
      message: `cannot read the at-rest key ${path}: ${(e as Error).message}`,
    });
  }
  if (bytes.length !== KEY_BYTES)
    return err({
      kind: 'malformed',
      path,
      message: `the at-rest key ${path} has ${bytes.length} bytes; it must hold exactly ${KEY_BYTES} random bytes`,
    });
  return ok(bytes);
}

const newPath = (path: string) => `${path}.new`;
export const previousKeyPath = (path: string): string => `${path}.previous`;

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
function writeAtomically(path: string, bytes: Uint8Array): void {
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

/**
 * Finishes a rotation a crash interrupted before the new key was in place (states 1 and 2 above):
 * `rolled-back` drops a new key nothing was sealed with, `rolled-forward` puts it in place.
 */
export function recoverKeyRotation(path: string): 'none' | 'rolled-back' | 'rolled-forward' {
  if (!existsSync(newPath(path))) return 'none';
  if (existsSync(previousKeyPath(path))) {
    renameSync(newPath(path), path);
    fsyncDir(dirname(path));
    return 'rolled-forward';
  }
  rmSync(newPath(path), { force: true });
  fsyncDir(dirname(path));
  return 'rolled-back';
}

/** True while a rotation is not finished: the previous key is still kept beside the key. */
export const rotationPending = (path: string): boolean => existsSync(previousKeyPath(path));

/**
 * Puts a new random key in place, keeping the current one as `<path>.previous` (states 1–3 above).
 * Refused while an earlier rotation is unfinished: that one is resumed instead.
 */
export function beginKeyRotation(path: string): Result<{ previousKeyId: string }, KeyFileError> {
  const current = readKey(path);
  if (!current.ok) return current;
  if (rotationPending(path))
    return err({
      kind: 'malformed',
      path,
      message: `a rotation of ${path} is not finished (${previousKeyPath(path)} exists); resume it first`,
    });
  try {
    writeAtomically(newPath(path), randomBytes(KEY_BYTES));
    writeAtomically(previousKeyPath(path), current.value);
    renameSync(newPath(path), path);
    fsyncDir(dirname(path));
  } catch (e) {
    return err({
      kind: 'unreadable',
      path,
      message: `cannot rotate the at-rest key ${path}: ${(e as Error).message}`,
    });
  }
  return ok({ previousKeyId: createSealer({ key: current.value }).keyId });
}

/** State 4: the previous key goes, once every value sealed with it was sealed again. */
export function retirePreviousKey(path: string): void {
  rmSync(previousKeyPath(path), { force: true });
  fsyncDir(dirname(path));
}

/**
 * Reads the key (and `<path>.previous` if present), creating the key when `create` is set and the
 * file is missing; tightens the file to 0600 when it is looser (POSIX only).
 */
export function loadKeyFile(
  path: string,
  opts: { create: boolean; algorithm?: SealAlgorithm },
): Result<{ sealer: Sealer; created: boolean }, KeyFileError> {
  let created = false;
  try {
    recoverKeyRotation(path);
  } catch (e) {
    return err({
      kind: 'unreadable',
      path,
      message: `cannot finish the interrupted rotation of ${path}: ${(e as Error).message}`,
    });
  }
  if (!existsSync(path)) {
    if (!opts.create)
      return err({
        kind: 'missing',
        path,
        message: `the at-rest key ${path} does not exist; restore it (or unseal it from the TPM) — a new key cannot read data sealed before`,
      });
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      const fd = openSync(path, 'wx', 0o600);
      try {
        writeSync(fd, randomBytes(KEY_BYTES));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      return err({
        kind: 'unreadable',
        path,
        message: `cannot create the at-rest key ${path}: ${(e as Error).message}`,
      });
    }
    created = true;
  }
  if (process.platform !== 'win32') {
    try {
      if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    } catch {
      // A root-owned key we may read but not chmod: it is the deployment's to protect.
    }
  }
  const key = readKey(path);
  if (!key.ok) return key;
  const previous: Buffer[] = [];
  if (existsSync(previousKeyPath(path))) {
    const p = readKey(previousKeyPath(path));
    if (!p.ok) return p;
    previous.push(p.value);
  }
  return ok({
    sealer: createSealer({
      key: key.value,
      previous,
      ...(opts.algorithm ? { algorithm: opts.algorithm } : {}),
    }),
    created,
  });
}
