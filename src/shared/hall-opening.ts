/**
 * The hall's hours as one line on the home screen (docs/resident-journey.md, "Home"): the windows'
 * hours of today merged into the hall's (09:00–12:00 at one window and 09:00–17:00 at another make
 * 09:00–17:00), open when any window is open now, and the earliest next opening of any window. Pure,
 * and free of zod so the screen can import it (the per-window rules are opening-hours.ts).
 */
import type { DayHours, NextOpening, OpeningPeriod, WindowOpening } from './opening-hours.js';

export type HallOpening = {
  /** Today's hours of the hall: the union of the windows' periods; why (holiday…) when none. */
  today: DayHours;
  /** Whether any window is open now. */
  open: boolean;
  /** The earliest next opening of any window (null: none within the look-ahead). */
  next: NextOpening | null;
};

/** The union of periods, sorted; touching or overlapping periods become one. */
export function mergePeriods(periods: readonly OpeningPeriod[]): OpeningPeriod[] {
  const sorted = [...periods].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const out: OpeningPeriod[] = [];
  for (const p of sorted) {
    const last = out.at(-1);
    if (last && p.from <= last.to) {
      if (p.to > last.to) last.to = p.to;
    } else out.push({ from: p.from, to: p.to });
  }
  return out;
}

const earlier = (a: NextOpening, b: NextOpening): boolean =>
  a.date < b.date || (a.date === b.date && a.from < b.from);

/** The hall from its windows; null when there is no window to say anything about. */
export function hallOpening(windows: readonly WindowOpening[]): HallOpening | null {
  const first = windows[0];
  if (first === undefined) return null;
  const periods = mergePeriods(windows.flatMap((w) => w.today.periods));
  // Why the day is what it is: a reason given by any window (an exception's note, a 放假 day, a 调休
  // workday) is the hall's when the hall as a whole has no hours, or when every window shares it.
  const special = windows.find((w) => w.today.kind !== 'weekly')?.today ?? null;
  const shared = windows.every((w) => w.today.kind === first.today.kind);
  const reason = special !== null && (periods.length === 0 || shared) ? special : null;
  let next: NextOpening | null = null;
  for (const w of windows) if (w.next !== null && (next === null || earlier(w.next, next))) next = w.next;
  return {
    today: {
      date: first.today.date,
      weekday: first.today.weekday,
      periods,
      kind: reason?.kind ?? 'weekly',
      note: reason?.note ?? null,
    },
    open: windows.some((w) => w.open),
    next,
  };
}
