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
import {
  createQueueNumberStore,
  createTicketStore,
  hallSqlOf,
  type HallDatabase,
  type QueueNumber,
} from './store/index.js';

/** POST /v1/queue/tickets body (src/shared/wire/protocol.ts). */
export const takeTicketBody = takeTicketRequestSchema;

/** Online numbers stop before the lowest offline range kiosks use by default (900). */
export const ONLINE_MAX = 899;

/** Rolls back the savepoint of a take whose idempotency key another hall node recorded first. */
class TakenElsewhere extends Error {}

export function createHallQueue(deps: { db: HallDatabase; clock: () => Date }) {
  const { db, clock } = deps;
  const sql = hallSqlOf(db);
  const numbers = createQueueNumberStore(sql);
  const tickets = createTicketStore(hallSqlOf(db));

  const peopleAhead = async (
    date: string,
    window: string,
    at: string,
    priority: PriorityKind | null,
  ): Promise<number> =>
    priority
      ? (await numbers.priorityWaitingBefore(date, window, at)) +
        (await tickets.priorityWaitingBefore(date, window, at))
      : (await numbers.waitingBefore(date, window, at)) + (await tickets.waitingBefore(date, window, at));

  async function waiting(serviceDate: string): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    const rows = [
      ...(await numbers.waitingByWindow(serviceDate)),
      ...(await tickets.waitingByWindow(serviceDate)),
    ];
    for (const r of rows) {
      out[r.window] = (out[r.window] ?? 0) + r.n;
    }
    return out;
  }

  return {
    /** POST /v1/queue/tickets: the next number of a window for today, or the one this key already got. */
    async take(kioskId: string, raw: unknown): Promise<HttpAnswer> {
      const b = takeTicketBody.safeParse(raw);
      if (!b.success) return badRequest(describeIssues(b.error));
      const v = b.data;
      const reused = async (had: QueueNumber): Promise<HttpAnswer> => ({
        status: 200,
        body: {
          id: had.id,
          number: had.number,
          serviceDate: had.serviceDate,
          issuedAt: had.issuedAt,
          window: had.window,
          ...(had.priority ? { priority: had.priority } : {}),
          peopleWaiting: await peopleAhead(had.serviceDate, had.window, had.issuedAt, had.priority),
          reused: true,
        },
      });
      return sql.transaction(async (): Promise<HttpAnswer> => {
        const had = await numbers.byIdempotencyKey(v.idempotencyKey);
        if (had) return reused(had);
        const priority = v.priority ?? null;
        // The number taken and recorded in a savepoint: when another hall node recorded one for this
        // key meanwhile (PostgreSQL; SQLite's IMMEDIATE transaction serialises the nodes), the number
        // taken here is given back and the key's number answered, as to a retry.
        const taken = await sql
          .transaction(async () => {
            const next = await numbers.takeNumber(v.serviceDate, v.window, ONLINE_MAX, priority !== null);
            if (next === undefined) return undefined;
            const number = ticketNumber(v.prefix, next, priority);
            const at = clock().toISOString();
            const inserted = await numbers.insert({
              id: v.id,
              idempotencyKey: v.idempotencyKey,
              kioskId,
              window: v.window,
              number,
              serviceDate: v.serviceDate,
              issuedAt: at,
              priority,
            });
            if (!inserted) throw new TakenElsewhere();
            return { number, at };
          })
          .catch((e: unknown) => {
            if (e instanceof TakenElsewhere) return 'elsewhere' as const;
            throw e;
          });
        if (taken === 'elsewhere') {
          const theirs = await numbers.byIdempotencyKey(v.idempotencyKey);
          if (!theirs) throw new Error(`queue number of key ${v.idempotencyKey} not found after a conflict`);
          return reused(theirs);
        }
        if (taken === undefined)
          return hallError(409, 'range-exhausted', `no online numbers left for ${v.window} today`);
        const { number, at } = taken;
        return {
          status: 200,
          body: {
            id: v.id,
            number,
            serviceDate: v.serviceDate,
            issuedAt: at,
            window: v.window,
            ...(priority ? { priority } : {}),
            peopleWaiting: await peopleAhead(v.serviceDate, v.window, at, priority),
            reused: false,
          },
        };
      });
    },

    /** GET /v1/queue/status?serviceDate=: people waiting per window. */
    async status(serviceDate: string | undefined): Promise<HttpAnswer> {
      if (!serviceDate || !/^\d{4}-\d{2}-\d{2}$/.test(serviceDate))
        return badRequest('serviceDate=YYYY-MM-DD is required');
      return { status: 200, body: { serviceDate, waiting: await waiting(serviceDate) } };
    },

    /**
     * Staff: call the next ticket of a window — the earliest waiting priority number (online or
     * reported offline) if there is one, otherwise the earliest waiting ordinary one.
     */
    callNext(window: string, serviceDate: string): Promise<HttpAnswer> {
      return sql.transaction(async (): Promise<HttpAnswer> => {
        const earliest = async (priorityOnly: boolean) => {
          const a = await numbers.next(serviceDate, window, priorityOnly);
          const b = await tickets.next(serviceDate, window, priorityOnly);
          return a && (!b || a.at <= b.at) ? { ...a, online: true } : b ? { ...b, online: false } : null;
        };
        const priority = await earliest(true);
        const pick = priority ?? (await earliest(false));
        if (!pick) return hallError(404, 'empty', `nobody is waiting for ${window}`);
        const at = clock().toISOString();
        if (pick.online) await numbers.call(pick.id, at);
        else await tickets.call(pick.id, at);
        return {
          status: 200,
          body: {
            number: pick.number,
            priority: priority !== null,
            calledAt: at,
            waiting: (await waiting(serviceDate))[window] ?? 0,
          },
        };
      });
    },

    waiting,
  };
}
export type HallQueue = ReturnType<typeof createHallQueue>;
