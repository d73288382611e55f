/**
 * Cases (办件): the applications kiosks sent, the blobs they reference, their 补齐补正 supplements
 * and the history of staff actions on them. `status` is one of HALL_CASE_STATUSES (a CHECK since
 * migration 8).
 *
 * On the async query layer (sql.ts): payloads and event details are sealed and opened here, in
 * JavaScript, and the keys a case is found by are hashed with `sql.lookup` (migration 20).
 */
import type { HallCaseStatus } from '../../shared/case-status.js';
import { caseKeysOf } from './filled-columns.js';
import type { HallSql } from './sql.js';

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
  'id, kiosk_id AS "kioskId", jurisdiction, item_code AS "itemCode", status, received_at AS "receivedAt", updated_at AS "updatedAt"';

const Q = {
  // The keys a case is found by, hashed (migration 20: in the store, no longer a trigger).
  insKeys: (n: number) =>
    `INSERT INTO case_keys (kind, hash, application_id) VALUES ${Array.from({ length: n }, () => '(?, ?, ?)').join(', ')} ON CONFLICT DO NOTHING`,
  // A case whose status, history or supplements change is worked out again by the case list.
  unlist: 'UPDATE applications SET listed_at = NULL WHERE id = ?',
  exists: 'SELECT 1 FROM applications WHERE id = ?',
  // An application already received (its id) is not a second case: nothing inserted.
  insert: `INSERT INTO applications (id, kiosk_id, entry_id, jurisdiction, item_code, status, payload, received_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
  linkBlob: 'INSERT INTO application_blobs (application_id, sha256) VALUES (?, ?) ON CONFLICT DO NOTHING',
  summary: `SELECT ${SUMMARY} FROM applications WHERE id = ?`,
  record: `SELECT ${SUMMARY}, payload FROM applications WHERE id = ?`,
  setStatus: 'UPDATE applications SET status = ?, updated_at = ?, listed_at = NULL WHERE id = ?',
  summaries: `SELECT ${SUMMARY} FROM applications WHERE jurisdiction = ? ORDER BY received_at, id`,
  summariesIn: `SELECT ${SUMMARY} FROM applications WHERE jurisdiction = ? AND status = ? ORDER BY received_at, id`,
  records: `SELECT ${SUMMARY}, payload FROM applications WHERE jurisdiction = ? ORDER BY received_at, id`,

  supplementExists: 'SELECT 1 FROM supplements WHERE id = ?',
  insSupplement:
    'INSERT INTO supplements (id, application_id, entry_id, payload, received_at) VALUES (?, ?, ?, ?, ?)',
  supplementsOf:
    'SELECT id, payload, received_at AS "receivedAt" FROM supplements WHERE application_id = ? ORDER BY received_at',
  supplementTimesOf:
    'SELECT received_at AS at FROM supplements WHERE application_id = ? ORDER BY received_at',
  supplementTimesIn: `SELECT s.application_id AS "appId", s.received_at AS at FROM supplements s
    JOIN applications a ON a.id = s.application_id
    WHERE a.jurisdiction = ? ORDER BY s.received_at`,

  insEvent: `INSERT INTO case_events (application_id, at, staff, action, from_status, to_status, detail)
    VALUES (?, ?, ?, ?, ?, ?, ?)`,
  eventsOf: `SELECT at, staff, action, from_status AS "from", to_status AS "to", detail FROM case_events
    WHERE application_id = ? ORDER BY id`,
  historyIn: `SELECT e.application_id AS "appId", e.at, e.from_status AS "from", e.to_status AS "to"
    FROM case_events e JOIN applications a ON a.id = e.application_id
    WHERE a.jurisdiction = ? ORDER BY e.id`,
};

export function createCaseStore(sql: HallSql) {
  const opened = <T extends { payload: string }>(r: T): T => ({ ...r, payload: sql.open(r.payload) });
  return {
    exists: async (id: string): Promise<boolean> => (await sql.get(Q.exists, [id])) !== undefined,
    /** Opens the case; false (nothing written) when an application with its id was already received. */
    async insert(a: {
      id: string;
      kioskId: string;
      entryId: number;
      jurisdiction: string;
      itemCode: string;
      status: HallCaseStatus;
      payload: string;
      at: string;
    }): Promise<boolean> {
      const inserted = await sql.run(Q.insert, [
        a.id,
        a.kioskId,
        a.entryId,
        a.jurisdiction,
        a.itemCode,
        a.status,
        sql.seal(a.payload),
        a.at,
        a.at,
      ]);
      if (inserted.changes === 0) return false;
      // Every key in one statement (a round trip each would be most of a push's on PostgreSQL).
      const keys = caseKeysOf(a.payload);
      if (keys.length > 0)
        await sql.run(
          Q.insKeys(keys.length),
          keys.flatMap((k) => [k.kind, sql.lookup(k.value), a.id]),
        );
      return true;
    },
    /** Records that a case's materials include this blob (once). */
    async linkBlob(applicationId: string, sha256: string): Promise<void> {
      await sql.run(Q.linkBlob, [applicationId, sha256]);
    },
    summary: (id: string): Promise<CaseSummary | undefined> => sql.get<CaseSummary>(Q.summary, [id]),
    async record(id: string): Promise<CaseRecord | undefined> {
      const r = await sql.get<CaseRecord>(Q.record, [id]);
      return r === undefined ? undefined : opened(r);
    },
    async setStatus(id: string, status: HallCaseStatus, at: string): Promise<void> {
      await sql.run(Q.setStatus, [status, at, id]);
    },
    /** A jurisdiction's cases in the order received, optionally only those in one status. */
    summaries: (jurisdiction: string, status: string | null): Promise<CaseSummary[]> =>
      status === null
        ? sql.all<CaseSummary>(Q.summaries, [jurisdiction])
        : sql.all<CaseSummary>(Q.summariesIn, [jurisdiction, status]),
    /** A jurisdiction's cases with their payloads, in the order received. */
    records: async (jurisdiction: string): Promise<CaseRecord[]> =>
      (await sql.all<CaseRecord>(Q.records, [jurisdiction])).map(opened),

    supplementExists: async (id: string): Promise<boolean> =>
      (await sql.get(Q.supplementExists, [id])) !== undefined,
    async addSupplement(s: {
      id: string;
      applicationId: string;
      entryId: number;
      payload: string;
      at: string;
    }): Promise<void> {
      await sql.run(Q.insSupplement, [s.id, s.applicationId, s.entryId, sql.seal(s.payload), s.at]);
      await sql.run(Q.unlist, [s.applicationId]);
    },
    supplementsOf: async (
      applicationId: string,
    ): Promise<{ id: string; payload: string; receivedAt: string }[]> =>
      (
        await sql.all<{ id: string; payload: string; receivedAt: string }>(Q.supplementsOf, [applicationId])
      ).map(opened),
    /** When each supplement of a case arrived, in order. */
    supplementTimesOf: async (applicationId: string): Promise<string[]> =>
      (await sql.all<{ at: string }>(Q.supplementTimesOf, [applicationId])).map((r) => r.at),
    /** When each supplement of a jurisdiction's cases arrived, in order. */
    supplementTimesIn: (jurisdiction: string): Promise<{ appId: string; at: string }[]> =>
      sql.all<{ appId: string; at: string }>(Q.supplementTimesIn, [jurisdiction]),

    async addEvent(e: {
      applicationId: string;
      at: string;
      staff: string;
      action: string;
      from: string;
      to: string;
      detail: unknown;
    }): Promise<void> {
      await sql.run(Q.insEvent, [
        e.applicationId,
        e.at,
        e.staff,
        e.action,
        e.from,
        e.to,
        sql.sealOrNull(JSON.stringify(e.detail) ?? null),
      ]);
      await sql.run(Q.unlist, [e.applicationId]);
    },
    eventsOf: async (applicationId: string): Promise<CaseEventRow[]> =>
      (await sql.all<CaseEventRow>(Q.eventsOf, [applicationId])).map((r) => ({
        ...r,
        detail: sql.openOrNull(r.detail) as string,
      })),
    /** The status changes of a jurisdiction's cases, in the order they happened. */
    historyIn: (jurisdiction: string): Promise<(CaseHistoryEvent & { appId: string })[]> =>
      sql.all<CaseHistoryEvent & { appId: string }>(Q.historyIn, [jurisdiction]),
  };
}

export type CaseStore = ReturnType<typeof createCaseStore>;
