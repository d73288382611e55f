/**
 * How a kiosk gets in (docs/sync-protocol.md, 2 "Enrolment" and 1 "Request headers and authentication"): a
 * one-time code becomes a kiosk id and secret; every later request carries the protocol's schema version and
 * a signature over method, path, timestamp, nonce and body, with the timestamp within ±5 minutes
 * of the hall's clock and the nonce never seen before.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  CLOCK_SKEW_MS,
  HEADERS,
  NONCE_PATTERN,
  SUPPORTED_SCHEMA_VERSIONS,
  type EnrollRequest,
  type EnrollResponse,
  type HallErrorCode,
} from '../shared/wire/index.js';
import { sealEnrolSecret, verifyEnrolProof } from '../shared/wire/enrolment.js';
import { sha256Hex, signingString, verifySignature } from '../shared/wire/signing.js';
import { hallError, type HttpAnswer } from './answers.js';
import type { HallSql, Kiosk, KioskStore } from './store/index.js';

export type { Kiosk };
export type AuthResult = { ok: true; kiosk: Kiosk } | { ok: false; answer: HttpAnswer };
export type RequestHeaders = Record<string, string | string[] | undefined>;

export function createKioskAccess(deps: { sql: HallSql; kiosks: KioskStore; clock: () => Date }) {
  const { sql, kiosks, clock } = deps;
  const iso = () => clock().toISOString();

  async function createEnrollmentCode(
    jurisdiction: string,
    ttlMs = 24 * 3600 * 1000,
  ): Promise<{ code: string; jurisdiction: string; expiresAt: string }> {
    // 12 characters from an alphabet without look-alikes, typed by a technician on a touch screen.
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    const bytes = randomBytes(12);
    const code = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
    const expiresAt = new Date(clock().getTime() + ttlMs).toISOString();
    await kiosks.addEnrollmentCode({ code, jurisdiction, createdAt: iso(), expiresAt });
    return { code, jurisdiction, expiresAt };
  }

  /**
   * Sealed enrolment (docs/sync-protocol.md, 2): the code is found by the kiosk's proof of it, the new
   * kiosk starts after `firstSeq − 1` (rows another hall acknowledged are never asked for), and the
   * secret leaves the hall only sealed for the kiosk's ephemeral key.
   */
  const enroll = (request: EnrollRequest): Promise<HttpAnswer> =>
    sql.transaction(async (): Promise<HttpAnswer> => {
      const row = (await kiosks.enrollmentCodes()).find((c) =>
        verifyEnrolProof(c.code, request.kioskPublicKey, request.firstSeq, request.proof),
      );
      if (!row) return hallError(403, 'invalid-code', 'unknown enrolment code');
      if (row.usedAt !== null) {
        // The same kiosk key again (its proof binds key, code and firstSeq): the answer to its first
        // request was lost. Answer the same identity again, sealed anew for that key — only the
        // holder of its private key can open it — rather than burn the code and orphan the kiosk.
        const again =
          row.kioskPublicKey === request.kioskPublicKey && row.kioskId !== null && row.expiresAt >= iso()
            ? await kiosks.get(row.kioskId)
            : undefined;
        if (!again) return hallError(403, 'code-used', 'this enrolment code was already used');
        const resealed = sealEnrolSecret({
          code: row.code,
          kioskPublicKey: request.kioskPublicKey,
          kioskId: again.id,
          jurisdiction: again.jurisdiction,
          secret: again.secret,
        });
        if (!resealed) return hallError(400, 'bad-request', 'kioskPublicKey is not an X25519 public key');
        const body: EnrollResponse = { kioskId: again.id, jurisdiction: again.jurisdiction, ...resealed };
        return { status: 200, body };
      }
      if (row.expiresAt < iso()) return hallError(403, 'code-expired', 'this enrolment code has expired');
      const kioskId = `K-${randomUUID()}`;
      const secret = randomBytes(32).toString('hex');
      const sealed = sealEnrolSecret({
        code: row.code,
        kioskPublicKey: request.kioskPublicKey,
        kioskId,
        jurisdiction: row.jurisdiction,
        secret,
      });
      if (!sealed) return hallError(400, 'bad-request', 'kioskPublicKey is not an X25519 public key');
      await kiosks.insert({
        id: kioskId,
        jurisdiction: row.jurisdiction,
        secretHash: sha256Hex(secret),
        secret,
        enrolledAt: iso(),
      });
      if (request.firstSeq > 1) await kiosks.startAfterSeq(kioskId, request.firstSeq - 1);
      await kiosks.useEnrollmentCode(row.code, kioskId, request.kioskPublicKey, iso());
      const body: EnrollResponse = { kioskId, jurisdiction: row.jurisdiction, ...sealed };
      return { status: 200, body };
    });

  /**
   * The key and nonce each authenticated request's answer is signed with (answer-signer.ts), keyed by
   * the request's headers object: whatever route authenticates through here has its answer signed.
   */
  const answerKeys = new WeakMap<RequestHeaders, { secret: string; nonce: string }>();

  /**
   * The kiosk row read by the gate before the body (isKnownKiosk), kept for the same request's
   * signature check after it: one read of the row per request, not two.
   */
  const readFor = new WeakMap<RequestHeaders, Kiosk>();
  async function isKnownKiosk(headers: RequestHeaders, kioskId: string): Promise<boolean> {
    const kiosk = await kiosks.get(kioskId);
    if (kiosk) readFor.set(headers, kiosk);
    return kiosk !== undefined;
  }
  async function kioskOf(headers: RequestHeaders, kioskId: string): Promise<Kiosk | undefined> {
    const read = readFor.get(headers);
    return read !== undefined && read.id === kioskId ? read : kiosks.get(kioskId);
  }

  function checkSchema(headers: RequestHeaders): HttpAnswer | null {
    const raw = headers[HEADERS.schema];
    if (typeof raw !== 'string' || !/^\d+$/.test(raw)) {
      return hallError(400, 'schema-version-missing', `header ${HEADERS.schema} (an integer) is required`, {
        supported: SUPPORTED_SCHEMA_VERSIONS,
      });
    }
    if (!SUPPORTED_SCHEMA_VERSIONS.includes(Number(raw))) {
      return hallError(
        426,
        'schema-version-unsupported',
        `schema version ${raw} is not supported by this hall`,
        {
          supported: SUPPORTED_SCHEMA_VERSIONS,
        },
      );
    }
    return null;
  }

  /**
   * Steps 1–3 of docs/sync-protocol.md section 1, from the headers alone: the schema version, the
   * four signature headers and their form, then the timestamp's freshness — all before the kiosk id
   * is looked up, so a stale or malformed request says so whoever it claims to be. The gate runs
   * this before reading a body; authenticate() runs it again with the body.
   */
  function checkHeaders(
    headers: RequestHeaders,
  ):
    | { ok: true; kioskId: string; timestamp: string; nonce: string; signature: string; now: number }
    | { ok: false; answer: HttpAnswer } {
    const schema = checkSchema(headers);
    if (schema) return { ok: false, answer: schema };
    const h = (name: string) => {
      const v = headers[name];
      return typeof v === 'string' ? v : undefined;
    };
    const kioskId = h(HEADERS.kioskId);
    const timestamp = h(HEADERS.timestamp);
    const nonce = h(HEADERS.nonce);
    const signature = h(HEADERS.signature);
    const no = (error: HallErrorCode, message: string) => ({
      ok: false as const,
      answer: hallError(401, error, message),
    });
    if (!kioskId || !timestamp || !nonce || !signature)
      return no('unauthenticated', 'authentication headers missing');
    if (!/^\d{1,15}$/.test(timestamp))
      return no('bad-timestamp', `${HEADERS.timestamp} must be milliseconds since the epoch`);
    if (!NONCE_PATTERN.test(nonce))
      return no('bad-nonce', `${HEADERS.nonce} must be 16–128 characters [0-9A-Za-z_-]`);
    const now = clock().getTime();
    if (Math.abs(now - Number(timestamp)) > CLOCK_SKEW_MS) {
      // hallTime lets a kiosk with a wrong clock correct its timestamps (it is not a credential).
      return {
        ok: false,
        answer: hallError(401, 'stale-timestamp', 'timestamp outside ±5 minutes of the hall clock', {
          hallTime: now,
        }),
      };
    }
    return { ok: true, kioskId, timestamp, nonce, signature, now };
  }

  async function authenticate(
    method: string,
    path: string,
    headers: RequestHeaders,
    body: Buffer,
  ): Promise<AuthResult> {
    const checked = checkHeaders(headers);
    if (!checked.ok) return checked;
    const { kioskId, timestamp, nonce, signature, now } = checked;
    const no = (error: HallErrorCode, message: string): AuthResult => ({
      ok: false,
      answer: hallError(401, error, message),
    });
    const kiosk = await kioskOf(headers, kioskId);
    if (!kiosk) return no('unknown-kiosk', 'unknown kiosk');
    if (
      !verifySignature(
        kiosk.secret,
        signingString(method, path, timestamp, nonce, body),
        signature.toLowerCase(),
      )
    ) {
      return no('bad-signature', 'signature does not match');
    }
    // Nonces are remembered for twice the skew window (the server forgets older ones once a minute):
    // a replay inside the window is refused, and one after it carries a stale timestamp.
    // One commit (one fsync) for the nonce and the last contact.
    const fresh = await sql.transaction(() => kiosks.claimNonce(kioskId, nonce, now, iso()));
    if (!fresh) return no('replayed', 'nonce already used');
    answerKeys.set(headers, { secret: kiosk.secret, nonce });
    return { ok: true, kiosk };
  }

  /**
   * Batch sync (docs/sync-protocol.md, 5e.3): steps 1–5 of section 1 without writing anything. The
   * nonce is claimed later by `claimNonce`, inside the one transaction that takes the request's
   * writes, so the hall commits once per request (or once per group of them) instead of once for
   * the nonce and again for the work.
   */
  async function verifyRequest(
    method: string,
    path: string,
    headers: RequestHeaders,
    body: Buffer,
  ): Promise<{ ok: true; kiosk: Kiosk; nonce: string; now: number } | { ok: false; answer: HttpAnswer }> {
    const checked = checkHeaders(headers);
    if (!checked.ok) return checked;
    const { kioskId, timestamp, nonce, signature, now } = checked;
    const kiosk = await kioskOf(headers, kioskId);
    if (!kiosk) return { ok: false, answer: hallError(401, 'unknown-kiosk', 'unknown kiosk') };
    if (
      !verifySignature(
        kiosk.secret,
        signingString(method, path, timestamp, nonce, body),
        signature.toLowerCase(),
      )
    )
      return { ok: false, answer: hallError(401, 'bad-signature', 'signature does not match') };
    return { ok: true, kiosk, nonce, now };
  }

  /**
   * Inside the caller's transaction: records the nonce (the table's primary key (kiosk_id, nonce) is
   * the rule — a second use fails the insert, whichever process or node tries it) and the last
   * contact; false for a replay. From here on the answer is signed.
   */
  async function claimNonce(
    headers: RequestHeaders,
    kiosk: Kiosk,
    nonce: string,
    now: number,
  ): Promise<boolean> {
    if (!(await kiosks.claimNonce(kiosk.id, nonce, now, iso()))) return false;
    answerKeys.set(headers, { secret: kiosk.secret, nonce });
    return true;
  }

  /** Nonces older than twice the skew window can go (a replay of them is stale-timestamp). */
  const forgetOldNonces = (now: number) => kiosks.forgetNoncesSeenBefore(now - 2 * CLOCK_SKEW_MS);

  return {
    isKnownKiosk,
    verifyRequest,
    claimNonce,
    forgetOldNonces,
    createEnrollmentCode,
    enroll,
    checkSchema,
    checkHeaders,
    authenticate,
    /** Set once `authenticate` accepted the request with these headers. */
    answerKey: (headers: RequestHeaders) => answerKeys.get(headers),
  };
}

export type KioskAccess = ReturnType<typeof createKioskAccess>;
