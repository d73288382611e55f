/**
 * The hall's queue service (docs/sync-protocol.md, 5b): ticket numbers per window category per day, handed
 * out to kiosks online with idempotency keys (the same key → the same number, never a second one), people
 * waiting counts, and staff calling the next ticket. Tickets a kiosk issued from its own offline
 * range arrive later through the outbox (`queue-ticket` entries, table `tickets`) and wait in the
 * same queue. Online numbers start at 001 each day; kiosks' offline ranges (e.g. 900–999) are
 * configured apart from them.
 *
 * Priority numbers (优先号: 老年人 / 残疾人 / 孕妇, src/shared/queue-ticket.ts) are a series of their own
 * per window per day (PA001…), and staff calling the next number of a window get the earliest waiting
 * priority number first, then the earliest ordinary one. A priority number's "people ahead" counts
 * only the priority numbers before it.
 */
import { ticketNumber, type PriorityKind } from '../shared/index.js';
import { describeIssues, takeTicketRequestSchema } from '../shared/wire/index.js';
import { badRequest, hallError, type HttpAnswer } from './answers.js';
import { createQueueNumberStore, createTicketStore, type HallDb } from './store/index.js';

/** POST /v1/queue/tickets body (src/shared/wire/protocol.ts). */
export const takeTicketBody = takeTicketRequestSchema;

/** Online numbers stop before the lowest offline range kiosks use by default (900). */
export const ONLINE_MAX = 899;

export function createHallQueue(deps: { db: HallDb; clock: () => Date }) {
  const { db, clock } = deps;
  const numbers = createQueueNumberStore(db);
  const tickets = createTicketStore(db);

  const peopleAhead = (date: string, window: string, at: string, priority: PriorityKind | null): number =>
    priority
      ? numbers.priorityWaitingBefore(date, window, at) + tickets.priorityWaitingBefore(date, window, at)
      : numbers.waitingBefore(date, window, at) + tickets.waitingBefore(date, window, at);

  function waiting(serviceDate: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of [...numbers.waitingByWindow(serviceDate), ...tickets.waitingByWindow(serviceDate)]) {
      out[r.window] = (out[r.window] ?? 0) + r.n;
    }
    return out;
  }

  return {
    /** POST /v1/queue/tickets: the next number of a window for today, or the one this key already got. */
    take(kioskId: string, raw: unknown): HttpAnswer {
      const b = takeTicketBody.safeParse(raw);
      if (!b.success) return badRequest(describeIssues(b.error));
      const v = b.data;
      return db
        .transaction((): HttpAnswer => {
          const had = numbers.byIdempotencyKey(v.idempotencyKey);
          if (had)
            return {
              status: 200,
              body: {
                id: had.id,
                number: had.number,
                serviceDate: had.serviceDate,
                issuedAt: had.issuedAt,
                window: had.window,
                ...(had.priority ? { priority: had.priority } : {}),
                peopleWaiting: peopleAhead(had.serviceDate, had.window, had.issuedAt, had.priority),
                reused: true,
              },
            };
          const priority = v.priority ?? null;
          const last = numbers.lastNumber(v.serviceDate, v.window, priority !== null);
          if (last >= ONLINE_MAX)
            return hallError(409, 'range-exhausted', `no online numbers left for ${v.window} today`);
          const next = last + 1;
          numbers.setLastNumber(v.serviceDate, v.window, next, priority !== null);
          const number = ticketNumber(v.prefix, next, priority);
          const at = clock().toISOString();
          numbers.insert({
            id: v.id,
            idempotencyKey: v.idempotencyKey,
            kioskId,
            window: v.window,
            number,
            serviceDate: v.serviceDate,
            issuedAt: at,
            priority,
          });
          return {
            status: 200,
            body: {
              id: v.id,
              number,
              serviceDate: v.serviceDate,
              issuedAt: at,
              window: v.window,
              ...(priority ? { priority } : {}),
              peopleWaiting: peopleAhead(v.serviceDate, v.window, at, priority),
              reused: false,
            },
          };
        })
        .immediate();
    },

    /** GET /v1/queue/status?serviceDate=: people waiting per window. */
    status(serviceDate: string | undefined): HttpAnswer {
      if (!serviceDate || !/^\d{4}-\d{2}-\d{2}$/.test(serviceDate))
        return badRequest('serviceDate=YYYY-MM-DD is required');
      return { status: 200, body: { serviceDate, waiting: waiting(serviceDate) } };
    },

    /**
     * Staff: call the next ticket of a window — the earliest waiting priority number (online or
     * reported offline) if there is one, otherwise the earliest waiting ordinary one.
     */
    callNext(window: string, serviceDate: string): HttpAnswer {
      return db
        .transaction((): HttpAnswer => {
          const earliest = (priorityOnly: boolean) => {
            const a = numbers.next(serviceDate, window, priorityOnly);
            const b = tickets.next(serviceDate, window, priorityOnly);
            return a && (!b || a.at <= b.at) ? { ...a, online: true } : b ? { ...b, online: false } : null;
          };
          const priority = earliest(true);
          const pick = priority ?? earliest(false);
          if (!pick) return hallError(404, 'empty', `nobody is waiting for ${window}`);
          const at = clock().toISOString();
          (pick.online ? numbers : tickets).call(pick.id, at);
          return {
            status: 200,
            body: {
              number: pick.number,
              priority: priority !== null,
              calledAt: at,
              waiting: waiting(serviceDate)[window] ?? 0,
            },
          };
        })
        .immediate();
    },

    waiting,
  };
}
export type HallQueue = ReturnType<typeof createHallQueue>;
