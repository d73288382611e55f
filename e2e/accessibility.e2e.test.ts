/**
 * Age-friendly and accessible (issue 12, part 3; docs/accessibility.md) in a real Chromium against
 * the real backend: 长辈模式 as a layout of its own (text ≥ 1.5 ×, targets ≥ 60 px, three big window
 * tiles a page, a larger keyboard, the short step bar), 高对比度 on several screens with axe's
 * AAA contrast rule, and a screen-reader friendly order (landmarks, headings, reading order, live
 * regions) — in Chinese and English, portrait and landscape. Screenshots go to e2e/artifacts.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  buttonsSmallerThan,
  checkA11yEnhancedContrast,
  expectNoSeriousA11yViolations,
  type Kiosk,
  landmarkViolations,
  LANDSCAPE,
  launchBrowser,
  PORTRAIT,
  screenshot,
  startKiosk,
  type Viewport,
} from './harness.js';
import { typeOnKiosk } from './kiosk-typist.js';
import { setToggle } from './resident-fixtures.js';

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
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await kiosk?.stop();
});

beforeEach(async () => {
  problems = [];
  await page.setViewportSize(PORTRAIT);
  await page.goto(kiosk.url);
  await page.locator('[data-tile=apply]').waitFor();
});

afterEach(() => {
  expect(problems).toEqual([]);
});

const LAYOUTS: readonly { name: string; viewport: Viewport; lang: 'zh' | 'en' }[] = [
  { name: 'zh-portrait', viewport: PORTRAIT, lang: 'zh' },
  { name: 'en-portrait', viewport: PORTRAIT, lang: 'en' },
  { name: 'zh-landscape', viewport: LANDSCAPE, lang: 'zh' },
  { name: 'en-landscape', viewport: LANDSCAPE, lang: 'en' },
];

const fontSize = (p: Page, selector: string): Promise<number> =>
  p
    .locator(selector)
    .first()
    .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));

const height = async (p: Page, selector: string): Promise<number> =>
  (await p.locator(selector).first().boundingBox())?.height ?? 0;

const area = async (p: Page, selector: string): Promise<number> => {
  const box = await p.locator(selector).first().boundingBox();
  return box ? box.width * box.height : 0;
};

async function noHorizontalOverflow(p: Page, where: string): Promise<void> {
  const overflow = await p.evaluate(() => {
    const c = document.querySelector('.content');
    const bar = document.querySelector('.bar');
    return Math.max(
      c ? c.scrollWidth - c.clientWidth : 0,
      bar ? bar.scrollWidth - bar.clientWidth : 0,
      document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
  });
  expect(overflow, `${where}: horizontal overflow`).toBeLessThanOrEqual(1);
  expect(await crampedBarButtons(p), where).toEqual([]);
}

/** Bar buttons that overlap another or whose label is cut off (a squeezed grid cell). */
async function crampedBarButtons(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const buttons = [...document.querySelectorAll('footer button')].filter(
      (b) => b.getBoundingClientRect().width > 0,
    );
    const label = (b: Element) => b.textContent?.trim().slice(0, 16) ?? '';
    const out: string[] = [];
    buttons.forEach((b, i) => {
      if (b.scrollWidth > b.clientWidth + 1) out.push(`cut off: ${label(b)}`);
      const r = b.getBoundingClientRect();
      for (const other of buttons.slice(i + 1)) {
        const o = other.getBoundingClientRect();
        if (r.left < o.right - 1 && o.left < r.right - 1 && r.top < o.bottom - 1 && o.top < r.bottom - 1)
          out.push(`overlap: ${label(b)} / ${label(other)}`);
      }
    });
    return out;
  });
}

async function openCatalog(p: Page): Promise<void> {
  await p.locator('[data-tile=guide]').click();
  await p.locator('[data-testid=window-list]').waitFor();
}

async function openProgress(p: Page): Promise<void> {
  await p.locator('[data-tile=progress]').click();
  await p.locator('[data-testid=steps]').waitFor();
}

async function home(p: Page): Promise<void> {
  await p.locator('.btn-home').click();
  await p.locator('[data-tile=apply]').waitFor();
}

describe('长辈模式 is a layout of its own', () => {
  for (const layout of LAYOUTS) {
    it(`text ≥ 1.5 ×, targets ≥ 60 px, three big tiles a page, a larger keyboard, the short step bar (${layout.name})`, async () => {
      const shot = (name: string) => screenshot(page, `a11y-elderly-${layout.name}-${name}`);
      await page.setViewportSize(layout.viewport);
      await setToggle(page, 'toggle-language', layout.lang === 'en');

      // Body text, the home screen's own lines and the bar's help line: all at least 1.5 × as large.
      const texts = ['body', '.home-sub', '.bar-help span'];
      const normal = await Promise.all(texts.map((s) => fontSize(page, s)));
      await setToggle(page, 'toggle-elderly', true);
      const elderly = await Promise.all(texts.map((s) => fontSize(page, s)));
      texts.forEach((s, i) =>
        expect(elderly[i]! / normal[i]!, `${s}: ${normal[i]} → ${elderly[i]} px`).toBeGreaterThanOrEqual(1.5),
      );
      expect(await buttonsSmallerThan(page, 60)).toEqual([]);
      await noHorizontalOverflow(page, 'home');
      await shot('01-home');

      // The catalog: all six tiles normally; three big ones a page for elders, then the other three.
      await openCatalog(page);
      await setToggle(page, 'toggle-elderly', false);
      const tiles = page.locator('[data-testid=window-list] .window-card');
      expect(await tiles.count()).toBe(6);
      expect(await page.locator('[data-testid=windows-next]').count()).toBe(0);
      const normalTile = await area(page, '.window-card');
      const normalName = await fontSize(page, '.window-name');
      const normalIntro = await fontSize(page, '.screen-intro');
      await setToggle(page, 'toggle-elderly', true);
      expect((await fontSize(page, '.screen-intro')) / normalIntro).toBeGreaterThanOrEqual(1.5);
      expect(await tiles.count()).toBe(3);
      // Bigger tiles: more room each, and their names in larger type.
      expect(await area(page, '.window-card')).toBeGreaterThan(normalTile);
      expect((await fontSize(page, '.window-name')) / normalName).toBeGreaterThanOrEqual(1.3);
      const pageOf = page.locator('.window-pager-of');
      expect(await pageOf.innerText()).toBe(layout.lang === 'en' ? 'Page 1 of 2' : '第 1 页，共 2 页');
      expect(await page.locator('[data-testid=windows-prev]').isDisabled()).toBe(true);
      expect(await buttonsSmallerThan(page, 60)).toEqual([]);
      await noHorizontalOverflow(page, 'catalog');
      await shot('02-catalog');
      await page.locator('[data-testid=windows-next]').click();
      expect(await tiles.count()).toBe(3);
      expect(await page.locator('.window-card[data-window=bundles]').count()).toBe(1);
      expect(await pageOf.innerText()).toBe(layout.lang === 'en' ? 'Page 2 of 2' : '第 2 页，共 2 页');
      await expectNoSeriousA11yViolations(page, `catalog elderly ${layout.name}`);

      // The on-screen keyboard: larger keys, still within the screen.
      await setToggle(page, 'toggle-elderly', false);
      await page.locator('[data-testid=catalog-search]').click();
      const key = '[data-testid=on-screen-keyboard] .osk-key';
      await page.locator(key).first().waitFor();
      const normalKey = await height(page, key);
      await setToggle(page, 'toggle-elderly', true);
      const elderlyKey = await height(page, key);
      expect(elderlyKey, `key ${normalKey} → ${elderlyKey} px`).toBeGreaterThanOrEqual(normalKey * 1.3);
      expect(await buttonsSmallerThan(page, 60)).toEqual([]);
      await noHorizontalOverflow(page, 'keyboard');
      await shot('03-keyboard');

      // The step bar: all the steps normally; "第 1 步，共 N 步", the step's name and the next for elders.
      await home(page);
      await setToggle(page, 'toggle-elderly', false);
      await openProgress(page);
      const steps = page.locator('[data-testid=steps]');
      const total = Number(await steps.getAttribute('data-total'));
      expect(total).toBeGreaterThan(1);
      expect(await steps.locator('li').count()).toBe(total);
      const current = await steps.locator('[aria-current=step] .flow-step-label').innerText();
      await setToggle(page, 'toggle-elderly', true);
      expect(await steps.getAttribute('data-short')).toBe('true');
      expect(await steps.locator('li').count()).toBe(0);
      expect(await steps.locator('.flow-steps-count').innerText()).toBe(
        layout.lang === 'en' ? `Step 1 of ${total}` : `第 1 步，共 ${total} 步`,
      );
      expect(await steps.locator('[aria-current=step]').innerText()).toBe(current);
      expect(await steps.locator('.flow-steps-next').innerText()).toMatch(
        layout.lang === 'en' ? /^Next: \S/ : /^下一步：\S/,
      );
      expect(await buttonsSmallerThan(page, 60)).toEqual([]);
      await noHorizontalOverflow(page, 'progress');
      await expectNoSeriousA11yViolations(page, `progress elderly ${layout.name}`);
      await shot('04-progress-steps');
    });
  }
});

describe('高对比度', () => {
  for (const layout of LAYOUTS) {
    it(`a toggle on every screen; AAA contrast under axe on home, catalog, guide, keyboard and a flow (${layout.name})`, async () => {
      const shot = (name: string) => screenshot(page, `a11y-contrast-${layout.name}-${name}`);
      await page.setViewportSize(layout.viewport);
      await setToggle(page, 'toggle-language', layout.lang === 'en');
      const toggle = page.locator('[data-testid=toggle-contrast]');
      expect(await toggle.innerText()).toBe(layout.lang === 'en' ? 'High contrast' : '高对比度');
      expect(await toggle.getAttribute('aria-pressed')).toBe('false');
      await setToggle(page, 'toggle-contrast', true);
      // White on black, not the light page of the normal palette.
      expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(0, 0, 0)');

      const check = async (where: string) => {
        expect(await toggle.isVisible(), `${where}: toggle shown`).toBe(true);
        expect(await toggle.getAttribute('aria-pressed'), `${where}: still on`).toBe('true');
        const violations = await checkA11yEnhancedContrast(page);
        expect(violations, `${where}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
        await noHorizontalOverflow(page, where);
        await shot(where);
      };
      await check('01-home');
      await openCatalog(page);
      await check('02-catalog');
      await page.locator('[data-testid=catalog-search]').click();
      await page.locator('[data-testid=on-screen-keyboard]').waitFor();
      await check('03-keyboard');
      await page.locator('[data-testid=on-screen-keyboard] [data-key=done]').click();
      await page.locator('.window-card[data-count]:not([data-count="0"])').first().click();
      await page.locator('[data-testid=item-list] .item-row').first().click();
      await page.locator('[data-testid=guide]').waitFor();
      await check('04-guide');
      await home(page);
      await openProgress(page);
      await check('05-progress');
      // With 长辈模式 too: both together.
      await setToggle(page, 'toggle-elderly', true);
      await check('06-progress-elderly');
      await home(page);
      await check('07-home-elderly');
      await setToggle(page, 'toggle-contrast', false);
      expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe(
        'rgb(0, 0, 0)',
      );
    });
  }
});

describe('a screen-reader friendly order', () => {
  /** Landmarks in DOM order and their top edges: the order read must be the order seen. */
  async function landmarks(p: Page): Promise<{ role: string; top: number }[]> {
    return p.evaluate(() =>
      [...document.querySelectorAll('header.masthead, main, footer, nav')].map((el) => ({
        role: el.tagName.toLowerCase(),
        top: Math.round(el.getBoundingClientRect().top),
      })),
    );
  }

  /** Visible buttons in main, in DOM order, read row by row (top to bottom, left to right). */
  async function outOfReadingOrder(p: Page, scope: string): Promise<string[]> {
    return p.evaluate((sel) => {
      const out: string[] = [];
      const boxes = [...document.querySelectorAll(`${sel} button`)]
        .map((b) => ({ r: b.getBoundingClientRect(), text: b.textContent?.trim().slice(0, 16) ?? '' }))
        .filter((b) => b.r.width > 0 && b.r.height > 0);
      for (let i = 1; i < boxes.length; i++) {
        const a = boxes[i - 1]!;
        const b = boxes[i]!;
        // The next one is below, or on the same row (overlapping vertically) and to the right.
        const sameRow = b.r.top < a.r.bottom && a.r.top < b.r.bottom;
        const ok = sameRow ? b.r.left >= a.r.left - 1 : b.r.top >= a.r.top;
        if (!ok) out.push(`${a.text} → ${b.text}`);
      }
      return out;
    }, scope);
  }

  for (const layout of LAYOUTS) {
    it(`landmarks, one h1, headings and reading order on home, catalog and a flow (${layout.name})`, async () => {
      await page.setViewportSize(layout.viewport);
      await setToggle(page, 'toggle-language', layout.lang === 'en');
      for (const screen of ['home', 'catalog', 'progress', 'progress-elderly'] as const) {
        if (screen === 'catalog') await openCatalog(page);
        if (screen === 'progress') {
          await home(page);
          await openProgress(page);
        }
        if (screen === 'progress-elderly') await setToggle(page, 'toggle-elderly', true);
        const where = `${screen} ${layout.name}`;
        expect(await landmarkViolations(page), where).toEqual([]);
        // The accessibility tree: banner, main, contentinfo in this order at the top level.
        const tree = await page.locator('body').ariaSnapshot();
        const top = tree
          .split('\n')
          .filter((l) => /^ {0,2}- (banner|main|contentinfo)\b/.test(l))
          .map((l) => l.trim().replace(/^- (\w+).*$/, '$1'));
        expect(top, where).toEqual(['banner', 'main', 'contentinfo']);
        expect(await page.getByRole('heading', { level: 1 }).count(), where).toBe(1);
        expect(await page.locator('main').getByRole('heading', { level: 2 }).count(), where).toBeGreaterThan(
          0,
        );
        if (screen !== 'home')
          expect(
            await page
              .getByRole('navigation', { name: layout.lang === 'en' ? 'Page navigation' : '页面导航' })
              .count(),
            where,
          ).toBe(1);
        // The settings (language, 长辈模式, 高对比度) are one named group a screen reader announces.
        expect(
          await page
            .getByRole('group', { name: layout.lang === 'en' ? 'Display settings' : '显示设置' })
            .count(),
        ).toBe(1);
        // Read in the order seen: masthead above main above the bar; buttons row by row.
        const marks = await landmarks(page);
        for (let i = 1; i < marks.length; i++)
          expect(marks[i]!.top, `${where}: ${JSON.stringify(marks)}`).toBeGreaterThanOrEqual(
            marks[i - 1]!.top,
          );
        expect(await outOfReadingOrder(page, 'main'), where).toEqual([]);
        expect(await outOfReadingOrder(page, 'footer'), where).toEqual([]);
      }
    });
  }

  it('status messages are live regions: the window page, the search count, the step in 长辈模式', async () => {
    await openCatalog(page);
    await setToggle(page, 'toggle-elderly', true);
    expect(await page.locator('.window-pager-of').getAttribute('aria-live')).toBe('polite');
    await typeOnKiosk(page, page.locator('[data-testid=catalog-search]'), '失业', { done: false });
    const status = page.locator('[data-testid=search-results] [role=status]');
    await expect.poll(() => status.innerText()).toMatch(/\d/);
    await home(page);
    await openProgress(page);
    expect(await page.locator('[data-testid=steps]').getAttribute('aria-live')).toBe('polite');
  });
});
