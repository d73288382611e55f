/**
 * The resident session around every flow (docs/resident-journey.md, "Around every flow"): the
 * inactivity countdown with "need more time", a longer wait in 长辈模式, the timeout wiping the
 * session (identity read from a card included) and the take-your-card reminder, and voice prompts
 * that can be switched off. Short timings come from a configuration file (idle 5 s, countdown 5 s),
 * and the page's clock is Playwright's (page.clock): it runs at real pace, and the tests jump it over
 * the idle and countdown spans instead of waiting them out (the countdown reads Date.now on a 250 ms
 * interval, which the jump fires).
 */
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { liftCard } from '../src/backend/testing/place-card.js';
import { idcard } from '../src/devices/index.js';
import {
  buttonsSmallerThan,
  expectNoSeriousA11yViolations,
  launchBrowser,
  PORTRAIT,
  screenshot,
  startKiosk,
  type Kiosk,
} from './harness.js';

let kiosk: Kiosk;
let browser: Browser;
let page: Page;
let confDir: string;

beforeAll(async () => {
  confDir = mkdtempSync(join(tmpdir(), 'zizhu-session-conf-'));
  const file = join(confDir, 'kiosk.json');
  writeFileSync(file, JSON.stringify({ resident: { idleSeconds: 5, countdownSeconds: 5 } }));
  kiosk = await startKiosk({ env: { KIOSK_CONFIG: file } });
  ({ browser, page } = await launchBrowser(PORTRAIT));
  await page.clock.install();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await kiosk?.stop();
  rmSync(confDir, { recursive: true, force: true });
});

beforeEach(async () => {
  await liftCard(kiosk.backend.devices);
  await page.goto(kiosk.url);
  await page.locator('[data-tile="progress"]').waitFor();
});

const countdown = () => page.locator('[data-testid=session-countdown]');
/** Nobody touches the screen for `ms` (on the page's clock). */
const untouchedFor = (ms: number) => page.clock.fastForward(ms);
const spoken = () =>
  page.evaluate(() => [...((window as Window & { __kioskSpoken?: string[] }).__kioskSpoken ?? [])]);

describe('session', () => {
  it('counts down after inactivity, gives more time, then ends with the take-your-card reminder', async () => {
    await page.locator('[data-tile="progress"]').click();
    await page.locator('[data-testid=progress-by-receipt]').waitFor();
    await untouchedFor(5000);
    await countdown().waitFor({ timeout: 9000 });
    await expect
      .poll(async () => Number(await page.locator('[data-testid=countdown-seconds]').textContent()))
      .toBeLessThanOrEqual(5);
    await screenshot(page, 'session-zh-01-countdown');
    await expectNoSeriousA11yViolations(page, 'session');
    expect(await buttonsSmallerThan(page, 44)).toEqual([]);
    await page.locator('[data-testid=countdown-more]').click();
    await expect.poll(() => countdown().count()).toBe(0);
    // Untouched again: the countdown comes back and runs out.
    await untouchedFor(5000);
    await countdown().waitFor({ timeout: 9000 });
    await untouchedFor(5000);
    await page.locator('[data-testid=farewell]').waitFor({ timeout: 9000 });
    expect(await page.locator('[data-testid=farewell]').getAttribute('data-reason')).toBe('timeout');
    expect(await page.locator('.farewell-reminder').textContent()).toContain('身份证');
    await screenshot(page, 'session-zh-02-farewell');
    await expectNoSeriousA11yViolations(page, 'session');
    await page.locator('[data-testid=farewell-home]').click();
    await page.locator('[data-tile="apply"]').waitFor();
  });

  it('wipes an identified session on timeout and audits it', async () => {
    await page.locator('[data-tile="progress"]').click();
    await page.locator('[data-testid=progress-by-card]').click();
    await page.locator('[data-testid=identify-applicant]').waitFor();
    const r = kiosk.backend.devices.simulators().idcard?.insertCard(idcard.SAMPLE_CARDS.resident);
    expect(r?.ok).toBe(true);
    // The identified applicant's (empty) list, masked; then nobody touches the screen.
    await page
      .locator('[data-testid=progress-list-empty], [data-testid=progress-list]')
      .first()
      .waitFor({ timeout: 15_000 });
    expect(await page.content()).not.toContain('李秀英');
    await untouchedFor(5000);
    await countdown().waitFor({ timeout: 9000 });
    await untouchedFor(5000);
    await page.locator('[data-testid=farewell]').waitFor({ timeout: 20_000 });
    const ends = kiosk.backend.db
      .prepare("SELECT detail FROM audit_log WHERE action = 'session-end'")
      .pluck()
      .all() as string[];
    expect(ends.some((d) => (JSON.parse(d) as { reason: string }).reason === 'timeout')).toBe(true);
    const identified = kiosk.backend.db
      .prepare("SELECT detail FROM audit_log WHERE action = 'identify'")
      .pluck()
      .all() as string[];
    expect(identified.join()).toContain('李*英');
    expect(identified.join()).not.toContain('李秀英');
  });

  it('waits twice as long in 长辈模式, with large targets', async () => {
    await page.locator('[data-testid=toggle-elderly]').click();
    await page.locator('[data-tile="queue"]').click();
    await untouchedFor(7000);
    // Real time too, for the countdown's interval to run (and the screen to draw) a few times more.
    await page.waitForTimeout(500);
    expect(await countdown().count()).toBe(0);
    await untouchedFor(3000);
    await countdown().waitFor({ timeout: 6000 });
    // The countdown itself is longer too (10 s against 5: one rule, residentMs, for every wait).
    expect(Number(await page.locator('[data-testid=countdown-seconds]').textContent())).toBeGreaterThan(5);
    await screenshot(page, 'session-elderly-01-countdown');
    expect(await buttonsSmallerThan(page, 60)).toEqual([]);
    await page.locator('[data-testid=countdown-end]').click();
    await page.locator('[data-tile="apply"], [data-testid=farewell]').first().waitFor();
  });

  it('speaks key steps, and stays silent when voice is switched off', async () => {
    await page.locator('[data-tile="progress"]').click();
    await page.locator('[data-testid=progress-by-card]').click();
    await page.locator('[data-testid=identify-applicant]').waitFor();
    await expect.poll(async () => (await spoken()).some((s) => s.includes('身份证'))).toBe(true);
    await page.locator('[data-testid=toggle-voice]').click();
    expect(await page.locator('[data-testid=toggle-voice]').getAttribute('aria-pressed')).toBe('false');
    const before = (await spoken()).length;
    await page.locator('.bar-nav button').nth(1).click();
    await page.locator('[data-testid=progress-by-card]').click();
    await page.locator('[data-testid=identify-applicant]').waitFor();
    await page.waitForTimeout(300);
    expect((await spoken()).length).toBe(before);
    await screenshot(page, 'session-zh-03-voice-off');
  });
});
