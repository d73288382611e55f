/**
 * Queue tickets kiosks numbered from their own offline range and reported later through the outbox
 * (`queue-ticket` entries); they wait in the same queue as the numbers handed out online.
 */
import type { PriorityKind } from '../../shared/index.js';
import type { HallDb } from './db.js';

export type WaitingTicket = { id: string; number: string; at: string };

export function createTicketStore(db: HallDb) {
  const q = {
    exists: db.prepare('SELECT 1 FROM tickets WHERE id = ?').pluck(),
    insert: db.prepare(
      'INSERT INTO tickets (id, kiosk_id, entry_id, window_code, number, service_date, payload, received_at, priority) VALUES (?, ?, ?, ?, ?, ?, zk_seal(?), ?, ?)',
    ),
    waiting: db.prepare(
      'SELECT window_code AS window, count(*) AS n FROM tickets WHERE service_date = ? AND called_at IS NULL GROUP BY window_code',
    ),
    ahead: db
      .prepare(
        'SELECT count(*) FROM tickets WHERE service_date = ? AND window_code = ? AND called_at IS NULL AND received_at < ?',
      )
      .pluck(),
    aheadPriority: db
      .prepare(
        'SELECT count(*) FROM tickets WHERE service_date = ? AND window_code = ? AND called_at IS NULL AND priority IS NOT NULL AND received_at < ?',
      )
      .pluck(),
    next: db.prepare(
      'SELECT id, number, received_at AS at FROM tickets WHERE service_date = ? AND window_code = ? AND called_at IS NULL ORDER BY received_at, number LIMIT 1',
    ),
    nextPriority: db.prepare(
      'SELECT id, number, received_at AS at FROM tickets WHERE service_date = ? AND window_code = ? AND called_at IS NULL AND priority IS NOT NULL ORDER BY received_at, number LIMIT 1',
    ),
    call: db.prepare('UPDATE tickets SET called_at = ? WHERE id = ?'),
  };
  return {
    exists: (id: string): boolean => q.exists.get(id) !== undefined,
    insert(t: {
      id: string;
      kioskId: string;
      entryId: number;
      window: string;
      number: string;
      serviceDate: string;
      payload: string;
      at: string;
      priority: PriorityKind | null;
    }): void {
      q.insert.run(
        t.id,
        t.kioskId,
        t.entryId,
        t.window,
        t.number,
        t.serviceDate,
        t.payload,
        t.at,
        t.priority,
      );
    },
    /** Tickets not yet called on a day, per window. */
    waitingByWindow: (serviceDate: string): { window: string; n: number }[] =>
      q.waiting.all(serviceDate) as { window: string; n: number }[],
    /** Tickets of a window waiting since before `at`. */
    waitingBefore: (serviceDate: string, window: string, at: string): number =>
      q.ahead.get(serviceDate, window, at) as number,
    /** Priority tickets of a window waiting since before `at`. */
    priorityWaitingBefore: (serviceDate: string, window: string, at: string): number =>
      q.aheadPriority.get(serviceDate, window, at) as number,
    /** The earliest ticket of a window not yet called (only priority ones with `priorityOnly`). */
    next: (serviceDate: string, window: string, priorityOnly = false): WaitingTicket | undefined =>
      (priorityOnly ? q.nextPriority : q.next).get(serviceDate, window) as WaitingTicket | undefined,
    call(id: string, at: string): void {
      q.call.run(at, id);
    },
  };
}

export type TicketStore = ReturnType<typeof createTicketStore>;
