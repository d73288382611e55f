import { describe, expect, it } from 'vitest';
import {
  CASE_STATUS_INFO,
  HALL_CASE_STATUSES,
  STAFF_ACTION_LABELS,
  STAFF_CASE_ACTIONS,
} from '../../shared/case-status.js';
import {
  aboutText,
  caseActionWords,
  caseEventText,
  CONNECTION_LIGHTS,
  deadlineText,
  detailText,
  deviceText,
  fieldValue,
  fieldWords,
  followupActionWords,
  formatSize,
  formatTime,
  HEALTH_LIGHTS,
  LEVEL_LIGHTS,
  materialText,
  statusWords,
} from './format.js';

const TZ = 'Asia/Shanghai';

describe('case words come from the shared contract', () => {
  it('names every hall status as the contract does, and an unknown status as it is', () => {
    for (const s of HALL_CASE_STATUSES) expect(statusWords(s)).toEqual(CASE_STATUS_INFO[s].label);
    expect(statusWords('correction-requested').zh).toBe('需补齐补正');
    expect(statusWords('lost-in-transit')).toEqual({ zh: 'lost-in-transit', en: 'lost-in-transit' });
  });

  it('names the four actions as the contract does', () => {
    for (const a of STAFF_CASE_ACTIONS) expect(caseActionWords(a)).toEqual(STAFF_ACTION_LABELS[a]);
    expect(caseActionWords('request-correction').zh).toBe('补齐补正');
    expect(caseActionWords('shred')).toEqual({ zh: 'shred', en: 'shred' });
  });

  it('writes a history line with the action and both statuses in words', () => {
    expect(
      caseEventText(
        {
          at: '2026-03-02T01:05:00Z',
          staff: '王科员',
          action: 'request-correction',
          from: 'received',
          to: 'correction-requested',
          detail: { materials: ['hkb', '户口簿首页复印件'], note: '请补充户口簿' },
        },
        TZ,
      ),
    ).toBe(
      '2026-03-02 09:05 王科员：补齐补正（大厅已收件 → 需补齐补正）；材料：hkb、户口簿首页复印件；说明：请补充户口簿',
    );
  });
  it('names the 补正 materials by their catalog names, free text and unknown codes as written', () => {
    const names = { hkb: { zh: '居民户口簿', en: 'Household register' } };
    expect(
      caseEventText(
        {
          at: '2026-03-02T01:05:00Z',
          staff: '王科员',
          action: 'request-correction',
          from: 'received',
          to: 'correction-requested',
          detail: { materials: ['hkb', 'zzz', '户口簿首页复印件'] },
        },
        TZ,
        names,
      ),
    ).toBe(
      '2026-03-02 09:05 王科员：补齐补正（大厅已收件 → 需补齐补正）；材料：居民户口簿、zzz、户口簿首页复印件',
    );
    expect(materialText('hkb', names)).toBe('居民户口簿');
    expect(materialText('hkb')).toBe('hkb');
  });
});

describe('formatting', () => {
  it('shows times in the hall’s zone', () => {
    expect(formatTime('2026-03-02T01:05:00Z', TZ)).toBe('2026-03-02 09:05');
    expect(formatTime('2026-03-02T01:05:00Z', 'UTC')).toBe('2026-03-02 01:05');
    expect(formatTime(null, TZ)).toBe('—');
    expect(formatTime('not a time', TZ)).toBe('not a time');
  });

  it('shows sizes in B, KiB and MiB', () => {
    expect(formatSize(null)).toBe('—');
    expect(formatSize(1023)).toBe('1023 B');
    expect(formatSize(2048)).toBe('2 KiB');
    expect(formatSize(5 * 1048576 + 100_000)).toBe('5.1 MiB');
  });

  it('puts what an action carried into words, or nothing', () => {
    expect(detailText({})).toBe('');
    expect(detailText({ reason: '材料不齐' })).toBe('；理由：材料不齐');
    expect(detailText({ result: '准予许可', trackingNumber: 'EA123456789CN' })).toBe(
      '；结果：准予许可；EMS：EA123456789CN',
    );
    expect(detailText({ days: 3, reason: '等待回复' })).toBe('；理由：等待回复；3 个工作日');
  });

  it('labels known application fields and values, and leaves others as sent', () => {
    expect(fieldWords('delivery.method')).toEqual({ zh: '送达方式', en: 'Delivery' });
    expect(fieldWords('form.purpose')).toBeNull();
    expect(fieldValue('delivery.method', 'ems', TZ)).toBe('EMS 免费寄递');
    expect(fieldValue('submittedAt', '2026-03-02T01:05:00Z', TZ)).toBe('2026-03-02 09:05');
    expect(fieldValue('form.purpose', '个体工商户设立登记', TZ)).toBe('个体工商户设立登记');
  });

  it('shows the deadline, or why there is none', () => {
    expect(deadlineText({ deadline: '2026-03-09', level: 'normal' })).toBe('2026-03-09');
    expect(deadlineText({ deadline: null, level: 'paused' })).toBe('暂停中 (paused)');
    expect(deadlineText({ deadline: null, level: 'unknown' })).toBe('—');
    expect(deadlineText(undefined)).toBe('—');
  });

  it('names devices, their state and detail, and keeps words it does not know', () => {
    expect(deviceText({ kind: 'printer', state: 'warning', detail: 'paper-near-end' })).toBe(
      '凭条打印机：告警（纸将尽）',
    );
    expect(deviceText({ kind: 'nfc', state: 'fault', detail: null })).toBe('nfc：故障');
  });

  it('says what a follow-up is about', () => {
    expect(aboutText({ target: { kind: 'application', itemCode: 'X1', window: null } })).toBe(
      '办件 · 事项 X1',
    );
    expect(aboutText({ target: { kind: 'ticket', itemCode: null, window: 'A03' } })).toBe(
      '排队取号 · 窗口 A03',
    );
  });

  it('names follow-up actions, and an unknown one as it is', () => {
    expect(followupActionWords('mark-invalid')).toEqual({ zh: '无效差评', en: 'Invalid review' });
    expect(followupActionWords('teleport')).toEqual({ zh: 'teleport', en: 'teleport' });
  });
});

describe('lights', () => {
  it('never rely on colour alone: every light has words and a symbol', () => {
    for (const light of [
      ...Object.values(LEVEL_LIGHTS),
      ...Object.values(CONNECTION_LIGHTS),
      ...Object.values(HEALTH_LIGHTS),
    ]) {
      expect(light.words.zh).not.toBe('');
      expect(light.words.en).not.toBe('');
      expect(light.icon).not.toBe('');
    }
    expect(LEVEL_LIGHTS.overdue.words.zh).toBe('超时通报');
    expect(LEVEL_LIGHTS.paused.words.zh).toBe('补正暂停计时');
  });
});
