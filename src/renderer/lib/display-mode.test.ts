import { describe, expect, it } from 'vitest';
import { ELDERLY_TIME_FACTOR, pageOf, residentMs } from './display-mode.js';

describe('display mode', () => {
  it('makes every resident wait longer in elderly mode, by one factor', () => {
    expect(residentMs(90_000, { elderly: false })).toBe(90_000);
    expect(residentMs(90_000, { elderly: true })).toBe(90_000 * ELDERLY_TIME_FACTOR);
    expect(ELDERLY_TIME_FACTOR).toBeGreaterThan(1);
  });

  it('cuts a list into pages and clamps the page number', () => {
    const nine = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    expect(pageOf(nine, 0, 4)).toEqual({ items: [1, 2, 3, 4], page: 0, pages: 3 });
    expect(pageOf(nine, 2, 4)).toEqual({ items: [9], page: 2, pages: 3 });
    expect(pageOf(nine, 7, 4).page).toBe(2);
    expect(pageOf(nine, -1, 4).page).toBe(0);
    expect(pageOf([], 0, 4)).toEqual({ items: [], page: 0, pages: 1 });
  });
});
