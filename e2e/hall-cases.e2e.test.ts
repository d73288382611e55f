/**
 * The staff desk's case list, case detail, attachment viewer and confirmations in a real Chromium at
 * 1366×768 (issue 10, items 2–3): a clerk finds a kiosk application by its 受理编号, opens it (form
 * fields and materials by their catalog names, applicant masked), views the scanned pages (zoom,
 * rotate, next — by keys), accepts it, and 办结 asks for confirmation showing the result and EMS
 * number back: Esc cancels (nothing sent), 确认 completes. Every page view is on the audit log. axe
 * on each view. Screenshots: e2e/artifacts/hall-cases-*.png.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHallServer, type HallServer } from '../src/hall/index.js';
import { applicationPayload, enrolKiosk, fixtureId, storeBlob } from '../src/hall/testing/staff-fixture.js';
import type { ApplicationEntry } from '../src/shared/wire/index.js';
import { expectNoSeriousA11yViolations, launchBrowser, screenshot } from './harness.js';
import { addStaffAccount, staffSignsIn, staffTypes } from './staff-desk.js';

const ITEM = '610000-RSJ-JF-05005-000'; // 失业登记: select field, materials sfz / jczm / sbk
let root: string;
let hall: HallServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

async function shot(name: string): Promise<void> {
  await screenshot(page, `hall-cases-${name}`);
}

/** A scanned page: a white sheet with a coloured band, so rotation and paging can be seen. */
const scan = (band: string) =>
  sharp({ create: { width: 620, height: 880, channels: 3, background: '#ffffff' } })
    .composite([
      {
        input: Buffer.from(
          `<svg width="620" height="880"><rect x="40" y="40" width="540" height="120" fill="${band}"/><rect x="40" y="220" width="300" height="40" fill="#999"/></svg>`,
        ),
      },
    ])
    .png()
    .toBuffer();

function application(n: number, attachments: ApplicationEntry['attachments'] = []): ApplicationEntry {
  const base = applicationPayload(`desk-case-${n}`, {
    itemCode: ITEM,
    submittedAt: new Date().toISOString(),
    promisedDate: null,
  });
  return {
    ...base,
    receiptNo: `ZZ01-20260302-${String(n).padStart(4, '0')}`,
    applicant: { name: '张小三', idNumber: '610102199001011234', cardType: 'resident' },
    form: {
      applicantName: '张小三',
      applicantIdNumber: '610102199001011234',
      contactPhone: '13800138000',
      separationReason: 'contract-expired',
      lastEmployer: '西安某某有限公司',
    },
    attachments,
  };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'zizhu-e2e-cases-'));
  hall = await startHallServer({ host: '127.0.0.1', port: 0, dataDir: join(root, 'hall') }, { silent: true });
  const kiosk = await enrolKiosk(hall, '610102');
  const pages = await Promise.all([scan('#1553b5'), scan('#b3122e'), scan('#1f7a3a')]);
  const shas: string[] = [];
  for (const p of pages) shas.push(await storeBlob(hall, p));
  const att = (materialCode: string, i: number, position: number) => ({
    materialCode,
    sha256: shas[i]!,
    size: pages[i]!.length,
    position,
    mime: 'image/png' as const,
  });
  // 25 other cases so the list pages, then the one the clerk looks for.
  const applied = async (entry: ApplicationEntry) =>
    expect((await kiosk.push('application', entry)).body).toMatchObject({ results: [{ status: 'applied' }] });
  for (let n = 1; n <= 25; n += 1) await applied(application(n));
  await applied(application(77, [att('sfz', 0, 0), att('sfz', 1, 1), att('jczm', 2, 2)]));
  ({ browser, page } = await launchBrowser({ width: 1366, height: 768 }));
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await hall?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('staff desk: case list, detail, viewer and confirmations', () => {
  const id = fixtureId('desk-case-77');

  it('finds the case by 受理编号 and pages through the list', async () => {
    await page.goto(new URL('staff', hall.url).href);
    await addStaffAccount(hall, {
      login: 'wangky',
      name: '王科员',
      roles: ['approver'],
      jurisdictions: ['610102'],
    });
    await staffSignsIn(page, 'wangky');
    const rows = page.locator('#cases tbody tr[data-case]');
    await rows.first().waitFor({ timeout: 10_000 });
    expect(await rows.count()).toBe(20);
    expect(await rows.first().innerText()).toMatch(/张\*三/);
    expect(await page.locator('body').innerText()).not.toContain('张小三');
    await shot('01-list');
    await expectNoSeriousA11yViolations(page, 'case list');
    await page.locator('#page-next').click();
    await page.locator('#page-no').getByText('第 2 页').waitFor();
    expect(await rows.count()).toBe(6);
    await page.locator('#page-prev').click();
    await page.locator('#page-no').getByText('第 1 页').waitFor();

    await staffTypes(page.locator('#case-search'), 'zz01-20260302-0077');
    await page.locator('#case-search').press('Enter');
    await page.locator(`#cases tr[data-case="${id}"]`).waitFor();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().locator('[data-testid=receipt-no]').innerText()).toBe('ZZ01-20260302-0077');
    await shot('02-found');
  }, 40_000);

  it('opens the detail with catalog labels and views the pages in the viewer by keyboard', async () => {
    await page.locator(`#cases tr[data-case="${id}"]`).getByRole('button', { name: /查看/ }).click();
    const detail = page.locator('#case-detail');
    await detail.locator('[data-testid=case-receipt]').getByText('ZZ01-20260302-0077').waitFor();
    const form = detail.locator('[data-testid=case-form]');
    expect(await form.locator('tr[data-field=applicantName]').innerText()).toMatch(/申请人姓名[\s\S]*张\*三/);
    expect(await form.locator('tr[data-field=separationReason]').innerText()).toMatch(/劳动合同期满终止/);
    const sfz = detail.locator('tr[data-material=sfz]');
    expect(await sfz.innerText()).toMatch(/身份证/);
    await shot('03-detail');
    await expectNoSeriousA11yViolations(page, 'case detail');

    await sfz.locator('button[data-view]').click();
    const viewer = page.getByRole('dialog');
    const img = viewer.locator('[data-testid=viewer-image]');
    await img.waitFor();
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(620);
    expect(await img.getAttribute('src')).toMatch(/^blob:/);
    expect(await viewer.locator('[data-testid=viewer-counter]').innerText()).toMatch(/1 \/ 2/);
    await page.keyboard.press('+');
    expect(await viewer.locator('[data-testid=viewer-zoom]').innerText()).toBe('125%');
    await page.keyboard.press('r');
    expect(await img.getAttribute('data-rotation')).toBe('90');
    await shot('04-viewer');
    await expectNoSeriousA11yViolations(page, 'attachment viewer');
    await page.keyboard.press('ArrowRight');
    await viewer.locator('[data-testid=viewer-counter]').getByText('2 / 2').waitFor();
    // Tab stays in the dialog.
    for (let i = 0; i < 12; i += 1) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('[role=dialog]') !== null)).toBe(true);
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-view'))).toBe('sfz');
    // Both pages were fetched through the authorised route and audited.
    const views = (await hall.audit.page({ jurisdictions: ['610102'], caseId: id })).filter(
      (e) => e.action === 'case.document',
    );
    expect(views.length).toBeGreaterThanOrEqual(2);
  }, 40_000);

  it('asks before 办结, showing the result and EMS number back: Esc cancels, 确认 completes', async () => {
    const detail = page.locator('#case-detail');
    await detail.locator('button[data-action=accept]').click();
    await detail.locator('form[data-form=complete]').waitFor({ timeout: 10_000 });
    const complete = detail.locator('form[data-form=complete]');
    await staffTypes(complete.locator('input[name=result]'), '准予登记');
    await staffTypes(complete.locator('input[name=trackingNumber]'), 'EA123456789CN');
    await complete.locator('button[data-action=complete]').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.innerText()).toMatch(/准予登记[\s\S]*EA123456789CN/);
    await shot('05-confirm');
    await expectNoSeriousA11yViolations(page, 'confirmation dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    const statusOf = () =>
      page.evaluate(async (caseId) => {
        // The desk's own session cookie (same origin).
        const r = await fetch(`/v1/staff/cases/${caseId}`);
        return ((await r.json()) as { status: string }).status;
      }, id);
    expect(await statusOf()).toBe('accepted');

    await complete.locator('button[data-action=complete]').click();
    await dialog.waitFor();
    await dialog.locator('button[data-confirm=yes]').click();
    await page.locator('#status').getByText('办结').waitFor({ timeout: 10_000 });
    expect(await statusOf()).toBe('completed');
    // Closed: out of the default list, found with 全部含已结.
    await page.locator('#case-search-reset').click();
    await expect.poll(() => page.locator(`#cases tr[data-case="${id}"]`).count()).toBe(0);
    await page.locator('#f-status').selectOption('completed');
    await page.locator(`#cases tr[data-case="${id}"]`).waitFor();
    await shot('06-completed');
    expect(pageErrors).toEqual([]);
  }, 40_000);

  it('asks before 不予受理, showing the reason back; 取消 sends nothing', async () => {
    await page.locator('#case-search-reset').click();
    await staffTypes(page.locator('#case-search'), 'ZZ01-20260302-0001');
    await page.locator('#case-search-go').click();
    const one = fixtureId('desk-case-1');
    await page.locator(`#cases tr[data-case="${one}"]`).getByRole('button', { name: /查看/ }).click();
    const detail = page.locator('#case-detail');
    await detail.locator('[data-testid=case-receipt]').getByText('ZZ01-20260302-0001').waitFor();
    const refuse = detail.locator('form[data-form=refuse]');
    await staffTypes(refuse.locator('textarea[name=reason]'), '申请事项不属于本中心受理范围');
    await refuse.locator('button[data-action=refuse]').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.innerText()).toMatch(/确认不予受理[\s\S]*申请事项不属于本中心受理范围/);
    await dialog.locator('button[data-confirm=no]').click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-action'))).toBe('refuse');
    expect(await hall.audit.page({ jurisdictions: ['610102'], caseId: one })).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 40_000);
});
