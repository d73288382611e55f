import { describe, expect, it } from 'vitest';
import { copyLeaves as leaves, placeholders } from '../../testing/i18n-tree.js';
import { en } from './en.js';
import { initI18n } from './index.js';
import { zhCN } from './zh-cn.js';

describe('i18n resources', () => {
  const zh = leaves(zhCN);
  const english = leaves(en);

  it('have exactly the same keys in Chinese and English', () => {
    expect([...english.keys()].filter((k) => !zh.has(k))).toEqual([]);
    expect([...zh.keys()].filter((k) => !english.has(k))).toEqual([]);
  });

  it('have no empty copy', () => {
    for (const [key, value] of [...zh, ...english]) expect(value.trim(), key).not.toBe('');
  });

  it('use the same placeholders in both languages', () => {
    for (const [key, value] of zh) {
      // The date pattern is the one place where the languages pick different pieces.
      if (key === 'clock.date') continue;
      expect(placeholders(english.get(key) ?? ''), key).toEqual(placeholders(value));
    }
  });

  it('pair every plural key with its _one / _other sibling', () => {
    for (const key of zh.keys()) {
      if (key.endsWith('_one')) expect(zh.has(key.replace(/_one$/, '_other')), key).toBe(true);
      if (key.endsWith('_other')) expect(zh.has(key.replace(/_other$/, '_one')), key).toBe(true);
    }
  });

  it('keeps the exact labels of the home tiles and toggles', () => {
    expect(Object.values(zhCN.home.tiles).map((tile) => tile.label)).toEqual([
      '我要办事',
      '进度查询',
      '排队取号',
      '办事指南',
      '服务评价',
    ]);
    expect(Object.values(en.home.tiles).map((tile) => tile.label)).toEqual([
      'Apply for a service',
      'Check progress',
      'Take a queue ticket',
      'Service guides',
      'Rate our service',
    ]);
    expect(zhCN.app.title).toBe('政务服务自助终端');
    expect(en.app.title).toBe('Government Services Self-Service Kiosk');
    expect([zhCN.toggle.elderly, zhCN.toggle.language, en.toggle.elderly, en.toggle.language]).toEqual([
      '长辈模式',
      'English',
      'Elderly mode',
      '中文',
    ]);
    expect([zhCN.nav.home, zhCN.nav.back, en.nav.home, en.nav.back]).toEqual([
      '返回首页',
      '上一步',
      'Home',
      'Back',
    ]);
  });

  it('formats plurals and dates through i18next', async () => {
    const i18n = initI18n();
    expect(i18n.language).toBe('zh-CN');
    expect(i18n.t('catalog.promisedDays', { count: 5 })).toBe('承诺 5 个工作日');
    expect(i18n.t('clock.date', { year: 2026, month: 11, day: 26, weekday: '星期四' })).toBe(
      '2026年11月26日 星期四',
    );
    await i18n.changeLanguage('en');
    expect(i18n.t('catalog.promisedDays', { count: 1 })).toBe('Done within 1 working day');
    expect(i18n.t('catalog.promisedDays', { count: 3 })).toBe('Done within 3 working days');
    expect(i18n.t('clock.date', { year: 2026, monthName: 'November', day: 26, weekday: 'Thursday' })).toBe(
      'Thursday, 26 November 2026',
    );
    await i18n.changeLanguage('zh-CN');
  });
});
