/**
 * Opening hours of the hall's comprehensive windows (一窗受理), the one definition the kiosk's 排队取号
 * and anything else that asks "is this window staffed now?" use (docs/resident-journey.md, "排队取号").
 *
 * The policy seed (resources/calendar/window-hours.json) gives each window its weekly hours; the State
 * Council's holiday calendar (working-days.ts) closes every window on a 放假 day and opens it on a 调休
 * workday with the hours of an ordinary weekday; dated exceptions (a shortened New Year's Eve, a
 * window closed for a system change-over) override both. Everything is wall-clock time in the hall's
 * IANA time zone: an instant becomes a day and an HH:MM only through wall-clock.ts, so the host's zone
 * never leaks in.
 *
 * Pure functions; zod only for the validator (the screen imports types only).
 */
import { z } from 'zod';
import { WINDOW_CODES, type WindowCode } from './catalog.js';
import { windowCodeSchema } from './catalog-schemas.js';
import { pad2, wallClockIn } from './wall-clock.js';
import { isIsoDate, type HolidayCalendar, type ParseResult } from './working-days.js';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
/** A period may end at 24:00 (a window open until midnight). */
const HHMM_END = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

export const openingPeriodSchema = z
  .strictObject({
    from: z.string().regex(HHMM, 'expected HH:MM (00:00–23:59)'),
    to: z.string().regex(HHMM_END, 'expected HH:MM (00:01–24:00)'),
  })
  .refine((p) => p.from < p.to, { message: 'from must be before to' });
export type OpeningPeriod = z.infer<typeof openingPeriodSchema>;

const periodsSchema = z
  .array(openingPeriodSchema)
  .max(4)
  .superRefine((periods, ctx) => {
    const sorted = [...periods].sort((a, b) => (a.from < b.from ? -1 : 1));
    for (let i = 1; i < sorted.length; i += 1) {
      if (sorted[i]!.from < sorted[i - 1]!.to)
        ctx.addIssue({ code: 'custom', message: `${sorted[i - 1]!.from}–${sorted[i - 1]!.to} overlaps` });
    }
  });

const localizedSchema = z.strictObject({
  zh: z.string().trim().min(1).max(80),
  en: z.string().trim().min(1).max(120),
});

const weeklyRuleSchema = z.strictObject({
  /** 0 = Sunday … 6 = Saturday. */
  days: z.array(z.number().int().min(0).max(6)).min(1).max(7),
  periods: periodsSchema.refine((p) => p.length > 0, { message: 'a weekly rule needs a period' }),
});

const windowHoursSchema = z
  .strictObject({ weekly: z.array(weeklyRuleSchema).max(7) })
  .superRefine((w, ctx) => {
    const seen = new Set<number>();
    w.weekly.forEach((rule, i) => {
      for (const d of rule.days) {
        if (seen.has(d))
          ctx.addIssue({ code: 'custom', path: ['weekly', i, 'days'], message: `day ${d} twice` });
        seen.add(d);
      }
    });
  });

const exceptionSchema = z.strictObject({
  date: z.string().refine(isIsoDate, { message: 'expected a real date YYYY-MM-DD' }),
  /** The windows it applies to; every window when absent. */
  windows: z.array(windowCodeSchema).min(1).optional(),
  /** The hours that day; [] = closed all day. */
  periods: periodsSchema,
  /** Why, shown beside the hours (e.g. 元旦前一日提前下班). */
  note: localizedSchema.optional(),
});

export const openingHoursSchema = z
  .strictObject({
    version: z.string().trim().min(1).max(40),
    /** Where the hours come from (the hall's notice). */
    source: z.string().trim().min(1).max(300),
    /** On a 放假 day of the holiday calendar: closed (the default) or the weekly hours as usual. */
    holidays: z.enum(['closed', 'weekly']).default('closed'),
    /** On a 调休 workday (a weekend day worked): the hours of this weekday (1 = Monday … 5 = Friday). */
    makeUpDayAs: z.number().int().min(1).max(5).default(1),
    windows: z.record(z.string(), windowHoursSchema),
    exceptions: z.array(exceptionSchema).max(400).default([]),
  })
  .superRefine((doc, ctx) => {
    for (const code of Object.keys(doc.windows)) {
      if (!(WINDOW_CODES as readonly string[]).includes(code))
        ctx.addIssue({ code: 'custom', path: ['windows', code], message: `unknown window ${code}` });
    }
    for (const code of WINDOW_CODES) {
      if (!(code in doc.windows))
        ctx.addIssue({ code: 'custom', path: ['windows'], message: `no hours for window ${code}` });
    }
    const seen = new Set<string>();
    doc.exceptions.forEach((e, i) => {
      for (const w of e.windows ?? WINDOW_CODES) {
        const key = `${e.date}/${w}`;
        if (seen.has(key))
          ctx.addIssue({
            code: 'custom',
            path: ['exceptions', i],
            message: `${e.date} listed twice for ${w}`,
          });
        seen.add(key);
      }
    });
  });
export type OpeningHours = z.infer<typeof openingHoursSchema>;

/** Validates an hours document (the seed file or a deployment's own). */
export function parseOpeningHours(json: unknown): ParseResult<OpeningHours> {
  const parsed = openingHoursSchema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    error: parsed.error.issues
      .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
      .join('; '),
  };
}

// ---------------------------------------------------------------------------------------------------
// Rules

/** Why a day has the hours it has: shown to the resident ("closed: public holiday"). */
export type DayKind = 'weekly' | 'holiday' | 'make-up-day' | 'exception';

export type DayHours = {
  date: string;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  periods: OpeningPeriod[];
  kind: DayKind;
  note: { zh: string; en: string } | null;
};

const DAY_MS = 86_400_000;

const dayNumber = (iso: string): number =>
  Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
const isoOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const weekdayOf = (day: number): number => (((day + 4) % 7) + 7) % 7;

function calendarLists(calendar: HolidayCalendar, iso: string): { holiday: boolean; workday: boolean } {
  const year = calendar.years[iso.slice(0, 4)];
  return { holiday: year?.holidays.includes(iso) ?? false, workday: year?.workdays.includes(iso) ?? false };
}

function weeklyPeriods(hours: OpeningHours, window: WindowCode, weekday: number): OpeningPeriod[] {
  const rule = hours.windows[window]?.weekly.find((r) => r.days.includes(weekday));
  return rule ? [...rule.periods].sort((a, b) => (a.from < b.from ? -1 : 1)) : [];
}

/** The hours of `window` on the calendar day `isoDate` (exception > holiday calendar > weekly). */
export function hoursOn(
  hours: OpeningHours,
  calendar: HolidayCalendar,
  window: WindowCode,
  isoDate: string,
): DayHours {
  if (!isIsoDate(isoDate)) throw new RangeError(`not an ISO date: ${JSON.stringify(isoDate)}`);
  const weekday = weekdayOf(dayNumber(isoDate));
  const exception = hours.exceptions.find(
    (e) => e.date === isoDate && (e.windows === undefined || e.windows.includes(window)),
  );
  if (exception)
    return {
      date: isoDate,
      weekday,
      periods: [...exception.periods].sort((a, b) => (a.from < b.from ? -1 : 1)),
      kind: 'exception',
      note: exception.note ?? null,
    };
  const listed = calendarLists(calendar, isoDate);
  if (listed.holiday && hours.holidays === 'closed')
    return { date: isoDate, weekday, periods: [], kind: 'holiday', note: null };
  if (listed.workday)
    return {
      date: isoDate,
      weekday,
      periods: weeklyPeriods(hours, window, hours.makeUpDayAs),
      kind: 'make-up-day',
      note: null,
    };
  return {
    date: isoDate,
    weekday,
    periods: weeklyPeriods(hours, window, weekday),
    kind: 'weekly',
    note: null,
  };
}

/** When a window next opens: a calendar day and a wall-clock period in the hall's zone. */
export type NextOpening = { date: string; weekday: number; from: string; to: string; daysAhead: number };

export type WindowOpening = {
  window: WindowCode;
  /** The hall's calendar day and wall-clock time the answer was computed for. */
  date: string;
  time: string;
  /** Today's hours (all periods, past ones included). */
  today: DayHours;
  /** Whether a period of today contains `time` (from ≤ time < to). */
  open: boolean;
  /** The period open now, when open. */
  current: OpeningPeriod | null;
  /** The next period that starts after now (today's afternoon, Monday's morning…); null if none within a year. */
  next: NextOpening | null;
};

/** How far ahead `next` looks: a window closed for longer than this is "closed until further notice". */
const LOOKAHEAD_DAYS = 366;

/** Whether `window` is open at `now`, today's hours and when it opens next, in the hall's time zone. */
export function windowOpening(
  hours: OpeningHours,
  calendar: HolidayCalendar,
  window: WindowCode,
  now: Date,
  timeZone: string,
): WindowOpening {
  const w = wallClockIn(now, timeZone);
  const date = `${w.year}-${pad2(w.month)}-${pad2(w.day)}`;
  const time = `${pad2(w.hour)}:${pad2(w.minute)}`;
  const today = hoursOn(hours, calendar, window, date);
  const current = today.periods.find((p) => p.from <= time && time < p.to) ?? null;
  let next: NextOpening | null = null;
  const start = dayNumber(date);
  for (let ahead = 0; ahead <= LOOKAHEAD_DAYS && next === null; ahead += 1) {
    const day = ahead === 0 ? today : hoursOn(hours, calendar, window, isoOf(start + ahead));
    const p = day.periods.find((x) => ahead > 0 || x.from > time);
    if (p) next = { date: day.date, weekday: day.weekday, from: p.from, to: p.to, daysAhead: ahead };
  }
  return { window, date, time, today, open: current !== null, current, next };
}
