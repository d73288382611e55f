/**
 * 电子监察 (reform point 18; docs/domain.md, "Working days, 调休 and pauses"): every case's promised deadline in
 * working days (holiday calendar with 调休), paused while the hall waits for the resident's 补齐补正,
 * and its light: 收件提醒 (just received) → 提前预警 (few working days left) → 超时通报 (overdue).
 *
 * The promised time is the `promisedDays` (the item's 承诺时限, 0 for a 即办件) of the application
 * the kiosk sent, read with the contract's schema (`ApplicationEntry`, which requires it); a stored
 * payload that no longer parses has no promised time (`unknown`). Pauses come from the case
 * history: a pause opens when staff request a correction (case_events → `correction-requested`) and
 * closes at the next staff action out of that status or when the kiosk's supplement arrives
 * (supplements.received_at; the push moves the case to `supplement-received` without a staff
 * event).
 */
import {
  calendarDay,
  deadlineWithPauses,
  supervisionLevel,
  type HolidayCalendar,
  type Pause,
} from '../shared/working-days.js';
import { CASE_LIGHTS, CASE_STATUS_INFO, CASE_STATUSES, type CaseStatus } from '../shared/case-status.js';
import { ENTRY_YEARS } from '../shared/wire/index.js';
import {
  createCaseStore,
  hallSqlOf,
  readApplication,
  type CaseRecord,
  type HallDatabase,
} from './store/index.js';

/**
 * A date the deadline arithmetic can work with: a real one in ENTRY_YEARS. Pushes are range-checked
 * (incoming.ts), but a case stored before that — or written by another tool — may hold anything; such
 * a case is reported as `unknown`, and never breaks its jurisdiction's report.
 */
export function usableDate(text: string): Date | null {
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) return null;
  const year = d.getUTCFullYear();
  return year >= ENTRY_YEARS.min && year <= ENTRY_YEARS.max ? d : null;
}

/** Statuses after which the clock no longer runs (办结 / 不予受理): the lifecycle's closed ones. */
export const CLOSED_STATUSES: readonly string[] = CASE_STATUSES.filter((s) => CASE_STATUS_INFO[s].closed);
const CORRECTION: CaseStatus = 'correction-requested';

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
  /** No promised time: the stored application does not parse with the contract's schema. */
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
  db: HallDatabase;
  clock: () => Date;
  calendar: HolidayCalendar;
  timeZone: string;
  warnDays: number;
};

const LEVEL_ORDER: readonly CaseLevel[] = CASE_LIGHTS;

export function createSupervision(deps: SupervisionDeps) {
  const { calendar, timeZone, warnDays } = deps;
  const cases = createCaseStore(hallSqlOf(deps.db));

  function evaluate(
    row: CaseRecord,
    events: readonly HistoryEvent[],
    supplements: readonly string[],
    now: Date,
  ): CaseSupervision {
    const entry = readApplication(row.payload);
    const submitted = (entry ? usableDate(entry.submittedAt) : null) ?? usableDate(row.receivedAt);
    if (submitted === null) return unusable(row, events);
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
    // 承诺时限 in working days: the contract makes the kiosk send it (0 for a 即办件).
    const promisedDays = entry?.promisedDays ?? null;
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

  /** A case whose dates cannot be worked with: listed, counted as `unknown` (or `closed`), no deadline. */
  function unusable(row: CaseRecord, events: readonly HistoryEvent[]): CaseSupervision {
    const closed = CLOSED_STATUSES.includes(row.status);
    return {
      id: row.id,
      itemCode: row.itemCode,
      status: row.status,
      receivedAt: row.receivedAt,
      submittedAt: row.receivedAt,
      closedAt: closed
        ? ([...events].reverse().find((e) => CLOSED_STATUSES.includes(e.to))?.at ?? row.updatedAt)
        : null,
      promisedDays: null,
      promised: null,
      deadline: null,
      pausedWorkingDays: 0,
      pausedSince: null,
      level: closed ? 'closed' : 'unknown',
      inTime: null,
    };
  }

  /** One case; whatever is wrong with one case's data stays with that case. */
  function evaluateSafely(
    row: CaseRecord,
    events: readonly HistoryEvent[],
    supplements: readonly string[],
    now: Date,
  ): CaseSupervision {
    try {
      return evaluate(row, events, supplements, now);
    } catch {
      return unusable(row, events);
    }
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
  async function forJurisdiction(jurisdiction: string): Promise<CaseSupervision[]> {
    const now = deps.clock();
    const events = group(await cases.historyIn(jurisdiction));
    const supplements = group(await cases.supplementTimesIn(jurisdiction));
    return (await cases.records(jurisdiction)).map((row) =>
      evaluateSafely(
        row,
        events.get(row.id) ?? [],
        (supplements.get(row.id) ?? []).map((s) => s.at),
        now,
      ),
    );
  }

  async function forCase(id: string): Promise<CaseSupervision | null> {
    const row = await cases.record(id);
    if (!row) return null;
    return evaluateSafely(row, await cases.eventsOf(id), await cases.supplementTimesOf(id), deps.clock());
  }

  /**
   * GET /v1/staff/supervision: the cases of every jurisdiction given (an account bound to several
   * sees all of them, received order); `jurisdiction` stays the first for older readers.
   */
  async function report(jurisdictions: readonly string[]) {
    const all = [...new Set(jurisdictions)];
    const jurisdiction = all[0] ?? '';
    const perJurisdiction: CaseSupervision[][] = [];
    for (const j of all) perJurisdiction.push(await forJurisdiction(j));
    const cases = perJurisdiction
      .flat()
      .sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0));
    const summary = Object.fromEntries(
      LEVEL_ORDER.map((l) => [l, cases.filter((c) => c.level === l).length]),
    );
    return {
      generatedAt: deps.clock().toISOString(),
      jurisdiction,
      jurisdictions: all,
      warnDays,
      timeZone,
      summary,
      cases,
    };
  }

  return { forJurisdiction, forCase, report };
}

export type Supervision = ReturnType<typeof createSupervision>;

/** The body of GET /v1/staff/supervision (docs/sync-protocol.md, section 8.2); the staff page reads it. */
export type SupervisionReport = Awaited<ReturnType<Supervision['report']>>;

/**
 * A page of it (GET /v1/staff/supervision?limit=&cursor=&open=; case-list.ts): the page's cases, the
 * summary of every case, and the cursor of the next page (null on the last).
 */
export type SupervisionPage = SupervisionReport & { next: string | null };
