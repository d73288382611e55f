/**
 * Enrolment (docs/sync-protocol.md, 2 "Enrolment"): the one unsigned call. The kiosk proves it holds the
 * one-time code without sending it, with a fresh X25519 key (src/shared/wire/enrolment.ts); the hall
 * answers the new identity with the secret sealed for that key. The request also says where the new
 * hall is to start (`firstSeq`: the first outbox row no hall has acknowledged), so a re-enrolment never
 * sends again what another hall already took. On success the identity is stored in kiosk_config for
 * every signed request after.
 */
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import {
  enrolKeyPair,
  enrolProof,
  normaliseEnrolCode,
  openEnrolSecret,
  type EnrolKeyPair,
} from '../shared/wire/enrolment.js';
import { enrollResponse, HEADERS, SCHEMA_VERSION, type EnrollRequest } from './protocol.js';
import {
  clearPendingEnrolment,
  firstUnacknowledgedSeq,
  readPendingEnrolment,
  readSyncState,
  writeEnrollment,
  writePendingEnrolment,
  writeSyncState,
  type Enrollment,
  type SyncDb,
} from './store.js';
import { describeError, type SyncError } from './sync-error.js';
import { DEFAULT_TIMEOUT_MS, hallError, normaliseBase, type FetchFn } from './transport.js';

/** A pending enrolment is reused this long (the hall's codes live 24 h by default). */
const PENDING_MAX_AGE_MS = 24 * 3600 * 1000;

/**
 * The key pair and firstSeq for an enrolment with this code: those of an earlier attempt with the
 * same code whose answer never came (so the hall recognises the retry), else new ones, kept
 * before the request is sent.
 */
function keyPairFor(db: SyncDb, code: string, now: Date): { keyPair: EnrolKeyPair; firstSeq: number } {
  const codeDigest = createHash('sha256').update(code).digest('hex');
  const pending = readPendingEnrolment(db);
  if (
    pending !== null &&
    pending.codeDigest === codeDigest &&
    now.getTime() - Date.parse(pending.createdAt) < PENDING_MAX_AGE_MS
  ) {
    try {
      const privateKey = createPrivateKey({
        key: Buffer.from(pending.privateKey, 'base64'),
        format: 'der',
        type: 'pkcs8',
      });
      if (createPublicKey(privateKey).asymmetricKeyType === 'x25519')
        return { keyPair: { publicKey: pending.publicKey, privateKey }, firstSeq: pending.firstSeq };
    } catch {
      // An unreadable pending key: start afresh.
    }
  }
  const keyPair = enrolKeyPair();
  const firstSeq = firstUnacknowledgedSeq(db);
  const at = now.toISOString();
  writePendingEnrolment(
    db,
    {
      codeDigest,
      publicKey: keyPair.publicKey,
      privateKey: keyPair.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
      firstSeq,
      createdAt: at,
    },
    at,
  );
  return { keyPair, firstSeq };
}

/** A failed enrolment is the kiosk's last sync error (technician console, `sync status`). */
function recordFailure(db: SyncDb, error: SyncError, now: Date): void {
  const prev = readSyncState(db);
  const at = now.toISOString();
  writeSyncState(
    db,
    { ...prev, lastError: `enrolment failed: ${describeError(error)}`, lastErrorAt: at },
    at,
  );
}

/**
 * POST /v1/enroll with a proof of the one-time code; on success stores the identity in kiosk_config.
 * A failure is recorded as the last sync error.
 */
export async function enrollKiosk(
  deps: Parameters<typeof attemptEnrol>[0],
): Promise<{ ok: true; enrollment: Enrollment } | { ok: false; error: SyncError }> {
  const r = await attemptEnrol(deps);
  if (!r.ok) recordFailure(deps.db, r.error, deps.clock());
  return r;
}

async function attemptEnrol(deps: {
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
  const { keyPair, firstSeq } = keyPairFor(deps.db, code, deps.clock());
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
  deps.db.transaction(() => {
    writeEnrollment(deps.db, enrollment, deps.clock().toISOString());
    clearPendingEnrolment(deps.db);
  })();
  return { ok: true, enrollment };
}
