import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hallOpening, mergePeriods } from '../../shared/hall-opening.js';
import { parseOpeningHours, windowOpening, type OpeningHours } from '../../shared/opening-hours.js';
import { WINDOW_CODES } from '../../shared/catalog.js';
import { parseHolidayCalendar, type HolidayCalendar } from '../../shared/working-days.js';
import { initI18n } from '../i18n/index.js';
import { sayWith, type T } from '../flows/queue/queue-view.js';
import { hallHoursLine } from './hall-hours.js';

const read = (rel: string): unknown =>
  JSON.parse(readFileSync(fileURLToPath(new URL(rel, import.meta.url)), 'utf8')) as unknown;
const ok = <V>(r: { ok: true; value: V } | { ok: false; error: string }): V => {
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const hours: OpeningHours = ok(parseOpeningHours(read('../../../resources/calendar/window-hours.json')));
const cal: HolidayCalendar = ok(parseHolidayCalendar(read('../../../resources/calendar/cn-holidays.json')));
const hall = (wall: string, h: OpeningHours = hours) => {
  const now = new Date(`${wall}+08:00`);
  const r = hallOpening(WINDOW_CODES.map((w) => windowOpening(h, cal, w, now, 'Asia/Shanghai')));
  if (r === null) throw new Error('no windows');
  return r;
};

const i18n = initI18n();
let zh: T;
let en: T;
beforeAll(async () => {
  await i18n.changeLanguage('en');
  en = sayWith(i18n.getFixedT('en'));
  zh = sayWith(i18n.getFixedT('zh-CN'));
});
afterAll(async () => {
  await i18n.changeLanguage('zh-CN');
});

describe('the hall’s hours from its windows', () => {
  it('merges touching and overlapping periods', () => {
    expect(
      mergePeriods([
        { from: '13:00', to: '17:00' },
        { from: '09:00', to: '12:00' },
        { from: '11:00', to: '12:30' },
        { from: '17:00', to: '18:00' },
      ]),
    ).toEqual([
      { from: '09:00', to: '12:30' },
      { from: '13:00', to: '18:00' },
    ]);
    expect(hallOpening([])).toBeNull();
  });

  it('is open on a weekday morning with the weekday hours', () => {
    const h = hall('2026-12-07T10:00:00');
    expect(h.open).toBe(true);
    expect(h.today.periods).toEqual([
      { from: '09:00', to: '12:00' },
      { from: '13:00', to: '17:00' },
    ]);
    expect(hallHoursLine(h, zh, 'zh')).toEqual({
      state: 'open',
      text: '大厅今日办公 09:00–12:00、13:00–17:00，现在正在办公',
      next: null,
    });
  });

  it('outside the hours: self-service 24 hours, and when the hall opens next', () => {
    const friday = hall('2026-12-04T21:26:00');
    expect(friday.open).toBe(false);
    // Saturday morning: the windows with 周六延时服务 open, so the hall does.
    expect(friday.next).toMatchObject({ date: '2026-12-05', from: '09:00', daysAhead: 1 });
    const line = hallHoursLine(friday, zh, 'zh');
    expect(line.state).toBe('outside');
    expect(line.text).toBe('现在不是办公时间（大厅今日办公 09:00–12:00、13:00–17:00）— 自助服务 24 小时可用');
    expect(line.next).toBe('下次办公：明天（12月5日 星期六）09:00');
    const lunch = hallHoursLine(hall('2026-12-07T12:30:00'), en, 'en');
    expect(lunch.state).toBe('outside');
    expect(lunch.text).toContain('self-service is available 24 hours');
    expect(lunch.next).toBe('Opens next: today at 13:00');
  });

  it('on Saturday only the windows with Saturday hours count; on Sunday the hall is closed', () => {
    expect(hall('2026-12-05T10:00:00').today.periods).toEqual([{ from: '09:00', to: '12:00' }]);
    const sunday = hallHoursLine(hall('2026-12-06T10:00:00'), zh, 'zh');
    expect(sunday).toEqual({
      state: 'closed',
      text: '大厅今日休息 — 自助服务 24 小时可用',
      next: '下次办公：明天（12月7日 星期一）09:00',
    });
  });

  it('on a 放假 day says why', () => {
    const h = hall('2026-10-01T10:00:00');
    expect(h.today.kind).toBe('holiday');
    expect(hallHoursLine(h, zh, 'zh').text).toBe('大厅今日休息（法定节假日）— 自助服务 24 小时可用');
    expect(hallHoursLine(h, en, 'en').text).toBe(
      'The hall is closed today (public holiday) — self-service is available 24 hours',
    );
  });

  it('a dated exception for every window gives its note', () => {
    const notice: OpeningHours = {
      ...hours,
      exceptions: [{ date: '2026-12-07', periods: [], note: { zh: '系统升级', en: 'system upgrade' } }],
    };
    const h = hall('2026-12-07T10:00:00', notice);
    expect(hallHoursLine(h, zh, 'zh').text).toBe('大厅今日休息（系统升级）— 自助服务 24 小时可用');
    expect(hallHoursLine(h, en, 'en').text).toContain('(system upgrade)');
  });
});
