/**
 * A kiosk with no code reader fitted (KIOSK_CODE_READER=none) never tells a resident to scan a QR
 * code: 进度查询 and 服务评价 offer the receipt number and the ID card only, in zh-CN, English and
 * elderly mode. The same screens on a kiosk with a reader offer the QR way (progress.e2e and
 * queue-evaluate.e2e use the simulated reader).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kiosk, launchBrowser, LANDSCAPE, startKiosk } from './harness.js';
import { checkScreen, setToggle } from './resident-fixtures.js';

let kiosk: Kiosk;
let browser: Browser;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  kiosk = await startKiosk({ env: { KIOSK_CODE_READER: 'none' } });
  ({ browser, page } = await launchBrowser(LANDSCAPE));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await kiosk?.stop();
});

describe('a kiosk without a code reader', () => {
  it.each(['progress', 'evaluate'] as const)(
    '%s offers the receipt number and the card, never the QR code',
    async (purpose) => {
      await page.goto(kiosk.url);
      await page.locator(`[data-tile=${purpose}]`).click();
      await page.locator(`[data-testid=${purpose}-by-receipt]`).waitFor();
      await page.locator(`[data-testid=${purpose}-by-card]`).waitFor();
      // The device status has arrived (the home screen showed it), and still no QR way.
      expect(await page.locator(`[data-testid=${purpose}-by-code]`).count()).toBe(0);
      expect(await page.locator('.progress-listening').count()).toBe(0);
      expect(await page.locator('.content').innerText()).not.toContain('二维码');
      await setToggle(page, 'toggle-language', true);
      expect(await page.locator('.content').innerText()).not.toMatch(/QR|scan/i);
      await setToggle(page, 'toggle-language', false);
      await checkScreen(page, `noqr-${purpose}`);
      expect(problems).toEqual([]);
    },
    90_000,
  );
});
