import { describe, expect, it } from 'vitest';
import type { ApplicationSummary } from '../../../shared/browser.js';
import { formatIsoDate, mergeApps, printDetail, printOverall } from './result-logic.js';

const app = (
  id: string,
  printState: ApplicationSummary['printState'],
  printDetailText: string | null = null,
) => ({ id, printState, printDetail: printDetailText }) as ApplicationSummary;

describe('result logic', () => {
  it('sums up the printing of all receipts', () => {
    expect(printOverall([])).toBe('pending');
    expect(printOverall([app('a', 'printed'), app('b', 'printed')])).toBe('printed');
    expect(printOverall([app('a', 'printed'), app('b', 'failed', 'paper out')])).toBe('failed');
    expect(printOverall([app('a', 'no-printer')])).toBe('no-printer');
    expect(printOverall([app('a', 'pending')])).toBe('pending');
    expect(printDetail([app('a', 'printed'), app('b', 'failed', 'paper out')])).toBe('paper out');
  });

  it('merges fresh states in order', () => {
    const merged = mergeApps([app('a', 'failed'), app('b', 'failed')], [app('b', 'printed')]);
    expect(merged.map((a) => `${a.id}:${a.printState}`)).toEqual(['a:failed', 'b:printed']);
  });

  it('formats a calendar date', () => {
    expect(formatIsoDate('2026-11-03', 'zh-CN')).toBe('2026年11月3日');
    expect(formatIsoDate('2026-11-03', 'en')).toBe('3 November 2026');
    expect(formatIsoDate('soon', 'en')).toBe('soon');
  });
});
