/**
 * The blob store's maintenance lock (docs/blob-store.md, "Scheduled GC"): several hall nodes share one
 * blob directory (docs/deployment.md), and only one of them — or one operator command — may collect
 * garbage, compact packs or rebuild the index at a time.
 *
 * A file `<blobs>/.maintenance.lock`, created with O_CREAT|O_EXCL (`wx`): whoever creates it holds the
 * lock. It names its holder (a random token, host, pid, node, time) and the holder touches it after
 * each step of its work. It is **stale** — and may be taken over — when its holder is a process of
 * this host that no longer exists, or when it has not been touched for `staleMs` (a holder on
 * another host that died; the shared directory's hosts need roughly agreeing clocks).
 *
 * Taking over is race-free: the stale file is renamed to a unique name first (only one contender's
 * rename finds it), checked to be the very file judged stale (else it was a fresh lock someone just
 * made: it is linked back, never clobbering), and only then removed and the lock created again with
 * O_EXCL.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeSync,
  fsyncSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

export const MAINTENANCE_LOCK_FILE = '.maintenance.lock';
/** A lock untouched this long is stale (its holder touches it after every step, seconds apart). */
export const DEFAULT_LOCK_STALE_MS = 10 * 60_000;

const holderSchema = z.object({
  token: z.string().min(1).max(64),
  host: z.string().max(256),
  pid: z.number().int(),
  node: z.string().max(128),
  what: z.string().max(64),
  at: z.string().max(64),
});
export type LockHolder = z.infer<typeof holderSchema>;

export type HeldLock = {
  holder: LockHolder;
  /** Marks the lock alive (its mtime), so it is not taken for stale during a long run. */
  touch(): void;
  /** Removes the lock if it still is this holder's. */
  release(): void;
};

export type LockAttempt =
  | { ok: true; lock: HeldLock; tookOverStale: LockHolder | null }
  /** Held by someone else (null: a lock file that does not say by whom, not yet stale). */
  | { ok: false; holder: LockHolder | null };

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but is another user's.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

function readHolder(path: string): { holder: LockHolder | null; mtimeMs: number; ino: number } | null {
  try {
    const st = statSync(path);
    let holder: LockHolder | null = null;
    try {
      const parsed = holderSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
      holder = parsed.success ? parsed.data : null;
    } catch {
      holder = null; // Half-written by a holder that died between create and write.
    }
    return { holder, mtimeMs: st.mtimeMs, ino: st.ino };
  } catch {
    return null;
  }
}

export function acquireMaintenanceLock(
  blobRoot: string,
  who: { node: string; what: string; clock: () => Date; staleMs?: number },
): LockAttempt {
  const path = join(blobRoot, MAINTENANCE_LOCK_FILE);
  const staleMs = who.staleMs ?? DEFAULT_LOCK_STALE_MS;
  const me: LockHolder = {
    token: randomBytes(12).toString('hex'),
    host: hostname(),
    pid: process.pid,
    node: who.node,
    what: who.what,
    at: who.clock().toISOString(),
  };

  const create = (): boolean => {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
    try {
      writeSync(fd, JSON.stringify(me));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return true;
  };
  const held = (tookOverStale: LockHolder | null): LockAttempt => ({
    ok: true,
    tookOverStale,
    lock: {
      holder: me,
      touch() {
        const now = new Date();
        try {
          utimesSync(path, now, now);
        } catch {
          // Gone (an operator removed it): the run finishes; the next one creates it again.
        }
      },
      release() {
        const cur = readHolder(path);
        if (cur?.holder?.token === me.token) rmSync(path, { force: true });
      },
    },
  });

  if (create()) return held(null);
  const seen = readHolder(path);
  if (seen === null) return create() ? held(null) : { ok: false, holder: null };
  const h = seen.holder;
  const deadHere = h !== null && h.host === me.host && !alive(h.pid);
  const untouched = Date.now() - seen.mtimeMs > staleMs;
  if (!deadHere && !untouched) return { ok: false, holder: h };

  // Stale: take it over without ever removing a lock someone else just made.
  const aside = `${path}.stale-${me.token}`;
  try {
    renameSync(path, aside);
  } catch {
    return { ok: false, holder: h }; // another contender moved it first
  }
  let movedIno = -1;
  try {
    movedIno = statSync(aside).ino;
  } catch {
    // vanished: treat as not ours
  }
  if (movedIno !== seen.ino) {
    // A fresh lock replaced the stale one between our look and our rename: put it back.
    try {
      linkSync(aside, path);
    } catch {
      // Someone created another lock meanwhile; theirs stands.
    }
    rmSync(aside, { force: true });
    return { ok: false, holder: readHolder(path)?.holder ?? null };
  }
  rmSync(aside, { force: true });
  return create() ? held(h) : { ok: false, holder: readHolder(path)?.holder ?? null };
}
