/**
 * 排队取号: issues a ticket for a window category and prints it on the ticket printer
 * (docs/devices-ticket.md, "Protocol reference").
 *
 * - The ticket printer's status is checked **before** a number is taken: a resident never holds a
 *   number that was never printed.
 * - One idempotency key = one ticket: asking again (a double tap, a retry after a failed print)
 *   returns the same ticket and reprints it rather than taking a second number.
 * - Numbers come from the hall's queue service when it is reachable (sync work); offline, from this
 *   kiosk's own range (e.g. A900–A999), reset daily, reported to the hall later through the outbox.
 * - The ticket row and its outbox entry are written in one transaction.
 * - Opening hours (src/shared/opening-hours.ts, resources/calendar/window-hours.json): outside a
 *   window's hours no ticket is issued at all — not for today and not for the next opening; the
 *   answer says when the window opens next (docs/resident-journey.md, "排队取号"). A ticket already
 *   issued (same key) is still given back, so a retry at 17:00:01 does not lose the 16:59 number.
 * - Priority tickets (优先号, src/shared/queue-ticket.ts): a series of their own (PA001, offline
 *   PA900…), printed as such; the hall calls them first.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { printer as printers } from '../../devices/index.js';
import { ticketNumber, type PriorityKind, type WindowCode } from '../../shared/index.js';
import {
  parseOpeningHours,
  windowOpening,
  type DayHours,
  type NextOpening,
  type OpeningHours,
  type WindowOpening,
} from '../../shared/opening-hours.js';
import { calendarDay, type HolidayCalendar } from '../../shared/working-days.js';
import { queueQrPayload } from '../../shared/resident.js';
import { err, notFound, ok, type NotFound, type Result } from '../../shared/result.js';
import type { TakeTicketRequest, TakeTicketResponse, TicketEntry } from '../../shared/wire/index.js';
import type { Logger } from '../logger.js';
import { createAuditStore } from '../store/audit-store.js';
import type { Db } from '../store/db.js';
import { createOutboxWriter } from '../store/outbox-writer.js';
import { createTicketsStore, type TicketRow } from '../store/tickets-store.js';

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
  /** 优先号: why the resident is called first; null for an ordinary number. */
  priority: PriorityKind | null;
};

export type IssueError =
  | { kind: 'printer-unavailable'; status: printers.PrinterStatusReport['status']; detail: string }
  | { kind: 'no-ticket-printer' }
  | { kind: 'unknown-window'; window: string }
  /** Outside the window's opening hours: no ticket; when it opens next (null: not within a year). */
  | { kind: 'closed'; window: WindowCode; today: DayHours; next: NextOpening | null }
  | { kind: 'range-exhausted'; window: WindowCode; last: number };

export type Issued = { ticket: Ticket; reused: boolean };
export type IssueResult = Result<Issued, IssueError>;

export type QueueConfig = {
  offlineRangeStart: number;
  offlineRangeEnd: number;
  timeZone: string;
  /** Base of the hall's public pages (resident.progressUrl): the ticket's QR opens `<base>/queue?…`. */
  progressUrl: string;
};

/** The hall's queue service as the kiosk reaches it (sync); null answers mean "not now". */
export type HallQueueLink = {
  take(body: TakeTicketRequest): Promise<TakeTicketResponse | null>;
  status(serviceDate: string): Promise<Record<string, number> | null>;
};

/**
 * The windows' opening hours from a JSON file (the shipped resources/calendar/window-hours.json or
 * the configured `queue.hoursFile`). A missing or invalid file stops the start with its reason: a
 * kiosk that guessed the hours would hand out numbers nobody calls.
 */
export function loadWindowHours(path: string): OpeningHours {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (e) {
    throw new Error(`opening hours ${path}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const parsed = parseOpeningHours(json);
  if (!parsed.ok) throw new Error(`opening hours ${path}: ${parsed.error}`);
  return parsed.value;
}

/** The calendar day in the hall's time zone: numbers reset daily at local midnight. */
export function serviceDate(now: Date, timeZone: string): string {
  return calendarDay(now, timeZone);
}

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
  /** Opening hours of the windows and the holiday calendar they follow. */
  hours: () => OpeningHours;
  calendar: () => HolidayCalendar;
}) {
  const { db, clock, logger, config } = deps;
  const tickets = createTicketsStore(db);
  const outbox = createOutboxWriter(db);
  const audit = createAuditStore(db);

  const toTicket = (r: TicketRow): Ticket => ({
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
    priority: r.priority,
  });

  const opening = (window: WindowCode, now: Date): WindowOpening =>
    windowOpening(deps.hours(), deps.calendar(), window, now, config.timeZone);

  /** Takes the next number of this kiosk's offline range, in the same transaction as the row. */
  const takeOfflineNumber = db.transaction(
    (
      window: WindowCode,
      prefix: string,
      key: string,
      now: Date,
      priority: PriorityKind | null,
    ): { ok: true; id: string } | { ok: false; last: number } => {
      const date = serviceDate(now, config.timeZone);
      const series = priority !== null;
      const last = tickets.lastOfflineNumber(date, window, series) ?? config.offlineRangeStart - 1;
      const next = last + 1;
      if (next > config.offlineRangeEnd) return { ok: false, last };
      tickets.setLastOfflineNumber(date, window, next, series);
      const id = randomUUID();
      const number = ticketNumber(prefix, next, priority);
      tickets.insert({
        id,
        key,
        window,
        number,
        serviceDate: date,
        issuedAt: now.toISOString(),
        source: 'offline',
        priority,
      });
      const entry: TicketEntry = {
        id,
        idempotencyKey: key,
        window,
        number,
        serviceDate: date,
        issuedAt: now.toISOString(),
        source: 'offline',
        ...(priority ? { priority } : {}),
      };
      outbox.add({ kind: 'queue-ticket', payload: entry }, now.toISOString());
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
        qr: queueQrPayload(config.progressUrl, ticket),
        timeZone: config.timeZone,
        ...(ticket.priority ? { priority: ticket.priority } : {}),
      }),
    );
    const [state, detail] =
      outcome.kind === 'printed'
        ? (['printed', null] as const)
        : outcome.kind === 'refused'
          ? (['failed', `${outcome.status.status}: ${outcome.status.detail}`] as const)
          : (['failed', `${outcome.cause}: ${outcome.detail}`] as const);
    db.transaction(() => {
      tickets.setPrint(ticket.id, state, detail);
      if (state === 'failed')
        audit.record('queue-ticket-print-failed', ticket.id, { detail }, clock().toISOString());
    })();
    if (state === 'failed') logger.warn({ ticket: ticket.id, detail }, 'queue ticket did not print');
    return { ...ticket, printState: state, printDetail: detail };
  }

  return {
    async issue(input: {
      window: WindowCode;
      idempotencyKey: string;
      lang: TicketLang;
      priority?: PriorityKind | null;
      /** A technician's test ticket (console, CLI): printers are tested at night too. */
      outsideHours?: 'refuse' | 'allow';
    }): Promise<IssueResult> {
      const existing = tickets.byKey(input.idempotencyKey);
      if (existing) {
        const ticket = toTicket(existing);
        if (ticket.printState === 'printed') return ok({ ticket, reused: true });
        return ok({ ticket: await print(ticket, input.lang), reused: true });
      }
      const w = tickets.window(input.window);
      if (!w) return err({ kind: 'unknown-window', window: input.window });
      // Hours before the printer: outside them there is nothing to print, whatever its state.
      const open = opening(input.window, clock());
      if (!open.open && input.outsideHours !== 'allow')
        return err({ kind: 'closed', window: input.window, today: open.today, next: open.next });
      const priority = input.priority ?? null;
      const printer = deps.ticketPrinter();
      if (!printer) return err({ kind: 'no-ticket-printer' });
      // Status first, number second: never hand out a number that cannot be printed.
      const status = await printer.status();
      if (!printers.canPrint(status.status))
        return err({ kind: 'printer-unavailable', status: status.status, detail: status.detail });
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
              ...(priority ? { priority } : {}),
            })
            .catch(() => null)
        : null;
      let ticketId: string;
      if (online) {
        tickets.insert({
          id,
          key: input.idempotencyKey,
          window: input.window,
          number: online.number,
          serviceDate: date,
          issuedAt: online.issuedAt,
          source: 'hall',
          peopleWaiting: online.peopleWaiting,
          // A hall from before priority tickets answers an ordinary number: the ticket says so.
          priority: online.priority ?? null,
        });
        ticketId = id;
      } else {
        const taken = takeOfflineNumber.immediate(
          input.window,
          w.prefix,
          input.idempotencyKey,
          now,
          priority,
        );
        if (!taken.ok) return err({ kind: 'range-exhausted', window: input.window, last: taken.last });
        deps.onOutbox?.();
        ticketId = taken.id;
      }
      const row = tickets.byId(ticketId);
      if (!row) throw new Error(`ticket ${ticketId} was not stored`);
      const ticket = toTicket(row);
      return ok({ ticket: await print(ticket, input.lang), reused: false });
    },

    /** Prints a ticket again with the same number (after paper was refilled, say). */
    async reprint(id: string, lang: TicketLang): Promise<Result<Ticket, NotFound>> {
      const row = tickets.byId(id);
      return row ? ok(await print(toTicket(row), lang)) : notFound();
    },

    /** People waiting per window today, from the hall; null when it cannot be asked now. */
    async waiting(): Promise<Record<string, number> | null> {
      if (!deps.hall) return null;
      return deps.hall.status(serviceDate(clock(), config.timeZone)).catch(() => null);
    },

    timeZone: config.timeZone,

    /** Every window's hours today, whether it is open now and when it opens next (hall time zone). */
    hours(): { timeZone: string; windows: WindowOpening[] } {
      const now = clock();
      return { timeZone: config.timeZone, windows: tickets.windowCodes().map((w) => opening(w, now)) };
    },

    today(): Ticket[] {
      return tickets.ofDay(serviceDate(clock(), config.timeZone)).map(toTicket);
    },
  };
}
export type QueueService = ReturnType<typeof createQueueService>;
