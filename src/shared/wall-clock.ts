/**
 * Wall-clock time in the hall's time zone (docs/architecture.md, "House style"): receipts, the
 * archived form, the screens and the staff desk all show an instant as the hall's clock shows it,
 * and service days and deadlines count in the hall's calendar days. One formatter per time zone is
 * kept: making an Intl.DateTimeFormat costs about half a millisecond, using one a few microseconds.
 *
 * No zod, no Node: the screen and the staff page import it too.
 */

export type WallClock = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
};

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** The fields of `instant` on the hall's clock; a RangeError for an invalid date or zone. */
export function wallClockIn(instant: Date, timeZone: string): WallClock {
  if (Number.isNaN(instant.getTime())) throw new RangeError('invalid Date');
  const out: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of formatFor(timeZone).formatToParts(instant)) {
    if (p.type in out) out[p.type as keyof WallClock] = Number(p.value);
  }
  return out;
}

export const pad2 = (n: number): string => String(n).padStart(2, '0');

/** `2026-11-26` — the calendar day of `instant` in the hall's zone. */
export function formatDay(instant: Date, timeZone: string): string {
  const w = wallClockIn(instant, timeZone);
  return `${w.year}-${pad2(w.month)}-${pad2(w.day)}`;
}

/** `2026-11-26 14:05`, or with `seconds` `2026-11-26 14:05:09`, in the hall's zone. */
export function formatDateTime(instant: Date, timeZone: string, opts: { seconds?: boolean } = {}): string {
  const w = wallClockIn(instant, timeZone);
  const time = `${pad2(w.hour)}:${pad2(w.minute)}${opts.seconds ? `:${pad2(w.second)}` : ''}`;
  return `${w.year}-${pad2(w.month)}-${pad2(w.day)} ${time}`;
}
