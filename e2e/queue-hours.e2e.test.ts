/**
 * 排队取号 and the clock, in a real Chromium against a real backend with the shipped opening hours
 * (resources/calendar/window-hours.json) and the simulated ticket printer (ESC/POS through the real
 * driver): on a Friday at 21:26 every window shows today's hours and when it opens next, tapping one
 * says it is closed and takes no number; on Monday at 10:00 a resident asks for a priority number
 * (孕妇) and gets PA… printed as such; a resident placing an ID card showing 60 or over is offered
 * the senior priority number without the birth date ever reaching the screen. zh-CN, English and
 * elderly mode, with axe, portrait and landscape.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type Kiosk,
  LANDSCAPE,
  launchBrowser,
  PORTRAIT,
  screenshot,
  settableClock,
  startKiosk,
} from './harness.js';
import { checkScreen, count, insertCard, removeCard, setToggle, sims } from './resident-fixtures.js';

/** Friday 4 December 2026, 21:26 in the hall (Asia/Shanghai). */
const FRIDAY_NIGHT = '2026-12-04T21:26:00+08:00';
/** Monday 7 December 2026, 10:00 in the hall. */
const MONDAY_MORNING = '2026-12-07T10:00:00+08:00';

let kiosk: Kiosk;
let browser: Browser;
let page: Page;
let problems: string[] = [];
const hallClock = settableClock(FRIDAY_NIGHT);

beforeAll(async () => {
  kiosk = await startKiosk({ clock: hallClock.clock });
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

/** Moves the hall's clock and reloads, so the screen's clock follows it too. */
async function at(p: Page, iso: string) {
  hallClock.set(iso);
  await p.goto(kiosk.url);
  await p.locator('[data-testid=device-status]').waitFor();
}

async function openQueue(p: Page) {
  await p.locator('[data-tile=queue]').click();
  const windows = p.locator('[data-testid=queue-windows]');
  await windows.waitFor();
  await p.locator('[data-testid=queue-hours-zzlb]').waitFor();
  return windows;
}

describe('排队取号 outside opening hours', () => {
  it('shows each window’s hours and the next opening, and takes no number on Friday at 21:26', async () => {
    await at(page, FRIDAY_NIGHT);
    const windows = await openQueue(page);
    const zzlb = page.locator('[data-testid=queue-hours-zzlb]');
    expect(await zzlb.getAttribute('data-open')).toBe('false');
    expect(await zzlb.innerText()).toContain('今日 09:00–12:00、13:00–17:00');
    expect(await zzlb.innerText()).toContain('下次办公：12月7日（星期一）09:00');
    // 养老社保 has Saturday-morning hours in the seed: tomorrow.
    expect(await page.locator('[data-testid=queue-hours-ylsb]').innerText()).toContain(
      '明天（12月5日 星期六）09:00',
    );
    expect(await page.locator('[data-testid=queue-all-closed]').innerText()).toContain('今天不再发放排队号');
    // Nobody is asked to choose a priority for a number they cannot take.
    expect(await page.locator('[data-testid=queue-priority]').count()).toBe(0);
    await checkScreen(page, 'queuehours-01-closed-choose');
    await page.setViewportSize(LANDSCAPE);
    await screenshot(page, 'queuehours-zh-01-closed-choose-landscape');
    await page.setViewportSize(PORTRAIT);

    const { ticketPrinter } = sims(kiosk);
    const printed = ticketPrinter.receipts().length;
    await windows.locator('[data-window=zzlb]').click();
    const closed = page.locator('[data-testid=queue-closed]');
    await closed.waitFor();
    expect(await closed.innerText()).toContain('证照联办现在不办公');
    expect(await page.locator('[data-testid=queue-closed-text]').innerText()).toContain(
      '下次办公：12月7日（星期一）09:00',
    );
    expect(await page.locator('[data-testid=queue-closed-text]').innerText()).toContain('今天不再发放');
    // No number taken, nothing printed, nothing for the hall.
    expect(count(kiosk, 'SELECT count(*) FROM queue_tickets')).toBe(0);
    expect(count(kiosk, "SELECT count(*) FROM outbox WHERE kind = 'queue-ticket'")).toBe(0);
    expect(ticketPrinter.receipts().length).toBe(printed);
    expect(await page.locator('[data-testid=queue-ticket]').count()).toBe(0);
    await checkScreen(page, 'queuehours-02-closed-notice');
    await setToggle(page, 'toggle-language', true);
    expect(await page.locator('[data-testid=queue-closed-text]').innerText()).toContain(
      'Next opening: Monday 7 December at 09:00',
    );
    expect(await page.locator('[data-testid=queue-hours-zzlb]').innerText()).toContain(
      'Today 09:00–12:00, 13:00–17:00',
    );
    await setToggle(page, 'toggle-language', false);
    await page.locator('[data-testid=queue-closed-back]').click();
    await page.locator('[data-testid=queue-closed]').waitFor({ state: 'detached' });
  });
});

describe('排队取号 priority numbers', () => {
  it('issues a 孕妇 priority number on Monday at 10:00, printed as such', async () => {
    await at(page, MONDAY_MORNING);
    const windows = await openQueue(page);
    expect(await page.locator('[data-testid=queue-hours-zzlb]').getAttribute('data-open')).toBe('true');
    expect(await page.locator('[data-testid=queue-all-closed]').count()).toBe(0);
    const priority = page.locator('[data-testid=queue-priority]');
    await priority.waitFor();
    // Ordinary by default; nothing else pressed.
    expect(await priority.locator('[aria-pressed=true]').getAttribute('data-priority')).toBe('none');
    await checkScreen(page, 'queuehours-03-open-choose');
    await priority.locator('[data-priority=pregnant]').click();
    expect(await page.locator('[data-testid=queue-priority-chosen]').innerText()).toContain('孕妇优先号');
    await checkScreen(page, 'queuehours-04-priority-chosen');

    const { ticketPrinter } = sims(kiosk);
    const before = ticketPrinter.receipts().length;
    await windows.locator('[data-window=zzlb]').click();
    const ticket = page.locator('[data-testid=queue-ticket]');
    await ticket.waitFor();
    const number = await page.locator('[data-testid=ticket-number]').innerText();
    expect(number).toMatch(/^PA9\d\d$/);
    expect(await page.locator('[data-testid=ticket-priority]').innerText()).toBe('优先号 · 孕妇');
    expect(await ticket.getAttribute('data-print')).toBe('printed');
    // What the ticket printer received (ESC/POS through the real driver, decoded by the simulator).
    expect(ticketPrinter.receipts().length).toBe(before + 1);
    const text = ticketPrinter.receipts().at(-1)?.text ?? '';
    expect(text).toContain(number);
    expect(text).toContain('优先号 · 孕妇');
    expect(
      count(kiosk, "SELECT count(*) FROM queue_tickets WHERE number = ? AND priority = 'pregnant'", number),
    ).toBe(1);
    const entry = kiosk.backend.db
      .prepare("SELECT zk_open(payload) FROM outbox WHERE kind = 'queue-ticket'")
      .pluck()
      .get() as string;
    expect(JSON.parse(entry)).toMatchObject({ number, priority: 'pregnant', serviceDate: '2026-12-07' });
    await checkScreen(page, 'queuehours-05-priority-ticket');
    await page.locator('[data-testid=queue-finish]').click();
    await page.locator('[data-testid=farewell]').waitFor();
  });

  it('offers a senior priority number to a card showing 60 or over, without showing the birth date', async () => {
    await at(page, MONDAY_MORNING);
    await openQueue(page);
    const priority = page.locator('[data-testid=queue-priority]');
    await priority.waitFor();
    expect(await page.locator('[data-testid=queue-priority-offer]').count()).toBe(0);
    await page.locator('[data-testid=queue-priority-read-card]').click();
    await page.locator('[data-testid=identify-applicant]').waitFor();
    await checkScreen(page, 'queuehours-06-read-card', { modes: ['zh', 'elderly'] });
    // The sample resident was born on 31 December 1949.
    await insertCard(kiosk);
    const offer = page.locator('[data-testid=queue-priority-offer]');
    await offer.waitFor();
    expect(await offer.innerText()).toContain('您已年满 60 周岁');
    const body = await page.locator('body').innerText();
    expect(body).not.toContain('1949');
    expect(body).not.toContain('19491231');
    await checkScreen(page, 'queuehours-07-senior-offer');
    await page.locator('[data-testid=queue-priority-take-elderly]').click();
    expect(await priority.locator('[data-priority=elderly]').getAttribute('aria-pressed')).toBe('true');
    await page.locator('[data-testid=queue-windows] [data-window=ylsb]').click();
    await page.locator('[data-testid=queue-ticket]').waitFor();
    expect(await page.locator('[data-testid=ticket-number]').innerText()).toMatch(/^PE9\d\d$/);
    expect(await page.locator('[data-testid=ticket-priority]').innerText()).toBe('优先号 · 老年人');
    expect(sims(kiosk).ticketPrinter.receipts().at(-1)?.text).toContain('优先号 · 老年人');
    await screenshot(page, 'queuehours-zh-08-senior-ticket');
  });
});
