/**
 * What the sync client reads and writes in the kiosk database (migrations 001–004): the outbox, the
 * pull cursor, pulled records, the enrolment and the last sync outcome in kiosk_config.
 */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { caseStatusData, type Change, type PushResult } from './protocol.js';

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

const getConfig = (db: SyncDb, key: string): unknown => {
  const v = db.prepare('SELECT value FROM kiosk_config WHERE key = ?').pluck().get(key) as string | undefined;
  return v === undefined ? undefined : (JSON.parse(v) as unknown);
};
const setConfig = (db: SyncDb, key: string, value: unknown, at: string) =>
  db
    .prepare(
      `INSERT INTO kiosk_config (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    )
    .run(key, JSON.stringify(value), at);

export function readEnrollment(db: SyncDb): Enrollment | null {
  const r = enrollmentSchema.safeParse(getConfig(db, ENROLLMENT_KEY));
  return r.success ? r.data : null;
}
export const writeEnrollment = (db: SyncDb, e: Enrollment, at: string) =>
  setConfig(db, ENROLLMENT_KEY, e, at);

export function readSyncState(db: SyncDb): SyncState {
  const r = syncStateSchema.safeParse(getConfig(db, STATE_KEY));
  return r.success ? r.data : { lastSuccessAt: null, lastError: null, lastErrorAt: null, online: false };
}
export const writeSyncState = (db: SyncDb, s: SyncState, at: string) => setConfig(db, STATE_KEY, s, at);

export const backlog = (db: SyncDb): number =>
  db.prepare('SELECT count(*) FROM outbox WHERE acked_at IS NULL').pluck().get() as number;

export function pendingRows(db: SyncDb, limit: number, fromSeq: number | null): OutboxRow[] {
  const cols = 'seq, kind, entity_id AS entityId, payload, acked_at AS ackedAt';
  return (
    fromSeq === null
      ? db.prepare(`SELECT ${cols} FROM outbox WHERE acked_at IS NULL ORDER BY seq LIMIT ?`).all(limit)
      : db.prepare(`SELECT ${cols} FROM outbox WHERE seq >= ? ORDER BY seq LIMIT ?`).all(fromSeq, limit)
  ) as OutboxRow[];
}

export const countAttempt = (db: SyncDb, seqs: readonly number[], error: string | null) => {
  const st = db.prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ?');
  db.transaction(() => {
    for (const s of seqs) st.run(error, s);
  })();
};

/**
 * Marks every row up to `ackedThroughSeq` acknowledged, with the hall's answer for each, in one
 * transaction (reference step 3). An acknowledged application also gets hall_acknowledged_at, which
 * starts its retention clock.
 */
export function markAcked(
  db: SyncDb,
  ackedThroughSeq: number,
  results: readonly PushResult[],
  at: string,
): number {
  const one = db.prepare(
    `UPDATE outbox SET hall_status = ?, hall_reference = ?, last_error = ?, acked_at = coalesce(acked_at, ?)
     WHERE seq = ? AND seq <= ?`,
  );
  const rest = db.prepare('UPDATE outbox SET acked_at = ? WHERE seq <= ? AND acked_at IS NULL');
  const apps = db.prepare(
    `UPDATE applications SET hall_acknowledged_at = coalesce(hall_acknowledged_at, ?)
     WHERE id IN (SELECT entity_id FROM outbox WHERE kind = 'application' AND seq <= ? AND hall_status = 'applied')`,
  );
  const unacked = db.prepare('SELECT count(*) FROM outbox WHERE seq <= ? AND acked_at IS NULL').pluck();
  return db.transaction(() => {
    const n = unacked.get(ackedThroughSeq) as number;
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
    apps.run(at, ackedThroughSeq);
    return n;
  })();
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
 * Applies one page of changes and its cursor in one transaction (reference step 4). `guard` skips a
 * change whose version is not newer than what the kiosk holds (a re-delivered page is a no-op);
 * snapshot records are authoritative and applied without it. `cursor` null = keep the cursor.
 * `applier` interprets the streams the backend owns (catalog, calendar, …) in the same transaction.
 */
export function applyPage(
  db: SyncDb,
  changes: readonly Change[],
  cursor: string | null,
  at: string,
  opts: { guard: boolean; applier?: ChangeApplier },
): { applied: number; skipped: number } {
  const version = db.prepare('SELECT version FROM sync_records WHERE stream = ? AND key = ?').pluck();
  const upsert = db.prepare(
    `INSERT INTO sync_records (stream, key, op, version, data, received_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(stream, key) DO UPDATE SET op = excluded.op, version = excluded.version, data = excluded.data, received_at = excluded.received_at`,
  );
  const app = db.prepare('SELECT status FROM applications WHERE id = ?').pluck();
  const history = db.prepare(
    "INSERT INTO application_status_history (application_id, status, at, source, note, detail) VALUES (?, ?, ?, 'hall', ?, ?)",
  );
  const setStatus = db.prepare('UPDATE applications SET status = ?, updated_at = ? WHERE id = ?');
  return db.transaction(() => {
    let applied = 0;
    let skipped = 0;
    for (const c of changes) {
      const held = version.get(c.stream, c.key) as number | undefined;
      const fresh = held === undefined || held < c.version;
      if (!fresh && opts.guard) {
        skipped++;
        continue;
      }
      upsert.run(
        c.stream,
        c.key,
        c.op,
        c.version,
        c.op === 'del' ? null : JSON.stringify(c.data ?? null),
        at,
      );
      applied++;
      // Streams the kiosk interprets; any other stream is only kept in sync_records (a hall may add
      // streams without breaking older kiosks).
      if (fresh && c.stream !== 'case-status') opts.applier?.(c, at);
      if (fresh && c.stream === 'case-status' && c.op === 'put') {
        const d = caseStatusData.safeParse(c.data);
        if (d.success && app.get(c.key) !== undefined) {
          const { status, at: when, note, ...detail } = d.data;
          // The resident reads the note: the hall's own note, else its 办结 result or refusal reason.
          const shown =
            note ??
            (typeof detail.result === 'string'
              ? detail.result
              : typeof detail.reason === 'string'
                ? detail.reason
                : null);
          history.run(
            c.key,
            status,
            when,
            shown,
            Object.keys(detail).length > 0 ? JSON.stringify(detail) : null,
          );
          setStatus.run(status, at, c.key);
        }
      }
    }
    if (cursor !== null) writeCursor(db, cursor, at);
    return { applied, skipped };
  })();
}
