/**
 * The staff desk's case detail as React (issue 10, items 3 and 8) in a real Chromium at 1366×768,
 * in English and in Chinese, from the keyboard alone: open a case found by its 受理编号, read every
 * form field of a real catalog item (失业保险金申领) by its label, view the scanned pages (keys for
 * paging, zoom, rotation and reset; Tab held in the dialog; Esc gives focus back), accept, and 办结
 * through the confirmation dialog (the result and EMS number shown back; focus trapped; Esc cancels,
 * nothing sent). The status line after an action is in the page's language and names the case by
 * its 受理编号, never its UUID; a switch of language redraws it. A form key the item does not define
 * shows readable and marked, never bare. axe clean, no sideways scrolling. Screenshots:
 * e2e/artifacts/desk-detail-*.png.
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
import { addStaffAccount, staffTypes } from './staff-desk.js';

const ITEM = '610000-RSJ-JF-05005-000'; // 失业保险金申领: 8 form fields, one a select; sfz / jczm / sbk
const CJK = /[\u4e00-\u9fff]/u;
let root: string;
let hall: HallServer;
let browser: Browser;
let page: Page;
let kiosk: Awaited<ReturnType<typeof enrolKiosk>>;
const pageErrors: string[] = [];
const full = fixtureId('detail-full');
const generic = fixtureId('detail-generic');
const refused = fixtureId('detail-refuse');

async function shot(name: string): Promise<void> {
  await screenshot(page, `desk-detail-${name}`);
}

/** The keyboard only: focus an element as Tab would reach it, then press. */
async function press(selector: string, key: string): Promise<void> {
  await page.locator(selector).focus();
  await page.keyboard.press(key);
}

const scrollsSideways = () =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
const inDialog = () => page.evaluate(() => document.activeElement?.closest('[role=dialog]') !== null);
const focused = (attr: string) => page.evaluate((a) => document.activeElement?.getAttribute(a) ?? null, attr);
/** The desk's own words in the detail: headings, column and row heads, fact names, legends, labels, buttons. */
const detailChrome = () =>
  page
    .locator('#case-detail :is(h3, th, dt, legend, label, button, .hint, small)')
    .evaluateAll((els) => els.map((e) => (e as HTMLElement).innerText));
const caseStatus = (id: string) =>
  page.evaluate(async (caseId) => {
    const r = await fetch(`/v1/staff/cases/${caseId}`);
    return ((await r.json()) as { status: string }).status;
  }, id);

const scan = (band: string) =>
  sharp({ create: { width: 620, height: 880, channels: 3, background: '#ffffff' } })
    .composite([
      {
        input: Buffer.from(
          `<svg width="620" height="880"><rect x="40" y="40" width="540" height="120" fill="${band}"/></svg>`,
        ),
      },
    ])
    .png()
    .toBuffer();

function application(
  name: string,
  receiptNo: string,
  form: Record<string, string>,
  attachments: ApplicationEntry['attachments'] = [],
): ApplicationEntry {
  const base = applicationPayload(name, {
    itemCode: ITEM,
    submittedAt: new Date().toISOString(),
    promisedDate: null,
  });
  return { ...base, receiptNo, form, attachments };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'zizhu-e2e-desk-detail-'));
  hall = await startHallServer({ host: '127.0.0.1', port: 0, dataDir: join(root, 'hall') }, { silent: true });
  kiosk = await enrolKiosk(hall, '610102');
  const pages = await Promise.all([scan('#1553b5'), scan('#b3122e'), scan('#1f7a3a')]);
  const shas: string[] = [];
  for (const p of pages) shas.push(await storeBlob(hall, p));
  const att = (materialCode: string, i: number) => ({
    materialCode,
    sha256: shas[i]!,
    size: pages[i]!.length,
    position: i,
    mime: 'image/png' as const,
  });
  const applied = async (entry: ApplicationEntry) =>
    expect(JSON.stringify((await kiosk.push('application', entry)).body)).toContain('"applied"');
  // Every field of the item's form, as the kiosk sends them.
  await applied(
    application(
      'detail-full',
      'ZZ03-20260302-0001',
      {
        applicantName: '张小三',
        applicantIdNumber: '610102199001011234',
        contactPhone: '13800138000',
        address: '西安市雁塔区科技路 1 号',
        lastEmployer: '西安某某有限公司',
        separationDate: '2026-02-01',
        separationReason: 'contract-expired',
        jobIntention: '软件测试',
      },
      [att('sfz', 0), att('sfz', 1), att('jczm', 2)],
    ),
  );
  // Keys the item's form does not define (an older kiosk, another item's form).
  await applied(
    application('detail-generic', 'ZZ03-20260302-0002', {
      fullName: '张小三',
      purpose: '办理失业登记',
      lastEmployerName: '西安某某有限公司',
    }),
  );
  await applied(application('detail-refuse', 'ZZ03-20260302-0003', { applicantName: '张小三' }));
  await addStaffAccount(hall, {
    login: 'zhao',
    name: '赵科长',
    roles: ['clerk', 'approver', 'supervisor'],
    jurisdictions: ['610102'],
  });
  ({ browser, page } = await launchBrowser({ width: 1366, height: 768 }));
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await hall?.close();
  rmSync(root, { recursive: true, force: true });
});

/** Finds a case by its 受理编号 and opens it, by keyboard. */
async function openByKeyboard(receiptNo: string, id: string): Promise<void> {
  await staffTypes(page.locator('#case-search'), receiptNo);
  await page.locator('#case-search').press('Enter');
  await page.locator(`#cases tr[data-case="${id}"]`).waitFor();
  await press(`#cases tr[data-case="${id}"] button[data-open]`, 'Enter');
  await page.locator('#case-detail [data-testid=case-receipt]').getByText(receiptNo).waitFor();
}

describe('the case detail in React, by keyboard, in English and Chinese', () => {
  it('opens a case by keyboard in English: every form field by its catalog label, no Chinese words', async () => {
    await page.goto(new URL('staff', hall.url).href);
    await page.locator('#login-name').waitFor();
    await press('#language', 'Enter');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await staffTypes(page.locator('#login-name'), 'zhao');
    await staffTypes(page.locator('#password'), 'desk-pass-2026');
    await page.locator('#password').press('Enter');
    await page.locator('#cases tbody tr[data-case]').first().waitFor({ timeout: 15_000 });
    await openByKeyboard('ZZ03-20260302-0001', full);

    const detail = page.locator('#case-detail');
    expect(await detail.locator('#case-title').innerText()).toMatch(/^Case ZZ03-20260302-0001$/);
    const form = detail.locator('[data-testid=case-form]');
    // All eight fields of the item's form, each by its label from resources/catalog.
    expect(await form.locator('tbody tr[data-field]').count()).toBe(8);
    expect(await form.locator('tr[data-known=false]').count()).toBe(0);
    const label = (key: string) => form.locator(`tr[data-field=${key}] th`).innerText();
    expect(await label('applicantName')).toBe('Applicant name');
    expect(await label('separationDate')).toBe('Date employment ended');
    expect(await label('jobIntention')).toBe('Work sought');
    expect(await form.locator('tr[data-field=separationReason] td').innerText()).not.toMatch(CJK);
    expect(await form.locator('tr[data-field=applicantName] td').innerText()).toBe('张*三');
    // The other fields too: every one by name, none shown as a key.
    expect(await detail.locator('[data-testid=case-fields] .not-in-form').count()).toBe(0);
    expect(await detail.locator('tr[data-material=sfz] td').first().innerText()).not.toMatch(CJK);
    for (const text of await detailChrome()) expect(text, text).not.toMatch(CJK);
    expect(await scrollsSideways()).toBe(false);
    await page.locator('#case-detail').scrollIntoViewIfNeeded();
    await shot('01-detail-en');
    await expectNoSeriousA11yViolations(page, 'case detail (English)');
  }, 60_000);

  it('views the pages with the keys; Tab stays in the viewer; Esc gives focus back', async () => {
    await press('#case-detail button[data-view=sfz]', 'Enter');
    const viewer = page.getByRole('dialog');
    await viewer.waitFor();
    expect(await viewer.locator('h2').innerText()).toMatch(/^Pages: /);
    const img = viewer.locator('[data-testid=viewer-image]');
    await img.waitFor();
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(620);
    const counter = viewer.locator('[data-testid=viewer-counter]');
    const zoom = viewer.locator('[data-testid=viewer-zoom]');
    expect(await counter.innerText()).toBe('Page 1 / 2');
    expect(await inDialog()).toBe(true);
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    expect(await zoom.innerText()).toBe('150%');
    await page.keyboard.press('-');
    expect(await zoom.innerText()).toBe('125%');
    await page.keyboard.press('r');
    expect(await img.getAttribute('data-rotation')).toBe('90');
    await shot('02-viewer-en');
    await expectNoSeriousA11yViolations(page, 'attachment viewer (English)');
    await page.keyboard.press('0');
    expect(await zoom.innerText()).toBe('100%');
    expect(await img.getAttribute('data-rotation')).toBe('0');
    await page.keyboard.press('PageDown');
    await counter.getByText('Page 2 / 2').waitFor();
    await page.keyboard.press('ArrowRight'); // the last page: stays
    expect(await counter.innerText()).toBe('Page 2 / 2');
    await page.keyboard.press('ArrowLeft');
    await counter.getByText('Page 1 / 2').waitFor();
    for (let i = 0; i < 14; i += 1) {
      await page.keyboard.press('Tab');
      expect(await inDialog()).toBe(true);
    }
    for (let i = 0; i < 14; i += 1) {
      await page.keyboard.press('Shift+Tab');
      expect(await inDialog()).toBe(true);
    }
    // The rest of the page is inert while the dialog is open.
    expect(await page.locator('#desk-root').getAttribute('inert')).toBe('');
    for (const text of await viewer.locator('button, .hint').allInnerTexts()) expect(text).not.toMatch(CJK);
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
    expect(await focused('data-view')).toBe('sfz');
    expect(await page.locator('#desk-root').getAttribute('inert')).toBeNull();
  }, 40_000);

  it('accepts, then 办结 asks in an English dialog: focus trapped, Esc cancels, the status line names the 受理编号', async () => {
    await press('#case-detail button[data-action=accept]', 'Enter');
    const status = page.locator('#status');
    await expect
      .poll(() => status.innerText(), { timeout: 10_000 })
      .toMatch(/^Done for ZZ03-20260302-0001: /);
    expect(await status.innerText()).not.toMatch(CJK);
    expect(await status.innerText()).not.toContain(full);
    // The accept form is gone with the status it belonged to: the keyboard carries on from the title.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('case-title');

    const complete = page.locator('#case-detail form[data-form=complete]');
    await complete.waitFor({ timeout: 10_000 });
    await staffTypes(complete.locator('input[name=result]'), '准予登记');
    await staffTypes(complete.locator('input[name=trackingNumber]'), 'EA123456789CN');
    await press('#case-detail button[data-action=complete]', 'Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.locator('h2').innerText()).toBe('Confirm completion');
    expect(await dialog.innerText()).toMatch(
      /Complete ZZ03-20260302-0001\?[\s\S]*准予登记[\s\S]*EA123456789CN/,
    );
    expect(await focused('data-confirm')).toBe('no');
    for (let i = 0; i < 5; i += 1) {
      await page.keyboard.press('Tab');
      expect(await inDialog()).toBe(true);
    }
    await shot('03-dialog-en');
    await expectNoSeriousA11yViolations(page, 'confirmation dialog (English)');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focused('data-action')).toBe('complete');
    expect(await caseStatus(full)).toBe('accepted');

    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Tab'); // from 取消 to 确认
    expect(await focused('data-confirm')).toBe('yes');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => status.innerText(), { timeout: 10_000 })
      .toMatch(/^Done for ZZ03-20260302-0001: Complete → /);
    expect(await status.innerText()).not.toMatch(CJK);
    expect(await caseStatus(full)).toBe('completed');
    // The history names the material and the EMS number in English words (the detail is drawn again
    // by the action and by the live desk's event for it: whichever answer is the latest).
    await expect
      .poll(() => page.locator('#case-detail ol.history').innerText(), { timeout: 10_000 })
      .toMatch(/result: 准予登记; EMS: EA123456789CN/);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('switches to Chinese: the detail and the status line follow, no English words left', async () => {
    await press('#language', 'Enter');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await page.locator('#status').innerText()).toBe('已办理 ZZ03-20260302-0001：办结 → 已办结');
    expect(await page.locator('#case-title').innerText()).toBe('办件详情 ZZ03-20260302-0001');
    const form = page.locator('#case-detail [data-testid=case-form]');
    expect(await form.locator('tr[data-field=separationReason] td').innerText()).toBe('劳动合同期满终止');
    // Latin letters only in the acronyms the hall uses (EMS, PDF) and the data (codes).
    for (const text of await detailChrome())
      expect(text.replace(/EMS|PDF/g, ''), text).not.toMatch(/[A-Za-z]{2,}/);
    expect(await scrollsSideways()).toBe(false);
    await page.locator('#case-detail').scrollIntoViewIfNeeded();
    await shot('04-detail-zh');
    await expectNoSeriousA11yViolations(page, 'case detail (zh-CN)');
  }, 30_000);

  it('shows form keys the item does not define readable and marked, in both languages', async () => {
    await press('#case-search-reset', 'Enter');
    await openByKeyboard('ZZ03-20260302-0002', generic);
    const form = page.locator('#case-detail [data-testid=case-form]');
    const th = (key: string) => form.locator(`tr[data-field=${key}] th`).innerText();
    expect(await form.locator('tr[data-known=false]').count()).toBe(3);
    expect(await th('fullName')).toBe('姓名 （事项表单未定义）');
    expect(await th('purpose')).toBe('用途 （事项表单未定义）');
    expect(await th('lastEmployerName')).toBe('Last employer name （事项表单未定义）');
    await press('#language', 'Enter');
    await expect.poll(() => th('fullName')).toBe("Full name (not in the item's form)");
    expect(await th('purpose')).toBe("Purpose (not in the item's form)");
    for (const key of ['fullName', 'purpose', 'lastEmployerName']) expect(await th(key)).not.toBe(key);
    await page.locator('#case-detail [data-testid=case-form]').scrollIntoViewIfNeeded();
    await shot('05-unknown-keys-en');
    await expectNoSeriousA11yViolations(page, 'form keys not in the item (English)');
  }, 30_000);

  it('asks before 不予受理 in Chinese, showing the reason back; Esc sends nothing and gives focus back', async () => {
    await press('#language', 'Enter');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await press('#case-search-reset', 'Enter');
    await openByKeyboard('ZZ03-20260302-0003', refused);
    const refuse = page.locator('#case-detail form[data-form=refuse]');
    await staffTypes(refuse.locator('textarea[name=reason]'), '申请事项不属于本中心受理范围');
    await press('#case-detail button[data-action=refuse]', 'Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.innerText()).toMatch(
      /确认不予受理[\s\S]*确定对 ZZ03-20260302-0003 作出不予受理决定吗[\s\S]*申请事项不属于本中心受理范围/,
    );
    expect(await dialog.innerText()).not.toMatch(/[A-Za-z]{3,}/);
    await shot('06-dialog-zh');
    await expectNoSeriousA11yViolations(page, 'refusal dialog (zh-CN)');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focused('data-action')).toBe('refuse');
    expect(await caseStatus(refused)).toBe('received');
    expect(await hall.audit.page({ jurisdictions: ['610102'], caseId: refused })).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 30_000);

  it('shows the live desk in English: a new case, a 即办件 banner counting down, opened from the keyboard', async () => {
    await press('#language', 'Enter');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await press('#case-search-reset', 'Enter');
    await expect.poll(() => hall.deskEvents.listenerCount(), { timeout: 10_000 }).toBe(1);
    const promised = application('detail-live-new', 'ZZ03-20260302-0004', { applicantName: '张小三' });
    expect(JSON.stringify((await kiosk.push('application', promised)).body)).toContain('"applied"');
    const feed = page.locator('#live-feed');
    await feed.getByText('New case ZZ03-20260302-0004').waitFor({ timeout: 10_000 });
    // A 即办件 submitted 5 s ago: about 55 s left at the kiosk.
    const immediate = {
      ...applicationPayload('detail-live-immediate', {
        itemCode: ITEM,
        caseType: 'immediate',
        submittedAt: new Date(Date.now() - 5000).toISOString(),
        promisedDate: null,
      }),
      receiptNo: 'ZZ03-20260302-0005',
    };
    expect(JSON.stringify((await kiosk.push('application', immediate)).body)).toContain('"applied"');
    const banner = page.locator(`[data-immediate="${immediate.id}"]`);
    await banner.waitFor({ timeout: 10_000 });
    const countdown = banner.locator('[data-testid=countdown]');
    const first = Number(await countdown.getAttribute('data-seconds'));
    expect(first).toBeGreaterThan(45);
    expect(await countdown.innerText()).toBe(`${first} s left at the kiosk`);
    await expect
      .poll(async () => Number(await countdown.getAttribute('data-seconds')), { timeout: 5000 })
      .toBeLessThan(first);
    expect(await banner.innerText()).toMatch(/^Immediate case waiting/);
    expect((await banner.innerText()).replace('张*三', '')).not.toMatch(CJK);
    await expect
      .poll(() => page.locator('#status').innerText())
      .toBe(`Immediate case ZZ03-20260302-0005 waiting at kiosk ${kiosk.id}`);
    expect(await feed.innerText()).not.toMatch(CJK);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('07-live-en');
    await expectNoSeriousA11yViolations(page, 'live desk (English)');
    await press(`[data-immediate="${immediate.id}"] button.immediate-open`, 'Enter');
    await page.locator('#case-detail [data-testid=case-receipt]').getByText('ZZ03-20260302-0005').waitFor();
    expect(await page.locator('#case-detail .tag').innerText()).toBe('Immediate case');
    // Back in Chinese, the banner and the feed follow.
    await press('#language', 'Enter');
    await expect.poll(() => banner.innerText()).toMatch(/^即办件等候中/);
    await feed.getByText('新办件 ZZ03-20260302-0004').waitFor();
    expect(pageErrors).toEqual([]);
  }, 40_000);
});
