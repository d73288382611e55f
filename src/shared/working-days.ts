/**
 * Working-day calendar for 承诺时限 and 电子监察 (docs/domain.md, "Working days, 调休 and pauses": the promised
 * deadline counts **working days** — holiday calendar with 调休 make-up days — and **pauses** during
 * 补正 and 特别程序; reform point 18: 收件提醒 → 提前预警 → 超时通报).
 *
 * Everything here is pure. A calendar day is an ISO string `YYYY-MM-DD`; day arithmetic is done on
 * whole days since the epoch (UTC), so the host's time zone never leaks in. The only place an instant
 * (`Date`) becomes a calendar day is `calendarDay`, and it always takes the hall's IANA time zone.
 *
 * The calendar itself (resources/calendar/cn-holidays.json) is a seed: the hall pushes updates when the
 * State Council publishes next year's arrangements. Days in a year the calendar does not list are
 * counted as Monday–Friday working days — deliberately no throw, because a kiosk must keep accepting
 * applications in January even if the update is late; callers can flag such dates with
 * `calendarCovers` (e.g. log a warning, or mark a deadline as provisional).
 */
import { z } from 'zod';
import { formatDay } from './wall-clock.js';

/** Parse outcome; src/shared may not import the devices' Result, so the same shape is spelled here. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** True for a real calendar date written `YYYY-MM-DD` (rejects 2026-02-30, 2026-13-01, …). */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

const calendarDateSchema = z.string().refine(isIsoDate, { message: 'expected a real date YYYY-MM-DD' });

const calendarYearSchema = z.strictObject({
  /** Every day off of the year's arrangement, weekends inside a 放假 range included. */
  holidays: z.array(calendarDateSchema),
  /** 调休: weekend days that are working days (上班). */
  workdays: z.array(calendarDateSchema),
});

export const holidayCalendarSchema = z
  .strictObject({
    version: z.string().trim().min(1),
    /** Titles of the 国务院办公厅 notices the dates come from. */
    source: z.string().trim().min(1),
    /** Keyed by four-digit year (checked below: zod drops a record key's own message). */
    years: z.record(z.string(), calendarYearSchema),
  })
  .superRefine((calendar, ctx) => {
    for (const [year, days] of Object.entries(calendar.years)) {
      if (!/^\d{4}$/.test(year)) {
        ctx.addIssue({
          code: 'custom',
          path: ['years', year],
          message: 'years are keyed by a four-digit year',
        });
        continue;
      }
      const holidays = new Set<string>();
      for (const [list, dates] of [
        ['holidays', days.holidays],
        ['workdays', days.workdays],
      ] as const) {
        const seen = new Set<string>();
        dates.forEach((date, i) => {
          const path = ['years', year, list, i];
          if (!isIsoDate(date)) return; // already reported by the element schema
          if (!date.startsWith(`${year}-`))
            ctx.addIssue({ code: 'custom', path, message: `${date} is not in ${year}` });
          if (seen.has(date)) ctx.addIssue({ code: 'custom', path, message: `${date} is listed twice` });
          seen.add(date);
          if (list === 'holidays') holidays.add(date);
          if (list === 'workdays') {
            if (holidays.has(date)) {
              ctx.addIssue({ code: 'custom', path, message: `${date} is both a holiday and a workday` });
            }
            // 调休 moves work onto a weekend; a weekday "workday" changes nothing and is most likely a typo.
            if (!isWeekend(dayNumber(date))) {
              ctx.addIssue({
                code: 'custom',
                path,
                message: `${date} is a weekday; 调休 workdays fall on weekends`,
              });
            }
          }
        });
      }
    }
  });
export type HolidayCalendar = z.infer<typeof holidayCalendarSchema>;

/** Validate a calendar document (the seed file or an update pulled from the hall). */
export function parseHolidayCalendar(json: unknown): ParseResult<HolidayCalendar> {
  const parsed = holidayCalendarSchema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const error = parsed.error.issues
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  return { ok: false, error };
}

// ---------------------------------------------------------------------------------------------------
// Day arithmetic

type Lookup = { years: ReadonlySet<string>; holidays: ReadonlySet<string>; workdays: ReadonlySet<string> };
const lookups = new WeakMap<HolidayCalendar, Lookup>();

/** Sets built once per calendar object; the calendar stays plain JSON data for callers. */
function lookup(calendar: HolidayCalendar): Lookup {
  let found = lookups.get(calendar);
  if (found === undefined) {
    const years = Object.values(calendar.years);
    found = {
      years: new Set(Object.keys(calendar.years)),
      holidays: new Set(years.flatMap((y) => y.holidays)),
      workdays: new Set(years.flatMap((y) => y.workdays)),
    };
    lookups.set(calendar, found);
  }
  return found;
}

/** Whole days since 1970-01-01. Throws for a malformed date: callers pass validated dates. */
function dayNumber(iso: string): number {
  if (!isIsoDate(iso)) throw new RangeError(`not an ISO date: ${JSON.stringify(iso)}`);
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
}

function isoOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 1970-01-01 was a Thursday; 0 = Sunday … 6 = Saturday. */
function isWeekend(day: number): boolean {
  const weekday = (((day + 4) % 7) + 7) % 7;
  return weekday === 0 || weekday === 6;
}

function isWorkingDayNumber(day: number, calendar: HolidayCalendar): boolean {
  const iso = isoOf(day);
  const { workdays, holidays } = lookup(calendar);
  if (workdays.has(iso)) return true;
  if (holidays.has(iso)) return false;
  return !isWeekend(day);
}

/** Whether the calendar lists the arrangements of this date's year (otherwise only weekends rest). */
export function calendarCovers(isoDate: string, calendar: HolidayCalendar): boolean {
  dayNumber(isoDate);
  return lookup(calendar).years.has(isoDate.slice(0, 4));
}

/** A listed 调休 workday, or a Monday–Friday that is not a listed holiday. */
export function isWorkingDay(isoDate: string, calendar: HolidayCalendar): boolean {
  return isWorkingDayNumber(dayNumber(isoDate), calendar);
}

/** The first working day strictly after `isoDate`. */
export function nextWorkingDay(isoDate: string, calendar: HolidayCalendar): string {
  let day = dayNumber(isoDate) + 1;
  while (!isWorkingDayNumber(day, calendar)) day += 1;
  return isoOf(day);
}

/**
 * The date `n` working days after `isoDate`. The start day itself is not counted (期间开始之日不计算在内,
 * as for every administrative time limit), so n = 0 returns `isoDate` unchanged, working day or not.
 */
export function addWorkingDays(isoDate: string, n: number, calendar: HolidayCalendar): string {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`working days must be a non-negative integer, got ${n}`);
  let day = dayNumber(isoDate);
  for (let left = n; left > 0;) {
    day += 1;
    if (isWorkingDayNumber(day, calendar)) left -= 1;
  }
  return isoOf(day);
}

/**
 * Working days in the half-open range (from, to]: the inverse of `addWorkingDays`, so
 * `workingDaysBetween(d, addWorkingDays(d, n)) === n`. Negative when `to` is before `from`.
 */
export function workingDaysBetween(fromIso: string, toIso: string, calendar: HolidayCalendar): number {
  const from = dayNumber(fromIso);
  const to = dayNumber(toIso);
  const [lo, hi, sign] = from <= to ? [from, to, 1] : [to, from, -1];
  let count = 0;
  for (let day = lo + 1; day <= hi; day += 1) if (isWorkingDayNumber(day, calendar)) count += 1;
  return sign * count;
}

/** The calendar day of an instant in the hall's IANA time zone (e.g. 'Asia/Shanghai'). */
export const calendarDay = (instant: Date, timeZone: string): string => formatDay(instant, timeZone);

/**
 * The day a submission counts as received (收件). An unattended 24-hour kiosk (reform point 11) takes
 * applications on weekends and holidays, but time limits run in working days only (docs/domain.md,
 * "Working days, 调休 and pauses"); a submission made on a non-working day is therefore treated as
 * received on the next working day — the same rule halls apply to online applications (视为下一个工作日收到).
 */
export function receiptDay(submittedAt: Date, timeZone: string, calendar: HolidayCalendar): string {
  const day = calendarDay(submittedAt, timeZone);
  return isWorkingDay(day, calendar) ? day : nextWorkingDay(day, calendar);
}

/**
 * 承诺办结 date: `promisedDays` working days after the receipt day (see `receiptDay`), which itself is
 * not counted. Example: submitted on Sunday 2026-03-08 with 5 days → received Monday 03-09, counting
 * Tue 10 … Mon 16 → 2026-03-16. A 即办件 (0 days) submitted on a Sunday is promised for Monday.
 */
export function promisedDate(
  submittedAt: Date,
  promisedDays: number,
  timeZone: string,
  calendar: HolidayCalendar,
): string {
  return addWorkingDays(receiptDay(submittedAt, timeZone, calendar), promisedDays, calendar);
}

// ---------------------------------------------------------------------------------------------------
// Pauses (补正, 特别程序) and supervision (电子监察)

/** A period during which the clock stops: 补齐补正 or 挂起/特别程序. `to` is null while still open. */
export type Pause = { from: Date; to: Date | null };

export type DeadlineInput = {
  submittedAt: Date;
  promisedDays: number;
  pauses: readonly Pause[];
  timeZone: string;
  calendar: HolidayCalendar;
};

export type Deadline =
  /** The clock runs: `deadline` is `promised` pushed by the working days spent in closed pauses. */
  | { paused: false; deadline: string; promised: string; pausedWorkingDays: number }
  /** A pause is open: no deadline until it closes. `since` is the day the earliest open pause began. */
  | { paused: true; since: string; promised: string; pausedWorkingDays: number };

/**
 * The promised deadline with pauses. A pause from day F to day T (in the hall's zone) costs the
 * working days in (F, T] — the day a pause begins was already spent on the case, the day it ends is
 * given back — so a correction requested and completed on the same day costs nothing. Overlapping
 * pauses (补正 during 特别程序) are merged, never counted twice; a pause beginning before the
 * submission is clipped to the receipt day.
 */
export function deadlineWithPauses(input: DeadlineInput): Deadline {
  const { submittedAt, promisedDays, pauses, timeZone, calendar } = input;
  const received = receiptDay(submittedAt, timeZone, calendar);
  const promised = addWorkingDays(received, promisedDays, calendar);

  const closed: { from: string; to: string }[] = [];
  let openSince: string | null = null;
  for (const pause of pauses) {
    const from = maxIso(calendarDay(pause.from, timeZone), received);
    if (pause.to === null) {
      if (openSince === null || from < openSince) openSince = from;
      continue;
    }
    if (pause.to.getTime() < pause.from.getTime())
      throw new RangeError('a pause cannot end before it starts');
    closed.push({ from, to: maxIso(calendarDay(pause.to, timeZone), from) });
  }

  let pausedWorkingDays = 0;
  for (const span of mergeSpans(closed))
    pausedWorkingDays += workingDaysBetween(span.from, span.to, calendar);

  if (openSince !== null) return { paused: true, since: openSince, promised, pausedWorkingDays };
  return {
    paused: false,
    deadline: addWorkingDays(promised, pausedWorkingDays, calendar),
    promised,
    pausedWorkingDays,
  };
}

function maxIso(a: string, b: string): string {
  return a > b ? a : b;
}

/** ISO dates compare as strings; merge spans that overlap or touch. */
function mergeSpans(spans: readonly { from: string; to: string }[]): { from: string; to: string }[] {
  const sorted = [...spans].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const merged: { from: string; to: string }[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && span.from <= last.to) last.to = maxIso(last.to, span.to);
    else merged.push({ ...span });
  }
  return merged;
}

export const SUPERVISION_LEVELS = ['normal', 'reminder', 'warning', 'overdue'] as const;
export type SupervisionLevel = (typeof SUPERVISION_LEVELS)[number];

export type SupervisionOptions = {
  /** 提前预警 threshold: warn when this many working days or fewer remain (0 = on the deadline day). */
  warnDays: number;
  timeZone: string;
  /** The submission instant; when given, the case is in 收件提醒 until the end of its receipt day. */
  receivedAt?: Date;
};

/**
 * 电子监察 light for a running case (reform point 18 in docs/domain.md, 收件提醒 → 提前预警 → 超时通报). Thresholds,
 * most urgent first:
 * - `overdue` (超时通报): today, in the hall's zone, is after the deadline; the deadline day itself is
 *   still in time.
 * - `warning` (提前预警): at most `warnDays` working days remain in (today, deadline].
 * - `reminder` (收件提醒): `receivedAt` was given and today is not after its receipt day (see
 *   `receiptDay`), i.e. the case has just come in and nobody may have picked it up yet.
 * - `normal` otherwise.
 * A paused case (`deadlineWithPauses` → paused) has no deadline; do not call this for it.
 */
export function supervisionLevel(
  now: Date,
  deadline: string,
  calendar: HolidayCalendar,
  options: SupervisionOptions,
): SupervisionLevel {
  if (!Number.isInteger(options.warnDays) || options.warnDays < 0) {
    throw new RangeError(`warnDays must be a non-negative integer, got ${options.warnDays}`);
  }
  dayNumber(deadline); // validates: ISO strings compare correctly only when well-formed
  const today = calendarDay(now, options.timeZone);
  if (today > deadline) return 'overdue';
  if (workingDaysBetween(today, deadline, calendar) <= options.warnDays) return 'warning';
  if (options.receivedAt !== undefined && today <= receiptDay(options.receivedAt, options.timeZone, calendar))
    return 'reminder';
  return 'normal';
}
