/**
 * The keyboard's markup, rendered on the server (no DOM needed): every key a real button that
 * cannot submit a form, names for assistive technology, the right keys per layout. Behaviour is
 * tested on the reducer (lib/keyboard-state.test.ts) and in a browser (e2e/keyboard.e2e.test.ts).
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initI18n } from '../../i18n/index.js';
import { type KeyboardLayout, OnScreenKeyboard } from './on-screen-keyboard.js';

const i18n = initI18n();

function render(layouts: readonly KeyboardLayout[], value = '', maxLength?: number): string {
  return renderToStaticMarkup(
    <OnScreenKeyboard
      value={value}
      onChange={() => undefined}
      layouts={layouts}
      maxLength={maxLength}
      label="搜索事项"
    />,
  );
}

const buttons = (html: string): string[] => html.match(/<button[^>]*>/g) ?? [];
const keyNames = (html: string): string[] =>
  buttons(html).map((b) => /data-key="([^"]*)"/.exec(b)?.[1] ?? '');
const keyTag = (html: string, name: string): string =>
  buttons(html).find((b) => b.includes(`data-key="${name}"`)) ?? '';

describe('OnScreenKeyboard markup', () => {
  beforeAll(async () => {
    await i18n.changeLanguage('zh-CN');
  });
  afterAll(async () => {
    await i18n.changeLanguage('zh-CN');
  });

  it('is a named group of type="button" keys', () => {
    const html = render(['pinyin', 'letters']);
    expect(html).toContain('role="group" aria-label="搜索事项" aria-roledescription="屏幕键盘"');
    expect(buttons(html).length).toBeGreaterThan(30);
    expect(buttons(html).every((b) => b.includes('type="button"'))).toBe(true);
  });

  it('shows the pinyin layout first, with 中/英 keys and no digits key the field does not allow', () => {
    const html = render(['pinyin', 'letters']);
    expect(html).toContain('data-layout="pinyin"');
    const names = keyNames(html);
    for (const k of [
      ...'qwertyuiopasdfghjklzxcvbnm',
      'space',
      'backspace',
      'clear',
      'done',
      'prev-page',
      'next-page',
    ])
      expect(names, k).toContain(k);
    expect(names).toContain('layout-pinyin');
    expect(names).toContain('layout-letters');
    expect(names).not.toContain('layout-digits');
    expect(keyTag(html, 'layout-pinyin')).toContain('aria-pressed="true"');
    expect(html).toMatch(
      /data-key="layout-pinyin"[^>]*>中 <span class="visually-hidden">中文拼音输入<\/span>/,
    );
    expect(keyTag(html, 'layout-letters')).toContain('aria-pressed="false"');
    expect(html).toContain('输入拼音，再点选下方的汉字');
  });

  it('shows letters with caps, the digits and half-width punctuation', () => {
    const html = render(['letters']);
    const names = keyNames(html);
    for (const k of ['caps', 'width', ...'1234567890', '-', '#', '(', ')', ',', '.', '/', '@'])
      expect(names, k).toContain(k);
    expect(names).not.toContain('（');
    // One layout only: no mode keys, no candidate bar.
    expect(names.some((n) => n.startsWith('layout-'))).toBe(false);
    expect(names).not.toContain('next-page');
  });

  it('shows the digits and full-width punctuation in pinyin: 陕（2024）…第0001234号 can be typed', () => {
    const names = keyNames(render(['pinyin', 'letters']));
    for (const k of [...'1234567890', '（', '）', '，', '。', '、', '-', 'width'])
      expect(names, k).toContain(k);
  });

  it('shows a decimal point on the decimal pad, usable after a digit and only once', () => {
    expect(keyTag(render(['decimal']), '.')).toContain('disabled');
    expect(keyTag(render(['decimal'], '89'), '.')).not.toContain('disabled');
    expect(keyTag(render(['decimal'], '89.5'), '.')).toContain('disabled');
    expect(keyNames(render(['digits']))).not.toContain('.');
  });

  it('shows a phone pad of digits only, and X (disabled until the 18th place) on the ID-number pad', () => {
    const phone = keyNames(render(['phone']));
    expect(phone).toEqual(expect.arrayContaining([...'0123456789', 'backspace', 'clear', 'done']));
    expect(phone).not.toContain('X');
    expect(phone).not.toContain('q');
    expect(keyTag(render(['id-number']), 'X')).toContain('disabled');
    expect(keyTag(render(['id-number'], '61010219900101123'), 'X')).not.toContain('disabled');
  });

  it('says when the field is full', () => {
    expect(render(['phone'], '13800000000')).toContain('已达到最多 11 个字符');
    expect(render(['phone'], '1380000000')).not.toContain('已达到最多');
  });

  it('labels the keys in English', async () => {
    await i18n.changeLanguage('en');
    const html = render(['pinyin', 'letters']);
    expect(html).toContain('aria-roledescription="on-screen keyboard"');
    expect(html).toContain('Done');
    expect(html).toMatch(
      /data-key="layout-letters"[^>]*>ABC <span class="visually-hidden">English letters<\/span>/,
    );
    expect(html).not.toMatch(/完成|清空|空格/);
  });
});
