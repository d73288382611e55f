/**
 * The kiosk's first screens in a real Chromium against a real backend: home (title, tiles, clock,
 * live status), English and 长辈模式 toggles, the 办事指南 catalog down to one guide, search by pinyin
 * initials, axe-core checks, and screenshots in e2e/artifacts for a person to look at.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  buttonsSmallerThan,
  expectNoSeriousA11yViolations,
  type Kiosk,
  LANDSCAPE,
  launchBrowser,
  PORTRAIT,
  screenshot,
  startKiosk,
} from './harness.js';
import { typeOnKiosk } from './kiosk-typist.js';

const ZH_TILES = ['我要办事', '进度查询', '排队取号', '办事指南', '服务评价'];
const EN_TILES = [
  'Apply for a service',
  'Check progress',
  'Take a queue ticket',
  'Service guides',
  'Rate our service',
];
// Residents read what a device means for them, in words (diagnostics are the console's).
const DEVICE_STATES_ZH = ['可以使用', '本机未配备', '打印纸即将用完', '取号纸即将用完'];

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
  // A fresh load is a fresh session: Chinese, normal mode, home screen.
  await page.goto(kiosk.url);
  await page.locator('[data-testid=device-status]').waitFor();
});

afterEach(() => {
  // Any script error, failed request or CSP refusal shows up here.
  expect(problems).toEqual([]);
});

const tileLabels = (p: Page) => p.locator('.tile-label').allInnerTexts();

async function expectNoHorizontalOverflow(p: Page): Promise<void> {
  const overflow = await p.evaluate(() => {
    const out: string[] = [];
    const content = document.querySelector('.content');
    if (content && content.scrollWidth > content.clientWidth + 1)
      out.push(`.content ${content.scrollWidth} > ${content.clientWidth}`);
    for (const el of document.querySelectorAll('.masthead, .bar')) {
      if (el.scrollWidth > el.clientWidth + 1)
        out.push(`${el.className} ${el.scrollWidth} > ${el.clientWidth}`);
    }
    return out;
  });
  expect(overflow).toEqual([]);
}

/** Every visible text's font size, and every visible heading's, in px. */
async function textSizes(
  p: Page,
): Promise<{ minText: number; minTextAt: string; minHeading: number; minHeadingAt: string }> {
  return p.evaluate(() => {
    let minText = Infinity;
    let minTextAt = '';
    let minHeading = Infinity;
    let minHeadingAt = '';
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || !n.textContent?.trim()) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0 || el.closest('.visually-hidden')) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size < minText) {
        minText = size;
        minTextAt = `${el.tagName}.${el.className}: ${n.textContent.trim().slice(0, 20)}`;
      }
    }
    for (const h of document.querySelectorAll('h1, h2, h3')) {
      const rect = h.getBoundingClientRect();
      if (rect.width === 0) continue;
      const size = parseFloat(getComputedStyle(h).fontSize);
      if (size < minHeading) {
        minHeading = size;
        minHeadingAt = `${h.tagName}: ${h.textContent?.slice(0, 20) ?? ''}`;
      }
    }
    return { minText, minTextAt, minHeading, minHeadingAt };
  });
}

/** 办事指南 → the first window that has items → its item list. Returns the window's code. */
async function openFirstWindow(p: Page): Promise<string> {
  await p.getByRole('button', { name: /^(办事指南|Service guides)$/ }).click();
  await p.locator('[data-testid=window-list]').waitFor();
  const card = p.locator('.window-card[data-count]:not([data-count="0"])').first();
  const code = (await card.getAttribute('data-window')) ?? '';
  await card.click();
  await p.locator('[data-testid=item-list]').waitFor();
  return code;
}

async function openFirstGuide(p: Page): Promise<void> {
  await openFirstWindow(p);
  await p.locator('[data-testid=item-list] .item-row').first().click();
  await p.locator('[data-testid=guide]').waitFor();
}

describe('home screen', () => {
  it('shows the title, the five tiles, the hall, a live clock and the device status', async () => {
    expect(await page.locator('h1').innerText()).toBe('政务服务自助终端');
    expect(await page.title()).toBe('政务服务自助终端');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await tileLabels(page)).toEqual(ZH_TILES);
    for (const label of ZH_TILES)
      expect(await page.getByRole('button', { name: label, exact: true }).isVisible()).toBe(true);
    expect((await page.locator('[data-testid=hall-name]').innerText()).length).toBeGreaterThan(0);

    const time = page.locator('.clock-time');
    expect(await time.isVisible()).toBe(true);
    expect(await time.innerText()).toMatch(/^\d{2}:\d{2}$/);
    expect(await page.locator('.clock-date').innerText()).toMatch(
      /^\d{4}年\d{1,2}月\d{1,2}日 星期[一二三四五六日]$/,
    );

    const devices = page.locator('[data-testid=device-status] li');
    expect(await devices.count()).toBe(5);
    for (const text of await page.locator('[data-testid=device-status] .device-state').allInnerTexts()) {
      expect(
        DEVICE_STATES_ZH.some((s) => text.startsWith(s)),
        text,
      ).toBe(true);
    }
    expect(await page.locator('[data-testid=network-status]').innerText()).toContain('未接入大厅平台');
    // No 上一步 on the home screen: there is nowhere to go back to.
    expect(await page.getByRole('button', { name: '上一步' }).count()).toBe(0);
    expect(await buttonsSmallerThan(page, 44)).toEqual([]);
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'home-zh-portrait');
    await expectNoSeriousA11yViolations(page, 'home zh');
  });

  it('switches to English and back to Chinese', async () => {
    const language = page.locator('[data-testid=toggle-language]');
    expect(await language.innerText()).toBe('English');
    expect(await language.getAttribute('aria-pressed')).toBe('false');
    await language.click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await page.locator('h1').innerText()).toBe('Government Services Self-Service Kiosk');
    expect(await tileLabels(page)).toEqual(EN_TILES);
    expect(await language.innerText()).toBe('中文');
    expect(await language.getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('[data-testid=toggle-elderly]').innerText()).toBe('Elderly mode');
    expect(await page.locator('.clock-date').innerText()).toMatch(
      /^[A-Z][a-z]+day, \d{1,2} [A-Z][a-z]+ \d{4}$/,
    );
    expect(await page.locator('[data-testid=network-status]').innerText()).toContain(
      'Not connected to the hall platform',
    );
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'home-en-portrait');
    await expectNoSeriousA11yViolations(page, 'home en');

    await language.click();
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    expect(await tileLabels(page)).toEqual(ZH_TILES);
    expect(await page.locator('h1').innerText()).toBe('政务服务自助终端');
    expect(await language.innerText()).toBe('English');
  });

  it('长辈模式 makes text, headings and touch targets elderly-friendly, and back', async () => {
    const elderly = page.locator('[data-testid=toggle-elderly]');
    expect(await elderly.innerText()).toBe('长辈模式');
    await elderly.click();
    expect(await elderly.getAttribute('aria-pressed')).toBe('true');
    await page.waitForFunction(() => document.documentElement.classList.contains('elderly'));

    const sizes = await textSizes(page);
    expect(sizes.minText, sizes.minTextAt).toBeGreaterThanOrEqual(24);
    expect(sizes.minHeading, sizes.minHeadingAt).toBeGreaterThanOrEqual(40);
    const bodySize = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    expect(bodySize).toBeGreaterThanOrEqual(24);
    const lineHeight = await page.evaluate(() => {
      const s = getComputedStyle(document.body);
      return parseFloat(s.lineHeight) / parseFloat(s.fontSize);
    });
    expect(lineHeight).toBeGreaterThanOrEqual(1.3);
    expect(await buttonsSmallerThan(page, 60)).toEqual([]);
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'home-elderly-portrait');
    await expectNoSeriousA11yViolations(page, 'home elderly');

    // The guide page in elderly mode: the table, badges and footnotes stay large too.
    await openFirstGuide(page);
    const guideSizes = await textSizes(page);
    expect(guideSizes.minText, guideSizes.minTextAt).toBeGreaterThanOrEqual(24);
    expect(guideSizes.minHeading, guideSizes.minHeadingAt).toBeGreaterThanOrEqual(40);
    expect(await buttonsSmallerThan(page, 60)).toEqual([]);
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'guide-elderly-portrait');
    await expectNoSeriousA11yViolations(page, 'guide elderly');

    await elderly.click();
    expect(await elderly.getAttribute('aria-pressed')).toBe('false');
    await page.waitForFunction(() => !document.documentElement.classList.contains('elderly'));
    await page.getByRole('button', { name: '返回首页' }).click();
    expect(await tileLabels(page)).toEqual(ZH_TILES);
    expect(await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize))).toBeLessThan(24);
  });

  it('lays out the home screen in landscape 1920×1080', async () => {
    await page.setViewportSize(LANDSCAPE);
    expect(await tileLabels(page)).toEqual(ZH_TILES);
    await expectNoHorizontalOverflow(page);
    // Everything on the home screen fits without scrolling.
    const fits = await page.evaluate(() => {
      const c = document.querySelector('.content');
      return c ? c.scrollHeight <= c.clientHeight + 1 : false;
    });
    expect(fits).toBe(true);
    await screenshot(page, 'home-zh-landscape');
    await page.locator('[data-testid=toggle-elderly]').click();
    await page.waitForFunction(() => document.documentElement.classList.contains('elderly'));
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'home-elderly-landscape');
  });

  it('opens each service from its tile and comes home with 返回首页', async () => {
    const flows = [
      ['我要办事', 'apply'],
      ['进度查询', 'progress'],
      ['排队取号', 'queue'],
      ['服务评价', 'evaluate'],
    ] as const;
    for (const [label, screen] of flows) {
      await page.getByRole('button', { name: label, exact: true }).click();
      await page.locator(`.kiosk[data-screen="${screen}"]`).waitFor();
      expect(await page.getByRole('button', { name: '上一步' }).isVisible()).toBe(true);
      await page.locator('.bar .btn-home').click();
      await page.locator('.tiles').waitFor();
      expect(await tileLabels(page)).toEqual(ZH_TILES);
    }
  });
});

describe('办事指南 catalog', () => {
  it('prints a guide summary on the receipt printer and says so', async () => {
    await openFirstWindow(page);
    const rows = page.locator('[data-testid=item-list] .item-row');
    const itemName = (await rows.first().locator('.item-name').innerText()).trim();
    await rows.first().click();
    await page.locator('[data-testid=guide]').waitFor();
    const before = kiosk.backend.devices.simulators().printer?.receipts().length ?? 0;
    await page.locator('[data-testid=guide-print-receipt]').click();
    await page.locator('[data-testid=guide-print-done]').waitFor();
    const printed = kiosk.backend.devices.simulators().printer?.receipts() ?? [];
    expect(printed.length).toBe(before + 1);
    expect(printed.at(-1)?.text).toContain('办事指南（摘要）');
    expect(printed.at(-1)?.text).toContain(itemName.slice(0, 6));
    // No A4 printer configured: no A4 button.
    expect(await page.locator('[data-testid=guide-print-a4]').count()).toBe(0);
    await screenshot(page, 'guide-zh-printed');
    await expectNoSeriousA11yViolations(page, 'guide printed');
  });

  it('browses a window, an item and its guide, and comes back with 上一步', async () => {
    await page.getByRole('button', { name: '办事指南', exact: true }).click();
    await page.locator('[data-testid=window-list]').waitFor();
    // The five windows plus the 一件事套餐 entry.
    expect(await page.locator('.window-card').count()).toBe(6);
    expect(await page.locator('.window-card[data-window=bundles]').innerText()).toContain('一件事套餐');
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'catalog-zh-portrait');
    await expectNoSeriousA11yViolations(page, 'catalog zh');

    await page.goto(kiosk.url);
    await openFirstWindow(page);
    const rows = page.locator('[data-testid=item-list] .item-row');
    expect(await rows.count()).toBeGreaterThan(0);
    expect(await rows.first().innerText()).toMatch(/即办件|承诺件/);
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'items-zh-portrait');
    await expectNoSeriousA11yViolations(page, 'items zh');

    const itemName = (await rows.first().locator('.item-name').innerText()).trim();
    await rows.first().click();
    const guide = page.locator('[data-testid=guide]');
    await guide.waitFor();
    expect(await guide.locator('h2').first().innerText()).toBe(itemName);
    const text = await guide.innerText();
    for (const label of [
      '承诺时限',
      '法定时限',
      '实施主体',
      '受理条件',
      '办理流程',
      '申请材料',
      '收费标准',
      '结果名称',
      '送达方式',
      '办理地点',
      '办理时间',
      '咨询电话',
      '监督电话',
    ]) {
      expect(text, label).toContain(label);
    }
    expect(await page.locator('[data-testid=materials] tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('.steps li').count()).toBeLessThanOrEqual(4);
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'guide-zh-portrait');
    await expectNoSeriousA11yViolations(page, 'guide zh');
    await page.locator('[data-section=materials]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'guide-materials-zh-portrait');

    // A long guide pages with 下一页, and 上一步 goes back to the list.
    const pageDown = page.getByRole('button', { name: '下一页' });
    if ((await pageDown.count()) > 0) {
      await pageDown.click();
      await page.waitForFunction(() => (document.querySelector('.content')?.scrollTop ?? 0) > 0);
    }
    await page.getByRole('button', { name: '上一步' }).click();
    await page.locator('[data-testid=item-list]').waitFor();
    await page.getByRole('button', { name: '返回首页' }).click();
    expect(await tileLabels(page)).toEqual(ZH_TILES);
  });

  it('shows the catalog, an item list and a guide in English', async () => {
    await page.locator('[data-testid=toggle-language]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.getByRole('button', { name: 'Service guides', exact: true }).click();
    await page.locator('[data-testid=window-list]').waitFor();
    expect(await page.locator('.window-card[data-window=bundles]').innerText()).toContain(
      'One-thing bundles',
    );
    await expectNoSeriousA11yViolations(page, 'catalog en');
    await page.locator('.window-card[data-count]:not([data-count="0"])').first().click();
    await page.locator('[data-testid=item-list]').waitFor();
    expect(await page.locator('[data-testid=item-list] .item-row').first().innerText()).toMatch(
      /Immediate|Promised/,
    );
    await expectNoSeriousA11yViolations(page, 'items en');
    await page.locator('[data-testid=item-list] .item-row').first().click();
    await page.locator('[data-testid=guide]').waitFor();
    const text = await page.locator('[data-testid=guide]').innerText();
    expect(text).toContain('Promised time limit');
    expect(text).toContain('Required materials');
    expect(await page.getByRole('button', { name: 'Home', exact: true }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Back', exact: true }).isVisible()).toBe(true);
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'guide-en-portrait');
    await expectNoSeriousA11yViolations(page, 'guide en');

    await page.setViewportSize(LANDSCAPE);
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'guide-en-landscape');
  });

  it('checks the catalog screens in elderly mode with axe', async () => {
    await page.locator('[data-testid=toggle-elderly]').click();
    await page.getByRole('button', { name: '办事指南', exact: true }).click();
    await page.locator('[data-testid=window-list]').waitFor();
    expect(await buttonsSmallerThan(page, 60)).toEqual([]);
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'catalog-elderly-portrait');
    await expectNoSeriousA11yViolations(page, 'catalog elderly');
    await page.locator('.window-card[data-count]:not([data-count="0"])').first().click();
    await page.locator('[data-testid=item-list]').waitFor();
    expect(await buttonsSmallerThan(page, 60)).toEqual([]);
    await expectNoSeriousA11yViolations(page, 'items elderly');
  });

  it('lists the 一件事 bundles and opens a member item from a bundle', async () => {
    await page.getByRole('button', { name: '办事指南', exact: true }).click();
    await page.locator('.window-card[data-window=bundles]').click();
    const list = page.locator('[data-testid=bundle-list]');
    const empty = page.getByText('暂无一件事套餐');
    await Promise.race([list.waitFor(), empty.waitFor()]);
    await screenshot(page, 'bundles-zh-portrait');
    if ((await list.count()) === 0) return;
    await list.locator('.item-row').first().click();
    await page.locator('[data-testid=item-list]').waitFor();
    await expectNoSeriousA11yViolations(page, 'bundle zh');
    await screenshot(page, 'bundle-zh-portrait');
    await page.locator('[data-testid=item-list] .item-row').first().click();
    await page.locator('[data-testid=guide]').waitFor();
  });

  it('finds 社保 items by the pinyin initials "sb"', async () => {
    await page.getByRole('button', { name: '办事指南', exact: true }).click();
    const box = page.getByRole('searchbox', { name: '搜索事项' });
    await typeOnKiosk(page, box, 'sb');
    const results = page.locator('[data-testid=search-results] .item-name');
    await results.first().waitFor();
    const names = await results.allInnerTexts();
    expect(
      names.some((n) => /社保|社会保险/.test(n)),
      names.join(', '),
    ).toBe(true);
    await expectNoHorizontalOverflow(page);
    await screenshot(page, 'search-zh-portrait');
    await expectNoSeriousA11yViolations(page, 'search zh');

    // 上一步 from a result's guide returns to the same results.
    await results.first().click();
    await page.locator('[data-testid=guide]').waitFor();
    await page.getByRole('button', { name: '上一步' }).click();
    await page.locator('[data-testid=search-results] .item-name').first().waitFor();
    expect(await box.inputValue()).toBe('sb');

    await typeOnKiosk(page, box, '没有这种事项xyz', { clear: true });
    await page.getByText(/没有找到与“没有这种事项xyz”相关的事项/).waitFor();
  });

  it('shows an honest message with a retry when the API fails, and recovers', async () => {
    await page.route(/\/api\/catalog\.windows/, (route) => route.fulfill({ status: 500, body: 'boom' }));
    await page.getByRole('button', { name: '办事指南', exact: true }).click();
    const error = page.locator('[data-testid=error-panel]');
    await error.waitFor();
    expect(await error.innerText()).toContain('暂时无法获取信息');
    expect(await error.innerText()).not.toContain('boom');
    await screenshot(page, 'error-zh-portrait');
    await page.unroute(/\/api\/catalog\.windows/);
    await error.getByRole('button', { name: '重试' }).click();
    await page.locator('[data-testid=window-list]').waitFor();
    expect(await page.locator('.window-card').count()).toBe(6);
    // The refused requests above were on purpose.
    problems = problems.filter((p) => !p.includes('500'));
  });
});
