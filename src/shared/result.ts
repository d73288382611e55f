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
