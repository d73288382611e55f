/**
 * Whose card (docs/security.md, "Whose card, whose case") in a real Chromium against a real backend
 * with the ID-card simulator on a pty: every state a person sees. A resident identifies with a card
 * and goes home without it — the home screen shows the alarm and says it by voice; the next person's
 * session does not use that card but asks for it to be lifted and placed again; once lifted the
 * screen waits for a card, and a card placed now identifies; the alarm is gone once the card is taken.
 * Every state in zh-CN, English and elderly mode, with axe. The page's clock is Playwright's
 * (page.clock, at real pace), so the alarm's repeat is reached by jumping the clock, not by waiting.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liftCard, placeCard } from '../src/backend/testing/place-card.js';
import { type Kiosk, launchBrowser, PORTRAIT, startKiosk } from './harness.js';
import { checkScreen } from './resident-fixtures.js';

let kiosk: Kiosk;
let browser: Browser;
let page: Page;
let problems: string[] = [];

beforeAll(async () => {
  kiosk = await startKiosk();
  ({ browser, page } = await launchBrowser(PORTRAIT));
  await page.clock.install();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  for (let i = 0; i < 100 && kiosk.backend.devices.idcardReader()?.status().state !== 'ready'; i++)
    await new Promise((r) => setTimeout(r, 100));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await kiosk?.stop();
});

const spoken = () =>
  page.evaluate(() => [...((window as Window & { __kioskSpoken?: string[] }).__kioskSpoken ?? [])]);
const audited = () =>
  (
    kiosk.backend.db
      .prepare("SELECT action FROM audit_log WHERE action IN ('card-left', 'card-taken') ORDER BY id")
      .pluck()
      .all() as string[]
  ).join(',');
const alarm = () => page.locator('[data-testid=card-left-alarm]');

async function progressByCard(): Promise<void> {
  await page.locator('[data-tile="progress"]').click();
  await page.locator('[data-testid=progress-by-card]').click();
  await page.locator('[data-testid=identify-applicant]').waitFor();
}

describe('a card left on the reader', () => {
  it('alarms on the home screen, is not used by the next person, and counts once placed again', async () => {
    problems = [];
    await page.goto(kiosk.url);
    await page.locator('[data-tile="progress"]').waitFor();
    expect(await alarm().count()).toBe(0);

    // A resident reads their own applications with their card, then goes home without it.
    await progressByCard();
    await page.locator('[data-testid=identify-waiting]').waitFor();
    await placeCard(kiosk.backend.devices);
    await page
      .locator('[data-testid=progress-list-empty], .progress-list')
      .first()
      .waitFor({ timeout: 15_000 });
    await page.locator('.btn-home').click();
    // A session that read a card asks first, then reminds to take the card and originals.
    await page.locator('[data-testid=confirm-home-leave]').click();
    await page.locator('[data-testid=farewell-home]').click();

    // Home: the alarm, in words and by voice, until the card is taken.
    await alarm().waitFor({ timeout: 10_000 });
    expect(await alarm().innerText()).toContain('身份证');
    await expect.poll(async () => (await spoken()).some((s) => s.includes('遗留'))).toBe(true);
    expect(audited()).toBe('card-left');
    await checkScreen(page, 'cardleft-01-home-alarm');
    // Said again while it lies there (every 8 s: CARD_LEFT_REPEAT_MS in home-screen.tsx).
    const times = (await spoken()).filter((s) => s.includes('遗留')).length;
    await page.clock.fastForward(8_000);
    await expect
      .poll(async () => (await spoken()).filter((s) => s.includes('遗留')).length, { timeout: 12_000 })
      .toBeGreaterThan(times);

    // The next person: the card on the reader is not theirs — lift it and place it again.
    await progressByCard();
    const lift = page.locator('[data-testid=identify-lift-card]');
    await lift.waitFor();
    expect(await page.locator('[data-testid=progress-list-empty], .progress-list').count()).toBe(0);
    await expect.poll(async () => (await spoken()).some((s) => s.includes('取下身份证'))).toBe(true);
    await checkScreen(page, 'cardleft-02-lift-card');

    // Lifted: the alarm stops, and the screen waits for a card.
    await liftCard(kiosk.backend.devices);
    await page.locator('[data-testid=identify-waiting]').waitFor({ timeout: 10_000 });
    expect(await lift.count()).toBe(0);
    await checkScreen(page, 'cardleft-03-waiting-again', { modes: ['zh', 'en'] });
    await expect.poll(audited).toBe('card-left,card-taken');

    // Placed again by the person at the screen: it identifies.
    await placeCard(kiosk.backend.devices);
    await page
      .locator('[data-testid=progress-list-empty], .progress-list')
      .first()
      .waitFor({ timeout: 15_000 });
    await checkScreen(page, 'cardleft-04-identified', { modes: ['zh'] });

    // They take their card before going home: no alarm.
    await liftCard(kiosk.backend.devices);
    await page.locator('.btn-home').click();
    await page.locator('[data-testid=confirm-home-leave]').click();
    await page.locator('[data-testid=farewell-home]').click();
    await page.locator('[data-tile="progress"]').waitFor();
    await page.waitForTimeout(500);
    expect(await alarm().count()).toBe(0);
    expect(audited()).toBe('card-left,card-taken');
    expect(problems).toEqual([]);
  }, 180_000);
});
