import { describe, expect, it } from 'vitest';
import { clockOffset, dateParts, formatFen, formatTime, setDisplayTimeZone, wallClock } from './format.js';

describe('formatTime', () => {
  it('is 24-hour HH:MM with leading zeros', () => {
    expect(formatTime(new Date(2026, 10, 26, 9, 5, 59))).toBe('09:05');
    expect(formatTime(new Date(2026, 10, 26, 23, 40))).toBe('23:40');
  });
});

describe('dateParts', () => {
  const thursday = new Date(2026, 10, 26, 12, 0);
  it('gives the Chinese weekday name', () => {
    expect(dateParts(thursday, 'zh-CN')).toEqual({
      year: 2026,
      month: 11,
      monthName: '十一月',
      day: 26,
      weekday: '星期四',
    });
  });
  it('gives English day and month names', () => {
    const p = dateParts(thursday, 'en');
    expect(p.weekday).toBe('Thursday');
    expect(p.monthName).toBe('November');
    expect(p.day).toBe(26);
  });
});

describe('formatFen', () => {
  it('turns fen into yuan with two decimals', () => {
    expect(formatFen(0)).toBe('0.00');
    expect(formatFen(5)).toBe('0.05');
    expect(formatFen(1250)).toBe('12.50');
    expect(formatFen(2_000_000)).toBe('20,000.00');
  });
});

describe('clockOffset', () => {
  it('is server minus local time', () => {
    expect(clockOffset('2026-11-26T12:00:05.000Z', Date.parse('2026-11-26T12:00:00.000Z'))).toBe(5000);
  });
  it('is zero for an unreadable server time', () => {
    expect(clockOffset('not a date', 123)).toBe(0);
  });
});

describe('display time zone', () => {
  it('shows wall-clock time in the hall zone, whatever the machine zone', () => {
    const instant = new Date('2026-11-26T16:30:05Z');
    setDisplayTimeZone('Asia/Shanghai');
    try {
      expect(formatTime(instant)).toBe('00:30');
      expect(wallClock(instant)).toEqual({ year: 2026, month: 11, day: 27, hour: 0, minute: 30, second: 5 });
    } finally {
      setDisplayTimeZone(undefined);
    }
  });
});
