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

describe('opening hours in words', () => {
  it('says when a window opens next and today’s hours, in Chinese and English', async () => {
    const { initI18n } = await import('../../i18n/index.js');
    const { sayWith, todayWords, whenWords } = await import('./queue-view.js');
    const i18n = initI18n();
    const t = sayWith(i18n.t.bind(i18n));
    const monday = { date: '2026-12-07', weekday: 1, from: '09:00', to: '12:00', daysAhead: 3 };
    const today = {
      date: '2026-12-04',
      weekday: 5,
      kind: 'weekly' as const,
      note: null,
      periods: [
        { from: '09:00', to: '12:00' },
        { from: '13:00', to: '17:00' },
      ],
    };
    expect(whenWords(monday, t)).toBe('12月7日（星期一）09:00');
    expect(whenWords({ ...monday, date: '2026-12-05', weekday: 6, daysAhead: 1 }, t)).toBe(
      '明天（12月5日 星期六）09:00',
    );
    expect(whenWords({ ...monday, date: '2026-12-04', daysAhead: 0, from: '13:00' }, t)).toBe('今天 13:00');
    expect(whenWords(null, t)).toContain('暂未公布');
    expect(todayWords(today, t, 'zh')).toBe('今日 09:00–12:00、13:00–17:00');
    expect(todayWords({ ...today, periods: [], kind: 'holiday' }, t, 'zh')).toBe('今日不办公（法定节假日）');
    await i18n.changeLanguage('en');
    expect(whenWords(monday, t)).toBe('Monday 7 December at 09:00');
    expect(todayWords(today, t, 'en')).toBe('Today 09:00–12:00, 13:00–17:00');
    const eve = { ...today, kind: 'exception' as const, note: { zh: '元旦前一日', en: 'New Year’s Eve' } };
    expect(todayWords(eve, t, 'en')).toBe('Today 09:00–12:00, 13:00–17:00 (New Year’s Eve)');
    await i18n.changeLanguage('zh-CN');
  });

  it('maps closed to its own notice with the hours', () => {
    const today = { date: '2026-12-04', weekday: 5, kind: 'weekly' as const, note: null, periods: [] };
    const p = issueProblem({ kind: 'closed', window: 'zzlb', today, next: null });
    expect(p).toEqual({ key: 'closed', status: null, closed: { today, next: null } });
    expect(zhCN.queueFlow.errors.closed).toContain('不办公');
    expect(en.queueFlow.errors.closed).toContain('closed');
  });
});
