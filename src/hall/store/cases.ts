/**
 * Cases (办件): the applications kiosks sent, the blobs they reference, their 补齐补正 supplements
 * and the history of staff actions on them. `status` is one of HALL_CASE_STATUSES (a CHECK since
 * migration 8).
 */
import type { HallCaseStatus } from '../../shared/case-status.js';
import { hallSqlOf, type HallDb } from './db.js';
import { caseKeysOf } from './filled-columns.js';

/** An application without its payload. */
export type CaseSummary = {
  id: string;
  kioskId: string;
  jurisdiction: string;
  itemCode: string;
  status: HallCaseStatus;
  receivedAt: string;
  updatedAt: string;
};
/** An application with its payload as the kiosk sent it (read it with readApplication). */
export type CaseRecord = CaseSummary & { payload: string };

/** One staff action in a case's history, its detail as stored JSON text. */
export type CaseEventRow = {
  at: string;
  staff: string;
  action: string;
  from: string;
  to: string;
  detail: string;
};
/** A status change in a case's history (what 电子监察 counts pauses from). */
export type CaseHistoryEvent = { at: string; from: string; to: string };

const SUMMARY =
  'id, kiosk_id AS kioskId, jurisdiction, item_code AS itemCode, status, received_at AS receivedAt, updated_at AS updatedAt';

export function createCaseStore(db: HallDb) {
  const sql = hallSqlOf(db);
  const q = {
    // The keys a case is found by, hashed (migration 20: in the store, no longer a trigger).
    insKey: db.prepare(
      'INSERT INTO case_keys (kind, hash, application_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    // A case whose status, history or supplements change is worked out again by the case list.
    unlist: db.prepare('UPDATE applications SET listed_at = NULL WHERE id = ?'),
    exists: db.prepare('SELECT 1 FROM applications WHERE id = ?').pluck(),
    insert: db.prepare(
      `INSERT INTO applications (id, kiosk_id, entry_id, jurisdiction, item_code, status, payload, received_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, zk_seal(?), ?, ?)`,
    ),
    linkBlob: db.prepare('INSERT OR IGNORE INTO application_blobs (application_id, sha256) VALUES (?, ?)'),
    summary: db.prepare(`SELECT ${SUMMARY} FROM applications WHERE id = ?`),
    record: db.prepare(`SELECT ${SUMMARY}, zk_open(payload) AS payload FROM applications WHERE id = ?`),
    setStatus: db.prepare(
      'UPDATE applications SET status = ?, updated_at = ?, listed_at = NULL WHERE id = ?',
    ),
    summaries: db.prepare(
      `SELECT ${SUMMARY} FROM applications WHERE jurisdiction = ? AND (? IS NULL OR status = ?) ORDER BY received_at, id`,
    ),
    records: db.prepare(
      `SELECT ${SUMMARY}, zk_open(payload) AS payload FROM applications WHERE jurisdiction = ? ORDER BY received_at, id`,
    ),

    supplementExists: db.prepare('SELECT 1 FROM supplements WHERE id = ?').pluck(),
    insSupplement: db.prepare(
      'INSERT INTO supplements (id, application_id, entry_id, payload, received_at) VALUES (?, ?, ?, zk_seal(?), ?)',
    ),
    supplementsOf: db.prepare(
      'SELECT id, zk_open(payload) AS payload, received_at AS receivedAt FROM supplements WHERE application_id = ? ORDER BY received_at',
    ),
    supplementTimesOf: db
      .prepare('SELECT received_at FROM supplements WHERE application_id = ? ORDER BY received_at')
      .pluck(),
    supplementTimesIn: db.prepare(
      `SELECT s.application_id AS appId, s.received_at AS at FROM supplements s JOIN applications a ON a.id = s.application_id
       WHERE a.jurisdiction = ? ORDER BY s.received_at`,
    ),

    insEvent: db.prepare(
      'INSERT INTO case_events (application_id, at, staff, action, from_status, to_status, detail) VALUES (?, ?, ?, ?, ?, ?, zk_seal(?))',
    ),
    eventsOf: db.prepare(
      `SELECT at, staff, action, from_status AS "from", to_status AS "to", zk_open(detail) AS detail FROM case_events
       WHERE application_id = ? ORDER BY id`,
    ),
    historyIn: db.prepare(
      `SELECT e.application_id AS appId, e.at, e.from_status AS "from", e.to_status AS "to"
       FROM case_events e JOIN applications a ON a.id = e.application_id
       WHERE a.jurisdiction = ? ORDER BY e.id`,
    ),
  };

  return {
    exists: (id: string): boolean => q.exists.get(id) !== undefined,
    insert(a: {
      id: string;
      kioskId: string;
      entryId: number;
      jurisdiction: string;
      itemCode: string;
      status: HallCaseStatus;
      payload: string;
      at: string;
    }): void {
      q.insert.run(a.id, a.kioskId, a.entryId, a.jurisdiction, a.itemCode, a.status, a.payload, a.at, a.at);
      for (const k of caseKeysOf(a.payload)) q.insKey.run(k.kind, sql.lookup(k.value), a.id);
    },
    /** Records that a case's materials include this blob (once). */
    linkBlob(applicationId: string, sha256: string): void {
      q.linkBlob.run(applicationId, sha256);
    },
    summary: (id: string): CaseSummary | undefined => q.summary.get(id) as CaseSummary | undefined,
    record: (id: string): CaseRecord | undefined => q.record.get(id) as CaseRecord | undefined,
    setStatus(id: string, status: HallCaseStatus, at: string): void {
      q.setStatus.run(status, at, id);
    },
    /** A jurisdiction's cases in the order received, optionally only those in one status. */
    summaries: (jurisdiction: string, status: string | null): CaseSummary[] =>
      q.summaries.all(jurisdiction, status, status) as CaseSummary[],
    /** A jurisdiction's cases with their payloads, in the order received. */
    records: (jurisdiction: string): CaseRecord[] => q.records.all(jurisdiction) as CaseRecord[],

    supplementExists: (id: string): boolean => q.supplementExists.get(id) !== undefined,
    addSupplement(s: {
      id: string;
      applicationId: string;
      entryId: number;
      payload: string;
      at: string;
    }): void {
      q.insSupplement.run(s.id, s.applicationId, s.entryId, s.payload, s.at);
      q.unlist.run(s.applicationId);
    },
    supplementsOf: (applicationId: string): { id: string; payload: string; receivedAt: string }[] =>
      q.supplementsOf.all(applicationId) as { id: string; payload: string; receivedAt: string }[],
    /** When each supplement of a case arrived, in order. */
    supplementTimesOf: (applicationId: string): string[] =>
      q.supplementTimesOf.all(applicationId) as string[],
    /** When each supplement of a jurisdiction's cases arrived, in order. */
    supplementTimesIn: (jurisdiction: string): { appId: string; at: string }[] =>
      q.supplementTimesIn.all(jurisdiction) as { appId: string; at: string }[],

    addEvent(e: {
      applicationId: string;
      at: string;
      staff: string;
      action: string;
      from: string;
      to: string;
      detail: unknown;
    }): void {
      q.insEvent.run(e.applicationId, e.at, e.staff, e.action, e.from, e.to, JSON.stringify(e.detail));
      q.unlist.run(e.applicationId);
    },
    eventsOf: (applicationId: string): CaseEventRow[] => q.eventsOf.all(applicationId) as CaseEventRow[],
    /** The status changes of a jurisdiction's cases, in the order they happened. */
    historyIn: (jurisdiction: string): (CaseHistoryEvent & { appId: string })[] =>
      q.historyIn.all(jurisdiction) as (CaseHistoryEvent & { appId: string })[],
  };
}

export type CaseStore = ReturnType<typeof createCaseStore>;
