import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDay, wallClockIn } from './wall-clock.js';

describe('wall clock in the hall’s zone', () => {
  it('shows an instant as the hall’s clock does, across the date line of UTC', () => {
    const late = new Date('2026-12-31T16:30:09Z');
    expect(wallClockIn(late, 'Asia/Shanghai')).toEqual({
      year: 2027,
      month: 1,
      day: 1,
      hour: 0,
      minute: 30,
      second: 9,
    });
    expect(formatDay(late, 'Asia/Shanghai')).toBe('2027-01-01');
    expect(formatDay(late, 'UTC')).toBe('2026-12-31');
    expect(formatDateTime(late, 'Asia/Shanghai')).toBe('2027-01-01 00:30');
    expect(formatDateTime(late, 'Asia/Shanghai', { seconds: true })).toBe('2027-01-01 00:30:09');
  });

  it('keeps midnight at 00 and pads single digits', () => {
    expect(formatDateTime(new Date('2026-03-01T16:05:00Z'), 'Asia/Shanghai')).toBe('2026-03-02 00:05');
  });

  it('refuses an invalid date or zone rather than printing garbage', () => {
    expect(() => formatDay(new Date('nope'), 'Asia/Shanghai')).toThrow(RangeError);
    expect(() => formatDay(new Date(), 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});
