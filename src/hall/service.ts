/**
 * The hall's side of the sync protocol as plain functions over its store (docs/sync-protocol.md):
 * enrolment, authentication, the per-kiosk seq rules of push, the content-addressed blob store, the
 * change log with its retention window, and the staff action that moves a case. The HTTP layer
 * (server.ts) only translates requests and responses.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
  readFileSync,
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
import type { HallDb } from './store/index.js';

export { MAX_BATCH, MAX_BLOB_BYTES, MAX_CHANGES_PAGE, SUPPORTED_SCHEMA_VERSIONS };
export const DEFAULT_RETENTION_MS = 30 * 24 * 3600 * 1000;

export type Kiosk = { id: string; jurisdiction: string; secret: string; lastAppliedSeq: number };
export type HttpAnswer = { status: number; body: unknown; headers?: Record<string, string> };
export type AuthResult = { ok: true; kiosk: Kiosk } | { ok: false; answer: HttpAnswer };

const hex64 = /^[0-9a-f]{64}$/;

/** The push request body (src/shared/wire/protocol.ts). */
export const pushBodySchema = pushRequestSchema;
export type { PushResult };

export type Change = {
  position: number;
  stream: string;
  key: string;
  op: 'put' | 'del';
  version: number;
  data: unknown;
};

const err = (
  status: number,
  error: HallErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
): HttpAnswer => ({
  status,
  body: { error, message, ...extra },
});

export function createHallService(deps: {
  db: HallDb;
  dataDir: string;
  clock: () => Date;
  retentionMs?: number;
  /**
   * Called inside the push's transaction after an evaluation is recorded (好差评 follow-up: a bad
   * review opens its task atomically with it). A throw rolls the whole push back (503, retried).
   */
  onEvaluationApplied?: (e: {
    id: string;
    kioskId: string;
    targetKind: string;
    targetId: string;
    level: string;
    at: string;
  }) => void;
}) {
  const { db, clock } = deps;
  const retentionMs = deps.retentionMs ?? DEFAULT_RETENTION_MS;
  const blobRoot = join(deps.dataDir, 'blobs');
  const partialDir = join(blobRoot, '.partial');
  mkdirSync(partialDir, { recursive: true });
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const iso = () => clock().toISOString();

  const q = {
    kiosk: db.prepare(
      'SELECT id, jurisdiction, secret, last_applied_seq AS lastAppliedSeq FROM kiosks WHERE id = ?',
    ),
    touch: db.prepare('UPDATE kiosks SET last_contact_at = ? WHERE id = ?'),
    setSeq: db.prepare('UPDATE kiosks SET last_applied_seq = ?, last_contact_at = ? WHERE id = ?'),
    insCode: db.prepare(
      'INSERT INTO enrollment_codes (code, jurisdiction, created_at, expires_at) VALUES (?, ?, ?, ?)',
    ),
    code: db.prepare(
      'SELECT code, jurisdiction, expires_at AS expiresAt, used_at AS usedAt FROM enrollment_codes WHERE code = ?',
    ),
    useCode: db.prepare(
      'UPDATE enrollment_codes SET used_at = ?, kiosk_id = ? WHERE code = ? AND used_at IS NULL',
    ),
    insKiosk: db.prepare(
      'INSERT INTO kiosks (id, jurisdiction, secret_hash, secret, enrolled_at) VALUES (?, ?, ?, ?, ?)',
    ),
    insNonce: db.prepare('INSERT OR IGNORE INTO nonces (kiosk_id, nonce, seen_ms) VALUES (?, ?, ?)'),
    purgeNonces: db.prepare('DELETE FROM nonces WHERE seen_ms < ?'),
    entry: db.prepare(
      'SELECT id, payload_hash AS payloadHash, status, reason, hall_reference AS hallReference FROM entries WHERE kiosk_id = ? AND seq = ?',
    ),
    insEntry: db.prepare(
      `INSERT INTO entries (kiosk_id, seq, kind, payload, payload_hash, status, reason, hall_reference, received_at)
       VALUES (@kioskId, @seq, @kind, @payload, @payloadHash, @status, @reason, NULL, @at)`,
    ),
    setRef: db.prepare('UPDATE entries SET hall_reference = ? WHERE id = ?'),
    alert: db.prepare('INSERT INTO alerts (at, kiosk_id, kind, detail) VALUES (?, ?, ?, ?)'),
    blob: db.prepare('SELECT size FROM blobs WHERE sha256 = ?').pluck(),
    insBlob: db.prepare('INSERT OR IGNORE INTO blobs (sha256, size, received_at) VALUES (?, ?, ?)'),
    appExists: db.prepare('SELECT 1 FROM applications WHERE id = ?').pluck(),
    insApp: db.prepare(
      `INSERT INTO applications (id, kiosk_id, entry_id, jurisdiction, item_code, status, payload, received_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'received', ?, ?, ?)`,
    ),
    insAppBlob: db.prepare('INSERT OR IGNORE INTO application_blobs (application_id, sha256) VALUES (?, ?)'),
    ticketExists: db.prepare('SELECT 1 FROM tickets WHERE id = ?').pluck(),
    licence: db
      .prepare('SELECT material_code FROM licences WHERE id_number = ? AND material_code = ?')
      .pluck(),
    insLicence: db.prepare(
      `INSERT INTO licences (id_number, material_code, licence_no, added_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(id_number, material_code) DO UPDATE SET licence_no = excluded.licence_no, added_at = excluded.added_at`,
    ),
    supplementExists: db.prepare('SELECT 1 FROM supplements WHERE id = ?').pluck(),
    insSupplement: db.prepare(
      'INSERT INTO supplements (id, application_id, entry_id, payload, received_at) VALUES (?, ?, ?, ?, ?)',
    ),
    insTicket: db.prepare(
      'INSERT INTO tickets (id, kiosk_id, entry_id, window_code, number, service_date, payload, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    evalExists: db.prepare('SELECT 1 FROM evaluations WHERE id = ?').pluck(),
    insEval: db.prepare(
      'INSERT INTO evaluations (id, kiosk_id, entry_id, target_kind, target_id, level, payload, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    app: db.prepare('SELECT id, kiosk_id AS kioskId, status FROM applications WHERE id = ?'),
    setAppStatus: db.prepare('UPDATE applications SET status = ?, updated_at = ? WHERE id = ?'),
    record: db.prepare('SELECT version FROM records WHERE scope = ? AND stream = ? AND key = ?').pluck(),
    insChange: db.prepare(
      'INSERT INTO changes (kiosk_id, stream, key, op, version, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    upRecord: db.prepare(
      `INSERT INTO records (scope, stream, key, op, version, data, position) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(scope, stream, key) DO UPDATE SET op = excluded.op, version = excluded.version, data = excluded.data, position = excluded.position`,
    ),
    changesAfter: db.prepare(
      `SELECT position, stream, key, op, version, data FROM changes
       WHERE position > ? AND (kiosk_id IS NULL OR kiosk_id = ?) ORDER BY position LIMIT ?`,
    ),
    hasChangeAfter: db
      .prepare('SELECT 1 FROM changes WHERE position > ? AND (kiosk_id IS NULL OR kiosk_id = ?) LIMIT 1')
      .pluck(),
    maxPosition: db
      .prepare("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0)")
      .pluck(),
    meta: db.prepare('SELECT value FROM hall_meta WHERE key = ?').pluck(),
    setMeta: db.prepare(
      'INSERT INTO hall_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ),
    purgeChanges: db.prepare('DELETE FROM changes WHERE created_at < ? RETURNING position'),
    snapshot: db.prepare(
      `SELECT id, stream, key, op, version, data FROM records WHERE id > ? AND scope IN ('*', ?) ORDER BY id LIMIT ?`,
    ),
  };

  // ---- enrolment ------------------------------------------------------------------------------
  function createEnrollmentCode(
    jurisdiction: string,
    ttlMs = 24 * 3600 * 1000,
  ): { code: string; jurisdiction: string; expiresAt: string } {
    // 12 characters from an alphabet without look-alikes, typed by a technician on a touch screen.
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    const bytes = randomBytes(12);
    const code = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
    const expiresAt = new Date(clock().getTime() + ttlMs).toISOString();
    q.insCode.run(code, jurisdiction, iso(), expiresAt);
    return { code, jurisdiction, expiresAt };
  }

  const enroll = db.transaction((code: string): HttpAnswer => {
    const row = q.code.get(code.trim().toUpperCase()) as
      { code: string; jurisdiction: string; expiresAt: string; usedAt: string | null } | undefined;
    if (!row) return err(403, 'invalid-code', 'unknown enrolment code');
    if (row.usedAt !== null) return err(403, 'code-used', 'this enrolment code was already used');
    if (row.expiresAt < iso()) return err(403, 'code-expired', 'this enrolment code has expired');
    const kioskId = `K-${randomUUID()}`;
    const secret = randomBytes(32).toString('hex');
    q.insKiosk.run(kioskId, row.jurisdiction, sha256Hex(secret), secret, iso());
    q.useCode.run(iso(), kioskId, row.code);
    return { status: 200, body: { kioskId, secret, jurisdiction: row.jurisdiction } };
  });

  // ---- authentication -------------------------------------------------------------------------
  function checkSchema(headers: Record<string, string | string[] | undefined>): HttpAnswer | null {
    const raw = headers[HEADERS.schema];
    if (typeof raw !== 'string' || !/^\d+$/.test(raw)) {
      return err(400, 'schema-version-missing', `header ${HEADERS.schema} (an integer) is required`, {
        supported: SUPPORTED_SCHEMA_VERSIONS,
      });
    }
    if (!SUPPORTED_SCHEMA_VERSIONS.includes(Number(raw))) {
      return err(426, 'schema-version-unsupported', `schema version ${raw} is not supported by this hall`, {
        supported: SUPPORTED_SCHEMA_VERSIONS,
      });
    }
    return null;
  }

  function authenticate(
    method: string,
    path: string,
    headers: Record<string, string | string[] | undefined>,
    body: Buffer,
  ): AuthResult {
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
      answer: err(401, error, message),
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
        answer: err(401, 'stale-timestamp', 'timestamp outside ±5 minutes of the hall clock', {
          hallTime: now,
        }),
      };
    }
    const kiosk = q.kiosk.get(kioskId) as Kiosk | undefined;
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
        q.purgeNonces.run(now - 2 * CLOCK_SKEW_MS);
        if (q.insNonce.run(kioskId, nonce, now).changes === 0) return false;
        q.touch.run(iso(), kioskId);
        return true;
      })
      .immediate();
    if (!fresh) return no('replayed', 'nonce already used');
    return { ok: true, kiosk };
  }

  // ---- push -------------------------------------------------------------------------------------
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
        if (q.appExists.get(v.id)) return { ok: false, reason: `application ${v.id} already received` };
        q.insApp.run(v.id, kiosk.id, entryId, v.jurisdiction, v.itemCode, payload, at, at);
        for (const sha of entryBlobs(parsed)) q.insAppBlob.run(v.id, sha);
        // 异地申报、属地审批: the application is routed by its own jurisdiction, not the kiosk's.
        return { ok: true, ref: `${v.jurisdiction}-${String(entryId).padStart(8, '0')}` };
      }
      case 'queue-ticket': {
        const v = parsed.payload;
        if (q.ticketExists.get(v.id)) return { ok: false, reason: `ticket ${v.id} already received` };
        q.insTicket.run(v.id, kiosk.id, entryId, v.window, v.number, v.serviceDate, payload, at);
        return { ok: true, ref: `T-${String(entryId).padStart(8, '0')}` };
      }
      case 'evaluation': {
        const v = parsed.payload;
        if (q.evalExists.get(v.id)) return { ok: false, reason: `evaluation ${v.id} already received` };
        q.insEval.run(v.id, kiosk.id, entryId, v.targetKind, v.targetId, v.level, payload, at);
        deps.onEvaluationApplied?.({
          id: v.id,
          kioskId: kiosk.id,
          targetKind: v.targetKind,
          targetId: v.targetId,
          level: v.level,
          at,
        });
        return { ok: true, ref: `V-${String(entryId).padStart(8, '0')}` };
      }
      case 'supplement': {
        const v = parsed.payload;
        const app = q.app.get(v.applicationId) as { id: string; kioskId: string; status: string } | undefined;
        if (!app)
          return { ok: false, reason: `supplement ${v.id} names an unknown application ${v.applicationId}` };
        if (q.supplementExists.get(v.id)) return { ok: false, reason: `supplement ${v.id} already received` };
        q.insSupplement.run(v.id, app.id, entryId, payload, at);
        for (const sha of entryBlobs(parsed)) q.insAppBlob.run(app.id, sha);
        // Back on the desk for review; the kiosk hears it as a case-status change.
        if (app.status === 'correction-requested') {
          q.setAppStatus.run('supplement-received', at, app.id);
          appendChange({
            kioskId: app.kioskId,
            stream: 'case-status',
            key: app.id,
            op: 'put',
            data: { status: 'supplement-received', at } satisfies CaseStatusData,
          });
        }
        return { ok: true, ref: `S-${String(entryId).padStart(8, '0')}` };
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
    if (!parsedBody.success) return err(400, 'bad-request', describeIssues(parsedBody.error));
    const entries = parsedBody.data.entries;
    for (let i = 1; i < entries.length; i++) {
      if ((entries[i]?.seq ?? 0) <= (entries[i - 1]?.seq ?? 0))
        return err(400, 'bad-request', 'entries must be in strictly increasing seq order');
    }
    for (const e of entries) {
      if (sha256Hex(e.payload) !== e.payloadHash) {
        return err(
          400,
          'payload-hash-mismatch',
          `payloadHash of seq ${e.seq} is not the sha256 of its payload`,
          { seq: e.seq },
        );
      }
    }
    return db
      .transaction((): HttpAnswer => {
        const kiosk = q.kiosk.get(kioskId) as Kiosk | undefined;
        if (!kiosk) return err(401, 'unknown-kiosk', 'unknown kiosk');
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
            for (const sha of entryBlobs(p.entry)) if (q.blob.get(sha) === undefined) missing.add(sha);
          expect++;
        }
        if (missing.size > 0) {
          return err(409, 'missing-blobs', 'upload these blobs first', {
            hashes: [...missing].sort(),
            ackedThroughSeq: last,
          });
        }
        const at = iso();
        const results: PushResult[] = [];
        for (const e of entries) {
          if (e.seq <= last) {
            const prior = q.entry.get(kioskId, e.seq) as
              | {
                  payloadHash: string;
                  status: 'applied' | 'rejected';
                  reason: string | null;
                  hallReference: string | null;
                }
              | undefined;
            if (prior && prior.payloadHash === e.payloadHash) {
              results.push({
                seq: e.seq,
                status: prior.status,
                duplicate: true,
                hallReference: prior.hallReference,
                ...(prior.reason ? { reason: prior.reason } : {}),
              });
            } else {
              q.alert.run(
                at,
                kioskId,
                'seq-conflict',
                JSON.stringify({
                  seq: e.seq,
                  receivedHash: e.payloadHash,
                  storedHash: prior?.payloadHash ?? null,
                }),
              );
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
            q.setSeq.run(last, at, kioskId);
            return err(409, 'gap', `expected seq ${last + 1}, got ${e.seq}`, {
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
            q.insEntry.run({ ...base, status: 'rejected', reason: p.reason });
            results.push({
              seq: e.seq,
              status: 'rejected',
              duplicate: false,
              hallReference: null,
              reason: p.reason,
            });
          } else {
            const entryId = Number(
              q.insEntry.run({ ...base, status: 'applied', reason: null }).lastInsertRowid,
            );
            const applied = applyEntry({ ...kiosk, lastAppliedSeq: last }, entryId, p.entry, e.payload, at);
            if (applied.ok) {
              q.setRef.run(applied.ref, entryId);
              results.push({ seq: e.seq, status: 'applied', duplicate: false, hallReference: applied.ref });
            } else {
              db.prepare("UPDATE entries SET status = 'rejected', reason = ? WHERE id = ?").run(
                applied.reason,
                entryId,
              );
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
        q.setSeq.run(last, at, kioskId);
        return { status: 200, body: { ackedThroughSeq: last, results } };
      })
      .immediate();
  };

  // ---- blobs ----------------------------------------------------------------------------------
  const blobPath = (sha: string) => join(blobRoot, sha.slice(0, 2), sha);
  const partialPath = (sha: string) => join(partialDir, sha);

  /** Complete → its size; otherwise how many bytes of an interrupted upload the hall holds. */
  function blobState(sha: string): { complete: true; size: number } | { complete: false; offset: number } {
    const size = q.blob.get(sha) as number | undefined;
    if (size !== undefined && existsSync(blobPath(sha))) return { complete: true, size };
    return { complete: false, offset: existsSync(partialPath(sha)) ? statSync(partialPath(sha)).size : 0 };
  }

  /**
   * Appends one chunk at `offset` of a blob of `size` bytes. When the last byte arrives the file is
   * hashed, fsynced and renamed into place, then indexed: a known hash is done, a wrong hash or size
   * discards the partial file.
   */
  function putBlob(sha: string, offset: number, size: number, chunk: Buffer): HttpAnswer {
    if (!hex64.test(sha)) return err(400, 'bad-hash', 'blob name must be 64 lowercase hex digits');
    if (!Number.isSafeInteger(size) || size < 0 || size > MAX_BLOB_BYTES)
      return err(400, 'bad-size', `x-zizhu-blob-size must be 0–${MAX_BLOB_BYTES}`);
    const state = blobState(sha);
    if (state.complete) return { status: 200, body: { complete: true, size: state.size } };
    if (!Number.isSafeInteger(offset) || offset !== state.offset) {
      return err(409, 'offset-mismatch', `the hall holds ${state.offset} bytes of this blob`, {
        offset: state.offset,
      });
    }
    if (offset + chunk.length > size) return err(400, 'bad-size', 'chunk runs past the declared size');
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
      return err(
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
    q.insBlob.run(sha, size, iso());
    return { status: 201, body: { complete: true, size } };
  }

  // ---- change log -----------------------------------------------------------------------------
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
        const version = ((q.record.get(scope, c.stream, c.key) as number | undefined) ?? 0) + 1;
        const data = c.op === 'del' ? null : JSON.stringify(c.data ?? null);
        const position = Number(
          q.insChange.run(c.kioskId, c.stream, c.key, c.op, version, data, iso()).lastInsertRowid,
        );
        q.upRecord.run(scope, c.stream, c.key, c.op, version, data, position);
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

  /** Forgets changes older than the retention window; a cursor before them must refetch. */
  const purgeChanges = db.transaction((): number => {
    const cutoff = new Date(clock().getTime() - retentionMs).toISOString();
    const gone = q.purgeChanges.all(cutoff) as { position: number }[];
    const max = Math.max(0, ...gone.map((g) => g.position));
    const prev = Number((q.meta.get('purged_through') as string | undefined) ?? '0');
    if (max > prev) q.setMeta.run('purged_through', String(max));
    return gone.length;
  });

  const purgedThrough = () => Number((q.meta.get('purged_through') as string | undefined) ?? '0');

  function parseCursor(cursor: string | undefined): number | null {
    if (cursor === undefined || cursor === '') return 0;
    return /^\d{1,15}$/.test(cursor) ? Number(cursor) : null;
  }

  function changes(kioskId: string, cursor: string | undefined, limit: number): HttpAnswer {
    const from = parseCursor(cursor);
    if (from === null) return err(400, 'bad-cursor', 'cursor must be a value returned by the hall');
    if (from > (q.maxPosition.get() as number))
      return { status: 410, body: { mustRefetch: true, reason: 'unknown-cursor' } };
    if (from < purgedThrough()) return { status: 410, body: { mustRefetch: true, reason: 'cursor-expired' } };
    const n = Math.min(Math.max(1, Math.trunc(limit) || 100), MAX_CHANGES_PAGE);
    const rows = q.changesAfter.all(from, kioskId, n + 1) as {
      position: number;
      stream: string;
      key: string;
      op: 'put' | 'del';
      version: number;
      data: string | null;
    }[];
    const page = rows.slice(0, n);
    const out = page.map((r) => ({
      stream: r.stream,
      key: r.key,
      op: r.op,
      version: r.version,
      data: r.data === null ? null : (JSON.parse(r.data) as unknown),
    }));
    const next = page.length > 0 ? (page[page.length - 1]?.position ?? from) : from;
    return { status: 200, body: { changes: out, nextCursor: String(next), hasMore: rows.length > n } };
  }

  /** Latest state of every record the kiosk sees (tombstones included), for a refetch. */
  function snapshot(kioskId: string, after: string | undefined, limit: number): HttpAnswer {
    const from = after === undefined || after === '' ? 0 : /^\d{1,15}$/.test(after) ? Number(after) : null;
    if (from === null) return err(400, 'bad-cursor', 'after must be a value returned by the hall');
    const n = Math.min(Math.max(1, Math.trunc(limit) || 100), MAX_CHANGES_PAGE);
    // The cursor to continue with is read before the page, so nothing committed meanwhile is missed
    // (a record may then arrive twice; versions make that harmless).
    const cursor = String(q.maxPosition.get());
    const rows = q.snapshot.all(from, kioskId, n + 1) as {
      id: number;
      stream: string;
      key: string;
      op: 'put' | 'del';
      version: number;
      data: string | null;
    }[];
    const page = rows.slice(0, n);
    return {
      status: 200,
      body: {
        records: page.map((r) => ({
          stream: r.stream,
          key: r.key,
          op: r.op,
          version: r.version,
          data: r.data === null ? null : (JSON.parse(r.data) as unknown),
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
    if (q.hasChangeAfter.get(cursor, kioskId)) return Promise.resolve(true);
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

  // ---- staff ----------------------------------------------------------------------------------
  /**
   * A staff action on a case (受理, 补齐补正, 办结 …): updates the application and appends a
   * `case-status` change for the kiosk that submitted it, in one transaction.
   */
  const setCaseStatus = (
    applicationId: string,
    data: CaseStatusData,
  ): { ok: true; change: Change } | { ok: false; error: 'unknown-application' } => {
    const app = q.app.get(applicationId) as { id: string; kioskId: string; status: string } | undefined;
    if (!app) return { ok: false, error: 'unknown-application' };
    const change = db.transaction(() => {
      q.setAppStatus.run(data.status, data.at, applicationId);
      return appendChange({
        kioskId: app.kioskId,
        stream: 'case-status',
        key: applicationId,
        op: 'put',
        data,
      });
    })();
    return { ok: true, change };
  };

  // ---- shared electronic licences (电子证照) ----------------------------------------------------
  /** Which of the asked materials the hall holds as shared licences for this person. */
  const lookupLicences = (raw: unknown): HttpAnswer => {
    const b = licenceLookupRequestSchema.safeParse(raw);
    if (!b.success) return err(400, 'bad-request', describeIssues(b.error));
    const held = b.data.materials.filter((m) => q.licence.get(b.data.idNumber, m) !== undefined);
    return { status: 200, body: { held } satisfies LicenceLookupResponse };
  };
  const addLicence = (idNumber: string, materialCode: string, licenceNo: string): void => {
    q.insLicence.run(idNumber.toUpperCase(), materialCode, licenceNo, iso());
  };

  return {
    lookupLicences,
    addLicence,
    createEnrollmentCode,
    enroll: (code: string) => enroll.immediate(code),
    checkSchema,
    authenticate,
    push,
    blobState,
    putBlob,
    appendChange,
    purgeChanges,
    changes,
    snapshot,
    waitForChange,
    setCaseStatus,
    maxPosition: () => q.maxPosition.get() as number,
  };
}

export type HallService = ReturnType<typeof createHallService>;
