import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hoursOn, parseOpeningHours, windowOpening, type OpeningHours } from './opening-hours.js';
import { parseHolidayCalendar, type HolidayCalendar } from './working-days.js';

const read = (rel: string): unknown =>
  JSON.parse(readFileSync(fileURLToPath(new URL(rel, import.meta.url)), 'utf8')) as unknown;

function seedHours(): OpeningHours {
  const parsed = parseOpeningHours(read('../../resources/calendar/window-hours.json'));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}
function seedCalendar(): HolidayCalendar {
  const parsed = parseHolidayCalendar(read('../../resources/calendar/cn-holidays.json'));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}
const hours = seedHours();
const cal = seedCalendar();
const TZ = 'Asia/Shanghai';
/** An instant given as wall-clock time in Beijing (UTC+8, no DST). */
const bj = (wall: string): Date => new Date(`${wall}+08:00`);

describe('the shipped window hours', () => {
  it('validate and cover every window', () => {
    expect(Object.keys(hours.windows).sort()).toEqual(['bdcdj', 'gcbj', 'swfw', 'ylsb', 'zzlb']);
  });
});

describe('windowOpening', () => {
  it('is open inside a period and closed over lunch, with the afternoon as the next opening', () => {
    const morning = windowOpening(hours, cal, 'zzlb', bj('2026-12-02T10:15:00'), TZ);
    expect(morning).toMatchObject({ date: '2026-12-02', time: '10:15', open: true });
    expect(morning.current).toEqual({ from: '09:00', to: '12:00' });

    const lunch = windowOpening(hours, cal, 'zzlb', bj('2026-12-02T12:00:00'), TZ);
    expect(lunch.open).toBe(false);
    expect(lunch.next).toMatchObject({ date: '2026-12-02', from: '13:00', daysAhead: 0 });
    // The end of a period is outside it; its start inside.
    expect(windowOpening(hours, cal, 'zzlb', bj('2026-12-02T16:59:59'), TZ).open).toBe(true);
    expect(windowOpening(hours, cal, 'zzlb', bj('2026-12-02T17:00:00'), TZ).open).toBe(false);
    expect(windowOpening(hours, cal, 'zzlb', bj('2026-12-02T09:00:00'), TZ).open).toBe(true);
  });

  it('Friday 21:26 → Monday 09:00 across the weekend; a window with Saturday hours opens Saturday', () => {
    const friday = windowOpening(hours, cal, 'zzlb', bj('2026-12-04T21:26:00'), TZ);
    expect(friday.open).toBe(false);
    expect(friday.today.periods).toHaveLength(2);
    expect(friday.next).toEqual({ date: '2026-12-07', weekday: 1, from: '09:00', to: '12:00', daysAhead: 3 });

    const ylsb = windowOpening(hours, cal, 'ylsb', bj('2026-12-04T21:26:00'), TZ);
    expect(ylsb.next).toMatchObject({ date: '2026-12-05', weekday: 6, from: '09:00', daysAhead: 1 });
    // Saturday afternoon: closed, next Monday.
    const satAfternoon = windowOpening(hours, cal, 'ylsb', bj('2026-12-05T14:00:00'), TZ);
    expect(satAfternoon.open).toBe(false);
    expect(satAfternoon.next).toMatchObject({ date: '2026-12-07', from: '09:00' });
  });

  it('reads the wall clock in the hall time zone, not the host one', () => {
    // 01:30 UTC is 09:30 in Beijing: open there, closed at the same instant in London.
    const instant = new Date('2026-12-02T01:30:00Z');
    expect(windowOpening(hours, cal, 'zzlb', instant, TZ)).toMatchObject({ time: '09:30', open: true });
    expect(windowOpening(hours, cal, 'zzlb', instant, 'Europe/London')).toMatchObject({
      time: '01:30',
      open: false,
    });
    // 16:30 UTC on Thursday is already Friday 00:30 in Beijing: the day is Friday's.
    const lateUtc = windowOpening(hours, cal, 'zzlb', new Date('2026-12-03T16:30:00Z'), TZ);
    expect(lateUtc).toMatchObject({ date: '2026-12-04', open: false });
    expect(lateUtc.next).toMatchObject({ date: '2026-12-04', from: '09:00', daysAhead: 0 });
  });

  it('closes on a public holiday and opens on a 调休 workday with weekday hours', () => {
    const national = windowOpening(hours, cal, 'bdcdj', bj('2026-10-03T10:00:00'), TZ); // a Saturday, 国庆
    expect(national.open).toBe(false);
    expect(national.today.kind).toBe('holiday');
    // 10-08 (Thursday) is the first day back.
    expect(national.next).toMatchObject({ date: '2026-10-08', from: '09:00' });
    // 2026-10-10 is a Saturday worked (调休): zzlb, closed on Saturdays, opens with Monday's hours.
    const makeUp = windowOpening(hours, cal, 'zzlb', bj('2026-10-10T14:00:00'), TZ);
    expect(makeUp).toMatchObject({ open: true, today: { kind: 'make-up-day' } });
    expect(makeUp.today.periods).toEqual([
      { from: '09:00', to: '12:00' },
      { from: '13:00', to: '17:00' },
    ]);
  });

  it('a dated exception overrides the weekly hours and carries its note', () => {
    const eve = hoursOn(hours, cal, 'swfw', '2026-12-31');
    expect(eve.kind).toBe('exception');
    expect(eve.periods.at(-1)).toEqual({ from: '13:00', to: '15:00' });
    expect(eve.note?.zh).toContain('15:00');
    expect(windowOpening(hours, cal, 'swfw', bj('2026-12-31T15:30:00'), TZ).open).toBe(false);
    expect(windowOpening(hours, cal, 'swfw', bj('2026-12-31T14:59:00'), TZ).open).toBe(true);
  });

  it('says no next opening for a window closed for more than a year', () => {
    const closed: OpeningHours = {
      ...hours,
      windows: { ...hours.windows, gcbj: { weekly: [] } },
      exceptions: [],
    };
    const o = windowOpening(closed, cal, 'gcbj', bj('2026-12-02T10:00:00'), TZ);
    expect(o).toMatchObject({ open: false, next: null });
  });
});

describe('parseOpeningHours', () => {
  const base = read('../../resources/calendar/window-hours.json') as Record<string, unknown>;
  const windows = base.windows as Record<string, unknown>;

  it('names what is wrong: an unknown or missing window, reversed or overlapping periods, bad dates', () => {
    const bad = parseOpeningHours({
      ...base,
      windows: {
        ...windows,
        zzlb: {
          weekly: [
            {
              days: [1],
              periods: [
                { from: '09:00', to: '12:00' },
                { from: '11:00', to: '13:00' },
              ],
            },
          ],
        },
        gcbj: { weekly: [{ days: [1], periods: [{ from: '17:00', to: '09:00' }] }] },
      },
      exceptions: [{ date: '2026-02-30', periods: [] }],
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error).toContain('overlaps');
    expect(bad.error).toContain('from must be before to');
    expect(bad.error).toContain('exceptions.0.date');
    const { swfw: _dropped, ...withoutSwfw } = windows;
    const windowsWrong = parseOpeningHours({ ...base, windows: { ...withoutSwfw, nope: { weekly: [] } } });
    expect(windowsWrong.ok).toBe(false);
    if (windowsWrong.ok) return;
    expect(windowsWrong.error).toContain('unknown window nope');
    expect(windowsWrong.error).toContain('no hours for window swfw');
  });

  it('refuses a weekday listed twice and 25:00', () => {
    const twice = parseOpeningHours({
      ...base,
      windows: {
        ...windows,
        zzlb: {
          weekly: [
            { days: [1, 2], periods: [{ from: '09:00', to: '12:00' }] },
            { days: [2], periods: [{ from: '25:00', to: '26:00' }] },
          ],
        },
      },
    });
    expect(twice.ok).toBe(false);
    if (!twice.ok) expect(twice.error).toMatch(/day 2 twice.*HH:MM|HH:MM.*day 2 twice/);
  });
});
