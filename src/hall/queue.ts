/**
 * The hall's queue service (docs/sync-protocol.md, 5b): ticket numbers per window category per day, handed
 * out to kiosks online with idempotency keys (the same key → the same number, never a second one), people
 * waiting counts, and staff calling the next ticket. Tickets a kiosk issued from its own offline
 * range arrive later through the outbox (`queue-ticket` entries, table `tickets`) and wait in the
 * same queue. Online numbers start at 001 each day; kiosks' offline ranges (e.g. 900–999) are
 * configured apart from them.
 */
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

  const peopleAhead = (date: string, window: string, at: string): number =>
    numbers.waitingBefore(date, window, at) + tickets.waitingBefore(date, window, at);

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
                ...had,
                peopleWaiting: peopleAhead(had.serviceDate, had.window, had.issuedAt),
                reused: true,
              },
            };
          const last = numbers.lastNumber(v.serviceDate, v.window);
          if (last >= ONLINE_MAX)
            return hallError(409, 'range-exhausted', `no online numbers left for ${v.window} today`);
          const next = last + 1;
          numbers.setLastNumber(v.serviceDate, v.window, next);
          const number = `${v.prefix}${String(next).padStart(3, '0')}`;
          const at = clock().toISOString();
          numbers.insert({
            id: v.id,
            idempotencyKey: v.idempotencyKey,
            kioskId,
            window: v.window,
            number,
            serviceDate: v.serviceDate,
            issuedAt: at,
          });
          return {
            status: 200,
            body: {
              id: v.id,
              number,
              serviceDate: v.serviceDate,
              issuedAt: at,
              window: v.window,
              peopleWaiting: peopleAhead(v.serviceDate, v.window, at),
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

    /** Staff: call the next ticket of a window (the earliest waiting, online or reported offline). */
    callNext(window: string, serviceDate: string): HttpAnswer {
      return db
        .transaction((): HttpAnswer => {
          const a = numbers.next(serviceDate, window);
          const b = tickets.next(serviceDate, window);
          const pick =
            a && (!b || a.at <= b.at) ? { ...a, online: true } : b ? { ...b, online: false } : null;
          if (!pick) return hallError(404, 'empty', `nobody is waiting for ${window}`);
          const at = clock().toISOString();
          (pick.online ? numbers : tickets).call(pick.id, at);
          return {
            status: 200,
            body: { number: pick.number, calledAt: at, waiting: waiting(serviceDate)[window] ?? 0 },
          };
        })
        .immediate();
    },

    waiting,
  };
}
export type HallQueue = ReturnType<typeof createHallQueue>;
