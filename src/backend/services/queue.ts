/**
 * 排队取号: issues a ticket for a window category and prints it on the ticket printer
 * (shared/reference/scanners-and-queue.md, "Queue tickets").
 *
 * - The ticket printer's status is checked **before** a number is taken: a resident never holds a
 *   number that was never printed.
 * - One idempotency key = one ticket: asking again (a double tap, a retry after a failed print)
 *   returns the same ticket and reprints it rather than taking a second number.
 * - Numbers come from the hall's queue service when it is reachable (sync work); offline, from this
 *   kiosk's own range (e.g. A900–A999), reset daily, reported to the hall later through the outbox.
 * - The ticket row and its outbox entry are written in one transaction.
 */
import { randomUUID } from 'node:crypto';
import { printer as printers } from '../../devices/index.js';
import type { WindowCode } from '../../shared/index.js';
import type { Logger } from '../logger.js';
import type { Db } from '../store/db.js';
import {
  encodeEntry,
  type TakeTicketRequest,
  type TakeTicketResponse,
  type TicketEntry,
} from '../../shared/wire/index.js';

export type TicketLang = 'zh' | 'en';

export type Ticket = {
  id: string;
  number: string;
  window: WindowCode;
  windowName: { zh: string; en: string };
  serviceDate: string;
  issuedAt: string;
  /** People ahead; null when unknown (a number from the offline range). */
  peopleWaiting: number | null;
  source: 'hall' | 'offline';
  printState: 'pending' | 'printed' | 'failed';
  printDetail: string | null;
};

export type IssueError =
  | { kind: 'printer-unavailable'; status: printers.PrinterStatusReport['status']; detail: string }
  | { kind: 'no-ticket-printer' }
  | { kind: 'unknown-window'; window: string }
  | { kind: 'range-exhausted'; window: WindowCode; last: number };

export type IssueResult =
  { ok: true; ticket: Ticket; reused: boolean } | { ok: false; error: IssueError; ticket?: Ticket };

export type QueueConfig = { offlineRangeStart: number; offlineRangeEnd: number; timeZone: string };

/** The hall's queue service as the kiosk reaches it (sync); null answers mean "not now". */
export type HallQueueLink = {
  take(body: TakeTicketRequest): Promise<TakeTicketResponse | null>;
  status(serviceDate: string): Promise<Record<string, number> | null>;
};

/** The calendar day in the hall's time zone: numbers reset daily at local midnight. */
export function serviceDate(now: Date, timeZone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(now)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}`;
}

type Row = {
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
};

export function createQueueService(deps: {
  db: Db;
  clock: () => Date;
  logger: Logger;
  config: QueueConfig;
  hallName: () => { zh: string; en: string };
  /** The ticket printer, or null when none is fitted. */
  ticketPrinter: () => printers.ReceiptPrinter | null;
  /** Called after a commit that wrote an outbox row (wakes the sync loop). */
  onOutbox?: () => void;
  /** The hall's queue service: numbers and people waiting when online. */
  hall?: HallQueueLink;
}) {
  const { db, clock, logger, config } = deps;
  const select = `SELECT t.id, t.number, t.window_code, t.service_date, t.issued_at, t.people_waiting, t.number_source,
      t.print_state, t.print_detail, w.name_zh, w.name_en, json_extract(w.data, '$.queuePrefix') AS queue_prefix
    FROM queue_tickets t JOIN window_categories w ON w.code = t.window_code`;
  const byKey = db.prepare(`${select} WHERE t.idempotency_key = ?`);
  const byId = db.prepare(`${select} WHERE t.id = ?`);
  const today = db.prepare(`${select} WHERE t.service_date = ? ORDER BY t.issued_at`);
  const windowRow = db.prepare(
    "SELECT name_zh, name_en, json_extract(data, '$.queuePrefix') AS prefix FROM window_categories WHERE code = ?",
  );
  const counter = db
    .prepare('SELECT last_number FROM queue_counters WHERE service_date = ? AND window_code = ?')
    .pluck();
  const upCounter = db.prepare(
    `INSERT INTO queue_counters (service_date, window_code, last_number) VALUES (?, ?, ?)
     ON CONFLICT(service_date, window_code) DO UPDATE SET last_number = excluded.last_number`,
  );
  const insTicket = db.prepare(
    `INSERT INTO queue_tickets (id, idempotency_key, window_code, number, service_date, issued_at, status, people_waiting, number_source)
     VALUES (@id, @key, @window, @number, @date, @at, 'issued', NULL, 'offline')`,
  );
  const insHallTicket = db.prepare(
    `INSERT INTO queue_tickets (id, idempotency_key, window_code, number, service_date, issued_at, status, people_waiting, number_source)
     VALUES (@id, @key, @window, @number, @date, @at, 'issued', @waiting, 'hall')`,
  );
  const insOutbox = db.prepare(
    "INSERT INTO outbox (kind, entity_id, payload, created_at) VALUES ('queue-ticket', ?, ?, ?)",
  );
  const setPrint = db.prepare(
    'UPDATE queue_tickets SET print_state = ?, print_detail = ?, print_attempts = print_attempts + 1 WHERE id = ?',
  );
  const audit = db.prepare(
    "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, 'kiosk', ?, ?, ?)",
  );

  const toTicket = (r: Row): Ticket => ({
    id: r.id,
    number: r.number,
    window: r.window_code,
    windowName: { zh: r.name_zh, en: r.name_en },
    serviceDate: r.service_date,
    issuedAt: r.issued_at,
    peopleWaiting: r.people_waiting,
    source: r.number_source,
    printState: r.print_state,
    printDetail: r.print_detail,
  });

  /** Takes the next number of this kiosk's offline range, in the same transaction as the row. */
  const takeOfflineNumber = db.transaction(
    (
      window: WindowCode,
      prefix: string,
      key: string,
      now: Date,
    ): { ok: true; id: string } | { ok: false; last: number } => {
      const date = serviceDate(now, config.timeZone);
      const last = (counter.get(date, window) as number | undefined) ?? config.offlineRangeStart - 1;
      const next = last + 1;
      if (next > config.offlineRangeEnd) return { ok: false, last };
      upCounter.run(date, window, next);
      const id = randomUUID();
      const number = `${prefix}${String(next).padStart(3, '0')}`;
      insTicket.run({ id, key, window, number, date, at: now.toISOString() });
      const entry: TicketEntry = {
        id,
        idempotencyKey: key,
        window,
        number,
        serviceDate: date,
        issuedAt: now.toISOString(),
        source: 'offline',
      };
      insOutbox.run(id, encodeEntry('queue-ticket', entry), now.toISOString());
      return { ok: true, id };
    },
  );

  async function print(ticket: Ticket, lang: TicketLang): Promise<Ticket> {
    const printer = deps.ticketPrinter();
    if (!printer) return ticket;
    const hall = deps.hallName();
    const outcome = await printer.print(
      printers.queueTicket({
        lang,
        hallName: lang === 'zh' ? hall.zh : hall.en,
        categoryName: lang === 'zh' ? ticket.windowName.zh : ticket.windowName.en,
        number: ticket.number,
        waiting: ticket.peopleWaiting ?? 'unknown',
        issuedAt: new Date(ticket.issuedAt),
        window: lang === 'zh' ? `${ticket.windowName.zh}综合窗口` : `${ticket.windowName.en} window`,
        qr: `ZZQ:${ticket.id}`,
        timeZone: config.timeZone,
      }),
    );
    const [state, detail] =
      outcome.kind === 'printed'
        ? (['printed', null] as const)
        : outcome.kind === 'refused'
          ? (['failed', `${outcome.status.status}: ${outcome.status.detail}`] as const)
          : (['failed', `${outcome.cause}: ${outcome.detail}`] as const);
    setPrint.run(state, detail, ticket.id);
    if (state === 'failed') {
      logger.warn({ ticket: ticket.id, detail }, 'queue ticket did not print');
      audit.run(clock().toISOString(), 'queue-ticket-print-failed', ticket.id, JSON.stringify({ detail }));
    }
    return { ...ticket, printState: state, printDetail: detail };
  }

  return {
    async issue(input: {
      window: WindowCode;
      idempotencyKey: string;
      lang: TicketLang;
    }): Promise<IssueResult> {
      const existing = byKey.get(input.idempotencyKey) as Row | undefined;
      if (existing) {
        const ticket = toTicket(existing);
        if (ticket.printState === 'printed') return { ok: true, ticket, reused: true };
        return { ok: true, ticket: await print(ticket, input.lang), reused: true };
      }
      const w = windowRow.get(input.window) as
        { name_zh: string; name_en: string; prefix: string } | undefined;
      if (!w) return { ok: false, error: { kind: 'unknown-window', window: input.window } };
      const printer = deps.ticketPrinter();
      if (!printer) return { ok: false, error: { kind: 'no-ticket-printer' } };
      // Status first, number second: never hand out a number that cannot be printed.
      const status = await printer.status();
      if (!printers.canPrint(status.status)) {
        return {
          ok: false,
          error: { kind: 'printer-unavailable', status: status.status, detail: status.detail },
        };
      }
      // Online: the hall's number (and how many are ahead); the hall already holds the ticket, so
      // no outbox entry. Offline or no quick answer: this kiosk's own range, reported later.
      const now = clock();
      const date = serviceDate(now, config.timeZone);
      const id = randomUUID();
      const online = deps.hall
        ? await deps.hall
            .take({
              id,
              idempotencyKey: input.idempotencyKey,
              window: input.window,
              prefix: w.prefix,
              serviceDate: date,
            })
            .catch(() => null)
        : null;
      let ticketId: string;
      if (online) {
        insHallTicket.run({
          id,
          key: input.idempotencyKey,
          window: input.window,
          number: online.number,
          date,
          at: online.issuedAt,
          waiting: online.peopleWaiting,
        });
        ticketId = id;
      } else {
        const taken = takeOfflineNumber.immediate(input.window, w.prefix, input.idempotencyKey, now);
        if (!taken.ok) {
          return { ok: false, error: { kind: 'range-exhausted', window: input.window, last: taken.last } };
        }
        deps.onOutbox?.();
        ticketId = taken.id;
      }
      const ticket = toTicket(byId.get(ticketId) as Row);
      return { ok: true, ticket: await print(ticket, input.lang), reused: false };
    },

    /** Prints a ticket again with the same number (after paper was refilled, say). */
    async reprint(id: string, lang: TicketLang): Promise<Ticket | null> {
      const row = byId.get(id) as Row | undefined;
      return row ? print(toTicket(row), lang) : null;
    },

    /** People waiting per window today, from the hall; null when it cannot be asked now. */
    async waiting(): Promise<Record<string, number> | null> {
      if (!deps.hall) return null;
      return deps.hall.status(serviceDate(clock(), config.timeZone)).catch(() => null);
    },

    today(): Ticket[] {
      return (today.all(serviceDate(clock(), config.timeZone)) as Row[]).map(toTicket);
    },
  };
}
export type QueueService = ReturnType<typeof createQueueService>;
