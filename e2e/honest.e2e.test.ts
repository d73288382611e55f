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
import {
  type Api,
  checkScreen,
  count,
  insertCard,
  removeCard,
  residentApi,
  sims,
} from './resident-fixtures.js';
import { ROUND_THE_CLOCK_HOURS } from '../src/backend/testing/hours.js';

let kiosk: Kiosk;
let api: Api;
let browser: Browser;
let page: Page;
let problems: string[] = [];

beforeAll(async () => {
  // Not a test of opening hours (queue-hours.e2e.test.ts is): tickets at any hour.
  kiosk = await startKiosk({ env: { KIOSK_QUEUE_HOURS: ROUND_THE_CLOCK_HOURS } });
  api = await residentApi(kiosk);
  // residentApi waits ten seconds at most; under load the simulated card reader can take longer to
  // open, and an identify call before it answers "no reader".
  for (let i = 0; i < 300 && kiosk.backend.devices.idcardReader() === null; i++)
    await new Promise((r) => setTimeout(r, 100));
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

afterEach(async () => {
  await removeCard(kiosk);
  expect(problems).toEqual([]);
});

/** 我要办事 → 本人办理 → the card read: a session that holds an identity. */
async function identifiedInApply(p: Page): Promise<void> {
  await p.locator('[data-tile=apply]').click();
  await p.locator('[data-testid=mode-self]').click();
  await p.locator('[data-testid=identify-applicant] [data-testid=identify-waiting]').waitFor();
  await insertCard(kiosk);
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

describe('device trouble, in words', () => {
  it('the home screen and 我要办事 say what a fault means; no raw codes, no diagnostics', async () => {
    const home = page.locator('.home');
    // Simulators stand in for every device here: a resident reads "working", never "simulated".
    const text = await home.innerText();
    for (const word of ['模拟设备', '开发模式', '故障', 'paper', 'simulat']) expect(text).not.toContain(word);
    expect(await page.locator('[data-testid=device-notices]').count()).toBe(0);

    sims(kiosk).printer.setStatus('paper-out');
    const notices = page.locator('[data-testid=device-notices]');
    await notices.waitFor({ timeout: 20_000 });
    expect(await notices.innerText()).toContain('打印机缺纸，暂时无法打印回执');
    expect(await home.innerText()).not.toContain('paper-out');
    await checkScreen(page, 'honest-04-home-printer-paper-out');
    await page.setViewportSize(LANDSCAPE);
    await screenshot(page, 'honest-zh-04-home-printer-paper-out-landscape');
    await page.setViewportSize(PORTRAIT);
    await page.locator('[data-testid=toggle-language]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await notices.innerText()).toContain('The printer is out of paper');
    await page.locator('[data-testid=toggle-language]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');

    // Before 我要办事 needs the printer: said at its first step.
    await page.locator('[data-tile=apply]').click();
    const inFlow = page.locator('[data-testid=apply-flow] [data-testid=device-notices]');
    await inFlow.waitFor();
    expect(await inFlow.innerText()).toContain('申请照常提交');
    await screenshot(page, 'honest-zh-05-apply-printer-notice');

    sims(kiosk).printer.setStatus('ready');
    await expect.poll(() => inFlow.count(), { timeout: 20_000 }).toBe(0);
  });
});
