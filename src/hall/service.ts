/**
 * The hall's side of the sync protocol as plain functions over its store (docs/sync-protocol.md):
 * enrolment, authentication, the per-kiosk seq rules of push, the content-addressed blob store, the
 * change log with its retention window, and the staff action that moves a case. The SQL lives in
 * src/hall/store/; the HTTP layer (server.ts) only translates requests and responses.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  CLOCK_SKEW_MS,
  HEADERS,
  MAX_BATCH,
  MAX_BLOB_BYTES,
  MAX_CHANGES_PAGE,
  NONCE_PATTERN,
  SUPPORTED_SCHEMA_VERSIONS,
  describeIssues,
  entryBlobs,
  licenceLookupRequestSchema,
  parseEntry,
  pushRequestSchema,
  type CaseStatusData,
  type Entry,
  type HallErrorCode,
  type LicenceLookupResponse,
  type ParsedEntry,
  type PushResult,
} from '../shared/wire/index.js';
import { sha256Hex, signingString, verifySignature } from '../shared/wire/signing.js';
import { badRequest, hallError, type HttpAnswer } from './answers.js';
import {
  createBlobIndex,
  createCaseStore,
  createChangeStore,
  createEntryStore,
  createEvaluationStore,
  createKioskStore,
  createLicenceStore,
  createTicketStore,
  type BlobIndex,
  type CaseStore,
  type ChangeStore,
  type EntryStore,
  type EvaluationStore,
  type HallDb,
  type Kiosk,
  type KioskStore,
  type LicenceStore,
  type TicketStore,
} from './store/index.js';

export { MAX_BATCH, MAX_BLOB_BYTES, MAX_CHANGES_PAGE, SUPPORTED_SCHEMA_VERSIONS };
export type { HttpAnswer, Kiosk, PushResult };

// ---- kiosk-access ------------------------------------------------------------------------------
export type AuthResult = { ok: true; kiosk: Kiosk } | { ok: false; answer: HttpAnswer };
export type RequestHeaders = Record<string, string | string[] | undefined>;

export function createKioskAccess(deps: { db: HallDb; kiosks: KioskStore; clock: () => Date }) {
  const { db, kiosks, clock } = deps;
  const iso = () => clock().toISOString();

  function createEnrollmentCode(
    jurisdiction: string,
    ttlMs = 24 * 3600 * 1000,
  ): { code: string; jurisdiction: string; expiresAt: string } {
    // 12 characters from an alphabet without look-alikes, typed by a technician on a touch screen.
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    const bytes = randomBytes(12);
    const code = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
    const expiresAt = new Date(clock().getTime() + ttlMs).toISOString();
    kiosks.addEnrollmentCode({ code, jurisdiction, createdAt: iso(), expiresAt });
    return { code, jurisdiction, expiresAt };
  }

  const enroll = db.transaction((code: string): HttpAnswer => {
    const row = kiosks.enrollmentCode(code.trim().toUpperCase());
    if (!row) return hallError(403, 'invalid-code', 'unknown enrolment code');
    if (row.usedAt !== null) return hallError(403, 'code-used', 'this enrolment code was already used');
    if (row.expiresAt < iso()) return hallError(403, 'code-expired', 'this enrolment code has expired');
    const kioskId = `K-${randomUUID()}`;
    const secret = randomBytes(32).toString('hex');
    kiosks.insert({
      id: kioskId,
      jurisdiction: row.jurisdiction,
      secretHash: sha256Hex(secret),
      secret,
      enrolledAt: iso(),
    });
    kiosks.useEnrollmentCode(row.code, kioskId, iso());
    return { status: 200, body: { kioskId, secret, jurisdiction: row.jurisdiction } };
  });

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

  function authenticate(method: string, path: string, headers: RequestHeaders, body: Buffer): AuthResult {
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
    const no = (error: HallErrorCode, message: string): AuthResult => ({
      ok: false,
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
    const kiosk = kiosks.get(kioskId);
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
    // Remember nonces for twice the skew window: a replay inside the window is refused, and one
    // after it carries a stale timestamp.
    // One commit (one fsync) for the nonce and the last contact, not three.
    const fresh = db
      .transaction((): boolean => {
        kiosks.forgetNoncesSeenBefore(now - 2 * CLOCK_SKEW_MS);
        if (!kiosks.rememberNonce(kioskId, nonce, now)) return false;
        kiosks.touch(kioskId, iso());
        return true;
      })
      .immediate();
    if (!fresh) return no('replayed', 'nonce already used');
    return { ok: true, kiosk };
  }

  return {
    createEnrollmentCode,
    enroll: (code: string): HttpAnswer => enroll.immediate(code),
    checkSchema,
    authenticate,
  };
}

export type KioskAccess = ReturnType<typeof createKioskAccess>;

// ---- change-feed -------------------------------------------------------------------------------
export const DEFAULT_RETENTION_MS = 30 * 24 * 3600 * 1000;

export type Change = {
  position: number;
  stream: string;
  key: string;
  op: 'put' | 'del';
  version: number;
  data: unknown;
};

export function createChangeFeed(deps: {
  db: HallDb;
  changes: ChangeStore;
  clock: () => Date;
  retentionMs?: number;
}) {
  const { db, changes: store, clock } = deps;
  const retentionMs = deps.retentionMs ?? DEFAULT_RETENTION_MS;
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const iso = () => clock().toISOString();

  /** Appends one change (kioskId null = every kiosk) and updates the latest-state record. */
  const appendChange = (c: {
    kioskId: string | null;
    stream: string;
    key: string;
    op: 'put' | 'del';
    data: unknown;
  }): Change => {
    const change = db
      .transaction((): Change => {
        const scope = c.kioskId ?? '*';
        const version = (store.recordVersion(scope, c.stream, c.key) ?? 0) + 1;
        const data = c.op === 'del' ? null : JSON.stringify(c.data ?? null);
        const position = store.insertChange({
          kioskId: c.kioskId,
          stream: c.stream,
          key: c.key,
          op: c.op,
          version,
          data,
          at: iso(),
        });
        store.putRecord({ scope, stream: c.stream, key: c.key, op: c.op, version, data, position });
        return {
          position,
          stream: c.stream,
          key: c.key,
          op: c.op,
          version,
          data: c.op === 'del' ? null : (c.data ?? null),
        };
      })
      .immediate();
    events.emit('change', c.kioskId);
    return change;
  };

  const purgedThrough = () => Number(store.meta('purged_through') ?? '0');

  /** Forgets changes older than the retention window; a cursor before them must refetch. */
  const purgeChanges = db.transaction((): number => {
    const cutoff = new Date(clock().getTime() - retentionMs).toISOString();
    const gone = store.purgeBefore(cutoff);
    const max = Math.max(0, ...gone);
    if (max > purgedThrough()) store.setMeta('purged_through', String(max));
    return gone.length;
  });

  function parseCursor(cursor: string | undefined): number | null {
    if (cursor === undefined || cursor === '') return 0;
    return /^\d{1,15}$/.test(cursor) ? Number(cursor) : null;
  }

  const pageSize = (limit: number) => Math.min(Math.max(1, Math.trunc(limit) || 100), MAX_CHANGES_PAGE);

  function changes(kioskId: string, cursor: string | undefined, limit: number): HttpAnswer {
    const from = parseCursor(cursor);
    if (from === null) return hallError(400, 'bad-cursor', 'cursor must be a value returned by the hall');
    if (from > store.maxPosition())
      return { status: 410, body: { mustRefetch: true, reason: 'unknown-cursor' } };
    if (from < purgedThrough()) return { status: 410, body: { mustRefetch: true, reason: 'cursor-expired' } };
    const n = pageSize(limit);
    const rows = store.after(from, kioskId, n + 1);
    const page = rows.slice(0, n);
    const out = page.map((r) => ({
      stream: r.stream,
      key: r.key,
      op: r.op,
      version: r.version,
      data: r.data,
    }));
    const next = page.length > 0 ? (page[page.length - 1]?.position ?? from) : from;
    return { status: 200, body: { changes: out, nextCursor: String(next), hasMore: rows.length > n } };
  }

  /** Latest state of every record the kiosk sees (tombstones included), for a refetch. */
  function snapshot(kioskId: string, after: string | undefined, limit: number): HttpAnswer {
    const from = after === undefined || after === '' ? 0 : /^\d{1,15}$/.test(after) ? Number(after) : null;
    if (from === null) return hallError(400, 'bad-cursor', 'after must be a value returned by the hall');
    const n = pageSize(limit);
    // The cursor to continue with is read before the page, so nothing committed meanwhile is missed
    // (a record may then arrive twice; versions make that harmless).
    const cursor = String(store.maxPosition());
    const rows = store.snapshot(from, kioskId, n + 1);
    const page = rows.slice(0, n);
    return {
      status: 200,
      body: {
        records: page.map((r) => ({
          stream: r.stream,
          key: r.key,
          op: r.op,
          version: r.version,
          data: r.data,
        })),
        nextAfter: String(page.length > 0 ? (page[page.length - 1]?.id ?? from) : from),
        hasMore: rows.length > n,
        cursor,
      },
    };
  }

  /** Resolves when a change for this kiosk exists after `cursor`, or after `timeoutMs`. */
  function waitForChange(
    kioskId: string,
    cursor: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<boolean> {
    if (store.hasAfter(cursor, kioskId)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (v: boolean) => {
        clearTimeout(timer);
        events.off('change', on);
        signal?.removeEventListener('abort', onAbort);
        resolve(v);
      };
      const on = (target: string | null) => {
        if (target === null || target === kioskId) done(true);
      };
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(false), timeoutMs);
      events.on('change', on);
      signal?.addEventListener('abort', onAbort);
    });
  }

  return {
    appendChange,
    purgeChanges: (): number => purgeChanges(),
    changes,
    snapshot,
    waitForChange,
    maxPosition: (): number => store.maxPosition(),
  };
}

export type ChangeFeed = ReturnType<typeof createChangeFeed>;

// ---- case-updates ------------------------------------------------------------------------------
export function createCaseUpdates(deps: { db: HallDb; cases: CaseStore; feed: ChangeFeed }) {
  const { db, cases, feed } = deps;

  const setCaseStatus = (
    applicationId: string,
    data: CaseStatusData,
  ): { ok: true; change: Change } | { ok: false; error: 'unknown-application' } => {
    const app = cases.summary(applicationId);
    if (!app) return { ok: false, error: 'unknown-application' };
    const change = db.transaction(() => {
      cases.setStatus(applicationId, data.status, data.at);
      return feed.appendChange({
        kioskId: app.kioskId,
        stream: 'case-status',
        key: applicationId,
        op: 'put',
        data,
      });
    })();
    return { ok: true, change };
  };

  return { setCaseStatus };
}

export type CaseUpdates = ReturnType<typeof createCaseUpdates>;

// ---- blob-store --------------------------------------------------------------------------------
const hex64 = /^[0-9a-f]{64}$/;

export type BlobState = { complete: true; size: number } | { complete: false; offset: number };

export function createBlobStore(deps: { index: BlobIndex; dataDir: string; clock: () => Date }) {
  const { index, clock } = deps;
  const blobRoot = join(deps.dataDir, 'blobs');
  const partialDir = join(blobRoot, '.partial');
  mkdirSync(partialDir, { recursive: true });

  const blobPath = (sha: string) => join(blobRoot, sha.slice(0, 2), sha);
  const partialPath = (sha: string) => join(partialDir, sha);

  /** Complete → its size; otherwise how many bytes of an interrupted upload the hall holds. */
  function blobState(sha: string): BlobState {
    const size = index.size(sha);
    if (size !== undefined && existsSync(blobPath(sha))) return { complete: true, size };
    return { complete: false, offset: existsSync(partialPath(sha)) ? statSync(partialPath(sha)).size : 0 };
  }

  /**
   * Appends one chunk at `offset` of a blob of `size` bytes. When the last byte arrives the file is
   * hashed, fsynced and renamed into place, then indexed: a known hash is done, a wrong hash or size
   * discards the partial file.
   */
  function putBlob(sha: string, offset: number, size: number, chunk: Buffer): HttpAnswer {
    if (!hex64.test(sha)) return hallError(400, 'bad-hash', 'blob name must be 64 lowercase hex digits');
    if (!Number.isSafeInteger(size) || size < 0 || size > MAX_BLOB_BYTES)
      return hallError(400, 'bad-size', `x-zizhu-blob-size must be 0–${MAX_BLOB_BYTES}`);
    const state = blobState(sha);
    if (state.complete) return { status: 200, body: { complete: true, size: state.size } };
    if (!Number.isSafeInteger(offset) || offset !== state.offset) {
      return hallError(409, 'offset-mismatch', `the hall holds ${state.offset} bytes of this blob`, {
        offset: state.offset,
      });
    }
    if (offset + chunk.length > size) return hallError(400, 'bad-size', 'chunk runs past the declared size');
    const fd = openSync(partialPath(sha), 'a');
    try {
      writeSync(fd, chunk);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    const have = offset + chunk.length;
    if (have < size) return { status: 202, body: { complete: false, offset: have } };
    const bytes = readFileSync(partialPath(sha));
    if (createHash('sha256').update(bytes).digest('hex') !== sha) {
      rmSync(partialPath(sha), { force: true });
      return hallError(
        422,
        'hash-mismatch',
        'the uploaded bytes do not hash to the blob name; upload again from offset 0',
      );
    }
    mkdirSync(join(blobRoot, sha.slice(0, 2)), { recursive: true });
    renameSync(partialPath(sha), blobPath(sha));
    const dirFd = openSync(join(blobRoot, sha.slice(0, 2)), 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
    index.add(sha, size, clock().toISOString());
    return { status: 201, body: { complete: true, size } };
  }

  return { blobState, putBlob };
}

export type BlobStore = ReturnType<typeof createBlobStore>;

// ---- incoming ----------------------------------------------------------------------------------
/** The push request body (src/shared/wire/protocol.ts). */
export const pushBodySchema = pushRequestSchema;

/** What the push tells about an evaluation it has just recorded (inside its transaction). */
export type EvaluationApplied = {
  id: string;
  kioskId: string;
  targetKind: string;
  targetId: string;
  level: string;
  at: string;
};

export type IncomingDeps = {
  db: HallDb;
  kiosks: KioskStore;
  entries: EntryStore;
  cases: CaseStore;
  tickets: TicketStore;
  evaluations: EvaluationStore;
  blobs: BlobIndex;
  caseUpdates: CaseUpdates;
  clock: () => Date;
  /**
   * Called inside the push's transaction after an evaluation is recorded (好差评 follow-up: a bad
   * review opens its task atomically with it). A throw rolls the whole push back (503, retried).
   */
  onEvaluationApplied?: (e: EvaluationApplied) => void;
};

const ref = (prefix: string, entryId: number) => `${prefix}-${String(entryId).padStart(8, '0')}`;

export function createIncoming(deps: IncomingDeps) {
  const { db, kiosks, entries: stored, cases, tickets, evaluations, blobs, clock } = deps;

  /** Applies one parsed entry; a reason instead of a reference rejects it. */
  function applyEntry(
    kiosk: Kiosk,
    entryId: number,
    parsed: Entry,
    payload: string,
    at: string,
  ): { ok: true; ref: string } | { ok: false; reason: string } {
    switch (parsed.kind) {
      case 'application': {
        const v = parsed.payload;
        if (cases.exists(v.id)) return { ok: false, reason: `application ${v.id} already received` };
        cases.insert({
          id: v.id,
          kioskId: kiosk.id,
          entryId,
          jurisdiction: v.jurisdiction,
          itemCode: v.itemCode,
          status: 'received',
          payload,
          at,
        });
        for (const sha of entryBlobs(parsed)) cases.linkBlob(v.id, sha);
        // 异地申报、属地审批: the application is routed by its own jurisdiction, not the kiosk's.
        return { ok: true, ref: ref(v.jurisdiction, entryId) };
      }
      case 'queue-ticket': {
        const v = parsed.payload;
        if (tickets.exists(v.id)) return { ok: false, reason: `ticket ${v.id} already received` };
        tickets.insert({
          id: v.id,
          kioskId: kiosk.id,
          entryId,
          window: v.window,
          number: v.number,
          serviceDate: v.serviceDate,
          payload,
          at,
        });
        return { ok: true, ref: ref('T', entryId) };
      }
      case 'evaluation': {
        const v = parsed.payload;
        if (evaluations.exists(v.id)) return { ok: false, reason: `evaluation ${v.id} already received` };
        evaluations.insert({
          id: v.id,
          kioskId: kiosk.id,
          entryId,
          targetKind: v.targetKind,
          targetId: v.targetId,
          level: v.level,
          payload,
          at,
        });
        deps.onEvaluationApplied?.({
          id: v.id,
          kioskId: kiosk.id,
          targetKind: v.targetKind,
          targetId: v.targetId,
          level: v.level,
          at,
        });
        return { ok: true, ref: ref('V', entryId) };
      }
      case 'supplement': {
        const v = parsed.payload;
        const app = cases.summary(v.applicationId);
        if (!app)
          return { ok: false, reason: `supplement ${v.id} names an unknown application ${v.applicationId}` };
        if (cases.supplementExists(v.id)) return { ok: false, reason: `supplement ${v.id} already received` };
        cases.addSupplement({ id: v.id, applicationId: app.id, entryId, payload, at });
        for (const sha of entryBlobs(parsed)) cases.linkBlob(app.id, sha);
        // Back on the desk for review; the kiosk hears it as a case-status change.
        if (app.status === 'correction-requested') {
          deps.caseUpdates.setCaseStatus(app.id, { status: 'supplement-received', at });
        }
        return { ok: true, ref: ref('S', entryId) };
      }
      default: {
        const never: never = parsed;
        throw new Error(`unhandled kind ${JSON.stringify(never)}`);
      }
    }
  }

  /**
   * The seq rules (reference step 3), all in one IMMEDIATE transaction so an entry's effects and
   * lastAppliedSeq move together: seq ≤ last → duplicate (acked if its hash matches, else alert and
   * conflict); seq = last+1 → apply (or reject with a reason) and advance; seq > last+1 → stop, 409
   * gap with the expected seq (what came before it in the batch stays applied).
   */
  const push = (kioskId: string, raw: unknown): HttpAnswer => {
    const parsedBody = pushBodySchema.safeParse(raw);
    if (!parsedBody.success) return badRequest(describeIssues(parsedBody.error));
    const entries = parsedBody.data.entries;
    for (let i = 1; i < entries.length; i++) {
      if ((entries[i]?.seq ?? 0) <= (entries[i - 1]?.seq ?? 0))
        return badRequest('entries must be in strictly increasing seq order');
    }
    for (const e of entries) {
      if (sha256Hex(e.payload) !== e.payloadHash) {
        return hallError(
          400,
          'payload-hash-mismatch',
          `payloadHash of seq ${e.seq} is not the sha256 of its payload`,
          { seq: e.seq },
        );
      }
    }
    return db
      .transaction((): HttpAnswer => {
        const kiosk = kiosks.get(kioskId);
        if (!kiosk) return hallError(401, 'unknown-kiosk', 'unknown kiosk');
        let last = kiosk.lastAppliedSeq;
        // Blobs first: an entry that would be applied must find every blob it references.
        const parsed = new Map<number, ParsedEntry>();
        const missing = new Set<string>();
        let expect = last + 1;
        for (const e of entries) {
          if (e.seq < expect) continue;
          if (e.seq > expect) break;
          const p = parseEntry(e.kind, e.payload);
          parsed.set(e.seq, p);
          if (p.ok)
            for (const sha of entryBlobs(p.entry)) if (blobs.size(sha) === undefined) missing.add(sha);
          expect++;
        }
        if (missing.size > 0) {
          return hallError(409, 'missing-blobs', 'upload these blobs first', {
            hashes: [...missing].sort(),
            ackedThroughSeq: last,
          });
        }
        const at = clock().toISOString();
        const results: PushResult[] = [];
        for (const e of entries) {
          if (e.seq <= last) {
            const prior = stored.get(kioskId, e.seq);
            if (prior && prior.payloadHash === e.payloadHash) {
              results.push({
                seq: e.seq,
                status: prior.status,
                duplicate: true,
                hallReference: prior.hallReference,
                ...(prior.reason ? { reason: prior.reason } : {}),
              });
            } else {
              stored.alert({
                at,
                kioskId,
                kind: 'seq-conflict',
                detail: {
                  seq: e.seq,
                  receivedHash: e.payloadHash,
                  storedHash: prior?.payloadHash ?? null,
                },
              });
              results.push({
                seq: e.seq,
                status: 'conflict',
                duplicate: true,
                hallReference: prior?.hallReference ?? null,
                reason: 'a different payload was already applied under this seq',
              });
            }
            continue;
          }
          if (e.seq > last + 1) {
            kiosks.setLastAppliedSeq(kioskId, last, at);
            return hallError(409, 'gap', `expected seq ${last + 1}, got ${e.seq}`, {
              expectedSeq: last + 1,
              ackedThroughSeq: last,
              results,
            });
          }
          const p = parsed.get(e.seq) ?? parseEntry(e.kind, e.payload);
          const base = {
            kioskId,
            seq: e.seq,
            kind: e.kind,
            payload: e.payload,
            payloadHash: e.payloadHash,
            at,
          };
          if (!p.ok) {
            stored.insert({ ...base, status: 'rejected', reason: p.reason });
            results.push({
              seq: e.seq,
              status: 'rejected',
              duplicate: false,
              hallReference: null,
              reason: p.reason,
            });
          } else {
            const entryId = stored.insert({ ...base, status: 'applied', reason: null });
            const applied = applyEntry({ ...kiosk, lastAppliedSeq: last }, entryId, p.entry, e.payload, at);
            if (applied.ok) {
              stored.setReference(entryId, applied.ref);
              results.push({ seq: e.seq, status: 'applied', duplicate: false, hallReference: applied.ref });
            } else {
              stored.markRejected(entryId, applied.reason);
              results.push({
                seq: e.seq,
                status: 'rejected',
                duplicate: false,
                hallReference: null,
                reason: applied.reason,
              });
            }
          }
          last = e.seq;
        }
        kiosks.setLastAppliedSeq(kioskId, last, at);
        return { status: 200, body: { ackedThroughSeq: last, results } };
      })
      .immediate();
  };

  return { push };
}

export type Incoming = ReturnType<typeof createIncoming>;

// ---- licences ----------------------------------------------------------------------------------
export function createLicences(deps: { licences: LicenceStore; clock: () => Date }) {
  const { licences, clock } = deps;

  /** POST /v1/licences/lookup: which of the asked materials the hall holds for this person. */
  const lookupLicences = (raw: unknown): HttpAnswer => {
    const b = licenceLookupRequestSchema.safeParse(raw);
    if (!b.success) return badRequest(describeIssues(b.error));
    const held = b.data.materials.filter((m) => licences.holds(b.data.idNumber, m));
    return { status: 200, body: { held } satisfies LicenceLookupResponse };
  };

  const addLicence = (idNumber: string, materialCode: string, licenceNo: string): void => {
    licences.put({ idNumber: idNumber.toUpperCase(), materialCode, licenceNo, at: clock().toISOString() });
  };

  return { lookupLicences, addLicence };
}

// ---- composition --------------------------------------------------------------------------------
export type HallServiceDeps = {
  db: HallDb;
  dataDir: string;
  clock: () => Date;
  retentionMs?: number;
  /**
   * Called inside the push's transaction after an evaluation is recorded (好差评 follow-up: a bad
   * review opens its task atomically with it). A throw rolls the whole push back (503, retried).
   */
  onEvaluationApplied?: (e: EvaluationApplied) => void;
};

export function createHallService(deps: HallServiceDeps) {
  const { db, clock } = deps;
  const blobs = createBlobIndex(db);
  const blobStore = createBlobStore({ index: blobs, dataDir: deps.dataDir, clock });
  const kiosks = createKioskStore(db);
  const cases = createCaseStore(db);
  const feed = createChangeFeed({
    db,
    changes: createChangeStore(db),
    clock,
    retentionMs: deps.retentionMs,
  });
  const caseUpdates = createCaseUpdates({ db, cases, feed });
  const access = createKioskAccess({ db, kiosks, clock });
  const incoming = createIncoming({
    db,
    kiosks,
    entries: createEntryStore(db),
    cases,
    tickets: createTicketStore(db),
    evaluations: createEvaluationStore(db),
    blobs,
    caseUpdates,
    clock,
    onEvaluationApplied: deps.onEvaluationApplied,
  });
  const licences = createLicences({ licences: createLicenceStore(db), clock });

  return {
    lookupLicences: licences.lookupLicences,
    addLicence: licences.addLicence,
    createEnrollmentCode: access.createEnrollmentCode,
    enroll: access.enroll,
    checkSchema: access.checkSchema,
    authenticate: access.authenticate,
    push: incoming.push,
    blobState: blobStore.blobState,
    putBlob: blobStore.putBlob,
    appendChange: feed.appendChange,
    purgeChanges: feed.purgeChanges,
    changes: feed.changes,
    snapshot: feed.snapshot,
    waitForChange: feed.waitForChange,
    setCaseStatus: caseUpdates.setCaseStatus,
    maxPosition: feed.maxPosition,
  };
}

export type HallService = ReturnType<typeof createHallService>;
