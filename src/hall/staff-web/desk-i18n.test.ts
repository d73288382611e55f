import { describe, expect, it } from 'vitest';
import { copyLeaves as leaves, placeholders } from '../../testing/i18n-tree.js';
import { deskEn } from './desk-en.js';
import { createDeskI18n, DESK_RESOURCES, deskTextOf } from './desk-i18n.js';
import { deskZh } from './desk-zh-cn.js';

describe('staff desk copy', () => {
  const zh = leaves(deskZh);
  const en = leaves(deskEn);

  it('has every key in both languages, and no other', () => {
    expect(zh.size).toBeGreaterThan(50);
    expect([...en.keys()].filter((k) => !zh.has(k))).toEqual([]);
    expect([...zh.keys()].filter((k) => !en.has(k))).toEqual([]);
  });

  it('has no empty copy, and English that is not the Chinese left untranslated', () => {
    for (const [key, value] of [...zh, ...en]) expect(value.trim(), key).not.toBe('');
    // The language switch names the other language in its own words.
    for (const [key, value] of en)
      if (key !== 'app.language') expect(value, key).not.toMatch(/[\u4e00-\u9fff]/u);
  });

  it('uses the same placeholders in both languages', () => {
    for (const [key, value] of zh) expect(placeholders(en.get(key) ?? ''), key).toEqual(placeholders(value));
  });

  it('keeps the words the desk is operated by (tab names, sign-in messages)', () => {
    expect(Object.values(deskZh.tabs)).toEqual([
      '办件与监察',
      '好差评整改',
      '统计分析',
      '终端状态',
      '呼叫帮助',
      '叫号',
      '审计日志',
    ]);
    expect(deskZh.login.wrong).toBe('登录名或密码错误');
    expect(deskZh.app.language).toBe('English');
    expect(deskEn.app.language).toBe('中文');
  });

  it('answers through i18next in either language, with interpolation', async () => {
    const i18n = createDeskI18n();
    const zhT = deskTextOf(i18n, 'zh-CN');
    expect(zhT('cases.pageNo', { n: 2 })).toBe('第 2 页');
    expect(zhT('login.locked', { minutes: 5 })).toBe('登录失败次数过多，请 5 分钟后再试');
    await i18n.changeLanguage('en');
    expect(i18n.language).toBe('en');
    const enT = deskTextOf(i18n, 'en');
    expect(enT('cases.pageNo', { n: 2 })).toBe('Page 2');
    expect(enT('cases.openCase', { label: 'ZZ01-1' })).toBe('Open ZZ01-1');
    expect(Object.keys(DESK_RESOURCES)).toEqual(['zh-CN', 'en']);
  });
});
