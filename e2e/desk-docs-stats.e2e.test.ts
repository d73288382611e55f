/**
 * The staff desk's documents, follow-up links and statistics in a real Chromium at 1366×768 (issue 10
 * items 4 and 7): a clerk opens the 受理通知书 of an accepted case from its detail (a PDF in a new
 * tab); a 差评 follow-up shows the case's 受理编号 and item name and its link opens the case; the
 * 统计分析 tab draws the month's figures with SVG charts and exports the CSV (a download with the
 * BOM). axe finds nothing serious on each view. Screenshots: e2e/artifacts/desk-docs-stats-*.png.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHallServer, type HallServer } from '../src/hall/index.js';
import type { Staff } from '../src/hall/staff.js';
import { buildStaffPage } from '../src/hall/testing/staff-page-build.js';
import { applicationPayload, enrolKiosk, fixtureId } from '../src/hall/testing/staff-fixture.js';
import { expectNoSeriousA11yViolations, launchBrowser, screenshot } from './harness.js';
import { addStaffAccount, staffSignsIn } from './staff-desk.js';

const PENSION = '610000-RSJ-GG-05001-000';
let root: string;
let hall: HallServer;
let browser: Browser;
let page: Page;
let receiptNo: string;
const pageErrors: string[] = [];

async function shot(name: string): Promise<void> {
  await screenshot(page, `desk-docs-stats-${name}`, { fullPage: true });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'zizhu-e2e-docs-'));
  await buildStaffPage(join(root, 'staff'));
  hall = await startHallServer(
    { host: '127.0.0.1', port: 0, dataDir: join(root, 'hall'), staffPageDir: join(root, 'staff') },
    { silent: true },
  );
  const kiosk = await enrolKiosk(hall, '610102');
  const now = new Date().toISOString();
  const payload = applicationPayload('doc-1', { itemCode: PENSION, submittedAt: now, promisedDate: null });
  receiptNo = payload.receiptNo;
  expect((await kiosk.push('application', payload)).status).toBe(200);
  expect(
    (
      await kiosk.push(
        'application',
        applicationPayload('doc-2', { itemCode: PENSION, submittedAt: now, promisedDate: null }),
      )
    ).status,
  ).toBe(200);
  const clerk: Staff = {
    name: '王科员',
    jurisdiction: '610102',
    jurisdictions: ['610102'],
    roles: ['approver'],
  };
  expect(
    (await hall.staff.act(clerk, fixtureId('doc-1'), { action: 'accept', note: '材料齐全' })).status,
  ).toBe(200);
  // The resident's 差评 of that case opens a follow-up; a 满意 of the other does not.
  const evaluation = (id: string, target: string, level: string, reason: string | null) => ({
    id: fixtureId(id),
    targetKind: 'application',
    targetId: fixtureId(target),
    level,
    contentItems: [],
    reason,
    comment: null,
    channel: 'self-service-terminal',
    itemsVersion: '2026.1',
    createdAt: now,
  });
  expect(
    (await kiosk.push('evaluation', evaluation('ev-1', 'doc-1', 'dissatisfied', 'r-repeat-visits'))).status,
  ).toBe(200);
  expect((await kiosk.push('evaluation', evaluation('ev-2', 'doc-2', 'satisfied', null))).status).toBe(200);

  ({ browser, page } = await launchBrowser({ width: 1366, height: 768 }));
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(new URL('staff', hall.url).href);
  await addStaffAccount(hall, {
    login: 'wangdc',
    name: '王督查',
    roles: ['supervisor'],
    jurisdictions: ['610102'],
  });
  await staffSignsIn(page, 'wangdc');
  await page.locator(`tr[data-case="${fixtureId('doc-1')}"]`).waitFor({ timeout: 15_000 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await hall?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('desk documents and statistics', () => {
  it('opens the 受理通知书 of an accepted case in a new tab, a PDF', async () => {
    await page
      .locator(`tr[data-case="${fixtureId('doc-1')}"]`)
      .getByRole('button', { name: /查看/ })
      .click();
    const docs = page.locator('#case-detail [data-testid=case-documents]');
    await docs.waitFor();
    // Accepted, not refused, no 补正: only the 受理通知书.
    expect(
      await docs
        .locator('button[data-document]')
        .evaluateAll((b) => b.map((x) => x.getAttribute('data-document'))),
    ).toEqual(['acceptance']);
    await shot('01-case-documents');
    await expectNoSeriousA11yViolations(page, 'case detail with documents');
    // The bytes on the wire, passed through to the page unchanged.
    let pdf: Buffer = Buffer.alloc(0);
    await page.route('**/documents/acceptance.pdf', async (route) => {
      const response = await route.fetch();
      pdf = await response.body();
      await route.fulfill({ response });
    });
    const popup = page.context().waitForEvent('page');
    await docs.locator('button[data-document=acceptance]').click();
    const tab = await popup;
    await page.locator('#status').getByText('已打开受理通知书').waitFor({ timeout: 60_000 });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
    // The tab shows the PDF the desk fetched (a blob: of this origin; the page's CSP keeps it from
    // being read back here, so its bytes are checked on the wire above).
    // (Headless Chromium draws no PDF viewer to screenshot: the rendering is looked at with pdftoppm.)
    await tab.waitForURL(/^blob:/, { timeout: 60_000 });
    await tab.close();
    expect(
      (await hall.audit.page({ jurisdictions: ['610102'] })).filter((l) => l.action === 'case.document-pdf'),
    ).toHaveLength(1);
  }, 90_000);

  it('links a 差评 follow-up to its case by 受理编号, and the link opens the case', async () => {
    await page.locator('#tab-followups').click();
    const row = page.locator('#followups tbody tr[data-followup]');
    await row.first().waitFor({ timeout: 10_000 });
    expect(await row.count()).toBe(1);
    const link = row.first().locator(`a[data-case-link="${fixtureId('doc-1')}"]`);
    expect(await link.innerText()).toBe(receiptNo);
    expect(await row.first().innerText()).toContain('城乡居民基本养老保险参保登记');
    await shot('02-followup-link');
    await expectNoSeriousA11yViolations(page, 'follow-ups with case links');
    // From the keyboard, as a link is followed.
    await link.focus();
    await page.keyboard.press('Enter');
    await page.locator('#panel-cases:not([hidden])').waitFor();
    await page.locator('#case-title').getByText(receiptNo).waitFor({ timeout: 10_000 });
    expect(await page.locator('#tab-cases').getAttribute('aria-selected')).toBe('true');
    expect(page.url()).not.toContain('#case/');
  }, 30_000);

  it('draws this month’s statistics with charts and exports the CSV', async () => {
    await page.locator('#tab-stats').click();
    await page.locator('[data-testid=stat-cases] b').getByText('2').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid=stat-bad-rate] b').innerText()).toBe('50.0%');
    const charts = page.locator('#panel-stats svg.chart');
    expect(await charts.count()).toBe(2);
    // A bar per status and per level, the 2 cases' bars drawn (received 1, accepted 1).
    expect(await charts.nth(0).locator('rect').count()).toBe(6);
    expect(await charts.nth(1).locator('rect').count()).toBe(5);
    expect(await page.locator('[data-testid=stats-by-item] tbody').innerText()).toMatch(
      /城乡居民基本养老保险参保登记\s+2\s+0/,
    );
    await shot('03-stats');
    await expectNoSeriousA11yViolations(page, 'statistics');

    const download = page.waitForEvent('download');
    await page.locator('button[data-export=csv]').click();
    const file = await (await download).path();
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text).toContain('办件数 Cases,2\r\n');
    expect(text).toContain('差评率% Bad-review %,50\r\n');
    expect(
      (await hall.audit.page({ jurisdictions: ['610102'] })).filter((l) => l.action === 'stats.export'),
    ).toHaveLength(1);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
