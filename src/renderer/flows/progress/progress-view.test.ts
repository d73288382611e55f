import { describe, expect, it } from 'vitest';
import { CASE_STATUSES } from '../../../shared/browser.js';
import {
  checkReceiptNo,
  formatDateTime,
  missingMaterials,
  normaliseReceiptInput,
  reprintOutcome,
  statusView,
  syncLine,
} from './progress-view.js';

describe('statusView', () => {
  it('gives every case status words in both languages and a sentence of what to do', () => {
    for (const st of CASE_STATUSES) {
      const v = statusView(st);
      expect(v.info.status).toBe(st);
      for (const text of [v.info.label.zh, v.info.label.en, v.info.explain.zh, v.info.explain.en]) {
        expect(text.trim().length).toBeGreaterThan(1);
      }
    }
  });

  it('uses the words the hall uses', () => {
    expect(statusView('accepted').info.label.zh).toBe('已受理');
    expect(statusView('refused').info.label.zh).toBe('不予受理');
    expect(statusView('correction-requested').info.label.zh).toBe('需补齐补正');
    expect(statusView('supplement-received').info.label.zh).toContain('补正材料已送达');
    expect(statusView('completed').info.label.zh).toBe('已办结');
    expect(statusView('submitted').info.label.zh).toContain('已提交');
  });

  it('marks bad and warning states with an icon as well as a tone', () => {
    expect(statusView('refused')).toMatchObject({ tone: 'bad', icon: 'fault' });
    expect(statusView('correction-requested')).toMatchObject({ tone: 'warn', icon: 'warning' });
    expect(statusView('completed').tone).toBe('ok');
  });
});

describe('formatDateTime', () => {
  it('shows the wall-clock time of the given zone', () => {
    expect(formatDateTime('2026-11-26T06:03:09Z', 'Asia/Shanghai')).toBe('2026-11-26 14:03');
    expect(formatDateTime('2026-12-31T16:30:00Z', 'Asia/Shanghai')).toBe('2027-01-01 00:30');
  });
  it('leaves text that is not a time alone', () => {
    expect(formatDateTime('nope', 'Asia/Shanghai')).toBe('nope');
  });
});

describe('syncLine', () => {
  it('says nothing online, the last sync offline, or that there was none', () => {
    expect(syncLine({ lastSyncAt: '2026-11-26T06:00:00Z' }, true)).toEqual({ kind: 'none' });
    expect(syncLine({ lastSyncAt: '2026-11-26T06:00:00Z' }, false)).toEqual({
      kind: 'last-sync',
      at: '2026-11-26T06:00:00Z',
    });
    expect(syncLine({ lastSyncAt: null }, false)).toEqual({ kind: 'never' });
  });
});

describe('reprintOutcome', () => {
  it('maps each print state', () => {
    expect(reprintOutcome('printed', null)).toEqual({ key: 'printed', tone: 'ok', detail: '' });
    expect(reprintOutcome('failed', 'paper-out: no paper')).toEqual({
      key: 'failed',
      tone: 'bad',
      detail: 'paper-out: no paper',
    });
    expect(reprintOutcome('failed', '打印机缺纸，请联系工作人员。').detail).toBe(
      '打印机缺纸，请联系工作人员',
    );
    expect(reprintOutcome('no-printer', null).key).toBe('noPrinter');
    expect(reprintOutcome('pending', null).key).toBe('pending');
  });
});

describe('receipt numbers', () => {
  it('upper-cases and strips spaces', () => {
    expect(normaliseReceiptInput(' zz01-2026 1126-0001 ')).toBe('ZZ01-20261126-0001');
  });
  it('accepts the format and names the problem otherwise', () => {
    expect(checkReceiptNo('zz01-20261126-0001')).toEqual({ ok: true, receiptNo: 'ZZ01-20261126-0001' });
    expect(checkReceiptNo('')).toEqual({ ok: false, problem: 'empty' });
    expect(checkReceiptNo('ZZ01-2026-1')).toEqual({ ok: false, problem: 'format' });
    expect(checkReceiptNo('ZZ0120261126001')).toEqual({ ok: false, problem: 'format' });
  });
});

describe('missingMaterials', () => {
  it('lists the requested materials without a captured page', () => {
    expect(missingMaterials([{ code: 'a' }, { code: 'b' }, { code: 'c' }], { a: [1], b: [] })).toEqual([
      'b',
      'c',
    ]);
  });
});
