/**
 * Data directories 0700 and files 0600 (docs/security.md, "Personal data at rest"): created so,
 * and tightened at start when an older release left them 0755 / 0644. POSIX only.
 */
import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` 0700 (with its missing parents) or tightens it; returns it. */
export function ensurePrivateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (process.platform !== 'win32' && (statSync(dir).mode & 0o077) !== 0) chmodSync(dir, PRIVATE_DIR_MODE);
  return dir;
}

/** Tightens every directory (0700) and file (0600) under `root`, the root included. */
export function tightenTree(root: string): void {
  if (process.platform === 'win32') return;
  const walk = (dir: string): void => {
    ensurePrivateDir(dir);
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && (statSync(p).mode & 0o077) !== 0) chmodSync(p, PRIVATE_FILE_MODE);
    }
  };
  walk(root);
}
