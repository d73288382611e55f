import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en.js';
import { zhCN } from '../../i18n/zh-cn.js';
import { issueProblem } from './queue-view.js';

describe('issueProblem', () => {
  it('says paper out in plain words and sends the resident to the help desk', () => {
    const p = issueProblem({ kind: 'printer-unavailable', status: 'paper-out', detail: 'no paper' });
    expect(p).toEqual({ key: 'paperOut', status: 'paper-out' });
    expect(zhCN.queueFlow.errors[p.key]).toContain('取号机缺纸，请到咨询台人工取号');
  });

  it('names any other printer state', () => {
    const p = issueProblem({ kind: 'printer-unavailable', status: 'cover-open', detail: '' });
    expect(p).toEqual({ key: 'unavailable', status: 'cover-open' });
    expect(zhCN.queueFlow.printerStatus['cover-open']).toBeTruthy();
    expect(en.queueFlow.printerStatus['cover-open']).toBeTruthy();
  });

  it('maps the other errors', () => {
    expect(issueProblem({ kind: 'no-ticket-printer' }).key).toBe('noPrinter');
    expect(issueProblem({ kind: 'range-exhausted', window: 'ylsb', last: 999 }).key).toBe('rangeExhausted');
    expect(issueProblem({ kind: 'unknown-window', window: 'x' }).key).toBe('unknownWindow');
  });
});
