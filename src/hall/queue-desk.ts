/**
 * The 叫号 panel of the staff desk (docs/sync-protocol.md, 8 "叫号 panel"): today's queue of each window
 * — the numbers handed out online and the tickets kiosks numbered from their offline ranges, in one
 * order — and the clerk's moves: call the next number (优先号 of 老年人 / 残疾人 / 孕妇 first, then the
 * earliest), call it again (再次呼叫), pass it over (过号), send it to another window (转窗: it waits
 * there in its original order).
 *
 * 属地: a number belongs to the jurisdiction of the kiosk that issued it; a clerk sees and calls only
 * their jurisdictions' numbers, and another jurisdiction's ticket is 404 (its existence not told).
 * Every move is written to the audit log (`queue.call`, `queue.recall`, `queue.skip`,
 * `queue.transfer`) in its transaction.
 */
import { WINDOW_CODES, type Localized, type WindowCode } from '../shared/catalog.js';
import type { DeskQueueDone, DeskQueueTicket, DeskQueueView } from '../shared/desk-events.js';
import {
  deskCallNextSchema,
  deskQueueQuerySchema,
  deskTransferSchema,
} from '../shared/desk-queue-schemas.js';
import { formatDay } from '../shared/wall-clock.js';
import { describeIssues } from '../shared/wire/index.js';
import { badRequest, hallError, notFound, type HttpAnswer } from './answers.js';
import type { Audit } from './audit.js';
import type { Staff } from './staff.js';
import { createDeskQueueStore, hallSqlOf, type DeskQueueRow, type HallDatabase } from './store/index.js';

const view = (r: DeskQueueRow): DeskQueueTicket => ({
  id: r.id,
  number: r.number,
  window: r.window,
  source: r.source,
  priority: r.priority,
  state: r.calledAt === null ? 'waiting' : r.skippedAt !== null ? 'skipped' : 'called',
  issuedAt: r.issuedAt,
  calledAt: r.calledAt,
  recalls: r.recalls,
  transferredFrom: r.transferredFrom,
});

const isWindow = (w: string): w is WindowCode => (WINDOW_CODES as readonly string[]).includes(w);

export type QueueMove = 'recall' | 'skip' | 'transfer';

export function createQueueDesk(deps: {
  db: HallDatabase;
  clock: () => Date;
  audit: Audit;
  timeZone: string;
  /** The window's name (the hall's catalog, catalog.ts). */
  windowName?: (code: string) => Localized | null;
}) {
  const { db, clock, audit } = deps;
  const sql = hallSqlOf(db);
  const store = createDeskQueueStore(sql);
  const today = () => formatDay(clock(), deps.timeZone);

  const waitingFor = async (who: Staff, date: string, window: string): Promise<number> => {
    let n = 0;
    for (const j of who.jurisdictions) n += await store.waiting(date, window, j);
    return n;
  };

  /** GET /v1/staff/queue */
  async function list(who: Staff, rawQuery: unknown): Promise<HttpAnswer> {
    const q = deskQueueQuerySchema.safeParse(rawQuery);
    if (!q.success) return badRequest(describeIssues(q.error));
    const serviceDate = q.data.serviceDate ?? today();
    const rows: DeskQueueRow[] = [];
    for (const j of who.jurisdictions) rows.push(...(await store.day(serviceDate, j)));
    const windows = (q.data.window ? [q.data.window] : WINDOW_CODES).map((window) => {
      const tickets = rows
        .filter((r) => r.window === window)
        .sort((a, b) => a.issuedAt.localeCompare(b.issuedAt) || a.number.localeCompare(b.number))
        .map(view);
      // The number now at the window: the one called (or called again) last — unless it was then
      // passed over, or a number was sent away from this window after it.
      const lastAt = (r: DeskQueueRow) => [r.calledAt ?? '', r.recalledAt ?? ''].sort().pop() ?? '';
      const latest = rows
        .filter((r) => r.window === window && r.calledAt !== null)
        .sort((a, b) => lastAt(b).localeCompare(lastAt(a)))[0];
      const sentAway = rows
        .filter((r) => r.transferredFrom === window && r.transferredAt !== null)
        .map((r) => r.transferredAt ?? '')
        .sort()
        .pop();
      const current =
        latest && latest.skippedAt === null && (sentAway === undefined || lastAt(latest) > sentAway)
          ? view(latest)
          : null;
      return { window, name: deps.windowName?.(window) ?? null, current, tickets };
    });
    const body: DeskQueueView = { serviceDate, jurisdiction: who.jurisdiction, windows };
    return { status: 200, body };
  }

  /** POST /v1/staff/queue/{window}/next: the next number of my jurisdiction at this window. */
  async function callNext(who: Staff, window: string, raw: unknown, address: string): Promise<HttpAnswer> {
    if (!isWindow(window)) return notFound(`no window ${window}`);
    const b = deskCallNextSchema.safeParse(raw ?? {});
    if (!b.success) return badRequest(describeIssues(b.error));
    const serviceDate = b.data.serviceDate ?? today();
    return sql.transaction(async (): Promise<HttpAnswer> => {
      const found: DeskQueueRow[] = [];
      for (const j of who.jurisdictions) {
        const r = await store.next(serviceDate, window, j);
        if (r !== undefined) found.push(r);
      }
      const candidates = found.sort(
        (a, c) =>
          Number(a.priority === null) - Number(c.priority === null) ||
          a.issuedAt.localeCompare(c.issuedAt) ||
          a.number.localeCompare(c.number),
      );
      const pick = candidates[0];
      if (!pick) return hallError(404, 'empty', `nobody is waiting for ${window}`);
      const at = clock().toISOString();
      await store.call(pick, at, who.name);
      await audit.record({
        actor: who.name,
        action: 'queue.call',
        jurisdiction: pick.jurisdiction,
        address,
        detail: { ticket: pick.id, number: pick.number, window, priority: pick.priority !== null },
      });
      const now = await store.byId(pick.id);
      const done: DeskQueueDone = {
        ticket: view(now ?? pick),
        waiting: await waitingFor(who, serviceDate, window),
      };
      return { status: 200, body: done };
    });
  }

  /** POST /v1/staff/queue/tickets/{id}/recall|skip|transfer */
  async function move(
    who: Staff,
    id: string,
    what: QueueMove,
    raw: unknown,
    address: string,
  ): Promise<HttpAnswer> {
    let to: WindowCode | null = null;
    if (what === 'transfer') {
      const b = deskTransferSchema.safeParse(raw);
      if (!b.success) return badRequest(describeIssues(b.error));
      to = b.data.window;
    }
    return sql.transaction(async (): Promise<HttpAnswer> => {
      const row = await store.byId(id);
      if (!row || !who.jurisdictions.includes(row.jurisdiction))
        return notFound('no such ticket in your jurisdiction');
      const at = clock().toISOString();
      let moved: boolean;
      switch (what) {
        case 'recall':
          moved = row.calledAt !== null && (await store.recall(row, at));
          break;
        case 'skip':
          moved = row.calledAt !== null && row.skippedAt === null && (await store.skip(row, at));
          break;
        case 'transfer':
          moved = to !== null && to !== row.window && (await store.transfer(row, to, at));
          break;
        default: {
          const never: never = what;
          return never;
        }
      }
      if (!moved)
        return hallError(409, 'invalid-transition', `cannot ${what} ticket ${row.number} now`, {
          from: view(row).state,
        });
      await audit.record({
        actor: who.name,
        action: `queue.${what}`,
        jurisdiction: row.jurisdiction,
        address,
        detail: { ticket: row.id, number: row.number, window: row.window, ...(to ? { to } : {}) },
      });
      const now = (await store.byId(id)) ?? row;
      const done: DeskQueueDone = {
        ticket: view(now),
        waiting: await waitingFor(who, (await store.serviceDateOf(id)) ?? today(), now.window),
      };
      return { status: 200, body: done };
    });
  }

  return { list, callNext, move };
}

export type QueueDesk = ReturnType<typeof createQueueDesk>;
