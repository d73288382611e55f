/**
 * Enrolment (docs/sync-protocol.md, "Enrolment"): the one unsigned call — a one-time code from the
 * hall buys the kiosk its identity and secret, stored in kiosk_config for every signed request after.
 */
import { enrollResponse, HEADERS, SCHEMA_VERSION } from './protocol.js';
import { writeEnrollment, type Enrollment, type SyncDb } from './store.js';
import type { SyncError } from './sync-error.js';
import { DEFAULT_TIMEOUT_MS, hallError, normaliseBase, type FetchFn } from './transport.js';

/** POST /v1/enroll with a one-time code; on success stores the identity in kiosk_config. */
export async function enrollKiosk(deps: {
  db: SyncDb;
  hallUrl: string;
  code: string;
  clock: () => Date;
  fetch?: FetchFn;
  timeoutMs?: number;
}): Promise<{ ok: true; enrollment: Enrollment } | { ok: false; error: SyncError }> {
  const f = deps.fetch ?? fetch;
  const base = normaliseBase(deps.hallUrl);
  let res: Response;
  let body: unknown;
  try {
    res = await f(new URL('v1/enroll', base), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [HEADERS.schema]: String(SCHEMA_VERSION) },
      body: JSON.stringify({ code: deps.code.trim() }),
      signal: AbortSignal.timeout(deps.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
    body = await res.json().catch(() => null);
  } catch (e) {
    return { ok: false, error: { kind: 'network', message: (e as Error).message } };
  }
  // Enrolment is a technician's one-off action that no loop retries: a Retry-After is not read.
  if (res.status !== 200) return { ok: false, error: hallError(res.status, body, 0) };
  const parsed = enrollResponse.safeParse(body);
  if (!parsed.success)
    return { ok: false, error: { kind: 'protocol', message: 'malformed enrolment answer' } };
  const enrollment: Enrollment = { ...parsed.data, hallUrl: base, enrolledAt: deps.clock().toISOString() };
  writeEnrollment(deps.db, enrollment, deps.clock().toISOString());
  return { ok: true, enrollment };
}
