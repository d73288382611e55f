import { describe, expect, it } from 'vitest';
import {
  CASE_STATUS_INFO,
  HALL_CASE_STATUSES,
  STAFF_ACTION_LABELS,
  STAFF_CASE_ACTIONS,
} from '../../shared/case-status.js';
import {
  caseActionWords,
  CONNECTION_LIGHTS,
  fieldWords,
  formatSize,
  formatTime,
  HEALTH_LIGHTS,
  LEVEL_LIGHTS,
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

  it('labels known application fields, and knows nothing of others', () => {
    expect(fieldWords('delivery.method')).toEqual({ zh: '送达方式', en: 'Delivery' });
    expect(fieldWords('promisedDays')).toEqual({ zh: '承诺时限（工作日）', en: 'Promised working days' });
    expect(fieldWords('form.purpose')).toBeNull();
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
