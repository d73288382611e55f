/**
 * Queue tickets kiosks numbered from their own offline range and reported later through the outbox
 * (`queue-ticket` entries); they wait in the same queue as the numbers handed out online.
 * On the async query layer (sql.ts): the payload is sealed here, in JavaScript.
 */
import type { PriorityKind } from '../../shared/index.js';
import type { HallSql } from './sql.js';
import { waitingLine } from './waiting-line.js';

export type { WaitingTicket } from './waiting-line.js';

const Q = {
  exists: 'SELECT 1 FROM tickets WHERE id = ?',
  insert: `INSERT INTO tickets (id, kiosk_id, entry_id, window_code, number, service_date, payload, received_at, priority)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
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
    }): Promise<boolean> {
      // false: a ticket with this id was already received (nothing written).
      const r = await sql.run(Q.insert, [
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
      return r.changes > 0;
    },
    ...waitingLine(sql, 'tickets', 'received_at'),
  };
}

export type TicketStore = ReturnType<typeof createTicketStore>;
