/**
 * Enrolment from the technician console in a real Chromium: the console shows the hall's address from
 * the configuration file (it cannot be typed) and the technician types only the one-time code on the
 * on-screen keyboard; the kiosk enrols with a real reference hall over loopback, and the console and
 * the home screen show it online with nothing waiting to upload.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHallServer, type HallServer } from '../src/hall/index.js';
import {
  expectNoSeriousA11yViolations,
  launchBrowser,
  PORTRAIT,
  screenshot,
  startKiosk,
  type Kiosk,
} from './harness.js';

let hallDir: string;
let hall: HallServer;
let kiosk: Kiosk;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  hallDir = mkdtempSync(join(tmpdir(), 'zizhu-e2e-hall-'));
  hall = await startHallServer({ host: '127.0.0.1', port: 0, dataDir: hallDir }, { silent: true });
  kiosk = await startKiosk({ env: { KIOSK_HALL_URL: hall.url } });
  ({ browser, page } = await launchBrowser(PORTRAIT));
  await page.goto(kiosk.url);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await kiosk?.stop();
  await hall?.close();
  rmSync(hallDir, { recursive: true, force: true });
});

async function typeOnKeys(p: Page, text: string): Promise<void> {
  const keys = p.locator('[data-testid=tech-sync] .address-keys');
  for (const ch of text) await keys.getByRole('button', { name: ch, exact: true }).click();
}

describe('hall enrolment from the technician console', () => {
  it('enrols with a one-time code typed on screen and shows the kiosk online', async () => {
    await expect(page.locator('[data-testid=network-status]').innerText()).resolves.toMatch(/未接入/);
    const brand = page.locator('[data-testid=brand]');
    for (let i = 0; i < 5; i++) await brand.click();
    const keys = page.getByRole('group', { name: /数字键盘|Number keys/ });
    for (const digit of '000000') await keys.getByRole('button', { name: digit, exact: true }).click();
    await page.locator('[data-testid=pin-submit]').click();
    const section = page.locator('[data-testid=tech-sync]');
    await section.waitFor({ timeout: 20_000 });
    await section.scrollIntoViewIfNeeded();
    expect(await section.locator('[data-testid=sync-backlog]').innerText()).toBe('0');

    // The address comes from the configuration: shown, with no field to type another one into.
    expect(await section.locator('[data-testid=sync-hallUrl]').innerText()).toBe(hall.url);
    expect(await section.locator('input').count()).toBe(1);
    const { code } = await hall.service.createEnrollmentCode('611100');
    await section.locator('[data-testid=sync-code]').click();
    await typeOnKeys(page, code.toLowerCase());
    await section.locator('[data-testid=sync-enroll]').click();
    await section
      .locator('[data-testid=sync-enroll-result]')
      .getByText(/已接入/)
      .waitFor({ timeout: 15_000 });
    await section.locator('[data-testid=sync-facts]').getByText('在线').waitFor({ timeout: 20_000 });
    await screenshot(page, 'tech-sync-zh-portrait');
    await expectNoSeriousA11yViolations(page, 'console with sync');
  }, 90_000);
});
