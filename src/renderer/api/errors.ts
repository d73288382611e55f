/**
 * Reading what went wrong with a call, in one place: the tRPC error code and message of a thrown
 * failure (without trusting its shape), and the one way a lapsed resident session is recognised —
 * however the backend says it: thrown (PRECONDITION_FAILED 'session-expired'), or returned as an
 * error value `{ kind: 'no-session' }` or `{ kind: 'session-expired' }` (`SessionExpired`, the form
 * every procedure moves to). Screens only ever see `SessionExpired`.
 */
import { SESSION_EXPIRED, type SessionExpired } from '../../shared/browser.js';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The tRPC error code (UNAUTHORIZED, FORBIDDEN, …) of a failed call, or null. */
export function rpcErrorCode(error: unknown): string | null {
  if (!isRecord(error) || !isRecord(error.data)) return null;
  return typeof error.data.code === 'string' ? error.data.code : null;
}

/**
 * What to show a technician of a failed call: the backend's message (it is written for people),
 * but never a validation dump (zod's JSON) — those become the code alone.
 */
export function rpcErrorMessage(error: unknown): string {
  const message = isRecord(error) && typeof error.message === 'string' ? error.message.trim() : '';
  if (message === '' || message.startsWith('[') || message.startsWith('{'))
    return rpcErrorCode(error) ?? 'error';
  return message.length > 300 ? `${message.slice(0, 299)}…` : message;
}

/** The returned error values that mean the session lapsed. */
export type LapseError = { kind: 'no-session' } | { kind: 'session-expired' };
const LAPSE_KINDS: ReadonlySet<string> = new Set<LapseError['kind']>(['no-session', 'session-expired']);

export function isLapseError(error: unknown): error is LapseError {
  return isRecord(error) && typeof error.kind === 'string' && LAPSE_KINDS.has(error.kind);
}

/** A thrown failure that says the session lapsed (a query such as application.plan throws it). */
export function isLapseThrown(error: unknown): boolean {
  return (
    rpcErrorCode(error) === 'PRECONDITION_FAILED' && isRecord(error) && error.message === 'session-expired'
  );
}

/** The call itself failed (no answer, or the server failed): the screen offers to try again. */
export type CallFailed = { kind: 'failed'; code: string | null };
/** What any call may answer besides its own outcomes. */
export type CallError = SessionExpired | CallFailed;

/** A thrown failure as a value. */
export function thrownError(error: unknown): CallError {
  return isLapseThrown(error) ? SESSION_EXPIRED : { kind: 'failed', code: rpcErrorCode(error) };
}

/** A lapsed-session error value of a procedure's own error union, said the one way. */
export type WithoutLapse<E> = E extends LapseError ? SessionExpired : E;

/** Results as procedures return them: `{ ok: true, … }` or `{ ok: false, error, … }`. */
export type ResultLike = { ok: true } | { ok: false; error: unknown };

/** The error union of a procedure's Result. */
export type ErrorOf<O> = O extends { ok: false; error: infer E } ? E : never;

/** A procedure's Result with its lapsed-session errors said the one way. */
export type Normalised<O> = O extends { ok: false; error: infer E }
  ? Omit<O, 'error'> & { error: WithoutLapse<E> }
  : O;

export function normalise<O extends ResultLike>(answer: O): Normalised<O> {
  if (answer.ok || !isLapseError(answer.error)) return answer as Normalised<O>;
  return { ...answer, error: SESSION_EXPIRED } as Normalised<O>;
}
