/**
 * One way to say "it failed" (docs/architecture.md, "Results"): expected failures are values, used
 * alike by services, the RPC API and the screens; only bugs throw. `E` is a tagged union with a
 * `kind`, so a screen switches over it exhaustively.
 */
export type Ok<T> = { ok: true; value: T };
export type Err<E> = { ok: false; error: E };
export type Result<T, E> = Ok<T> | Err<E>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = <E>(error: E): Err<E> => ({ ok: false, error });

/**
 * The resident's session is gone (timed out, ended, wiped, or never existed): reported the same way
 * by every service and procedure that needs one, so every screen answers it the same way.
 */
export type SessionExpired = { kind: 'session-expired' };
export const SESSION_EXPIRED: SessionExpired = Object.freeze({ kind: 'session-expired' });
export const sessionExpired = (): Err<SessionExpired> => err(SESSION_EXPIRED);

/**
 * What was asked for does not exist (any more): a receipt number typed or scanned, an application
 * or catalog entry opened from a list that changed since. Said the same way by every procedure.
 */
export type NotFound = { kind: 'not-found' };
export const NOT_FOUND: NotFound = Object.freeze({ kind: 'not-found' });
export const notFound = (): Err<NotFound> => err(NOT_FOUND);

/** A lookup's answer as a Result: the thing found, or not-found. */
export const found = <T>(value: T | null | undefined): Result<T, NotFound> =>
  value === null || value === undefined ? notFound() : ok(value);

/**
 * The disk (or the database's page limit) is full (docs/security.md, "Crash and storage faults"):
 * whatever the kiosk was storing — a scanned page, a submission, a supplement, a print record —
 * was not stored, and what was stored before stays. Said the same way by every procedure, so every
 * screen explains it the same way (a technician frees space; the resident loses nothing acknowledged).
 */
export type StorageFull = { kind: 'storage-full' };
export const STORAGE_FULL: StorageFull = Object.freeze({ kind: 'storage-full' });
export const storageFull = (): Err<StorageFull> => err(STORAGE_FULL);

/** The error codes of a full disk: ENOSPC / EDQUOT from the file system, SQLITE_FULL from SQLite. */
export const STORAGE_FULL_CODES: readonly string[] = Object.freeze(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

/** Whether a thrown error (or its cause, or an error code) says the disk is full. */
export function isStorageFull(e: unknown): boolean {
  if (typeof e === 'string') return STORAGE_FULL_CODES.includes(e);
  if (typeof e !== 'object' || e === null) return false;
  if ('code' in e && typeof e.code === 'string' && STORAGE_FULL_CODES.includes(e.code)) return true;
  return 'cause' in e && e.cause !== e && isStorageFull(e.cause);
}
