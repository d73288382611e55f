/**
 * 服务评价 and 排队取号 in a real Chromium against a real backend with simulated devices.
 * 好差评: nothing pre-selected, a 差评 without a reason refused in words, with a reason stored (channel
 * self-service terminal, outbox), 跳过, and no second rating of the same matter. Queue: a ticket for
 * 养老社保 printed on the ticket printer; paper out → a plain message and no number taken; back to
 * ready → the ticket. Every screen in zh-CN, English and elderly mode, with axe.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type Kiosk,
  LANDSCAPE,
  launchBrowser,
  openKioskPage,
  PORTRAIT,
  screenshot,
  startKiosk,
} from './harness.js';
import {
  type Api,
  checkScreen,
  clearKeyboard,
  count,
  createApplication,
  type Submitted,
  insertCard,
  removeCard,
  residentApi,
  sims,
  typeOnKeyboard,
} from './resident-fixtures.js';
import { ROUND_THE_CLOCK_HOURS } from '../src/backend/testing/hours.js';

let kiosk: Kiosk;
let api: Api;
let browser: Browser;
let page: Page;
let problems: string[] = [];
let rated: Submitted;
let skipped: Submitted;

beforeAll(async () => {
  // Not a test of opening hours (queue-hours.e2e.test.ts is): tickets at any hour.
  kiosk = await startKiosk({ env: { KIOSK_QUEUE_HOURS: ROUND_THE_CLOCK_HOURS } });
  api = await residentApi(kiosk);
  rated = await createApplication(api, kiosk, 'evaluate-1');
  skipped = await createApplication(api, kiosk, 'evaluate-2');
  ({ browser, page } = await launchBrowser(PORTRAIT));
  // The page's clock is Playwright's (real pace): the thank-you's 3 s are stepped over, not waited out.
  await page.clock.install();
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
  await openKioskPage(page, kiosk.url);
  await page.locator('[data-testid=device-status]').waitFor();
});

afterEach(async () => {
  await removeCard(kiosk);
  expect(problems).toEqual([]);
});

async function openEvaluate(p: Page): Promise<void> {
  await p.locator('[data-tile=evaluate]').click();
  await p.locator('[data-testid=evaluate-by-receipt]').waitFor();
}

describe('服务评价', () => {
  it('rates a matter found by receipt number and access code: none pre-selected, a 差评 needs a reason', async () => {
    await openEvaluate(page);
    await checkScreen(page, 'evaluate-01-choose');
    await page.locator('[data-testid=evaluate-by-receipt]').click();
    await typeOnKeyboard(page, rated.receiptNo);
    await page.locator('[data-testid=receipt-search]').click();
    // The number alone: the status, and the access code is asked for; no rating form yet.
    await page.locator('[data-testid=status-only]').waitFor();
    expect(await page.locator('[data-testid=evaluation-form]').count()).toBe(0);
    // A wrong code typed on the kiosk's keyboard is refused in words; nothing is rated.
    await typeOnKeyboard(page, 'WXYZ2345');
    await page.locator('[data-testid=access-submit]').click();
    const refused = page.locator('[data-testid=lookup-message][data-kind=accessDenied]');
    await refused.waitFor();
    expect(await refused.innerText()).toContain('查询码与该受理编号不符');
    expect(await page.locator('[data-testid=evaluation-form]').count()).toBe(0);
    await checkScreen(page, 'evaluate-01b-access-code');
    expect(count(kiosk, 'SELECT count(*) FROM evaluations')).toBe(0);
    // The code printed on the receipt opens the rating.
    await clearKeyboard(page);
    await typeOnKeyboard(page, rated.accessCode);
    await page.locator('[data-testid=access-submit]').click();
    const form = page.locator('[data-testid=evaluation-form]');
    await form.locator('[data-testid=evaluation-levels]').waitFor();
    expect(await page.locator('[data-testid=evaluation-target]').innerText()).toContain('失业保险金申领');

    // Never pre-selected: five levels, none checked or pressed, all styled alike.
    const levels = form.locator('[data-level]');
    expect(await levels.allInnerTexts()).toEqual([
      expect.stringContaining('非常满意'),
      expect.stringContaining('满意'),
      expect.stringContaining('基本满意'),
      expect.stringContaining('不满意'),
      expect.stringContaining('非常不满意'),
    ]);
    expect(await form.locator('[aria-checked=true], [aria-pressed=true]').count()).toBe(0);
    const looks = await levels.evaluateAll((els) =>
      els.map((e) => `${getComputedStyle(e).backgroundColor} ${getComputedStyle(e).borderColor}`),
    );
    expect(new Set(looks).size).toBe(1);
    expect(await page.locator('[data-testid=evaluation-skip]').isVisible()).toBe(true);
    await checkScreen(page, 'evaluate-02-form');

    // Submitting with no level says so.
    await page.locator('[data-testid=evaluation-submit]').click();
    expect(await page.locator('[data-testid=evaluation-errors]').innerText()).toContain('请先选择整体满意度');

    await form.locator('[data-level=dissatisfied]').click();
    expect(await form.locator('[data-level=dissatisfied]').getAttribute('aria-checked')).toBe('true');
    await form.locator('[data-testid=evaluation-items] [data-item]').first().click();
    await page.locator('[data-testid=evaluation-submit]').click();
    const errors = page.locator('[data-testid=evaluation-errors]');
    expect(await errors.innerText()).toContain('请选择或输入不满意的原因');
    expect(count(kiosk, 'SELECT count(*) FROM evaluations')).toBe(0);
    await checkScreen(page, 'evaluate-03-bad-review');

    // The reason can be typed too; then one from the list is picked.
    await form.locator('[data-reason=typed]').click();
    await page.locator('[data-testid=on-screen-keyboard]').waitFor();
    await checkScreen(page, 'evaluate-04-typed-reason', { modes: ['zh', 'elderly'] });
    await page.locator('[data-testid=on-screen-keyboard] [data-key=done]').click();
    const reason = form.locator('[data-testid=evaluation-reason] [data-reason]').first();
    const reasonCode = (await reason.getAttribute('data-reason')) ?? '';
    await reason.click();
    await page.locator('[data-testid=evaluation-submit]').click();
    await page.locator('[data-testid=evaluation-thanks]').waitFor();
    await screenshot(page, 'evaluate-zh-05-thanks');
    // The thank-you moves on by itself (after 3 s: THANKS_MS): the session ends with the reminder.
    await page.clock.fastForward(3_000);
    await page.locator('[data-testid=farewell]').waitFor({ timeout: 10_000 });

    const row = kiosk.backend.db
      .prepare('SELECT target_id, level, channel, reason, content_items FROM evaluations')
      .all() as {
      target_id: string;
      level: string;
      channel: string;
      reason: string;
      content_items: string;
    }[];
    expect(row).toHaveLength(1);
    expect(row[0]).toMatchObject({
      target_id: rated.id,
      level: 'dissatisfied',
      channel: 'self-service-terminal',
      reason: reasonCode,
    });
    expect(JSON.parse(row[0]!.content_items)).toHaveLength(1);
    expect(count(kiosk, "SELECT count(*) FROM outbox WHERE kind = 'evaluation'")).toBe(1);
  });

  it('does not offer a second rating of the same matter', async () => {
    await openEvaluate(page);
    // The receipt's QR (number and code): already rated, not offered again.
    sims(kiosk).codeReader.scan(rated.qr);
    const already = page.locator('[data-testid=evaluate-already-rated]');
    await already.waitFor();
    expect(await already.innerText()).toContain('已经评价过');
    expect(await page.locator('[data-testid=evaluation-form]').count()).toBe(0);
    await checkScreen(page, 'evaluate-06-already-rated', { modes: ['zh', 'en'] });

    // By ID card: the rated one is marked and cannot be picked; the other can.
    await page.getByRole('button', { name: '上一步' }).click();
    await page.locator('[data-testid=evaluate-by-card]').click();
    await page.locator('[data-testid=identify-applicant]').waitFor();
    await insertCard(kiosk);
    const list = page.locator('[data-testid=application-list]');
    await list.locator('[data-testid=rated-mark]').waitFor();
    expect(await list.locator(`[data-receipt="${rated.receiptNo}"]`).isDisabled()).toBe(true);
    expect(await list.locator(`[data-receipt="${rated.receiptNo}"]`).innerText()).toContain('已评价');
    expect(await list.locator(`[data-receipt="${skipped.receiptNo}"]`).isDisabled()).toBe(false);
    await checkScreen(page, 'evaluate-07-list');
  });

  it('跳过 leaves without a rating', async () => {
    await openEvaluate(page);
    sims(kiosk).codeReader.scan(skipped.qr);
    await page.locator('[data-testid=evaluation-levels]').waitFor();
    await page.locator('[data-testid=evaluation-skip]').click();
    await page.locator('[data-testid=farewell]').waitFor();
    expect(count(kiosk, 'SELECT count(*) FROM evaluations WHERE target_id = ?', skipped.id)).toBe(0);
  });
});

describe('排队取号', () => {
  it('issues and prints a ticket for 养老社保', async () => {
    await page.locator('[data-tile=queue]').click();
    const windows = page.locator('[data-testid=queue-windows]');
    await windows.waitFor();
    expect(await windows.locator('[data-window]').count()).toBe(5);
    expect(await windows.innerText()).toContain('养老社保');
    // Offline here (not enrolled): the waiting count cannot be known yet.
    expect(await page.locator('[data-testid=queue-waiting-note]').innerText()).toContain(
      '排队人数：联网时显示',
    );
    await checkScreen(page, 'queue-01-choose');
    await page.setViewportSize(LANDSCAPE);
    await screenshot(page, 'queue-zh-01-choose-landscape');
    await page.setViewportSize(PORTRAIT);

    const { ticketPrinter } = sims(kiosk);
    const before = ticketPrinter.receipts().length;
    await windows.locator('[data-window=ylsb]').click();
    const ticket = page.locator('[data-testid=queue-ticket]');
    await ticket.waitFor();
    const number = await page.locator('[data-testid=ticket-number]').innerText();
    expect(number).toMatch(/^[A-Z]\d{3}$/);
    expect(await ticket.getAttribute('data-print')).toBe('printed');
    expect(await page.locator('[data-testid=ticket-window]').innerText()).toContain('养老社保');
    expect(ticketPrinter.receipts().length).toBe(before + 1);
    expect(ticketPrinter.receipts().at(-1)?.text).toContain(number);
    expect(
      count(kiosk, "SELECT count(*) FROM queue_tickets WHERE number = ? AND window_code = 'ylsb'", number),
    ).toBe(1);
    await checkScreen(page, 'queue-02-ticket');
    await page.locator('[data-testid=queue-finish]').click();
    await page.locator('[data-testid=farewell]').waitFor();
  });

  it('takes no number when the ticket printer is out of paper, and issues one once it is ready', async () => {
    const { ticketPrinter } = sims(kiosk);
    const tickets = count(kiosk, 'SELECT count(*) FROM queue_tickets');
    ticketPrinter.setStatus('paper-out');
    try {
      await page.locator('[data-tile=queue]').click();
      await page.locator('[data-window=ylsb]').click();
      const problem = page.locator('[data-testid=queue-problem]');
      await problem.waitFor();
      expect(await problem.innerText()).toContain('取号机缺纸，请到咨询台人工取号');
      expect(count(kiosk, 'SELECT count(*) FROM queue_tickets')).toBe(tickets);
      await checkScreen(page, 'queue-03-paper-out');
    } finally {
      ticketPrinter.setStatus('ready');
    }
    await page.locator('[data-testid=queue-retry]').click();
    await page.locator('[data-testid=queue-ticket][data-print=printed]').waitFor();
    expect(count(kiosk, 'SELECT count(*) FROM queue_tickets')).toBe(tickets + 1);
    expect(ticketPrinter.receipts().at(-1)?.text).toContain(
      await page.locator('[data-testid=ticket-number]').innerText(),
    );
  });

  it('shows the number large when the ticket did not print after it was taken, and reprints it', async () => {
    const { ticketPrinter } = sims(kiosk);
    await page.locator('[data-tile=queue]').click();
    await page.locator('[data-testid=queue-windows]').waitFor();
    const tickets = count(kiosk, 'SELECT count(*) FROM queue_tickets');
    // The printer passes the status check, then dies mid-ticket (cable pulled).
    ticketPrinter.vanishAfter(40);
    await page.locator('[data-window=zzlb]').click();
    const ticket = page.locator('[data-testid=queue-ticket][data-print=failed]');
    await ticket.waitFor({ timeout: 30_000 });
    const number = await page.locator('[data-testid=ticket-number]').innerText();
    expect(number).toMatch(/^A\d{3}$/);
    expect(count(kiosk, 'SELECT count(*) FROM queue_tickets')).toBe(tickets + 1);
    expect(await page.locator('[data-testid=ticket-print-failed]').innerText()).toContain(number);
    await checkScreen(page, 'queue-04-print-failed');
    await ticketPrinter.reappear();
    await page.locator('[data-testid=ticket-reprint]').click();
    await page.locator('[data-testid=queue-ticket][data-print=printed]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid=ticket-number]').innerText()).toBe(number);
    expect(ticketPrinter.receipts().at(-1)?.text).toContain(number);
    expect(count(kiosk, 'SELECT count(*) FROM queue_tickets')).toBe(tickets + 1);
  });
});
