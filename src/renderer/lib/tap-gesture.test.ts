import { describe, expect, it } from 'vitest';
import { registerTap, TECH_TAP_GESTURE } from './tap-gesture.js';

function tapAll(times: number[]): boolean[] {
  let taps: number[] = [];
  return times.map((now) => {
    const r = registerTap(taps, now);
    taps = r.taps;
    return r.fired;
  });
}

describe('registerTap', () => {
  it('fires on the fifth tap within three seconds', () => {
    expect(TECH_TAP_GESTURE).toEqual({ count: 5, windowMs: 3000 });
    expect(tapAll([0, 300, 600, 900, 1200])).toEqual([false, false, false, false, true]);
    expect(tapAll([0, 700, 1400, 2100, 2999])).toEqual([false, false, false, false, true]);
  });

  it('does not fire when the taps are spread over more than three seconds', () => {
    expect(tapAll([0, 800, 1600, 2400, 3200])).toEqual([false, false, false, false, false]);
    // …but the last five of a longer series count (800 … 3300 fall within three seconds).
    expect(tapAll([0, 800, 1600, 2400, 3200, 3300])).toEqual([false, false, false, false, false, true]);
  });

  it('starts again after firing: a sixth tap does not fire twice', () => {
    expect(tapAll([0, 100, 200, 300, 400, 500, 600])).toEqual([
      false,
      false,
      false,
      false,
      true,
      false,
      false,
    ]);
  });

  it('forgets taps from the future (the clock was set back)', () => {
    expect(registerTap([5000, 5100, 5200, 5300], 100)).toEqual({ taps: [100], fired: false });
  });

  it('takes other counts and windows', () => {
    expect(registerTap([0, 100], 200, { count: 3, windowMs: 1000 }).fired).toBe(true);
    expect(registerTap([0, 100], 1200, { count: 3, windowMs: 1000 }).fired).toBe(false);
  });
});
