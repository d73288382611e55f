import { describe, expect, it } from 'vitest';
import { messageText } from './desk.js';
import { createDeskI18n, deskTextOf } from './desk-i18n.js';
import {
  auditActionKey,
  auditDetailText,
  checkRange,
  deviceLine,
  followupActionText,
  followupDetailText,
  followupDoneMessage,
  helpStepText,
  levelWords,
  monthStart,
  parseDay,
  percent,
  transferredMessage,
  waitedSeconds,
} from './panels-text.js';

const i18n = createDeskI18n();
const zh = deskTextOf(i18n, 'zh-CN');
const en = deskTextOf(i18n, 'en');

describe('the statistics range as typed', () => {
  it('reads year-month-day in the forms people type it', () => {
    expect(parseDay('2026-03-02')).toBe('2026-03-02');
    expect(parseDay(' 2026-3-2 ')).toBe('2026-03-02');
    expect(parseDay('2026/03/02')).toBe('2026-03-02');
    expect(parseDay('2026.3.2')).toBe('2026-03-02');
    expect(parseDay('2026年3月2日')).toBe('2026-03-02');
    expect(parseDay('２０２６－03－02')).toBeNull(); // full-width dash is not a separator
    expect(parseDay('２０２６-０３-０２')).toBe('2026-03-02');
  });

  it('refuses what is not a real day or not in year-month-day order', () => {
    for (const bad of [
      '',
      '2026-02-30',
      '2026-13-01',
      '02/03/2026',
      '03-02-2026',
      '2026-03',
      'today',
      '2026-03-02x',
    ])
      expect(parseDay(bad), bad).toBeNull();
    expect(parseDay('2028-02-29')).toBe('2028-02-29');
  });

  it('checks the range: both days, in order, at most 366 days', () => {
    expect(checkRange('2026-03-01', '2026-03-31')).toEqual({
      ok: true,
      from: '2026-03-01',
      to: '2026-03-31',
    });
    expect(checkRange('2026-3-1', '2026-3-1')).toEqual({ ok: true, from: '2026-03-01', to: '2026-03-01' });
    expect(checkRange('x', '2026-03-31')).toEqual({ ok: false, problem: 'from' });
    expect(checkRange('2026-03-01', '2026-02-30')).toEqual({ ok: false, problem: 'to' });
    expect(checkRange('2026-04-01', '2026-03-31')).toEqual({ ok: false, problem: 'order' });
    expect(checkRange('2025-03-01', '2026-03-01')).toEqual({
      ok: true,
      from: '2025-03-01',
      to: '2026-03-01',
    });
    expect(checkRange('2025-03-01', '2026-03-02')).toEqual({ ok: false, problem: 'length' });
    expect(monthStart('2026-03-17')).toBe('2026-03-01');
  });
});

describe('the panels’ words', () => {
  it('names audit actions in either language, and leaves unknown ones as recorded', () => {
    expect(auditActionKey('staff.login-failed')).toBe('audit.actions.staffLoginFailed');
    expect(zh(auditActionKey('staff.login-failed')!)).toBe('登录失败');
    expect(en(auditActionKey('case.document-pdf')!)).toBe('Document printed');
    expect(en(auditActionKey('queue.transfer')!)).toBe('Transfer');
    expect(auditActionKey('something.new')).toBeNull();
    expect(auditDetailText({ window: 'ylsb', n: 2, ok: true, none: null })).toBe(
      'window=ylsb n=2 ok=true none=null',
    );
  });

  it('says a kiosk’s device problem in the page’s language, unknown words as reported', () => {
    const d = { kind: 'printer', state: 'warning', detail: 'paper-near-end' };
    expect(deviceLine(zh, d)).toBe('凭条打印机：告警（纸将尽）');
    expect(deviceLine(en, d)).toBe('Receipt printer: warning (paper near end)');
    expect(deviceLine(en, { kind: 'lamp', state: 'flicker', detail: null })).toBe('lamp: flicker');
  });

  it('names follow-up levels, actions, details and kiosk steps', () => {
    expect(levelWords(zh, 'very-dissatisfied', 'x')).toBe('非常不满意');
    expect(levelWords(en, 'very-dissatisfied', 'x')).toBe('Very dissatisfied');
    expect(levelWords(en, 'odd', '奇怪')).toBe('奇怪');
    expect(followupActionText(zh, 'request-extension')).toBe('申请延期');
    expect(followupActionText(en, 'cannot-fix')).toBe('Cannot fix');
    expect(followupDetailText(zh, { reason: '人手不足', days: 3 }, '；')).toBe(
      '；理由：人手不足；3 个工作日',
    );
    expect(followupDetailText(en, { note: 'done' }, '; ')).toBe('; note: done');
    expect(followupDetailText(en, {}, '; ')).toBe('');
    expect(helpStepText(zh, 'apply')).toBe('我要办事');
    expect(helpStepText(en, 'apply')).toBe('Applying');
    expect(helpStepText(en, 'new-screen')).toBe('new-screen');
  });

  it('counts waiting seconds and percentages', () => {
    const since = '2026-03-02T01:00:00.000Z';
    expect(waitedSeconds(since, Date.parse(since) + 61_400)).toBe(61);
    expect(waitedSeconds(since, Date.parse(since) - 5000)).toBe(0);
    expect(percent(0.5)).toBe('50.0%');
    expect(percent(null)).toBe('—');
  });
});

describe('what a panel says on the status line', () => {
  it('is put into words when shown: the same message reads in either language', () => {
    const done = followupDoneMessage('start', 7);
    expect(messageText(done, zh, 'zh-CN')).toBe('已办理：开始整改（整改任务 7）');
    expect(messageText(done, en, 'en')).toBe('Done: Start (follow-up 7)');
    expect(messageText(followupDoneMessage('new-action', 8), en, 'en')).toBe(
      'Done: new-action (follow-up 8)',
    );
  });

  it('names the window a number went to in the language shown, by its code when it has no name', () => {
    const to = transferredMessage('E001', { window: 'ylsb', name: { zh: '养老社保', en: 'Pensions' } });
    expect(messageText(to, zh, 'zh-CN')).toBe('E001 已转至 养老社保');
    expect(messageText(to, en, 'en')).toBe('E001 transferred to Pensions');
    expect(messageText(transferredMessage('E002', { window: 'w9', name: null }), en, 'en')).toBe(
      'E002 transferred to w9',
    );
  });
});
