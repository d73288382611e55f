/**
 * The at-rest key file (docs/security.md, "Personal data at rest"): 32 random bytes, created with
 * mode 0600 on first start when missing (its folder 0700). A deployment that keeps the key outside
 * the data directory (a root-only file, or one that systemd-creds / tpm2-tools unseals from the TPM
 * at boot) points `security.keyFile` / `KIOSK_KEY_FILE` at it; such a file is never created here —
 * a missing one is refused, since a fresh key would make every sealed value unreadable.
 * Previous keys after a rotation sit beside it as `<keyFile>.previous` (open only).
 */
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
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

/**
 * Reads the key (and `<path>.previous` if present), creating the key when `create` is set and the
 * file is missing; tightens the file to 0600 when it is looser (POSIX only).
 */
export function loadKeyFile(
  path: string,
  opts: { create: boolean; algorithm?: SealAlgorithm },
): Result<{ sealer: Sealer; created: boolean }, KeyFileError> {
  let created = false;
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
  if (existsSync(`${path}.previous`)) {
    const p = readKey(`${path}.previous`);
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
