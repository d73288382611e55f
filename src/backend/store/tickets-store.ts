/**
 * 排队取号 on the kiosk: `queue_tickets` (one per idempotency key, the number from the hall or from
 * this kiosk's offline range) and `queue_counters` (the last offline number per day and window), with
 * the window's names and queue prefix from the catalog's `window_categories`.
 */
import type { PriorityKind, WindowCode } from '../../shared/index.js';
import type { Db } from './db.js';

export type TicketRow = {
  id: string;
  number: string;
  window_code: WindowCode;
  service_date: string;
  issued_at: string;
  people_waiting: number | null;
  number_source: 'hall' | 'offline';
  print_state: 'pending' | 'printed' | 'failed';
  print_detail: string | null;
  name_zh: string;
  name_en: string;
  queue_prefix: string;
  priority: PriorityKind | null;
};

export type NewTicket = {
  id: string;
  key: string;
  window: WindowCode;
  number: string;
  serviceDate: string;
  issuedAt: string;
  priority: PriorityKind | null;
} & ({ source: 'offline' } | { source: 'hall'; peopleWaiting: number | null });

export function createTicketsStore(db: Db) {
  const select = `SELECT t.id, t.number, t.window_code, t.service_date, t.issued_at, t.people_waiting, t.number_source,
      t.print_state, t.print_detail, t.priority, w.name_zh, w.name_en, json_extract(w.data, '$.queuePrefix') AS queue_prefix
    FROM queue_tickets t JOIN window_categories w ON w.code = t.window_code`;
  const q = {
    byKey: db.prepare(`${select} WHERE t.idempotency_key = ?`),
    byId: db.prepare(`${select} WHERE t.id = ?`),
    ofDay: db.prepare(`${select} WHERE t.service_date = ? ORDER BY t.issued_at`),
    exists: db.prepare('SELECT 1 FROM queue_tickets WHERE id = ?').pluck(),
    window: db.prepare(
      "SELECT name_zh, name_en, json_extract(data, '$.queuePrefix') AS prefix FROM window_categories WHERE code = ?",
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
    windowCodes: db.prepare('SELECT code FROM window_categories ORDER BY sort_order, code').pluck(),
    insert: db.prepare(
      `INSERT INTO queue_tickets (id, idempotency_key, window_code, number, service_date, issued_at, status, people_waiting, number_source, priority)
       VALUES (@id, @key, @window, @number, @date, @at, 'issued', @waiting, @source, @priority)`,
    ),
    setPrint: db.prepare(
      'UPDATE queue_tickets SET print_state = ?, print_detail = ?, print_attempts = print_attempts + 1 WHERE id = ?',
    ),
  };
  return {
    byKey: (key: string): TicketRow | undefined => q.byKey.get(key) as TicketRow | undefined,
    byId: (id: string): TicketRow | undefined => q.byId.get(id) as TicketRow | undefined,
    ofDay: (serviceDate: string): TicketRow[] => q.ofDay.all(serviceDate) as TicketRow[],
    exists: (id: string): boolean => q.exists.get(id) !== undefined,
    window: (code: string): { name_zh: string; name_en: string; prefix: string } | undefined =>
      q.window.get(code) as { name_zh: string; name_en: string; prefix: string } | undefined,
    /** The window categories of the catalog, in its order. */
    windowCodes: (): WindowCode[] => q.windowCodes.all() as WindowCode[],
    /** The last number of the offline range taken today at this window (undefined: none yet). */
    lastOfflineNumber: (serviceDate: string, window: WindowCode, priority = false): number | undefined =>
      (priority ? q.priorityCounter : q.counter).get(serviceDate, window) as number | undefined,
    setLastOfflineNumber(serviceDate: string, window: WindowCode, n: number, priority = false): void {
      (priority ? q.setPriorityCounter : q.setCounter).run(serviceDate, window, n);
    },
    insert(t: NewTicket): void {
      q.insert.run({
        id: t.id,
        key: t.key,
        window: t.window,
        number: t.number,
        date: t.serviceDate,
        at: t.issuedAt,
        waiting: t.source === 'hall' ? t.peopleWaiting : null,
        source: t.source,
        priority: t.priority,
      });
    },
    /** One more print attempt and its outcome. */
    setPrint(id: string, state: 'printed' | 'failed', detail: string | null): void {
      q.setPrint.run(state, detail, id);
    },
  };
}
export type TicketsStore = ReturnType<typeof createTicketsStore>;
