/**
 * Enrolment (docs/sync-protocol.md, 2 "Enrolment"): the one unsigned call. The kiosk proves it holds the
 * one-time code without sending it, with a fresh X25519 key (src/shared/wire/enrolment.ts); the hall
 * answers the new identity with the secret sealed for that key. The request also says where the new
 * hall is to start (`firstSeq`: the first outbox row no hall has acknowledged), so a re-enrolment never
 * sends again what another hall already took. On success the identity is stored in kiosk_config for
 * every signed request after.
 */
import { enrolKeyPair, enrolProof, normaliseEnrolCode, openEnrolSecret } from '../shared/wire/enrolment.js';
import { enrollResponse, HEADERS, SCHEMA_VERSION, type EnrollRequest } from './protocol.js';
import { firstUnacknowledgedSeq, writeEnrollment, type Enrollment, type SyncDb } from './store.js';
import type { SyncError } from './sync-error.js';
import { DEFAULT_TIMEOUT_MS, hallError, normaliseBase, type FetchFn } from './transport.js';

/** POST /v1/enroll with a proof of the one-time code; on success stores the identity in kiosk_config. */
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
  const code = normaliseEnrolCode(deps.code);
  const keyPair = enrolKeyPair();
  const firstSeq = firstUnacknowledgedSeq(deps.db);
  const request: EnrollRequest = {
    kioskPublicKey: keyPair.publicKey,
    proof: enrolProof(code, keyPair.publicKey, firstSeq),
    firstSeq,
  };
  let res: Response;
  let body: unknown;
  try {
    res = await f(new URL('v1/enroll', base), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [HEADERS.schema]: String(SCHEMA_VERSION) },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(deps.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
    body = await res.json().catch(() => null);
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return {
      ok: false,
      error: { kind: 'network', message: cause?.code ?? cause?.message ?? (e as Error).message },
    };
  }
  // Enrolment is a technician's one-off action that no loop retries: a Retry-After is not read.
  if (res.status !== 200) return { ok: false, error: hallError(res.status, body, 0) };
  const parsed = enrollResponse.safeParse(body);
  if (!parsed.success)
    return { ok: false, error: { kind: 'protocol', message: 'malformed enrolment answer' } };
  const secret = openEnrolSecret({ code, keyPair, ...parsed.data });
  if (secret === null)
    return {
      ok: false,
      error: {
        kind: 'untrusted-answer',
        message: 'the enrolment answer was not sealed for this kiosk and code (changed on the way?)',
      },
    };
  const enrollment: Enrollment = {
    kioskId: parsed.data.kioskId,
    secret,
    jurisdiction: parsed.data.jurisdiction,
    hallUrl: base,
    enrolledAt: deps.clock().toISOString(),
    firstSeq,
  };
  writeEnrollment(deps.db, enrollment, deps.clock().toISOString());
  return { ok: true, enrollment };
}
