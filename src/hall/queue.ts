/**
 * The hall's queue service (issue 5): ticket numbers per window category per day, handed out to
 * kiosks online with idempotency keys (the same key → the same number, never a second one), people
 * waiting counts, and staff calling the next ticket. Tickets a kiosk issued from its own offline
 * range arrive later through the outbox (`queue-ticket` entries, table `tickets`) and wait in the
 * same queue. Online numbers start at 001 each day; kiosks' offline ranges (e.g. 900–999) are
 * configured apart from them.
 */
import { describeIssues, takeTicketRequestSchema } from '../shared/wire/index.js';
import type { HttpAnswer } from './service.js';
import type { HallDb } from './store/index.js';

/** POST /v1/queue/tickets body (src/shared/wire/protocol.ts). */
export const takeTicketBody = takeTicketRequestSchema;

/** Online numbers stop before the lowest offline range kiosks use by default (900). */
export const ONLINE_MAX = 899;

export function createHallQueue(deps: { db: HallDb; clock: () => Date }) {
  const { db, clock } = deps;
  const q = {
    byKey: db.prepare(
      'SELECT id, number, service_date AS serviceDate, issued_at AS issuedAt, window_code AS window FROM queue_numbers WHERE idempotency_key = ?',
    ),
    counter: db
      .prepare('SELECT last_number FROM queue_counters WHERE service_date = ? AND window_code = ?')
      .pluck(),
    setCounter: db.prepare(
      `INSERT INTO queue_counters (service_date, window_code, last_number) VALUES (?, ?, ?)
       ON CONFLICT(service_date, window_code) DO UPDATE SET last_number = excluded.last_number`,
    ),
    ins: db.prepare(
      'INSERT INTO queue_numbers (id, idempotency_key, kiosk_id, window_code, number, service_date, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    waitingOnline: db.prepare(
      'SELECT window_code AS window, count(*) AS n FROM queue_numbers WHERE service_date = ? AND called_at IS NULL GROUP BY window_code',
    ),
    waitingOffline: db.prepare(
      'SELECT window_code AS window, count(*) AS n FROM tickets WHERE service_date = ? AND called_at IS NULL GROUP BY window_code',
    ),
    aheadOnline: db
      .prepare(
        'SELECT count(*) FROM queue_numbers WHERE service_date = ? AND window_code = ? AND called_at IS NULL AND issued_at < ?',
      )
      .pluck(),
    aheadOffline: db
      .prepare(
        'SELECT count(*) FROM tickets WHERE service_date = ? AND window_code = ? AND called_at IS NULL AND received_at < ?',
      )
      .pluck(),
    nextOnline: db.prepare(
      'SELECT id, number, issued_at AS at FROM queue_numbers WHERE service_date = ? AND window_code = ? AND called_at IS NULL ORDER BY issued_at, number LIMIT 1',
    ),
    nextOffline: db.prepare(
      'SELECT id, number, received_at AS at FROM tickets WHERE service_date = ? AND window_code = ? AND called_at IS NULL ORDER BY received_at, number LIMIT 1',
    ),
    callOnline: db.prepare('UPDATE queue_numbers SET called_at = ? WHERE id = ?'),
    callOffline: db.prepare('UPDATE tickets SET called_at = ? WHERE id = ?'),
  };

  const peopleAhead = (date: string, window: string, at: string): number =>
    (q.aheadOnline.get(date, window, at) as number) + (q.aheadOffline.get(date, window, at) as number);

  function waiting(serviceDate: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of [...q.waitingOnline.all(serviceDate), ...q.waitingOffline.all(serviceDate)] as {
      window: string;
      n: number;
    }[]) {
      out[r.window] = (out[r.window] ?? 0) + r.n;
    }
    return out;
  }

  return {
    /** POST /v1/queue/tickets: the next number of a window for today, or the one this key already got. */
    take(kioskId: string, raw: unknown): HttpAnswer {
      const b = takeTicketBody.safeParse(raw);
      if (!b.success)
        return {
          status: 400,
          body: {
            error: 'bad-request',
            message: describeIssues(b.error),
          },
        };
      const v = b.data;
      return db
        .transaction((): HttpAnswer => {
          const had = q.byKey.get(v.idempotencyKey) as
            { id: string; number: string; serviceDate: string; issuedAt: string; window: string } | undefined;
          if (had)
            return {
              status: 200,
              body: {
                ...had,
                peopleWaiting: peopleAhead(had.serviceDate, had.window, had.issuedAt),
                reused: true,
              },
            };
          const last = (q.counter.get(v.serviceDate, v.window) as number | undefined) ?? 0;
          if (last >= ONLINE_MAX)
            return {
              status: 409,
              body: { error: 'range-exhausted', message: `no online numbers left for ${v.window} today` },
            };
          const next = last + 1;
          q.setCounter.run(v.serviceDate, v.window, next);
          const number = `${v.prefix}${String(next).padStart(3, '0')}`;
          const at = clock().toISOString();
          q.ins.run(v.id, v.idempotencyKey, kioskId, v.window, number, v.serviceDate, at);
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
        return { status: 400, body: { error: 'bad-request', message: 'serviceDate=YYYY-MM-DD is required' } };
      return { status: 200, body: { serviceDate, waiting: waiting(serviceDate) } };
    },

    /** Staff: call the next ticket of a window (the earliest waiting, online or reported offline). */
    callNext(window: string, serviceDate: string): HttpAnswer {
      return db
        .transaction((): HttpAnswer => {
          const a = q.nextOnline.get(serviceDate, window) as
            { id: string; number: string; at: string } | undefined;
          const b = q.nextOffline.get(serviceDate, window) as
            { id: string; number: string; at: string } | undefined;
          const pick =
            a && (!b || a.at <= b.at) ? { ...a, online: true } : b ? { ...b, online: false } : null;
          if (!pick)
            return { status: 404, body: { error: 'empty', message: `nobody is waiting for ${window}` } };
          const at = clock().toISOString();
          (pick.online ? q.callOnline : q.callOffline).run(at, pick.id);
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
