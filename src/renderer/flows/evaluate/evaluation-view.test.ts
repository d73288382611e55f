import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en.js';
import { zhCN } from '../../i18n/zh-cn.js';
import { problemMessages } from './evaluation-view.js';

describe('problemMessages', () => {
  it('gives one line per kind, in the order the form reads', () => {
    expect(
      problemMessages([
        { kind: 'comment-too-long', max: 500 },
        { kind: 'unknown-item', item: 'x' },
        { kind: 'unknown-item', item: 'y' },
        { kind: 'reason-required' },
      ]),
    ).toEqual([
      { key: 'unknown-item', values: {} },
      { key: 'reason-required', values: {} },
      { key: 'comment-too-long', values: { max: 500 } },
    ]);
  });

  it('has copy for every problem in both languages', () => {
    const kinds = [
      'level-required',
      'unknown-item',
      'item-not-for-level',
      'duplicate-item',
      'reason-required',
      'reason-not-for-level',
      'reason-too-long',
      'comment-too-long',
    ] as const;
    for (const k of kinds) {
      expect(zhCN.evaluateFlow.problems[k]).toBeTruthy();
      expect(en.evaluateFlow.problems[k]).toBeTruthy();
    }
  });
});
