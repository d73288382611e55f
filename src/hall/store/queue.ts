/**
 * Queue numbers the hall hands out online (per window per day, one per idempotency key) and the
 * counters they are drawn from.
 */
import type { PriorityKind } from '../../shared/index.js';
import type { HallSql } from './sql.js';
import { waitingLine } from './waiting-line.js';

export type QueueNumber = {
  id: string;
  number: string;
  serviceDate: string;
  issuedAt: string;
  window: string;
  priority: PriorityKind | null;
};

const Q = {
  byKey: `SELECT id, number, service_date AS serviceDate, issued_at AS issuedAt, window_code AS "window", priority
    FROM queue_numbers WHERE idempotency_key = ?`,
  // Another hall node may have taken a number for the same key since this one looked: nothing
  // inserted (0 changes) instead of a unique violation. An id taken under another key still fails.
  insert: `INSERT INTO queue_numbers (id, idempotency_key, kiosk_id, window_code, number, service_date, issued_at, priority)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
};

const counter = (table: 'queue_counters' | 'queue_priority_counters') => ({
  get: `SELECT last_number FROM ${table} WHERE service_date = ? AND window_code = ?`,
  set: `INSERT INTO ${table} (service_date, window_code, last_number) VALUES (?, ?, ?)
    ON CONFLICT(service_date, window_code) DO UPDATE SET last_number = excluded.last_number`,
  // One statement, whichever node runs it: the counter goes up by one unless it is at `max` (then
  // no row comes back and nothing changes).
  take: `INSERT INTO ${table} (service_date, window_code, last_number) VALUES (?, ?, 1)
    ON CONFLICT(service_date, window_code) DO UPDATE SET last_number = ${table}.last_number + 1
      WHERE ${table}.last_number < ?
    RETURNING last_number`,
});
const ORDINARY = counter('queue_counters');
const PRIORITY = counter('queue_priority_counters');

export function createQueueNumberStore(sql: HallSql) {
  return {
    byIdempotencyKey: (key: string): Promise<QueueNumber | undefined> => sql.get<QueueNumber>(Q.byKey, [key]),
    /** The last number handed out for a window on a day (0: none yet). */
    lastNumber: async (serviceDate: string, window: string, priority = false): Promise<number> =>
      (await sql.value<number>((priority ? PRIORITY : ORDINARY).get, [serviceDate, window])) ?? 0,
    async setLastNumber(serviceDate: string, window: string, last: number, priority = false): Promise<void> {
      await sql.run((priority ? PRIORITY : ORDINARY).set, [serviceDate, window, last]);
    },
    /**
     * Takes the next number of a window on a day (1 for the first), or undefined when `max` was
     * reached: the read and the write in one statement, so two hall nodes never take the same one.
     */
    takeNumber: async (
      serviceDate: string,
      window: string,
      max: number,
      priority = false,
    ): Promise<number | undefined> => {
      if (max < 1) return undefined;
      const n = await sql.value<number>((priority ? PRIORITY : ORDINARY).take, [serviceDate, window, max]);
      return n === undefined ? undefined : Number(n);
    },
    /**
     * Records a number handed out; false (nothing written) when its idempotency key already has one
     * (another node took it at the same moment: read that one back with byIdempotencyKey).
     */
    async insert(n: {
      id: string;
      idempotencyKey: string;
      kioskId: string;
      window: string;
      number: string;
      serviceDate: string;
      issuedAt: string;
      priority: PriorityKind | null;
    }): Promise<boolean> {
      const r = await sql.run(Q.insert, [
        n.id,
        n.idempotencyKey,
        n.kioskId,
        n.window,
        n.number,
        n.serviceDate,
        n.issuedAt,
        n.priority,
      ]);
      return r.changes === 1;
    },
    ...waitingLine(sql, 'queue_numbers', 'issued_at'),
  };
}

export type QueueNumberStore = ReturnType<typeof createQueueNumberStore>;
