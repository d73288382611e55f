/**
 * The staff desk's 叫号 panel (migration 15): one queue per window per day made of the numbers handed
 * out online (queue_numbers) and the tickets kiosks numbered from their offline ranges (tickets),
 * scoped by the jurisdiction of the kiosk that issued them (属地: a clerk sees and calls only their
 * jurisdiction's numbers). Rows are told apart by `source`.
 */
import type { PriorityKind } from '../../shared/queue-ticket.js';
import type { HallSql } from './sql.js';

export type DeskQueueRow = {
  id: string;
  source: 'online' | 'offline';
  number: string;
  window: string;
  jurisdiction: string;
  priority: PriorityKind | null;
  issuedAt: string;
  calledAt: string | null;
  calledBy: string | null;
  recalls: number;
  skippedAt: string | null;
  transferredFrom: string | null;
  transferredAt: string | null;
  recalledAt: string | null;
};

// `window` is a reserved word of PostgreSQL and the camelCase names are folded there unless quoted:
// the outer queries name them in double quotes (the same names on SQLite).
const COLS = (table: string, at: string) => `
  t.id AS id, '${table === 'queue_numbers' ? 'online' : 'offline'}' AS source, t.number AS number,
  t.window_code AS "window", k.jurisdiction AS jurisdiction, t.priority AS priority, t.${at} AS "issuedAt",
  t.called_at AS "calledAt", t.called_by AS "calledBy", t.recall_count AS recalls, t.skipped_at AS "skippedAt",
  t.transferred_from AS "transferredFrom", t.transferred_at AS "transferredAt", t.recalled_at AS "recalledAt"`;

/** Both tables as one, each row with its kiosk's jurisdiction. */
const BOTH = `(
  SELECT ${COLS('queue_numbers', 'issued_at')}, t.service_date AS "serviceDate"
    FROM queue_numbers t JOIN kiosks k ON k.id = t.kiosk_id
  UNION ALL
  SELECT ${COLS('tickets', 'received_at')}, t.service_date AS "serviceDate"
    FROM tickets t JOIN kiosks k ON k.id = t.kiosk_id) AS q`;

const ROW = `id, source, number, "window", jurisdiction, priority, "issuedAt", "calledAt", "calledBy", recalls,
  "skippedAt", "transferredFrom", "transferredAt", "recalledAt", "serviceDate"`;

const Q = {
  day: `SELECT ${ROW} FROM ${BOTH} WHERE "serviceDate" = ? AND jurisdiction = ?
    ORDER BY "window", "issuedAt", number`,
  byId: `SELECT ${ROW} FROM ${BOTH} WHERE id = ? LIMIT 1`,
  serviceDateOf: `SELECT "serviceDate" FROM ${BOTH} WHERE id = ? LIMIT 1`,
  // Priority first (优先号), then the earliest; online and offline numbers in one order.
  next: `SELECT ${ROW} FROM ${BOTH}
    WHERE "serviceDate" = ? AND "window" = ? AND jurisdiction = ? AND "calledAt" IS NULL
    ORDER BY CASE WHEN priority IS NULL THEN 1 ELSE 0 END, "issuedAt", number LIMIT 1`,
  waiting: `SELECT count(*) FROM ${BOTH}
    WHERE "serviceDate" = ? AND "window" = ? AND jurisdiction = ? AND "calledAt" IS NULL`,
};

const forTable = (table: 'queue_numbers' | 'tickets') => ({
  call: `UPDATE ${table} SET called_at = ?, called_by = ? WHERE id = ? AND called_at IS NULL`,
  recall: `UPDATE ${table} SET recall_count = recall_count + 1, recalled_at = ?, skipped_at = NULL
    WHERE id = ? AND called_at IS NOT NULL`,
  skip: `UPDATE ${table} SET skipped_at = ? WHERE id = ? AND called_at IS NOT NULL`,
  transfer: `UPDATE ${table} SET transferred_from = window_code, transferred_at = ?, window_code = ?,
    called_at = NULL, called_by = NULL, skipped_at = NULL WHERE id = ?`,
});
const ONLINE = forTable('queue_numbers');
const OFFLINE = forTable('tickets');
const of = (row: DeskQueueRow) => (row.source === 'online' ? ONLINE : OFFLINE);

export function createDeskQueueStore(sql: HallSql) {
  const changed = async (text: string, params: unknown[]): Promise<boolean> =>
    (await sql.run(text, params)).changes === 1;
  return {
    /** Today's numbers of a jurisdiction, by window, in the order they were issued. */
    day: (serviceDate: string, jurisdiction: string): Promise<DeskQueueRow[]> =>
      sql.all<DeskQueueRow>(Q.day, [serviceDate, jurisdiction]),
    byId: (id: string): Promise<DeskQueueRow | undefined> => sql.get<DeskQueueRow>(Q.byId, [id]),
    next: (serviceDate: string, window: string, jurisdiction: string): Promise<DeskQueueRow | undefined> =>
      sql.get<DeskQueueRow>(Q.next, [serviceDate, window, jurisdiction]),
    waiting: async (serviceDate: string, window: string, jurisdiction: string): Promise<number> =>
      (await sql.value<number>(Q.waiting, [serviceDate, window, jurisdiction])) ?? 0,
    serviceDateOf: (id: string): Promise<string | undefined> => sql.value<string>(Q.serviceDateOf, [id]),
    call: (row: DeskQueueRow, at: string, by: string): Promise<boolean> =>
      changed(of(row).call, [at, by, row.id]),
    recall: (row: DeskQueueRow, at: string): Promise<boolean> => changed(of(row).recall, [at, row.id]),
    skip: (row: DeskQueueRow, at: string): Promise<boolean> => changed(of(row).skip, [at, row.id]),
    transfer: (row: DeskQueueRow, to: string, at: string): Promise<boolean> =>
      changed(of(row).transfer, [at, to, row.id]),
  };
}

export type DeskQueueStore = ReturnType<typeof createDeskQueueStore>;
