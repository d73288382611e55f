/**
 * Reading answers and failures, in one place. A procedure's expected failures come back as the
 * error of its `Result` (src/shared/result.ts) — a lapsed resident session is always the returned
 * `{ kind: 'session-expired' }`, never a thrown error — so a screen switches over `error.kind`. What
 * is left to read here is a call that got no answer at all (the backend is unreachable, or failed):
 * its tRPC code and a message fit for a technician.
 */
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

/** The call itself failed (no answer, or the server failed): the screen offers to try again. */
export type CallFailed = { kind: 'failed'; code: string | null };

/** A procedure's answer that is a Result, as the router types it. */
export type ResultLike = { ok: true; value: unknown } | { ok: false; error: unknown };

/** The error union of a procedure's Result (what a screen switches over). */
export type ErrorOf<O> = O extends { ok: false; error: infer E } ? E : never;

/** The success value of a procedure's Result. */
export type ValueOf<O> = O extends { ok: true; value: infer V } ? V : never;

/** The value of an answer (a query's data) when it succeeded; undefined while there is none. */
export function valueOf<O extends ResultLike>(answer: O | undefined): ValueOf<O> | undefined {
  return answer?.ok ? (answer.value as ValueOf<O>) : undefined;
}
