/**
 * The staff desk's 叫号 panel (migration 15): one queue per window per day made of the numbers handed
 * out online (queue_numbers) and the tickets kiosks numbered from their offline ranges (tickets),
 * scoped by the jurisdiction of the kiosk that issued them (属地: a clerk sees and calls only their
 * jurisdiction's numbers). Rows are told apart by `source`.
 */
import type { PriorityKind } from '../../shared/queue-ticket.js';
import type { HallDb } from './db.js';

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

const COLS = (table: string, at: string) => `
  t.id AS id, '${table === 'queue_numbers' ? 'online' : 'offline'}' AS source, t.number AS number,
  t.window_code AS window, k.jurisdiction AS jurisdiction, t.priority AS priority, t.${at} AS issuedAt,
  t.called_at AS calledAt, t.called_by AS calledBy, t.recall_count AS recalls, t.skipped_at AS skippedAt,
  t.transferred_from AS transferredFrom, t.transferred_at AS transferredAt, t.recalled_at AS recalledAt`;

/** Both tables as one, each row with its kiosk's jurisdiction. */
const BOTH = `
  SELECT ${COLS('queue_numbers', 'issued_at')}, t.service_date AS serviceDate
    FROM queue_numbers t JOIN kiosks k ON k.id = t.kiosk_id
  UNION ALL
  SELECT ${COLS('tickets', 'received_at')}, t.service_date AS serviceDate
    FROM tickets t JOIN kiosks k ON k.id = t.kiosk_id`;

export function createDeskQueueStore(db: HallDb) {
  const q = {
    day: db.prepare(
      `SELECT * FROM (${BOTH}) WHERE serviceDate = ? AND jurisdiction = ? ORDER BY window, issuedAt, number`,
    ),
    byId: db.prepare(`SELECT * FROM (${BOTH}) WHERE id = ? LIMIT 1`),
    serviceDateOf: db.prepare(`SELECT serviceDate FROM (${BOTH}) WHERE id = ? LIMIT 1`).pluck(),
    // Priority first (优先号), then the earliest; online and offline numbers in one order.
    next: db.prepare(
      `SELECT * FROM (${BOTH}) WHERE serviceDate = ? AND window = ? AND jurisdiction = ? AND calledAt IS NULL
        ORDER BY priority IS NULL, issuedAt, number LIMIT 1`,
    ),
    waiting: db
      .prepare(
        `SELECT count(*) FROM (${BOTH}) WHERE serviceDate = ? AND window = ? AND jurisdiction = ? AND calledAt IS NULL`,
      )
      .pluck(),
  };
  const forTable = (table: 'queue_numbers' | 'tickets') => ({
    call: db.prepare(`UPDATE ${table} SET called_at = ?, called_by = ? WHERE id = ? AND called_at IS NULL`),
    recall: db.prepare(
      `UPDATE ${table} SET recall_count = recall_count + 1, recalled_at = ?, skipped_at = NULL WHERE id = ? AND called_at IS NOT NULL`,
    ),
    skip: db.prepare(`UPDATE ${table} SET skipped_at = ? WHERE id = ? AND called_at IS NOT NULL`),
    transfer: db.prepare(
      `UPDATE ${table} SET transferred_from = window_code, transferred_at = ?, window_code = ?,
         called_at = NULL, called_by = NULL, skipped_at = NULL WHERE id = ?`,
    ),
  });
  const online = forTable('queue_numbers');
  const offline = forTable('tickets');
  const of = (row: DeskQueueRow) => (row.source === 'online' ? online : offline);

  return {
    /** Today's numbers of a jurisdiction, by window, in the order they were issued. */
    day: (serviceDate: string, jurisdiction: string): DeskQueueRow[] =>
      q.day.all(serviceDate, jurisdiction) as DeskQueueRow[],
    byId: (id: string): DeskQueueRow | undefined => q.byId.get(id) as DeskQueueRow | undefined,
    next: (serviceDate: string, window: string, jurisdiction: string): DeskQueueRow | undefined =>
      q.next.get(serviceDate, window, jurisdiction) as DeskQueueRow | undefined,
    waiting: (serviceDate: string, window: string, jurisdiction: string): number =>
      q.waiting.get(serviceDate, window, jurisdiction) as number,
    serviceDateOf: (id: string): string | undefined => q.serviceDateOf.get(id) as string | undefined,
    call: (row: DeskQueueRow, at: string, by: string): boolean =>
      of(row).call.run(at, by, row.id).changes === 1,
    recall: (row: DeskQueueRow, at: string): boolean => of(row).recall.run(at, row.id).changes === 1,
    skip: (row: DeskQueueRow, at: string): boolean => of(row).skip.run(at, row.id).changes === 1,
    transfer: (row: DeskQueueRow, to: string, at: string): boolean =>
      of(row).transfer.run(at, to, row.id).changes === 1,
  };
}

export type DeskQueueStore = ReturnType<typeof createDeskQueueStore>;
