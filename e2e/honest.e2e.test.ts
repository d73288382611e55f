/**
 * Honest words and states (docs/resident-journey.md, "Around every flow"): 返回首页 mid-flow asks
 * first and ends with the take-your-card-and-originals reminder; the farewell after 排队取号 speaks
 * of the ticket only. zh-CN, English and elderly mode, portrait and landscape, with axe.
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
import { type Api, checkScreen, count, insertCard, removeCard, residentApi } from './resident-fixtures.js';

let kiosk: Kiosk;
let api: Api;
let browser: Browser;
let page: Page;
let problems: string[] = [];

beforeAll(async () => {
  kiosk = await startKiosk();
  api = await residentApi(kiosk);
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
  removeCard(kiosk);
  expect(problems).toEqual([]);
});

/** 我要办事 → 本人办理 → the card read: a session that holds an identity. */
async function identifiedInApply(p: Page): Promise<void> {
  await p.locator('[data-tile=apply]').click();
  await p.locator('[data-testid=mode-self]').click();
  await p.locator('[data-testid=identify-applicant] [data-testid=identify-waiting]').waitFor();
  insertCard(kiosk);
  await p.locator('[data-testid=identity-chip]').waitFor({ timeout: 15_000 });
}

describe('返回首页 mid-flow', () => {
  it('asks first; 继续办理 keeps everything, leaving ends with the card-and-originals reminder', async () => {
    await identifiedInApply(page);
    const ends = () => count(kiosk, "SELECT count(*) FROM audit_log WHERE action = 'session-end'");
    const before = ends();
    await page.locator('.bar .btn-home').click();
    const dialog = page.locator('[data-testid=confirm-home]');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('将被清除');
    // The dialog is modal (the bar's toggles are behind it): each mode is set before it opens.
    await expectNoSeriousA11yViolations(page, 'confirm home zh');
    await screenshot(page, 'honest-zh-01-confirm-home');
    for (const mode of ['en', 'elderly'] as const) {
      await page.locator('[data-testid=confirm-home-stay]').click();
      await page.locator(`[data-testid=${mode === 'en' ? 'toggle-language' : 'toggle-elderly'}]`).click();
      await page.locator('.bar .btn-home').click();
      await dialog.waitFor();
      if (mode === 'en') await expectNoSeriousA11yViolations(page, 'confirm home en');
      expect(await buttonsSmallerThan(page, mode === 'en' ? 44 : 60)).toEqual([]);
      await screenshot(page, `honest-${mode}-01-confirm-home`);
    }
    await page.locator('[data-testid=confirm-home-stay]').click();
    await page.locator('[data-testid=toggle-language]').click();
    await page.locator('[data-testid=toggle-elderly]').click();
    await page.locator('.bar .btn-home').click();
    await dialog.waitFor();
    await page.setViewportSize(LANDSCAPE);
    await screenshot(page, 'honest-zh-01-confirm-home-landscape');
    await page.setViewportSize(PORTRAIT);
    // Staying keeps the session: still identified, nothing ended.
    await page.locator('[data-testid=confirm-home-stay]').click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await page.locator('[data-testid=identity-chip]').count()).toBe(1);
    expect(ends()).toBe(before);
    // Leaving: the session is wiped and the farewell reminds of the card and the originals.
    await page.locator('.bar .btn-home').click();
    await page.locator('[data-testid=confirm-home-leave]').click();
    const farewell = page.locator('[data-testid=farewell]');
    await farewell.waitFor();
    expect(await farewell.getAttribute('data-reason')).toBe('home');
    expect(await farewell.getAttribute('data-kind')).toBe('service');
    const reminder = await page.locator('.farewell-reminder').innerText();
    expect(reminder).toContain('身份证');
    expect(reminder).toContain('原件');
    await expect.poll(ends).toBe(before + 1);
    await expectNoSeriousA11yViolations(page, 'farewell home');
    await screenshot(page, 'honest-zh-02-farewell-home');
  });

  it('in English and elderly mode, landscape: the same question, the same reminder', async () => {
    await page.setViewportSize(LANDSCAPE);
    await page.locator('[data-testid=toggle-language]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.locator('[data-testid=toggle-elderly]').click();
    await identifiedInApply(page);
    await page.locator('.bar .btn-home').click();
    const dialog = page.locator('[data-testid=confirm-home]');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('go home');
    await screenshot(page, 'honest-elderly-en-01-confirm-home-landscape');
    await page.locator('[data-testid=confirm-home-leave]').click();
    await page.locator('[data-testid=farewell]').waitFor();
    expect(await page.locator('.farewell-reminder').innerText()).toContain('ID card');
    expect(await page.locator('.farewell-reminder').innerText()).toContain('original');
    await screenshot(page, 'honest-elderly-en-02-farewell-landscape');
  });

  it('goes straight home when nothing was read or scanned', async () => {
    await page.locator('[data-tile=apply]').click();
    await page.locator('[data-testid=mode-self]').waitFor();
    await page.locator('.bar .btn-home').click();
    await page.locator('[data-tile=apply]').waitFor();
    expect(await page.locator('[data-testid=confirm-home]').count()).toBe(0);
    expect(await page.locator('[data-testid=farewell]').count()).toBe(0);
  });
});

describe('the farewell after 排队取号', () => {
  it('speaks of the ticket, not of an ID card or originals', async () => {
    await page.locator('[data-tile=queue]').click();
    await page.locator('[data-window=ylsb]').click();
    await page.locator('[data-testid=queue-ticket]').waitFor();
    await page.locator('[data-testid=queue-finish]').click();
    const farewell = page.locator('[data-testid=farewell]');
    await farewell.waitFor();
    expect(await farewell.getAttribute('data-kind')).toBe('queue');
    const reminder = await page.locator('.farewell-reminder').innerText();
    expect(reminder).toContain('小票');
    expect(reminder).not.toContain('身份证');
    expect(reminder).not.toContain('原件');
    await checkScreen(page, 'honest-03-farewell-queue', { modes: ['zh', 'en'] });
    void api;
  });
});
