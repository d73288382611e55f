/**
 * 进度查询 in a real Chromium against a real backend with simulated devices: by receipt number typed
 * on the on-screen keyboard (and a wrong/unknown number) — the status only, then the receipt's access
 * code typed on the keyboard (a wrong one refused) — by the receipt's QR code on the code reader (number
 * and code at once; a foreign code; a QR without a code asks for it or the card), by ID card; the detail (status, history, promised date, offline "last
 * updated"); reprinting the receipt (printed, then paper out); 补齐补正 from the hall's request to
 * the supplement in the outbox. Every screen in zh-CN, English and elderly mode, with axe.
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
  insertCard,
  removeCard,
  requestCorrection,
  residentApi,
  setLastSync,
  sims,
  type Submitted,
  typeOnKeyboard,
} from './resident-fixtures.js';

let kiosk: Kiosk;
let api: Api;
let browser: Browser;
let page: Page;
let problems: string[] = [];
let first: Submitted;
let second: Submitted;
const LAST_SYNC = '2026-11-20T02:30:00.000Z';

beforeAll(async () => {
  kiosk = await startKiosk();
  api = await residentApi(kiosk);
  first = await createApplication(api, kiosk, 'progress-1');
  second = await createApplication(api, kiosk, 'progress-2');
  setLastSync(kiosk, LAST_SYNC);
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
  await openKioskPage(page, kiosk.url);
  await page.locator('[data-testid=device-status]').waitFor();
});

afterEach(async () => {
  await removeCard(kiosk);
  expect(problems).toEqual([]);
});

async function openProgress(p: Page): Promise<void> {
  await p.locator('[data-tile=progress]').click();
  await p.locator('[data-testid=progress-by-receipt]').waitFor();
}

/** A progress URL without the access code (a receipt printed before codes, or a hand-typed link). */
const scanUrl = (receiptNo: string) =>
  `https://hall.example/zwfw/progress?r=${encodeURIComponent(receiptNo)}`;

describe('进度查询', () => {
  it('finds an application by the receipt number typed on the keyboard; says so for a wrong or unknown one', async () => {
    await openProgress(page);
    expect(await page.locator('[data-testid=steps] [aria-current=step]').innerText()).toContain('找到办件');
    await checkScreen(page, 'progress-01-choose');

    await page.locator('[data-testid=progress-by-receipt]').click();
    await page.locator('[data-testid=on-screen-keyboard]').waitFor();
    // A malformed number: the format is explained in words.
    await typeOnKeyboard(page, 'ZZ01');
    await page.locator('[data-testid=receipt-search]').click();
    const message = page.locator('[data-testid=lookup-message]');
    expect(await message.getAttribute('data-kind')).toBe('badFormat');
    expect(await message.innerText()).toContain('ZZ01-20261126-0001');
    // A well-formed number nobody has.
    await clearKeyboard(page);
    await typeOnKeyboard(page, 'zz01');
    await page.locator('[data-testid=receipt-hyphen]').click();
    await typeOnKeyboard(page, '20200101');
    await page.locator('[data-testid=receipt-hyphen]').click();
    await typeOnKeyboard(page, '9999');
    expect(await page.locator('[data-testid=receipt-value]').innerText()).toContain('ZZ01-20200101-9999');
    await page.locator('[data-testid=receipt-search]').click();
    await page.locator('[data-testid=lookup-message][data-kind=notFound]').waitFor();
    expect(await message.innerText()).toContain('没有找到受理编号为 ZZ01-20200101-9999 的办件');
    await checkScreen(page, 'progress-02-receipt');

    // The real one: the number alone shows the status, nothing personal, and asks for the access code.
    await clearKeyboard(page);
    await typeOnKeyboard(page, first.receiptNo);
    await page.locator('[data-testid=on-screen-keyboard] [data-key=done]').click();
    const status = page.locator('[data-testid=status-only]');
    await status.waitFor();
    expect(await status.getAttribute('data-status')).toBe('submitted');
    expect(await page.locator('[data-testid=status-only-receipt]').innerText()).toBe(first.receiptNo);
    expect(await page.locator('[data-testid=status-only-label]').innerText()).toContain('已提交，待上传');
    expect(await page.locator('[data-testid=access-explain]').innerText()).toContain('查询码');
    expect(await page.locator('body').innerText()).not.toContain('李*英');
    expect(await page.locator('[data-testid=progress-detail]').count()).toBe(0);
    // A wrong code, typed on the kiosk's keyboard (capitals and digits): refused in words, nothing opens.
    await typeOnKeyboard(page, 'ABCD2345');
    expect(await page.locator('[data-testid=access-value]').innerText()).toContain('ABCD-2345');
    await page.locator('[data-testid=access-submit]').click();
    await page.locator('[data-testid=lookup-message][data-kind=accessDenied]').waitFor();
    expect(await message.innerText()).toContain('查询码与该受理编号不符');
    // The unknown number and this code: two failed look-ups of the session's five.
    expect(await message.innerText()).toContain('还可尝试 3 次');
    expect(await page.locator('[data-testid=progress-detail]').count()).toBe(0);
    await checkScreen(page, 'progress-02b-access-code');
    // The right code opens the application.
    await clearKeyboard(page);
    await typeOnKeyboard(page, first.accessCode);
    await page.locator('[data-testid=on-screen-keyboard] [data-key=done]').click();
    const detail = page.locator('[data-testid=progress-detail]');
    await detail.waitFor();
    expect(await page.locator('[data-testid=detail-receipt]').innerText()).toBe(first.receiptNo);
    expect(await page.locator('[data-testid=detail-applicant]').innerText()).toBe('李*英');
    expect(await page.locator('[data-testid=detail-status]').innerText()).toContain('已提交，待上传');
    expect(await page.locator('[data-testid=detail-promised]').innerText()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await page.locator('[data-testid=detail-hall]').innerText()).toContain('尚未送达大厅');
    expect(await page.locator('[data-testid=detail-history] li').count()).toBe(1);
    expect(await page.locator('[data-testid=detail-history]').innerText()).toContain('本终端');
    // Offline (not enrolled here): how current the progress is.
    expect(await page.locator('[data-testid=detail-sync]').innerText()).toMatch(
      /^最后更新于 2026-11-20 \d{2}:30/,
    );
    expect(await page.locator('[data-testid=detail-evaluate]').isVisible()).toBe(true);
    // Never the full name on screen.
    expect(await page.locator('body').innerText()).not.toContain('李秀英');
    await checkScreen(page, 'progress-03-detail');
    await page.setViewportSize(LANDSCAPE);
    await screenshot(page, 'progress-zh-03-detail-landscape');
    await page.setViewportSize(PORTRAIT);
  });

  it('reprints the receipt, and says what the printer said when it cannot', async () => {
    await openProgress(page);
    const { printer, codeReader } = sims(kiosk);
    // The receipt's QR carries the number and the access code: it opens at once.
    codeReader.scan(first.qr);
    await page.locator('[data-testid=progress-detail]').waitFor();
    const before = printer.receipts().length;
    await page.locator('[data-testid=detail-reprint]').click();
    const result = page.locator('[data-testid=reprint-result]');
    await result.waitFor();
    expect(await result.getAttribute('data-state')).toBe('printed');
    expect(await result.innerText()).toContain('凭证已重新打印');
    expect(printer.receipts().length).toBe(before + 1);
    expect(printer.receipts().at(-1)?.text).toContain(first.receiptNo);
    // The code entered in this session is printed again (and stays valid).
    expect(printer.receipts().at(-1)?.text).toContain(
      `${first.accessCode.slice(0, 4)}-${first.accessCode.slice(4)}`,
    );

    printer.setStatus('paper-out');
    try {
      await page.locator('[data-testid=detail-reprint]').click();
      await page.locator('[data-testid=reprint-result][data-state=failed]').waitFor();
      expect(await result.innerText()).toMatch(/凭证打印失败：.*缺纸/);
      expect(printer.receipts().length).toBe(before + 1);
      await checkScreen(page, 'progress-04-reprint-failed', { modes: ['zh', 'en'] });
    } finally {
      printer.setStatus('ready');
    }
    await page.locator('[data-testid=detail-finish]').click();
    await page.locator('[data-testid=farewell]').waitFor();
  });

  it('opens an application from the receipt’s QR code; a foreign code is named as such', async () => {
    await openProgress(page);
    const { codeReader } = sims(kiosk);
    codeReader.scan('https://example.com/some/other/code');
    const message = page.locator('[data-testid=lookup-message]');
    await message.waitFor();
    expect(await message.getAttribute('data-kind')).toBe('foreignCode');
    expect(await message.innerText()).toContain('不是本大厅的办件凭证');
    // A QR without the code: the status, and the code or the card is asked for.
    codeReader.scan(scanUrl(second.receiptNo));
    await page.locator('[data-testid=status-only]').waitFor();
    expect(await page.locator('[data-testid=status-only-receipt]').innerText()).toBe(second.receiptNo);
    // The receipt's own QR fills in both: the application opens.
    codeReader.scan(second.qr);
    await page.locator('[data-testid=progress-detail]').waitFor();
    expect(await page.locator('[data-testid=detail-receipt]').innerText()).toBe(second.receiptNo);
    // 上一步 goes back to the choice of ways.
    await page.getByRole('button', { name: '上一步' }).click();
    await page.locator('[data-testid=progress-by-receipt]').waitFor();
  });

  it('the status screen offers the ID card instead of the code; the applicant’s card opens the application', async () => {
    await openProgress(page);
    sims(kiosk).codeReader.scan(scanUrl(first.receiptNo));
    await page.locator('[data-testid=status-only]').waitFor();
    await page.locator('[data-testid=access-by-card]').click();
    await page.locator('[data-testid=identify-applicant]').waitFor();
    await insertCard(kiosk);
    const list = page.locator('[data-testid=application-list]');
    await list.waitFor();
    await list.locator(`[data-receipt="${first.receiptNo}"]`).click();
    await page.locator('[data-testid=progress-detail]').waitFor();
    expect(await page.locator('[data-testid=detail-applicant]').innerText()).toBe('李*英');
    await page.locator('[data-testid=detail-finish]').click();
    await page.locator('[data-testid=farewell]').waitFor();
  });

  it('lists the applicant’s applications by ID card', async () => {
    await openProgress(page);
    await page.locator('[data-testid=progress-by-card]').click();
    await page.locator('[data-testid=identify-applicant]').waitFor();
    await checkScreen(page, 'progress-05-identify', { modes: ['zh', 'en'] });
    await insertCard(kiosk);
    const list = page.locator('[data-testid=application-list]');
    await list.waitFor();
    const rows = list.locator('.app-row');
    expect(await rows.count()).toBe(2);
    expect(await list.innerText()).toContain(first.receiptNo);
    expect(await list.innerText()).toContain(second.receiptNo);
    await checkScreen(page, 'progress-06-list');
    await list.locator(`[data-receipt="${first.receiptNo}"]`).click();
    await page.locator('[data-testid=progress-detail]').waitFor();
    expect(await page.locator('[data-testid=detail-receipt]').innerText()).toBe(first.receiptNo);
    await page.locator('[data-testid=detail-finish]').click();
    await page.locator('[data-testid=farewell]').waitFor();
  });

  it('补正: shows the missing materials, captures and submits them (the receipt’s code, no card)', async () => {
    requestCorrection(kiosk, second.id, ['jczm'], '解除合同证明不清晰，请重新扫描');
    await openProgress(page);
    sims(kiosk).codeReader.scan(second.qr);
    const correction = page.locator('[data-testid=detail-correction]');
    await correction.waitFor();
    expect(await page.locator('[data-testid=detail-status]').innerText()).toContain('需补齐补正');
    expect(await correction.innerText()).toContain('解除合同证明不清晰，请重新扫描');
    expect(await correction.locator('[data-material=jczm]').count()).toBe(1);
    expect(await page.locator('[data-testid=detail-history]').innerText()).toContain('政务大厅');
    await checkScreen(page, 'progress-07-correction');

    await page.locator('[data-testid=correction-start]').click();
    // The code opened the case in this session: no card is needed to add the materials.
    await page.locator('[data-testid=correction-capture]').waitFor();
    // Submitting with nothing captured is refused in words.
    await page.locator('[data-testid=correction-submit]').click();
    const problem = page.locator('[data-testid=correction-problem]');
    await problem.waitFor();
    expect(await problem.innerText()).toContain('还缺少');
    expect(count(kiosk, "SELECT count(*) FROM outbox WHERE kind = 'supplement'")).toBe(0);

    await page.locator('[data-testid=capture-scan]').click();
    await page.locator('[data-testid=page-preview]').first().waitFor({ timeout: 30_000 });
    await checkScreen(page, 'progress-09-correction-capture');
    await page.locator('[data-testid=correction-submit]').click();
    await page.locator('[data-testid=supplement-done]').waitFor();
    expect(await page.locator('[data-testid=detail-status]').innerText()).toContain('补正材料已提交');
    expect(await page.locator('[data-testid=detail-correction]').count()).toBe(0);
    expect(count(kiosk, "SELECT count(*) FROM outbox WHERE kind = 'supplement'")).toBe(1);
    expect(
      count(
        kiosk,
        'SELECT count(*) FROM application_attachments WHERE application_id = ? AND supplement_id IS NOT NULL',
        second.id,
      ),
    ).toBeGreaterThan(0);
    expect(
      count(
        kiosk,
        "SELECT count(*) FROM applications WHERE id = ? AND status = 'supplement-submitted'",
        second.id,
      ),
    ).toBe(1);
    await checkScreen(page, 'progress-10-supplemented', { modes: ['zh'] });
    await page.locator('[data-testid=detail-finish]').click();
    await page.locator('[data-testid=farewell]').waitFor();
  });
});
