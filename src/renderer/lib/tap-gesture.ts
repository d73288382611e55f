/**
 * The technician's hidden way in: a quick series of taps on the kiosk's title (five within three
 * seconds by default). Residents never do that by accident, and no button tells them it exists.
 * Pure: the caller keeps the taps (a ref) and passes the time, so tests need no timers.
 */
export type TapGestureOptions = { count: number; windowMs: number };

export const TECH_TAP_GESTURE: TapGestureOptions = { count: 5, windowMs: 3000 };

/**
 * Adds a tap at `now` to the recent taps. `fired` is true when the last `count` taps fall within
 * `windowMs`; the taps then start again from nothing, so a sixth tap does not fire a second time.
 */
export function registerTap(
  taps: readonly number[],
  now: number,
  opts: TapGestureOptions = TECH_TAP_GESTURE,
): { taps: number[]; fired: boolean } {
  // A clock that went backwards (time sync) must not keep stale taps "in the window".
  const recent = [...taps.filter((t) => t <= now && now - t < opts.windowMs), now];
  if (recent.length >= opts.count) return { taps: [], fired: true };
  return { taps: recent, fired: false };
}
