/**
 * 电子监察 (gov-service.md reform point 18, "Case lifecycle"): every case's promised deadline in
 * working days (holiday calendar with 调休), paused while the hall waits for the resident's 补齐补正,
 * and its light: 收件提醒 (just received) → 提前预警 (few working days left) → 超时通报 (overdue).
 *
 * The promised time comes from the application the kiosk sent: `promisedDays` (the item's 承诺时限)
 * when present, else the kiosk's `promisedDate` turned back into working days from the receipt day,
 * else 0 for a 即办件 (`caseType: "immediate"`). Pauses come from the case history: a pause opens when
 * staff request a correction (case_events → `correction-requested`) and closes at the next staff
 * action out of that status or when the kiosk's supplement arrives (supplements.received_at; the
 * push moves the case to `supplement-received` without a staff event).
 */
import {
  calendarDay,
  deadlineWithPauses,
  isIsoDate,
  receiptDay,
  supervisionLevel,
  workingDaysBetween,
  type HolidayCalendar,
  type Pause,
} from '../shared/working-days.js';
import type { HallDb } from './store/index.js';

/** Statuses after which the clock no longer runs (办结 / 不予受理). */
export const CLOSED_STATUSES: readonly string[] = ['completed', 'refused'];
const CORRECTION = 'correction-requested';

export type CaseLevel =
  /** Running, nothing to flag. */
  | 'normal'
  /** 收件提醒: received today (its receipt day), nobody has acted on it yet. */
  | 'reminder'
  /** 提前预警: at most `warnDays` working days left. */
  | 'warning'
  /** 超时通报: past the deadline. */
  | 'overdue'
  /** 补齐补正 under way: the clock is stopped, no deadline until the supplement comes. */
  | 'paused'
  /** 办结 or 不予受理. */
  | 'closed'
  /** The application carries no promised time (neither promisedDays, promisedDate nor caseType). */
  | 'unknown';

export type CaseSupervision = {
  id: string;
  itemCode: string;
  status: string;
  /** When the hall received the push. */
  receivedAt: string;
  /** When the resident submitted at the kiosk (the clock starts from its receipt day). */
  submittedAt: string;
  promisedDays: number | null;
  /** The deadline without pauses. */
  promised: string | null;
  /** The deadline with the working days of closed pauses added; null while paused or unknown. */
  deadline: string | null;
  pausedWorkingDays: number;
  /** The day the open 补正 pause began, when paused. */
  pausedSince: string | null;
  level: CaseLevel;
  /** For closed cases: when, and whether on or before the deadline. */
  closedAt: string | null;
  inTime: boolean | null;
};

export type HistoryEvent = { at: string; from: string; to: string };

/**
 * The 补正 pauses of one case. `events` in the order they happened, `supplements` their receipt
 * times; a pause still open is returned with `to: null` only while the case is in
 * `correction-requested` (otherwise it is closed at `updatedAt`).
 */
export function correctionPauses(
  events: readonly HistoryEvent[],
  supplements: readonly string[],
  status: string,
  updatedAt: string,
): Pause[] {
  type Item = { at: string; order: number } & (
    { kind: 'event'; from: string; to: string } | { kind: 'supplement' }
  );
  const items: Item[] = [
    ...events.map((e, i): Item => ({ kind: 'event', at: e.at, from: e.from, to: e.to, order: i })),
    ...supplements.map((at, i): Item => ({ kind: 'supplement', at, order: events.length + i })),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.order - b.order));
  const pauses: Pause[] = [];
  let open: string | null = null;
  const close = (at: string) => {
    if (open === null) return;
    pauses.push({ from: new Date(open), to: new Date(at < open ? open : at) });
    open = null;
  };
  for (const item of items) {
    if (item.kind === 'supplement') {
      close(item.at);
      continue;
    }
    if (item.from === CORRECTION && item.to !== CORRECTION) close(item.at);
    if (item.to === CORRECTION && open === null) open = item.at;
  }
  if (open !== null) {
    if (status === CORRECTION) pauses.push({ from: new Date(open), to: null });
    else close(updatedAt);
  }
  return pauses;
}

export type SupervisionDeps = {
  db: HallDb;
  clock: () => Date;
  calendar: HolidayCalendar;
  timeZone: string;
  warnDays: number;
};

type CaseRow = {
  id: string;
  itemCode: string;
  status: string;
  payload: string;
  receivedAt: string;
  updatedAt: string;
};

const LEVEL_ORDER: readonly CaseLevel[] = [
  'overdue',
  'warning',
  'reminder',
  'normal',
  'paused',
  'unknown',
  'closed',
];

export function createSupervision(deps: SupervisionDeps) {
  const { db, calendar, timeZone, warnDays } = deps;
  const cols =
    'a.id, a.item_code AS itemCode, a.status, a.payload, a.received_at AS receivedAt, a.updated_at AS updatedAt';
  const q = {
    cases: db.prepare(
      `SELECT ${cols} FROM applications a WHERE a.jurisdiction = ? ORDER BY a.received_at, a.id`,
    ),
    case: db.prepare(`SELECT ${cols} FROM applications a WHERE a.id = ?`),
    events: db.prepare(
      `SELECT e.application_id AS appId, e.at, e.from_status AS "from", e.to_status AS "to"
       FROM case_events e JOIN applications a ON a.id = e.application_id
       WHERE a.jurisdiction = ? ORDER BY e.id`,
    ),
    eventsOf: db.prepare(
      'SELECT application_id AS appId, at, from_status AS "from", to_status AS "to" FROM case_events WHERE application_id = ? ORDER BY id',
    ),
    supplements: db.prepare(
      `SELECT s.application_id AS appId, s.received_at AS at FROM supplements s JOIN applications a ON a.id = s.application_id
       WHERE a.jurisdiction = ? ORDER BY s.received_at`,
    ),
    supplementsOf: db.prepare(
      'SELECT application_id AS appId, received_at AS at FROM supplements WHERE application_id = ? ORDER BY received_at',
    ),
  };

  const validDate = (s: unknown): Date | null => {
    if (typeof s !== 'string') return null;
    const d = new Date(s);
    return Number.isNaN(d.getTime()) ? null : d;
  };

  /** 承诺时限 in working days, from what the kiosk sent (see the module comment). */
  function promisedDaysOf(payload: Record<string, unknown>, submittedAt: Date): number | null {
    const days = payload.promisedDays;
    if (typeof days === 'number' && Number.isInteger(days) && days >= 0 && days <= 3650) return days;
    const date = payload.promisedDate;
    if (typeof date === 'string' && isIsoDate(date)) {
      return Math.max(0, workingDaysBetween(receiptDay(submittedAt, timeZone, calendar), date, calendar));
    }
    if (payload.caseType === 'immediate') return 0;
    return null;
  }

  function evaluate(
    row: CaseRow,
    events: readonly HistoryEvent[],
    supplements: readonly string[],
    now: Date,
  ): CaseSupervision {
    let payload: Record<string, unknown> = {};
    try {
      const parsed = JSON.parse(row.payload) as unknown;
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
        payload = parsed as Record<string, unknown>;
    } catch {
      // Stored payloads were validated JSON on push; keep going with nothing.
    }
    const submitted = validDate(payload.submittedAt) ?? new Date(row.receivedAt);
    const closedEvent = [...events].reverse().find((e) => CLOSED_STATUSES.includes(e.to));
    const closed = CLOSED_STATUSES.includes(row.status);
    const base = {
      id: row.id,
      itemCode: row.itemCode,
      status: row.status,
      receivedAt: row.receivedAt,
      submittedAt: submitted.toISOString(),
      closedAt: closed ? (closedEvent?.at ?? row.updatedAt) : null,
    };
    const promisedDays = promisedDaysOf(payload, submitted);
    if (promisedDays === null) {
      return {
        ...base,
        promisedDays,
        promised: null,
        deadline: null,
        pausedWorkingDays: 0,
        pausedSince: null,
        level: closed ? 'closed' : 'unknown',
        inTime: null,
      };
    }
    const d = deadlineWithPauses({
      submittedAt: submitted,
      promisedDays,
      pauses: correctionPauses(events, supplements, row.status, row.updatedAt),
      timeZone,
      calendar,
    });
    if (d.paused) {
      return {
        ...base,
        promisedDays,
        promised: d.promised,
        deadline: null,
        pausedWorkingDays: d.pausedWorkingDays,
        pausedSince: d.since,
        level: 'paused',
        inTime: null,
      };
    }
    const common = {
      ...base,
      promisedDays,
      promised: d.promised,
      deadline: d.deadline,
      pausedWorkingDays: d.pausedWorkingDays,
      pausedSince: null,
    };
    if (closed && base.closedAt !== null) {
      return {
        ...common,
        level: 'closed',
        inTime: calendarDay(new Date(base.closedAt), timeZone) <= d.deadline,
      };
    }
    // 收件提醒 only while nobody has picked the case up.
    const level = supervisionLevel(now, d.deadline, calendar, {
      warnDays,
      timeZone,
      ...(row.status === 'received' ? { receivedAt: submitted } : {}),
    });
    return { ...common, level, inTime: null };
  }

  function group<T extends { appId: string }>(rows: readonly T[]): Map<string, T[]> {
    const m = new Map<string, T[]>();
    for (const r of rows) {
      const list = m.get(r.appId);
      if (list) list.push(r);
      else m.set(r.appId, [r]);
    }
    return m;
  }

  /** Every case of a jurisdiction, in the order received. */
  function forJurisdiction(jurisdiction: string): CaseSupervision[] {
    const now = deps.clock();
    const events = group(q.events.all(jurisdiction) as (HistoryEvent & { appId: string })[]);
    const supplements = group(q.supplements.all(jurisdiction) as { appId: string; at: string }[]);
    return (q.cases.all(jurisdiction) as CaseRow[]).map((row) =>
      evaluate(
        row,
        events.get(row.id) ?? [],
        (supplements.get(row.id) ?? []).map((s) => s.at),
        now,
      ),
    );
  }

  function forCase(id: string): CaseSupervision | null {
    const row = q.case.get(id) as CaseRow | undefined;
    if (!row) return null;
    return evaluate(
      row,
      q.eventsOf.all(id) as HistoryEvent[],
      (q.supplementsOf.all(id) as { at: string }[]).map((s) => s.at),
      deps.clock(),
    );
  }

  /** GET /v1/staff/supervision. */
  function report(jurisdiction: string) {
    const cases = forJurisdiction(jurisdiction);
    const summary = Object.fromEntries(
      LEVEL_ORDER.map((l) => [l, cases.filter((c) => c.level === l).length]),
    );
    return { generatedAt: deps.clock().toISOString(), jurisdiction, warnDays, timeZone, summary, cases };
  }

  return { forJurisdiction, forCase, report };
}

export type Supervision = ReturnType<typeof createSupervision>;

/** The body of GET /v1/staff/supervision (docs/sync-protocol.md, section 8.2); the staff page reads it. */
export type SupervisionReport = ReturnType<Supervision['report']>;
