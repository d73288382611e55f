/**
 * Whose case is it (issue 13; docs/security.md, "Receipt access codes") — the ONE place that decides
 * whether a session may act on an existing application: 补正, 好差评, reprint, and everything beyond
 * its status (history and hall notes, the masked name, the 补正 request). Allowed when
 * - the session's applicant card is the case's applicant (the salted ID-number hash kept on the row), or
 * - the receipt's access code matches (entered now, or earlier in this same session: a grant), or
 * - the application was submitted in this session (its code was issued here: a grant).
 * The receipt number alone gives the status only. Failed look-ups (an unknown receipt number, a wrong
 * code) are throttled per session and per kiosk, and audited.
 *
 * Codes: 8 symbols of a 32-symbol alphabet from crypto.randomBytes (40 bits), stored only as
 * `s1$<salt>$<scrypt(code, kiosk secret + salt)>` — the kiosk's ID salt (sealed at rest) is the
 * secret half of the salt, so a copied database alone does not allow guessing codes offline — and
 * compared with timingSafeEqual.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import {
  ACCESS_CODE_ALPHABET,
  ACCESS_CODE_LENGTH,
  isAccessCode,
  normaliseAccessCode,
  type AccessDenied,
  type ApplicationStatusOnly,
  type TooManyAttempts,
} from '../../shared/index.js';
import {
  err,
  notFound,
  ok,
  sessionExpired,
  type NotFound,
  type Result,
  type SessionExpired,
} from '../../shared/result.js';
import { createApplicationsStore, type ApplicationRow } from '../store/applications-store.js';
import { createAuditStore } from '../store/audit-store.js';
import type { Db } from '../store/db.js';
import type { CatalogService } from './catalog.js';
import { idNumberHash, type SessionService } from './session.js';

export type AccessError = SessionExpired | NotFound | AccessDenied | TooManyAttempts;

/** How a session came to be allowed: its card, a code entered now, or a grant from earlier in it. */
export type AccessVia = 'card' | 'code' | 'grant';

export type ThrottleLimits = {
  /** Failed look-ups a session may make before a cool-down. */
  perSession: number;
  /** The first cool-down; each further one in the same session doubles, up to `maxCooldownMs`. */
  cooldownMs: number;
  maxCooldownMs: number;
  /** Failed look-ups the kiosk allows within `kioskWindowMs`, whatever the sessions (a new one resets nothing). */
  perKiosk: number;
  kioskWindowMs: number;
};

export const DEFAULT_THROTTLE: ThrottleLimits = {
  perSession: 5,
  cooldownMs: 60_000,
  maxCooldownMs: 15 * 60_000,
  perKiosk: 20,
  kioskWindowMs: 15 * 60_000,
};

// scrypt's defaults (N = 2^14, r = 8): about 16 MiB and some tens of milliseconds per code.
const KEY_LENGTH = 32;

export function hashAccessCode(secret: string, code: string, salt = randomBytes(16).toString('hex')): string {
  const derived = scryptSync(normaliseAccessCode(code), `${secret}:${salt}`, KEY_LENGTH);
  return `s1$${salt}$${derived.toString('hex')}`;
}

/** Constant time over the derived bytes; a malformed stored value matches nothing. */
export function accessCodeMatches(secret: string, stored: string | null, code: string): boolean {
  if (stored === null) return false;
  const [scheme, salt, hex] = stored.split('$');
  if (scheme !== 's1' || !salt || !hex || hex.length !== KEY_LENGTH * 2) return false;
  const expected = Buffer.from(hex, 'hex');
  const actual = scryptSync(normaliseAccessCode(code), `${secret}:${salt}`, KEY_LENGTH);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A fresh code: each random byte masked to 5 bits picks one of the 32 symbols, uniformly. */
export function newAccessCode(): string {
  const bytes = randomBytes(ACCESS_CODE_LENGTH);
  let code = '';
  for (const b of bytes) code += ACCESS_CODE_ALPHABET[b & 31];
  return code;
}

export type ReceiptAnswer =
  | { access: 'status'; status: ApplicationStatusOnly }
  | { access: 'full'; row: ApplicationRow; via: AccessVia };

export function createCaseAccess(deps: {
  db: Db;
  sessions: SessionService;
  catalog: CatalogService;
  /** The kiosk's secret ID salt (resident.ts, kioskSalt): salts ID-number hashes and code hashes. */
  idSalt: string;
  clock: () => Date;
  limits?: Partial<ThrottleLimits>;
}) {
  const { sessions, idSalt, clock } = deps;
  const limits: ThrottleLimits = { ...DEFAULT_THROTTLE, ...deps.limits };
  const applications = createApplicationsStore(deps.db);
  const audit = createAuditStore(deps.db);

  /** The failures of the current session (one at a time on a kiosk) and of the kiosk as a whole. */
  let perSession: { sessionId: string; failures: number; trips: number; blockedUntil: number } | null = null;
  let kioskFailures: number[] = [];

  const now = () => clock().getTime();

  function sessionState(sessionId: string) {
    if (perSession?.sessionId !== sessionId)
      perSession = { sessionId, failures: 0, trips: 0, blockedUntil: 0 };
    return perSession;
  }

  /** Seconds to wait before a look-up is allowed again; 0 when it is. */
  function blockedFor(sessionId: string): number {
    const t = now();
    kioskFailures = kioskFailures.filter((at) => at > t - limits.kioskWindowMs);
    const s = sessionState(sessionId);
    let until = s.blockedUntil;
    if (kioskFailures.length >= limits.perKiosk) {
      const oldest = kioskFailures[kioskFailures.length - limits.perKiosk] ?? t;
      until = Math.max(until, oldest + limits.kioskWindowMs);
    }
    return until > t ? Math.ceil((until - t) / 1000) : 0;
  }

  function refuseBlocked(sessionId: string, receiptNo: string | null): TooManyAttempts | null {
    const wait = blockedFor(sessionId);
    if (wait === 0) return null;
    audit.record(
      'access-throttled',
      sessionId,
      { receiptNo, retryAfterSeconds: wait },
      clock().toISOString(),
    );
    return { kind: 'too-many-attempts', retryAfterSeconds: wait };
  }

  /** Counts a failed look-up; answers how many the session has left before its cool-down. */
  function fail(sessionId: string, what: 'unknown-receipt' | 'wrong-code', receiptNo: string): number {
    const t = now();
    kioskFailures.push(t);
    const s = sessionState(sessionId);
    s.failures++;
    let left = limits.perSession - s.failures;
    if (left <= 0) {
      const cooldown = Math.min(limits.maxCooldownMs, limits.cooldownMs * 2 ** s.trips);
      s.trips++;
      s.failures = 0;
      s.blockedUntil = t + cooldown;
      left = 0;
    }
    audit.record(
      'access-denied',
      sessionId,
      { what, receiptNo, attemptsLeft: left, kioskFailures: kioskFailures.length },
      clock().toISOString(),
    );
    return left;
  }

  function cardMatches(sessionId: string, row: ApplicationRow): boolean {
    const applicant = sessions.held(sessionId)?.applicant;
    if (!applicant || row.applicant_id_hash === null) return false;
    const a = Buffer.from(idNumberHash(idSalt, applicant.idNumber));
    const b = Buffer.from(row.applicant_id_hash);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** Card or grant: allowed without a code. */
  function allowedWithoutCode(sessionId: string, row: ApplicationRow): AccessVia | null {
    if (cardMatches(sessionId, row)) return 'card';
    if (sessions.grantOf(sessionId, row.id)) return 'grant';
    return null;
  }

  /** A code presented for a row: the grant when it matches; a counted failure when not. */
  function checkCode(
    sessionId: string,
    row: ApplicationRow,
    code: string,
  ): Result<AccessVia, AccessDenied | TooManyAttempts> {
    const blocked = refuseBlocked(sessionId, row.receipt_no);
    if (blocked) return err(blocked);
    const c = normaliseAccessCode(code);
    if (isAccessCode(c) && accessCodeMatches(idSalt, row.access_code_hash, c)) {
      sessions.grant(sessionId, row.id, c);
      audit.record('access-code', sessionId, { receiptNo: row.receipt_no }, clock().toISOString());
      return ok('code');
    }
    return err({ kind: 'access-denied', attemptsLeft: fail(sessionId, 'wrong-code', row.receipt_no) });
  }

  function statusOnly(row: ApplicationRow): ApplicationStatusOnly {
    return {
      receiptNo: row.receipt_no,
      itemName: deps.catalog.item(row.item_code)?.name ?? { zh: row.item_code, en: row.item_code },
      status: row.status,
      submittedAt: row.submitted_at,
      promisedDate: row.promised_date,
      hasAccessCode: row.access_code_hash !== null,
    };
  }

  /** A code for a new application: the plaintext (to print) and its hash (to store). */
  function issue(): { code: string; hash: string } {
    const code = newAccessCode();
    return { code, hash: hashAccessCode(idSalt, code) };
  }

  return {
    issue,

    /**
     * 进度查询 / 服务评价 by receipt number: the status only, unless the session's card is the
     * applicant's, the code is given and matches, or the session holds a grant for it.
     */
    byReceipt(sessionId: string, receiptNo: string, code?: string): Result<ReceiptAnswer, AccessError> {
      if (!sessions.held(sessionId)) return sessionExpired();
      const number = receiptNo.trim().toUpperCase();
      const blocked = refuseBlocked(sessionId, number);
      if (blocked) return err(blocked);
      const row = applications.byReceipt(number);
      if (!row) {
        fail(sessionId, 'unknown-receipt', number);
        return notFound();
      }
      const via = allowedWithoutCode(sessionId, row);
      if (via) return ok({ access: 'full', row, via });
      if (code === undefined || code === '') return ok({ access: 'status', status: statusOnly(row) });
      const checked = checkCode(sessionId, row, code);
      return checked.ok ? ok({ access: 'full', row, via: checked.value }) : checked;
    },

    /**
     * The single check before acting on an application by id (detail, reprint, 补正, 好差评):
     * the row when this session may act on it; `access-denied` otherwise — nothing is changed.
     */
    authorise(sessionId: string, applicationId: string, code?: string): Result<ApplicationRow, AccessError> {
      if (!sessions.held(sessionId)) return sessionExpired();
      const row = applications.byId(applicationId);
      if (!row) return notFound();
      if (allowedWithoutCode(sessionId, row)) return ok(row);
      if (code !== undefined && code !== '') {
        const checked = checkCode(sessionId, row, code);
        return checked.ok ? ok(row) : checked;
      }
      audit.record(
        'access-denied',
        sessionId,
        { what: 'no-grant', receiptNo: row.receipt_no },
        clock().toISOString(),
      );
      return err({
        kind: 'access-denied',
        attemptsLeft: Math.max(0, limits.perSession - sessionState(sessionId).failures),
      });
    },

    /**
     * A new code replaces the application's (a reprint by the applicant's card, or a first print
     * whose code was lost with its session): the old receipt's code stops working.
     */
    reissue(applicationId: string, sessionId: string | null): string {
      const { code, hash } = issue();
      applications.setAccessCodeHash(applicationId, hash);
      if (sessionId) sessions.grant(sessionId, applicationId, code);
      const row = applications.byId(applicationId);
      audit.record('access-code-reissued', row?.receipt_no ?? applicationId, null, clock().toISOString());
      return code;
    },

    /** The code to print on an application's receipt in this session, when the session knows it. */
    knownCode(sessionId: string | null, applicationId: string): string | null {
      return sessionId ? (sessions.grantOf(sessionId, applicationId)?.code ?? null) : null;
    },
  };
}
export type CaseAccess = ReturnType<typeof createCaseAccess>;
