import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  calendarCovers,
  calendarDay,
  deadlineWithPauses,
  isIsoDate,
  isWorkingDay,
  nextWorkingDay,
  parseHolidayCalendar,
  promisedDate,
  receiptDay,
  supervisionLevel,
  workingDaysBetween,
  type HolidayCalendar,
} from './working-days.js';

const SEED = fileURLToPath(new URL('../../resources/calendar/cn-holidays.json', import.meta.url));
const TZ = 'Asia/Shanghai';

function loadSeed(): HolidayCalendar {
  const parsed = parseHolidayCalendar(JSON.parse(readFileSync(SEED, 'utf8')) as unknown);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}
const cal = loadSeed();

/** An instant given as wall-clock time in Beijing (UTC+8, no DST). */
const beijing = (local: string): Date => new Date(`${local}+08:00`);

describe('seed calendar', () => {
  it('parses and covers 2025 and 2026', () => {
    expect(Object.keys(cal.years).sort()).toEqual(['2025', '2026']);
    expect(cal.source).toContain('国务院办公厅关于2025年部分节假日安排的通知');
    expect(cal.source).toContain('国务院办公厅关于2026年部分节假日安排的通知');
  });

  it('has the 2026 Spring Festival as nine days off with two make-up Saturdays', () => {
    for (let d = 15; d <= 23; d += 1) expect(isWorkingDay(`2026-02-${d}`, cal)).toBe(false);
    expect(isWorkingDay('2026-02-14', cal)).toBe(true);
    expect(isWorkingDay('2026-02-28', cal)).toBe(true);
    expect(isWorkingDay('2026-02-24', cal)).toBe(true);
  });
});

describe('isWorkingDay', () => {
  it('rests on ordinary weekends and works Monday to Friday', () => {
    expect(isWorkingDay('2026-03-07', cal)).toBe(false); // Saturday
    expect(isWorkingDay('2026-03-08', cal)).toBe(false); // Sunday
    expect(isWorkingDay('2026-03-09', cal)).toBe(true); // Monday
    expect(isWorkingDay('2026-03-13', cal)).toBe(true); // Friday
  });

  it('follows the 2025 National Day week with its 调休 weekend days', () => {
    expect(isWorkingDay('2025-09-28', cal)).toBe(true); // Sunday, 上班
    for (let d = 1; d <= 8; d += 1) expect(isWorkingDay(`2025-10-0${d}`, cal)).toBe(false);
    expect(isWorkingDay('2025-10-09', cal)).toBe(true);
    expect(isWorkingDay('2025-10-11', cal)).toBe(true); // Saturday, 上班
    expect(isWorkingDay('2025-10-12', cal)).toBe(false);
  });

  it('treats years the calendar does not list as weekends-only, without throwing', () => {
    expect(calendarCovers('2027-01-01', cal)).toBe(false);
    expect(calendarCovers('2026-12-31', cal)).toBe(true);
    expect(isWorkingDay('2027-01-01', cal)).toBe(true); // a Friday; the 2027 notice is not in the seed
    expect(isWorkingDay('2027-01-02', cal)).toBe(false);
  });

  it('throws on a malformed date (a caller bug)', () => {
    expect(() => isWorkingDay('2026-02-30', cal)).toThrow(RangeError);
    expect(() => isWorkingDay('26-1-1', cal)).toThrow(RangeError);
  });
});

describe('addWorkingDays / workingDaysBetween', () => {
  it('returns the same day for n = 0, even on a rest day', () => {
    expect(addWorkingDays('2026-03-09', 0, cal)).toBe('2026-03-09');
    expect(addWorkingDays('2026-03-08', 0, cal)).toBe('2026-03-08');
  });

  it('skips weekends and does not count the start day', () => {
    expect(addWorkingDays('2026-03-06', 1, cal)).toBe('2026-03-09'); // Fri → Mon
    expect(addWorkingDays('2026-03-09', 5, cal)).toBe('2026-03-16');
  });

  it('jumps the National Day week and counts the make-up Saturday', () => {
    expect(addWorkingDays('2025-09-26', 1, cal)).toBe('2025-09-28'); // Fri → 调休 Sunday
    expect(addWorkingDays('2025-09-30', 1, cal)).toBe('2025-10-09');
    expect(addWorkingDays('2025-09-30', 3, cal)).toBe('2025-10-11'); // Thu, Fri, 调休 Saturday
    expect(addWorkingDays('2025-09-30', 4, cal)).toBe('2025-10-13');
  });

  it('crosses the year boundary into 元旦 and its 调休 Sunday', () => {
    expect(addWorkingDays('2025-12-31', 1, cal)).toBe('2026-01-04');
    expect(addWorkingDays('2025-12-31', 2, cal)).toBe('2026-01-05');
    // …and out of the calendar's years: weekends only.
    expect(addWorkingDays('2026-12-31', 2, cal)).toBe('2027-01-04');
  });

  it('rejects a negative or fractional count', () => {
    expect(() => addWorkingDays('2026-03-09', -1, cal)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-03-09', 1.5, cal)).toThrow(RangeError);
  });

  it('counts working days in (from, to], negative backwards', () => {
    expect(workingDaysBetween('2025-09-30', '2025-10-11', cal)).toBe(3);
    expect(workingDaysBetween('2025-10-11', '2025-09-30', cal)).toBe(-3);
    expect(workingDaysBetween('2026-03-09', '2026-03-09', cal)).toBe(0);
    expect(workingDaysBetween('2026-03-07', '2026-03-08', cal)).toBe(0);
  });

  it('is the inverse of addWorkingDays across both years', () => {
    for (let start = Date.UTC(2025, 0, 1); start < Date.UTC(2027, 0, 10); start += 5 * 86_400_000) {
      const from = new Date(start).toISOString().slice(0, 10);
      for (const n of [0, 1, 3, 7, 20]) {
        const to = addWorkingDays(from, n, cal);
        expect(workingDaysBetween(from, to, cal)).toBe(n);
        if (n > 0) expect(isWorkingDay(to, cal)).toBe(true);
      }
    }
  });

  it('finds the next working day', () => {
    expect(nextWorkingDay('2026-09-30', cal)).toBe('2026-10-08');
    expect(nextWorkingDay('2026-10-09', cal)).toBe('2026-10-10'); // 调休 Saturday
  });
});

describe('calendarDay / promisedDate', () => {
  it('takes the calendar day in the hall zone, not the host zone', () => {
    const instant = new Date('2026-03-06T17:00:00Z'); // Sat 01:00 in Beijing
    expect(calendarDay(instant, TZ)).toBe('2026-03-07');
    expect(calendarDay(instant, 'UTC')).toBe('2026-03-06');
    expect(promisedDate(instant, 1, TZ, cal)).toBe('2026-03-10'); // received Mon, +1
    expect(promisedDate(instant, 1, 'UTC', cal)).toBe('2026-03-09'); // received Fri, +1
  });

  it('counts from the next working day for a Sunday submission', () => {
    const sunday = beijing('2026-03-08T10:00:00');
    expect(receiptDay(sunday, TZ, cal)).toBe('2026-03-09');
    expect(promisedDate(sunday, 5, TZ, cal)).toBe('2026-03-16');
    expect(promisedDate(beijing('2026-03-09T10:00:00'), 5, TZ, cal)).toBe('2026-03-16');
    expect(promisedDate(sunday, 0, TZ, cal)).toBe('2026-03-09');
  });

  it('counts from after the Spring Festival for a submission during it', () => {
    expect(promisedDate(beijing('2026-02-16T23:00:00'), 3, TZ, cal)).toBe('2026-02-27');
  });

  it('keeps a same-day working-day submission on that day for 即办件', () => {
    expect(promisedDate(beijing('2026-03-11T23:59:00'), 0, TZ, cal)).toBe('2026-03-11');
  });
});

describe('deadlineWithPauses', () => {
  const base = { submittedAt: beijing('2026-03-02T09:30:00'), promisedDays: 10, timeZone: TZ, calendar: cal };

  it('equals the promised date without pauses', () => {
    expect(deadlineWithPauses({ ...base, pauses: [] })).toEqual({
      paused: false,
      deadline: '2026-03-16',
      promised: '2026-03-16',
      pausedWorkingDays: 0,
    });
  });

  it('pushes the deadline by the working days of a closed 补正 pause', () => {
    const pauses = [{ from: beijing('2026-03-04T10:00:00'), to: beijing('2026-03-09T15:00:00') }];
    // (Wed 03-04, Mon 03-09] holds Thu, Fri, Mon: 3 working days.
    expect(deadlineWithPauses({ ...base, pauses })).toEqual({
      paused: false,
      deadline: '2026-03-19',
      promised: '2026-03-16',
      pausedWorkingDays: 3,
    });
  });

  it('merges overlapping pauses and ignores same-day ones', () => {
    const pauses = [
      { from: beijing('2026-03-04T10:00:00'), to: beijing('2026-03-09T15:00:00') },
      { from: beijing('2026-03-05T10:00:00'), to: beijing('2026-03-06T15:00:00') },
      { from: beijing('2026-03-11T09:00:00'), to: beijing('2026-03-11T17:00:00') },
    ];
    const result = deadlineWithPauses({ ...base, pauses });
    expect(result).toMatchObject({ paused: false, deadline: '2026-03-19', pausedWorkingDays: 3 });
  });

  it('does not charge holidays inside a pause', () => {
    const pauses = [{ from: beijing('2026-09-30T10:00:00'), to: beijing('2026-10-09T10:00:00') }];
    const result = deadlineWithPauses({ ...base, submittedAt: beijing('2026-09-28T10:00:00'), pauses });
    expect(result).toMatchObject({ paused: false, pausedWorkingDays: 2 }); // Thu 10-08, Fri 10-09
  });

  it('clips a pause that began before the submission', () => {
    const pauses = [{ from: beijing('2026-02-20T10:00:00'), to: beijing('2026-03-03T10:00:00') }];
    expect(deadlineWithPauses({ ...base, pauses })).toMatchObject({
      pausedWorkingDays: 1,
      deadline: '2026-03-17',
    });
  });

  it('reports an open pause without a deadline', () => {
    const pauses = [
      { from: beijing('2026-03-03T10:00:00'), to: beijing('2026-03-04T10:00:00') },
      { from: beijing('2026-03-10T10:00:00'), to: null },
    ];
    expect(deadlineWithPauses({ ...base, pauses })).toEqual({
      paused: true,
      since: '2026-03-10',
      promised: '2026-03-16',
      pausedWorkingDays: 1,
    });
  });

  it('throws on a pause that ends before it starts', () => {
    const pauses = [{ from: beijing('2026-03-05T10:00:00'), to: beijing('2026-03-04T10:00:00') }];
    expect(() => deadlineWithPauses({ ...base, pauses })).toThrow(RangeError);
  });
});

describe('supervisionLevel', () => {
  const deadline = '2026-03-16';
  const options = { warnDays: 2, timeZone: TZ };

  it('is overdue only after the deadline day', () => {
    expect(supervisionLevel(beijing('2026-03-16T23:59:00'), deadline, cal, options)).toBe('warning');
    expect(supervisionLevel(beijing('2026-03-17T00:01:00'), deadline, cal, options)).toBe('overdue');
  });

  it('warns when warnDays or fewer working days remain', () => {
    expect(supervisionLevel(beijing('2026-03-12T10:00:00'), deadline, cal, options)).toBe('warning'); // Fri, Mon left
    expect(supervisionLevel(beijing('2026-03-14T10:00:00'), deadline, cal, options)).toBe('warning'); // weekend
    expect(supervisionLevel(beijing('2026-03-11T10:00:00'), deadline, cal, options)).toBe('normal');
    expect(supervisionLevel(beijing('2026-03-13T10:00:00'), deadline, cal, { ...options, warnDays: 0 })).toBe(
      'normal',
    );
    expect(supervisionLevel(beijing('2026-03-16T10:00:00'), deadline, cal, { ...options, warnDays: 0 })).toBe(
      'warning',
    );
  });

  it('reminds on the receipt day, then turns normal', () => {
    const receivedAt = beijing('2026-03-01T20:00:00'); // Sunday → received Monday 03-02
    expect(supervisionLevel(beijing('2026-03-01T21:00:00'), deadline, cal, { ...options, receivedAt })).toBe(
      'reminder',
    );
    expect(supervisionLevel(beijing('2026-03-02T16:00:00'), deadline, cal, { ...options, receivedAt })).toBe(
      'reminder',
    );
    expect(supervisionLevel(beijing('2026-03-03T09:00:00'), deadline, cal, { ...options, receivedAt })).toBe(
      'normal',
    );
  });

  it('prefers the more urgent level', () => {
    const receivedAt = beijing('2026-03-13T10:00:00');
    expect(supervisionLevel(beijing('2026-03-13T11:00:00'), deadline, cal, { ...options, receivedAt })).toBe(
      'warning',
    );
  });

  it('uses the hall zone for "today"', () => {
    const now = new Date('2026-03-16T16:30:00Z'); // 03-17 00:30 in Beijing
    expect(supervisionLevel(now, deadline, cal, options)).toBe('overdue');
    expect(supervisionLevel(now, deadline, cal, { ...options, timeZone: 'UTC' })).toBe('warning');
  });

  it('rejects a bad threshold or deadline', () => {
    expect(() => supervisionLevel(new Date(), deadline, cal, { ...options, warnDays: -1 })).toThrow(
      RangeError,
    );
    expect(() => supervisionLevel(new Date(), '2026-3-16', cal, options)).toThrow(RangeError);
  });
});

describe('parseHolidayCalendar', () => {
  const valid = {
    version: 't1',
    source: 'test',
    years: { '2026': { holidays: ['2026-10-01', '2026-10-02'], workdays: ['2026-10-10'] } },
  };

  it('accepts a well-formed calendar', () => {
    expect(parseHolidayCalendar(valid).ok).toBe(true);
  });

  const bad: [string, unknown, RegExp][] = [
    ['not an object', 'calendar', /root|expected object/i],
    [
      'an impossible date',
      { ...valid, years: { '2026': { holidays: ['2026-02-30'], workdays: [] } } },
      /real date/,
    ],
    [
      'a non-ISO date',
      { ...valid, years: { '2026': { holidays: ['2026/10/01'], workdays: [] } } },
      /real date/,
    ],
    [
      'a date both holiday and workday',
      { ...valid, years: { '2026': { holidays: ['2026-10-10'], workdays: ['2026-10-10'] } } },
      /both a holiday and a workday/,
    ],
    [
      'a weekday 调休 workday',
      { ...valid, years: { '2026': { holidays: [], workdays: ['2026-10-09'] } } },
      /is a weekday/,
    ],
    [
      'a date filed under the wrong year',
      { ...valid, years: { '2026': { holidays: ['2025-10-01'], workdays: [] } } },
      /not in 2026/,
    ],
    [
      'a duplicate',
      { ...valid, years: { '2026': { holidays: ['2026-10-01', '2026-10-01'], workdays: [] } } },
      /twice/,
    ],
    ['a bad year key', { ...valid, years: { '26': { holidays: [], workdays: [] } } }, /four-digit year/],
    ['a missing source', { version: 't1', years: {} }, /source/],
    [
      'an unknown key',
      { ...valid, years: { '2026': { holidays: [], workdays: [], extra: [] } } },
      /extra|unrecognized/i,
    ],
  ];
  it.each(bad)('rejects %s', (_name, json, message) => {
    const parsed = parseHolidayCalendar(json);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });

  it('names the offending path', () => {
    const parsed = parseHolidayCalendar({
      ...valid,
      years: { '2026': { holidays: ['2026-10-10'], workdays: ['2026-10-10'] } },
    });
    expect(parsed).toEqual({
      ok: false,
      error: 'years.2026.workdays.0: 2026-10-10 is both a holiday and a workday',
    });
  });
});

describe('isIsoDate', () => {
  it('accepts real dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-1-01')).toBe(false);
  });
});
