/**
 * Queue numbers the hall hands out online (per window per day, one per idempotency key) and the
 * counters they are drawn from.
 */
import type { PriorityKind } from '../../shared/index.js';
import type { HallDb } from './db.js';
import type { WaitingTicket } from './tickets.js';

export type QueueNumber = {
  id: string;
  number: string;
  serviceDate: string;
  issuedAt: string;
  window: string;
  priority: PriorityKind | null;
};

export function createQueueNumberStore(db: HallDb) {
  const q = {
    byKey: db.prepare(
      'SELECT id, number, service_date AS serviceDate, issued_at AS issuedAt, window_code AS window, priority FROM queue_numbers WHERE idempotency_key = ?',
    ),
    counter: db
      .prepare('SELECT last_number FROM queue_counters WHERE service_date = ? AND window_code = ?')
      .pluck(),
    setCounter: db.prepare(
      `INSERT INTO queue_counters (service_date, window_code, last_number) VALUES (?, ?, ?)
       ON CONFLICT(service_date, window_code) DO UPDATE SET last_number = excluded.last_number`,
    ),
    priorityCounter: db
      .prepare('SELECT last_number FROM queue_priority_counters WHERE service_date = ? AND window_code = ?')
      .pluck(),
    setPriorityCounter: db.prepare(
      `INSERT INTO queue_priority_counters (service_date, window_code, last_number) VALUES (?, ?, ?)
       ON CONFLICT(service_date, window_code) DO UPDATE SET last_number = excluded.last_number`,
    ),
    insert: db.prepare(
      'INSERT INTO queue_numbers (id, idempotency_key, kiosk_id, window_code, number, service_date, issued_at, priority) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    waiting: db.prepare(
      'SELECT window_code AS window, count(*) AS n FROM queue_numbers WHERE service_date = ? AND called_at IS NULL GROUP BY window_code',
    ),
    ahead: db
      .prepare(
        'SELECT count(*) FROM queue_numbers WHERE service_date = ? AND window_code = ? AND called_at IS NULL AND issued_at < ?',
      )
      .pluck(),
    aheadPriority: db
      .prepare(
        'SELECT count(*) FROM queue_numbers WHERE service_date = ? AND window_code = ? AND called_at IS NULL AND priority IS NOT NULL AND issued_at < ?',
      )
      .pluck(),
    next: db.prepare(
      'SELECT id, number, issued_at AS at FROM queue_numbers WHERE service_date = ? AND window_code = ? AND called_at IS NULL ORDER BY issued_at, number LIMIT 1',
    ),
    nextPriority: db.prepare(
      'SELECT id, number, issued_at AS at FROM queue_numbers WHERE service_date = ? AND window_code = ? AND called_at IS NULL AND priority IS NOT NULL ORDER BY issued_at, number LIMIT 1',
    ),
    call: db.prepare('UPDATE queue_numbers SET called_at = ? WHERE id = ?'),
  };
  return {
    byIdempotencyKey: (key: string): QueueNumber | undefined => q.byKey.get(key) as QueueNumber | undefined,
    /** The last number handed out for a window on a day (0: none yet). */
    lastNumber: (serviceDate: string, window: string, priority = false): number =>
      ((priority ? q.priorityCounter : q.counter).get(serviceDate, window) as number | undefined) ?? 0,
    setLastNumber(serviceDate: string, window: string, last: number, priority = false): void {
      (priority ? q.setPriorityCounter : q.setCounter).run(serviceDate, window, last);
    },
    insert(n: {
      id: string;
      idempotencyKey: string;
      kioskId: string;
      window: string;
      number: string;
      serviceDate: string;
      issuedAt: string;
      priority: PriorityKind | null;
    }): void {
      q.insert.run(
        n.id,
        n.idempotencyKey,
        n.kioskId,
        n.window,
        n.number,
        n.serviceDate,
        n.issuedAt,
        n.priority,
      );
    },
    waitingByWindow: (serviceDate: string): { window: string; n: number }[] =>
      q.waiting.all(serviceDate) as { window: string; n: number }[],
    waitingBefore: (serviceDate: string, window: string, at: string): number =>
      q.ahead.get(serviceDate, window, at) as number,
    /** Priority numbers of a window waiting since before `at`. */
    priorityWaitingBefore: (serviceDate: string, window: string, at: string): number =>
      q.aheadPriority.get(serviceDate, window, at) as number,
    /** The earliest number of a window not yet called (only priority ones with `priorityOnly`). */
    next: (serviceDate: string, window: string, priorityOnly = false): WaitingTicket | undefined =>
      (priorityOnly ? q.nextPriority : q.next).get(serviceDate, window) as WaitingTicket | undefined,
    call(id: string, at: string): void {
      q.call.run(at, id);
    },
  };
}

export type QueueNumberStore = ReturnType<typeof createQueueNumberStore>;
