import { describe, expect, it } from 'vitest';
import { formatTable, median } from './harness.js';

describe('bench harness', () => {
  it('takes the median of odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('prints a table with every result', () => {
    const t = formatTable([{ name: 'x', value: 1.234, unit: 'ms', note: 'n' }]);
    expect(t.split('\n')).toHaveLength(2);
    expect(t).toMatch(/x\s+1\.23\s+ms\s+n/);
  });
});
