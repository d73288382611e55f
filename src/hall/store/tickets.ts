/**
 * Queue tickets kiosks numbered from their own offline range and reported later through the outbox
 * (`queue-ticket` entries); they wait in the same queue as the numbers handed out online.
 * On the async query layer (sql.ts): the payload is sealed here, in JavaScript.
 */
import type { PriorityKind } from '../../shared/index.js';
import type { HallSql } from './sql.js';

export type WaitingTicket = { id: string; number: string; at: string };

const Q = {
  exists: 'SELECT 1 FROM tickets WHERE id = ?',
  insert: `INSERT INTO tickets (id, kiosk_id, entry_id, window_code, number, service_date, payload, received_at, priority)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  // `window` is a reserved word of PostgreSQL: quoted (the same name on SQLite).
  waiting: `SELECT window_code AS "window", count(*) AS n FROM tickets
    WHERE service_date = ? AND called_at IS NULL GROUP BY window_code`,
  ahead:
    'SELECT count(*) FROM tickets WHERE service_date = ? AND window_code = ? AND called_at IS NULL AND received_at < ?',
  aheadPriority: `SELECT count(*) FROM tickets WHERE service_date = ? AND window_code = ? AND called_at IS NULL
    AND priority IS NOT NULL AND received_at < ?`,
  next: `SELECT id, number, received_at AS at FROM tickets
    WHERE service_date = ? AND window_code = ? AND called_at IS NULL ORDER BY received_at, number LIMIT 1`,
  nextPriority: `SELECT id, number, received_at AS at FROM tickets
    WHERE service_date = ? AND window_code = ? AND called_at IS NULL AND priority IS NOT NULL
    ORDER BY received_at, number LIMIT 1`,
  call: 'UPDATE tickets SET called_at = ? WHERE id = ?',
};

export function createTicketStore(sql: HallSql) {
  return {
    exists: async (id: string): Promise<boolean> => (await sql.get(Q.exists, [id])) !== undefined,
    async insert(t: {
      id: string;
      kioskId: string;
      entryId: number;
      window: string;
      number: string;
      serviceDate: string;
      payload: string;
      at: string;
      priority: PriorityKind | null;
    }): Promise<void> {
      await sql.run(Q.insert, [
        t.id,
        t.kioskId,
        t.entryId,
        t.window,
        t.number,
        t.serviceDate,
        sql.seal(t.payload),
        t.at,
        t.priority,
      ]);
    },
    /** Tickets not yet called on a day, per window. */
    waitingByWindow: (serviceDate: string): Promise<{ window: string; n: number }[]> =>
      sql.all<{ window: string; n: number }>(Q.waiting, [serviceDate]),
    /** Tickets of a window waiting since before `at`. */
    waitingBefore: async (serviceDate: string, window: string, at: string): Promise<number> =>
      (await sql.value<number>(Q.ahead, [serviceDate, window, at])) ?? 0,
    /** Priority tickets of a window waiting since before `at`. */
    priorityWaitingBefore: async (serviceDate: string, window: string, at: string): Promise<number> =>
      (await sql.value<number>(Q.aheadPriority, [serviceDate, window, at])) ?? 0,
    /** The earliest ticket of a window not yet called (only priority ones with `priorityOnly`). */
    next: (serviceDate: string, window: string, priorityOnly = false): Promise<WaitingTicket | undefined> =>
      sql.get<WaitingTicket>(priorityOnly ? Q.nextPriority : Q.next, [serviceDate, window]),
    async call(id: string, at: string): Promise<void> {
      await sql.run(Q.call, [at, id]);
    },
  };
}

export type TicketStore = ReturnType<typeof createTicketStore>;
