/**
 * The on-screen keyboard in a real Chromium with touch, against a real backend: 办事指南 → search,
 * pinyin with its candidate bar (shebao → 社保, zhangsan → 张 → san → 三, paging), letters for
 * initials (sb), focus never leaving the search field, key sizes in normal and elderly mode, axe,
 * and screenshots in zh-CN, English and elderly mode (portrait and landscape) in e2e/artifacts.
 * The number pads (digits, ID number, phone) have no screen of their own yet, so they are rendered
 * to markup here and shown in Chromium with the built stylesheet, to check and photograph them too.
 */
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type KeyboardLayout,
  OnScreenKeyboard,
} from '../src/renderer/components/keyboard/on-screen-keyboard.js';
import { initI18n } from '../src/renderer/i18n/index.js';
import {
  artifactsDir,
  buttonsSmallerThan,
  expectNoSeriousA11yViolations,
  type Kiosk,
  LANDSCAPE,
  launchBrowser,
  PORTRAIT,
  screenshot,
  startKiosk,
} from './harness.js';

let kiosk: Kiosk;
let browser: Browser;
let page: Page;
let problems: string[] = [];

beforeAll(async () => {
  kiosk = await startKiosk();
  ({ browser, page } = await launchBrowser(PORTRAIT));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
});

afterAll(async () => {
  await browser?.close();
  await kiosk?.stop();
});

beforeEach(async () => {
  problems = [];
  await page.setViewportSize(PORTRAIT);
  await page.goto(kiosk.url);
  await page.locator('[data-testid=device-status]').waitFor();
});

afterEach(() => {
  expect(problems).toEqual([]);
});

const keyboard = (p: Page): Locator => p.locator('[data-testid=on-screen-keyboard]');
const key = (p: Page, name: string): Locator => keyboard(p).locator(`[data-key="${name}"]`);

/** 办事指南 → tap the search field → the keyboard opens. Returns the search field. */
async function openSearchKeyboard(p: Page, guides = '办事指南', searchLabel = '搜索事项'): Promise<Locator> {
  await p.getByRole('button', { name: guides, exact: true }).tap();
  await p.locator('[data-testid=window-list]').waitFor();
  const box = p.getByRole('searchbox', { name: searchLabel });
  await box.tap();
  await keyboard(p).waitFor();
  return box;
}

/** Taps every letter of `word` on the on-screen keys, as a resident would. */
async function tapLetters(p: Page, word: string): Promise<void> {
  for (const letter of word) await key(p, letter).tap();
}

async function focusIsOnSearch(p: Page): Promise<boolean> {
  return p.evaluate(() => document.activeElement?.getAttribute('type') === 'search');
}

async function resultNames(p: Page): Promise<string[]> {
  const results = p.locator('[data-testid=search-results] .item-name');
  await results.first().waitFor();
  return results.allInnerTexts();
}

/** Key and candidate sizes in px: the smallest width and height among the keyboard's buttons. */
async function smallestKey(p: Page): Promise<{ width: number; height: number; count: number }> {
  return p.evaluate(() => {
    let width = Infinity;
    let height = Infinity;
    const buttons = document.querySelectorAll('[data-testid=on-screen-keyboard] button');
    for (const b of buttons) {
      const r = b.getBoundingClientRect();
      width = Math.min(width, r.width);
      height = Math.min(height, r.height);
    }
    return { width, height, count: buttons.length };
  });
}

/**
 * The keyboard lies within the screen's content column and no key's label is cut. (Measured against
 * the content area, not the window, so a too-wide bottom bar elsewhere does not hide or fake a fault.)
 */
async function keyboardFits(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const out: string[] = [];
    const kb = document.querySelector('[data-testid=on-screen-keyboard]');
    const content = document.querySelector('.content');
    if (!kb || !content) return ['no keyboard'];
    const box = kb.getBoundingClientRect();
    const area = content.getBoundingClientRect();
    if (box.left < area.left || box.right > area.left + content.clientWidth + 1)
      out.push(`keyboard ${box.left}–${box.right} outside ${area.left}–${area.left + content.clientWidth}`);
    if (kb.scrollWidth > kb.clientWidth + 1) out.push(`keyboard ${kb.scrollWidth} > ${kb.clientWidth}`);
    for (const b of kb.querySelectorAll('button')) {
      const r = b.getBoundingClientRect();
      if (r.left < box.left - 1 || r.right > box.right + 1) out.push(`key ${b.textContent} outside`);
      if (b.scrollWidth > b.clientWidth + 1) out.push(`label of ${b.textContent} overflows`);
    }
    return out;
  });
}

describe('on-screen keyboard on the catalog search', () => {
  it('types shebao in pinyin, picks 社保 and finds 社保 items', async () => {
    const box = await openSearchKeyboard(page);
    expect(await keyboard(page).getAttribute('data-layout')).toBe('pinyin');
    expect(await keyboard(page).getAttribute('aria-label')).toBe('搜索事项');
    await screenshot(page, 'keyboard-empty-zh-portrait');

    await tapLetters(page, 'shebao');
    expect(await keyboard(page).locator('.osk-buffer').innerText()).toContain("she'bao");
    // The letters wait in the buffer; the field holds only converted text.
    expect(await box.inputValue()).toBe('');
    const first = keyboard(page).locator('.osk-candidate').first();
    expect(await first.innerText()).toBe('社保');
    expect(await focusIsOnSearch(page)).toBe(true);
    expect(await buttonsSmallerThan(page, 44)).toEqual([]);
    expect(await keyboardFits(page)).toEqual([]);
    await screenshot(page, 'keyboard-pinyin-zh-portrait');
    await expectNoSeriousA11yViolations(page, 'keyboard pinyin zh');

    await key(page, 'candidate-社保').tap();
    expect(await box.inputValue()).toBe('社保');
    expect(await keyboard(page).locator('.osk-candidate').count()).toBe(0);
    // Typing on the keys never took the focus (and the caret) away from the field.
    expect(await focusIsOnSearch(page)).toBe(true);
    const names = await resultNames(page);
    expect(
      names.some((n) => /社保|社会保险/.test(n)),
      names.join(', '),
    ).toBe(true);
    await screenshot(page, 'keyboard-results-zh-portrait');

    // 完成 searches and puts the keyboard away.
    await key(page, 'done').tap();
    await keyboard(page).waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid=search-results]').isVisible()).toBe(true);
  });

  it('converts zhangsan one syllable at a time (张, then san → 三) and pages through candidates', async () => {
    const box = await openSearchKeyboard(page);
    await tapLetters(page, 'zhangsan');
    await key(page, 'candidate-张').tap();
    expect(await box.inputValue()).toBe('张');
    expect(await keyboard(page).locator('.osk-buffer').innerText()).toContain('san');
    // Space takes the first candidate.
    await key(page, 'space').tap();
    expect(await box.inputValue()).toBe('张三');

    // Backspace edits the text once nothing is waiting in the buffer.
    await key(page, 'backspace').tap();
    expect(await box.inputValue()).toBe('张');
    await key(page, 'clear').tap();
    expect(await box.inputValue()).toBe('');

    await tapLetters(page, 'shi');
    const prev = key(page, 'prev-page');
    const next = key(page, 'next-page');
    expect(await prev.isDisabled()).toBe(true);
    const page1 = await keyboard(page).locator('.osk-candidate').allInnerTexts();
    expect(page1.length).toBeGreaterThanOrEqual(5);
    expect(page1[0]).toBe('是');
    await next.tap();
    const page2 = await keyboard(page).locator('.osk-candidate').allInnerTexts();
    expect(page2.length).toBeGreaterThanOrEqual(5);
    expect(page2).not.toContain('是');
    expect(await prev.isDisabled()).toBe(false);
    await prev.tap();
    expect(await keyboard(page).locator('.osk-candidate').allInnerTexts()).toEqual(page1);
    expect(await focusIsOnSearch(page)).toBe(true);
  });

  it('types sb in letters mode and finds 社保 items', async () => {
    const box = await openSearchKeyboard(page);
    const letters = key(page, 'layout-letters');
    expect(await letters.getAttribute('aria-pressed')).toBe('false');
    await letters.tap();
    expect(await keyboard(page).getAttribute('data-layout')).toBe('letters');
    expect(await letters.getAttribute('aria-pressed')).toBe('true');
    await tapLetters(page, 'sb');
    expect(await box.inputValue()).toBe('sb');
    const names = await resultNames(page);
    expect(
      names.some((n) => /社保|社会保险/.test(n)),
      names.join(', '),
    ).toBe(true);
    expect(await focusIsOnSearch(page)).toBe(true);
    expect(await buttonsSmallerThan(page, 44)).toEqual([]);
    expect(await keyboardFits(page)).toEqual([]);
    await screenshot(page, 'keyboard-letters-zh-portrait');
    await expectNoSeriousA11yViolations(page, 'keyboard letters zh');

    // Caps shows and types capitals; the address punctuation types as it shows.
    await key(page, 'caps').tap();
    expect(await key(page, 'q').innerText()).toBe('Q');
    await key(page, 'q').tap();
    await key(page, '-').tap();
    expect(await box.inputValue()).toBe('sbQ-');
  });

  it('keeps every key at least 60 px in elderly mode', async () => {
    await page.locator('[data-testid=toggle-elderly]').tap();
    await page.waitForFunction(() => document.documentElement.classList.contains('elderly'));
    await openSearchKeyboard(page);
    await tapLetters(page, 'xian');
    const sizes = await smallestKey(page);
    expect(sizes.count).toBeGreaterThan(30);
    expect(sizes.width).toBeGreaterThanOrEqual(60);
    expect(sizes.height).toBeGreaterThanOrEqual(60);
    expect(await buttonsSmallerThan(page, 60)).toEqual([]);
    expect(await keyboardFits(page)).toEqual([]);
    // Elderly mode's text is at least 24 px (MIIT 2021), on the keys too.
    const smallestText = await page.evaluate(() => {
      let min = Infinity;
      for (const el of document.querySelectorAll('[data-testid=on-screen-keyboard] *')) {
        if (
          !el.childNodes.length ||
          ![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent?.trim())
        )
          continue;
        if (el.closest('.visually-hidden')) continue;
        min = Math.min(min, parseFloat(getComputedStyle(el).fontSize));
      }
      return min;
    });
    expect(smallestText).toBeGreaterThanOrEqual(24);
    await screenshot(page, 'keyboard-pinyin-elderly-portrait');
    await expectNoSeriousA11yViolations(page, 'keyboard elderly');

    await key(page, 'layout-letters').tap();
    expect(await buttonsSmallerThan(page, 60)).toEqual([]);
    expect(await keyboardFits(page)).toEqual([]);
    await screenshot(page, 'keyboard-letters-elderly-portrait');

    await page.setViewportSize(LANDSCAPE);
    expect(await buttonsSmallerThan(page, 60)).toEqual([]);
    expect(await keyboardFits(page)).toEqual([]);
    await screenshot(page, 'keyboard-letters-elderly-landscape');
  });

  it('labels the keys in English and passes axe', async () => {
    await page.locator('[data-testid=toggle-language]').tap();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    const box = await openSearchKeyboard(page, 'Service guides', 'Search services');
    expect(await keyboard(page).getAttribute('aria-roledescription')).toBe('on-screen keyboard');
    expect(await key(page, 'done').innerText()).toBe('Done');
    // Seen as ABC, heard as "ABC English letters".
    expect(await page.getByRole('button', { name: 'ABC English letters' }).count()).toBe(1);
    await tapLetters(page, 'tuixiu');
    expect(await keyboard(page).locator('.osk-candidate').first().innerText()).toBe('退休');
    expect(await buttonsSmallerThan(page, 44)).toEqual([]);
    expect(await keyboardFits(page)).toEqual([]);
    await screenshot(page, 'keyboard-pinyin-en-portrait');
    await expectNoSeriousA11yViolations(page, 'keyboard en');
    await key(page, 'candidate-退休').tap();
    expect(await box.inputValue()).toBe('退休');
    await resultNames(page);

    await page.setViewportSize(LANDSCAPE);
    expect(await buttonsSmallerThan(page, 44)).toEqual([]);
    expect(await keyboardFits(page)).toEqual([]);
    await screenshot(page, 'keyboard-results-en-landscape');
    await expectNoSeriousA11yViolations(page, 'keyboard en landscape');
  });
});

describe('number pads (rendered with the built stylesheet)', () => {
  const pads: { layouts: KeyboardLayout[]; value: string; label: string }[] = [
    { layouts: ['id-number'], value: '61010219900101123', label: '身份证号码' },
    { layouts: ['phone'], value: '1380000', label: '手机号码' },
    { layouts: ['digits', 'pinyin', 'letters'], value: '', label: '门牌号' },
  ];

  /** The pads side by side in a page that loads the kiosk's own CSS (same origin, same CSP). */
  async function showPads(p: Page, lang: 'zh-CN' | 'en', elderly: boolean): Promise<void> {
    await initI18n().changeLanguage(lang);
    const markup = pads
      .map((pad) =>
        renderToStaticMarkup(
          createElement(OnScreenKeyboard, {
            value: pad.value,
            onChange: () => undefined,
            layouts: pad.layouts,
            label: pad.label,
          }),
        ),
      )
      .map((html) => `<section class="card" style="padding: 1rem; margin-bottom: 1rem">${html}</section>`)
      .join('');
    const css = await p.evaluate(
      () => document.querySelector<HTMLLinkElement>('link[rel=stylesheet]')?.href ?? '',
    );
    expect(css).not.toBe('');
    await p.setContent(
      `<!doctype html><html lang="${lang}" class="${elderly ? 'elderly' : ''}"><head><meta charset="utf-8">` +
        `<title>keyboard pads</title><link rel="stylesheet" href="${css}"></head>` +
        `<body style="overflow: auto"><main style="padding: 1.5rem">${markup}</main></body></html>`,
    );
    await p.evaluate(() => document.fonts.ready.then(() => undefined));
    await initI18n().changeLanguage('zh-CN');
  }

  it('keeps pad keys large, labelled and passing axe, in Chinese, English and elderly mode', async () => {
    await showPads(page, 'zh-CN', false);
    expect(await page.locator('[data-testid=on-screen-keyboard]').count()).toBe(3);
    expect(await page.locator('[data-key=X]').isDisabled()).toBe(false);
    expect(await buttonsSmallerThan(page, 44)).toEqual([]);
    await expectNoSeriousA11yViolations(page, 'pads zh');
    await page.screenshot({ path: join(artifactsDir, 'keyboard-pads-zh.png'), fullPage: true });

    await showPads(page, 'zh-CN', true);
    expect(await buttonsSmallerThan(page, 60)).toEqual([]);
    await expectNoSeriousA11yViolations(page, 'pads elderly');
    await page.screenshot({ path: join(artifactsDir, 'keyboard-pads-elderly.png'), fullPage: true });

    await showPads(page, 'en', false);
    expect(await page.locator('[data-key=done]').first().innerText()).toBe('Done');
    expect(await buttonsSmallerThan(page, 44)).toEqual([]);
    await expectNoSeriousA11yViolations(page, 'pads en');
    await page.screenshot({ path: join(artifactsDir, 'keyboard-pads-en.png'), fullPage: true });
  });
});
