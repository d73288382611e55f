/**
 * What the sync client reads and writes in the kiosk database (migrations 001–004): the outbox, the
 * pull cursor, pulled records, the enrolment and the last sync outcome in kiosk_config — its own
 * tables only. What the hall's answers mean for the kiosk's applications is the backend's, through
 * the handlers it hands in (streams.ts `RecordHandlers`), inside the same transactions.
 */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { Change, PushResult } from './protocol.js';
import type { AcknowledgedEntry, RecordHandlers } from './streams.js';

export type SyncDb = Database.Database;

export const ENROLLMENT_KEY = 'sync.enrollment';
export const STATE_KEY = 'sync.state';
export const CURSOR_STREAM = 'hall-changes';

export const enrollmentSchema = z.object({
  kioskId: z.string().min(1),
  secret: z.string().min(16),
  hallUrl: z.url(),
  jurisdiction: z.string(),
  enrolledAt: z.string(),
  /**
   * The first outbox seq this enrolment's hall was told to expect: rows before it were acknowledged
   * by an earlier hall (or enrolment) and are never sent again. 1 for enrolments before it existed.
   */
  firstSeq: z.number().int().min(1).default(1),
});
export type Enrollment = z.infer<typeof enrollmentSchema>;

export const syncStateSchema = z.object({
  lastSuccessAt: z.string().nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  online: z.boolean(),
});
export type SyncState = z.infer<typeof syncStateSchema>;

export type OutboxRow = {
  seq: number;
  kind: string;
  entityId: string;
  payload: string;
  ackedAt: string | null;
};

// A sealed value (the enrolment, with the kiosk's secret) is opened here; others pass through.
const getConfig = (db: SyncDb, key: string): unknown => {
  const v = db.prepare('SELECT zk_open(value) FROM kiosk_config WHERE key = ?').pluck().get(key) as
    string | undefined;
  return v === undefined ? undefined : (JSON.parse(v) as unknown);
};
const setConfig = (db: SyncDb, key: string, value: unknown, at: string, sealed = false) =>
  db
    .prepare(
      `INSERT INTO kiosk_config (key, value, updated_at) VALUES (?, ${sealed ? 'zk_seal(?)' : '?'}, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    )
    .run(key, JSON.stringify(value), at);

export function readEnrollment(db: SyncDb): Enrollment | null {
  const r = enrollmentSchema.safeParse(getConfig(db, ENROLLMENT_KEY));
  return r.success ? r.data : null;
}
/** The enrolment holds the kiosk's secret for signing: sealed at rest. */
export const writeEnrollment = (db: SyncDb, e: Enrollment, at: string) =>
  setConfig(db, ENROLLMENT_KEY, e, at, true);

/**
 * An enrolment sent but not answered yet (docs/sync-protocol.md, 2): the key pair and firstSeq of
 * the request, kept (sealed) so a retry with the same code sends the same proof — the hall then
 * answers the same identity again instead of `code-used`. Removed when an enrolment succeeds.
 */
export const PENDING_ENROLMENT_KEY = 'sync.pending-enrolment';
export const pendingEnrolmentSchema = z.object({
  codeDigest: z.string().regex(/^[0-9a-f]{64}$/),
  publicKey: z.string(),
  /** PKCS#8 DER, base64. */
  privateKey: z.string(),
  firstSeq: z.number().int().min(1),
  createdAt: z.string(),
});
export type PendingEnrolment = z.infer<typeof pendingEnrolmentSchema>;
export function readPendingEnrolment(db: SyncDb): PendingEnrolment | null {
  const r = pendingEnrolmentSchema.safeParse(getConfig(db, PENDING_ENROLMENT_KEY));
  return r.success ? r.data : null;
}
export const writePendingEnrolment = (db: SyncDb, p: PendingEnrolment, at: string) =>
  setConfig(db, PENDING_ENROLMENT_KEY, p, at, true);
export const clearPendingEnrolment = (db: SyncDb) =>
  db.prepare('DELETE FROM kiosk_config WHERE key = ?').run(PENDING_ENROLMENT_KEY);

export function readSyncState(db: SyncDb): SyncState {
  const r = syncStateSchema.safeParse(getConfig(db, STATE_KEY));
  return r.success ? r.data : { lastSuccessAt: null, lastError: null, lastErrorAt: null, online: false };
}
export const writeSyncState = (db: SyncDb, s: SyncState, at: string) => setConfig(db, STATE_KEY, s, at);

/**
 * Where a new hall is to start (docs/sync-protocol.md, 2): the oldest row no hall acknowledged, else
 * the seq the outbox will hand out next (AUTOINCREMENT: sqlite_sequence holds the last one given,
 * even when retention purged the rows).
 */
export function firstUnacknowledgedSeq(db: SyncDb): number {
  const pending = db.prepare('SELECT min(seq) FROM outbox WHERE acked_at IS NULL').pluck().get() as
    number | null;
  if (pending !== null) return pending;
  const last = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").pluck().get() as
    number | undefined;
  return (last ?? 0) + 1;
}

export const backlog = (db: SyncDb): number =>
  db.prepare('SELECT count(*) FROM outbox WHERE acked_at IS NULL').pluck().get() as number;

/** An outbox row as the push reads it (its payload opened). */
const OUTBOX_ROW = 'seq, kind, entity_id AS entityId, zk_open(payload) AS payload, acked_at AS ackedAt';

export function pendingRows(db: SyncDb, limit: number, fromSeq: number | null): OutboxRow[] {
  const cols = OUTBOX_ROW;
  return (
    fromSeq === null
      ? db.prepare(`SELECT ${cols} FROM outbox WHERE acked_at IS NULL ORDER BY seq LIMIT ?`).all(limit)
      : db.prepare(`SELECT ${cols} FROM outbox WHERE seq >= ? ORDER BY seq LIMIT ?`).all(fromSeq, limit)
  ) as OutboxRow[];
}

/** Up to `limit` unacknowledged rows after seq `after`, in seq order (the next batch, prepared ahead). */
export function pendingRowsAfter(db: SyncDb, limit: number, after: number): OutboxRow[] {
  return db
    .prepare(`SELECT ${OUTBOX_ROW} FROM outbox WHERE acked_at IS NULL AND seq > ? ORDER BY seq LIMIT ?`)
    .all(after, limit) as OutboxRow[];
}

export const countAttempt = (db: SyncDb, seqs: readonly number[], error: string | null) => {
  const st = db.prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ?');
  db.transaction(() => {
    for (const s of seqs) st.run(error, s);
  })();
};

/**
 * Marks every row up to `ackedThroughSeq` acknowledged, with the hall's answer for each, in one
 * transaction (docs/sync-protocol.md, 4.3), and tells the backend which entries were acknowledged in the same
 * transaction (an acknowledged application starts its retention clock).
 */
export function markAcked(
  db: SyncDb,
  ackedThroughSeq: number,
  results: readonly PushResult[],
  at: string,
  records: Pick<RecordHandlers, 'acknowledged'>,
): number {
  const fresh = db.prepare(
    'SELECT seq, kind, entity_id AS entityId FROM outbox WHERE seq <= ? AND acked_at IS NULL ORDER BY seq',
  );
  const one = db.prepare(
    `UPDATE outbox SET hall_status = ?, hall_reference = ?, last_error = ?, acked_at = coalesce(acked_at, ?)
     WHERE seq = ? AND seq <= ?`,
  );
  const rest = db.prepare('UPDATE outbox SET acked_at = ? WHERE seq <= ? AND acked_at IS NULL');
  return db.transaction(() => {
    const rows = fresh.all(ackedThroughSeq) as { seq: number; kind: string; entityId: string }[];
    const bySeq = new Map(results.map((r) => [r.seq, r]));
    for (const r of results) {
      one.run(
        r.status,
        r.hallReference,
        r.status === 'applied' ? null : (r.reason ?? r.status),
        at,
        r.seq,
        ackedThroughSeq,
      );
    }
    rest.run(at, ackedThroughSeq);
    const acknowledged: AcknowledgedEntry[] = rows.map((row) => ({
      kind: row.kind,
      entityId: row.entityId,
      status: bySeq.get(row.seq)?.status ?? null,
    }));
    if (acknowledged.length > 0) records.acknowledged(acknowledged, at);
    return rows.length;
  })();
}

/**
 * Retention (retention.ts): replaces the acknowledged outbox payload of each application with
 * `{"purged":true,"id":…}` — it holds the same personal data the backend has just forgotten, and the
 * hall is authoritative now. Call it inside the purge's transaction; an entry the hall has not
 * acknowledged keeps its payload (it still has to be pushed).
 */
export function forgetAcknowledgedPayloads(db: SyncDb, applicationIds: readonly string[]): void {
  if (applicationIds.length === 0) return;
  const forget = db.prepare(
    `UPDATE outbox SET payload = json_object('purged', json('true'), 'id', entity_id)
     WHERE kind = 'application' AND entity_id = ? AND acked_at IS NOT NULL`,
  );
  for (const id of applicationIds) forget.run(id);
}

export const readCursor = (db: SyncDb): string =>
  (db.prepare('SELECT cursor FROM sync_cursors WHERE stream = ?').pluck().get(CURSOR_STREAM) as
    string | undefined) ?? '';

const writeCursor = (db: SyncDb, cursor: string, at: string) =>
  db
    .prepare(
      `INSERT INTO sync_cursors (stream, cursor, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(stream) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
    )
    .run(CURSOR_STREAM, cursor, at);

/**
 * Interprets one pulled change that is newer than what the kiosk holds; runs inside the transaction
 * that stores the page and its cursor (e.g. streams.ts `createDocumentApplier`). It must not throw
 * for bad data: a throw rolls the page back and the pull is retried.
 */
export type ChangeApplier = (change: Change, at: string) => void;

/**
 * Applies one page of changes and its cursor in one transaction (docs/sync-protocol.md, 5). `guard` skips a
 * change whose version is not newer than what the kiosk holds (a re-delivered page is a no-op);
 * snapshot records are authoritative: stored without it, and handed to the applier whenever they
 * say something other than what the kiosk holds — a refused v1 after a correction-requested v1 of a
 * restored hall is applied. `epoch` is the hall log's epoch the page came from (5.1): a version is
 * only comparable with one of the same epoch (NULL, pulled before epochs, compares as before).
 * `cursor` null = keep the cursor. `applier` interprets the streams the backend owns (settings
 * documents, case statuses; streams.ts) in the same transaction; every change is also kept in
 * sync_records.
 */
export function applyPage(
  db: SyncDb,
  changes: readonly Change[],
  cursor: string | null,
  at: string,
  opts: { guard: boolean; applier?: ChangeApplier; epoch?: string | undefined },
): { applied: number; skipped: number } {
  const heldRow = db.prepare(
    'SELECT op, version, data, epoch FROM sync_records WHERE stream = ? AND key = ?',
  );
  const upsert = db.prepare(
    `INSERT INTO sync_records (stream, key, op, version, data, received_at, epoch) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(stream, key) DO UPDATE SET op = excluded.op, version = excluded.version, data = excluded.data,
       received_at = excluded.received_at, epoch = excluded.epoch`,
  );
  const epoch = opts.epoch ?? null;
  return db.transaction(() => {
    let applied = 0;
    let skipped = 0;
    for (const c of changes) {
      const held = heldRow.get(c.stream, c.key) as
        { op: string; version: number; data: string | null; epoch: string | null } | undefined;
      const data = c.op === 'del' ? null : JSON.stringify(c.data ?? null);
      const comparable =
        held !== undefined && (held.epoch === null || epoch === null || held.epoch === epoch);
      const fresh = !comparable || held.version < c.version;
      if (!fresh && opts.guard) {
        skipped++;
        continue;
      }
      upsert.run(c.stream, c.key, c.op, c.version, data, at, epoch);
      applied++;
      const differs = held === undefined || held.op !== c.op || held.data !== data;
      if (opts.guard ? fresh : differs) opts.applier?.(c, at);
    }
    if (cursor !== null) writeCursor(db, cursor, at);
    return { applied, skipped };
  })();
}

/**
 * A restored hall lost entries it had acknowledged (docs/sync-protocol.md, 5.1): its
 * lastAppliedSeq for this kiosk is behind rows the kiosk holds as acknowledged. Those rows (of this
 * enrolment: from `firstSeq`) are pending again, marked `resent_at`, and the next push sends them.
 * Returns how many. Rows whose payload retention already forgot go too: the hall rejects them,
 * which records at the hall that they were lost, instead of a gap that never closes.
 */
export function reopenLostEntries(db: SyncDb, lastAppliedSeq: number, firstSeq: number, at: string): number {
  return db
    .prepare(
      `UPDATE outbox SET acked_at = NULL, hall_status = NULL, hall_reference = NULL, resent_at = ?
       WHERE seq > ? AND seq >= ? AND acked_at IS NOT NULL`,
    )
    .run(at, lastAppliedSeq, firstSeq).changes;
}

/** Blobs this kiosk's hall confirmed holding (migration 9), so a restart does not ask again. */
export function createUploadedBlobs(db: SyncDb, kioskId: string, clock: () => Date) {
  const q = {
    has: db.prepare('SELECT 1 FROM sync_uploaded_blobs WHERE kiosk_id = ? AND sha256 = ?').pluck(),
    add: db.prepare(
      'INSERT INTO sync_uploaded_blobs (kiosk_id, sha256, uploaded_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    forget: db.prepare('DELETE FROM sync_uploaded_blobs WHERE kiosk_id = ? AND sha256 = ?'),
  };
  // A batch's blobs in one transaction: one commit (one WAL fsync) for the lot, not one per blob.
  const addAll = db.transaction((hashes: readonly string[], at: string) => {
    for (const sha256 of hashes) q.add.run(kioskId, sha256, at);
  });
  return {
    has: (sha256: string): boolean => q.has.get(kioskId, sha256) !== undefined,
    add: (sha256: string): void => void q.add.run(kioskId, sha256, clock().toISOString()),
    addAll: (hashes: readonly string[]): void => {
      if (hashes.length > 0) addAll(hashes, clock().toISOString());
    },
    forget: (sha256: string): void => void q.forget.run(kioskId, sha256),
  };
}
export type UploadedBlobs = ReturnType<typeof createUploadedBlobs>;

/**
 * Retention (retention.ts): after a purge, copies the WAL into the database and truncates it to
 * zero bytes, so the WAL keeps no page from before the purge. A reader holding a snapshot can keep
 * the checkpoint from completing; the next purge (or the next start) finishes it.
 */
export function checkpointAndTruncate(db: SyncDb): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
}
