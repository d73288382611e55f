/**
 * 我要办事 end to end in a real Chromium against the real backend with its simulated devices (ID-card
 * reader, receipt printer, eSCL scanner): identify (本人 and 帮办代办), find by pinyin initials, the
 * key facts, the form (locked card fields, a wrong phone and its text error), scanning (multi-page,
 * delete, a jam and its way out), EMS delivery, 廉洁告知, review, submit (once, even on a double tap),
 * the printed receipt, paper-out and reprint, a 即办件 offline, and the jump to 好差评. Asserts what
 * the resident sees, what is stored and what was printed; screenshots every step into e2e/artifacts.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { liftCard, placeCard } from '../src/backend/testing/place-card.js';
import { idcard } from '../src/devices/index.js';
import {
  buttonsSmallerThan,
  expectNoSeriousA11yViolations,
  type Kiosk,
  LANDSCAPE,
  launchBrowser,
  PORTRAIT,
  screenshot,
  startKiosk,
} from './harness.js';
import { typeOnKiosk } from './kiosk-typist.js';
import { residentApi } from './resident-fixtures.js';

const UNEMPLOYMENT = '610000-RSJ-JF-05005-000';
const RECORD_PRINT = '610000-RSJ-GG-05004-000';

let kiosk: Kiosk;
let browser: Browser;
let page: Page;
let problems: string[] = [];

const sims = () => kiosk.backend.devices.simulators();
const db = () => kiosk.backend.db;

beforeAll(async () => {
  kiosk = await startKiosk();
  ({ browser, page } = await launchBrowser(PORTRAIT));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  for (let i = 0; i < 100 && !kiosk.backend.devices.idcardReader(); i++)
    await new Promise((r) => setTimeout(r, 100));
});

afterAll(async () => {
  await browser?.close();
  await kiosk?.stop();
});

beforeEach(async () => {
  problems = [];
  // The previous test's card leaves first: a card lying there when a session starts is not used.
  await liftCard(kiosk.backend.devices);
  sims().printer!.setStatus('ready');
  // One page per scan (the glass), so page counts are exact and scans quick.
  sims().scanner!.setAdfState('empty');
  sims().scanner!.setPlatenPage('generated');
  await page.setViewportSize(PORTRAIT);
  await page.goto(kiosk.url);
  await page.locator('[data-testid=device-status]').waitFor();
});

afterEach(() => {
  expect(problems).toEqual([]);
});

const step = (p: Page) => p.locator('[data-testid=apply-flow]');
async function atStep(p: Page, name: string): Promise<void> {
  await p.locator(`[data-testid=apply-flow][data-step=${name}]`).waitFor({ timeout: 20_000 });
}

/** The checks every step gets: axe, touch targets, a screenshot. */
async function checkStep(p: Page, shot: string, minTarget: 44 | 60): Promise<void> {
  await p.evaluate(() => document.fonts.ready.then(() => undefined));
  expect(await buttonsSmallerThan(p, minTarget), shot).toEqual([]);
  await expectNoSeriousA11yViolations(p, shot);
  await screenshot(p, shot);
}

async function keys(p: Page, text: string): Promise<void> {
  const kb = p.locator('[data-testid=on-screen-keyboard]');
  for (const ch of text) await kb.locator(`[data-key="${ch}"]`).click();
}

function fieldInput(p: Page, key: string) {
  return p.locator(`[data-field="${key}"] input, [data-field="${key}"] textarea`);
}

async function choose(p: Page, key: string, value: string): Promise<void> {
  await p.locator(`[data-field="${key}"] [data-value="${value}"]`).click();
}

/** Types a date on the docked number pad (digits only: the field adds the dashes). */
async function typeDate(p: Page, key: string, date: string): Promise<void> {
  await fieldInput(p, key).click();
  await p.locator(`[data-testid=docked-keyboard][data-for="${key}"]`).waitFor();
  await keys(p, date.replace(/-/g, ''));
  expect(await fieldInput(p, key).inputValue()).toBe(date);
  await p.locator('[data-testid=on-screen-keyboard] [data-key=done]').click();
}

async function scan(p: Page, material: string, expectPages: number): Promise<void> {
  const box = p.locator(`[data-testid=material-capture][data-material="${material}"]`);
  await box.locator('[data-testid=capture-scan]').click();
  await p
    .locator(`[data-testid=material-capture][data-material="${material}"][data-pages="${expectPages}"]`)
    .waitFor({ timeout: 20_000 });
  await box.locator('[data-testid=capture-added]').waitFor();
}

async function identifySelf(p: Page): Promise<void> {
  await p.locator('[data-testid=mode-self]').click();
  await p.locator('[data-testid=identify-applicant] [data-testid=identify-waiting]').waitFor();
  // As a person does it: placed, and placed again should a read fail on a loaded machine.
  await placeCard(kiosk.backend.devices, idcard.SAMPLE_CARDS.resident);
}

describe('我要办事', () => {
  it('self-service: 失业保险金申领 in Chinese, from search to receipt, evaluation and farewell', async () => {
    await page.getByRole('button', { name: '我要办事', exact: true }).click();
    await atStep(page, 'identify');
    expect(await page.locator('[data-testid=steps] li').count()).toBe(9);
    await checkStep(page, 'apply-zh-01-identify', 44);
    await identifySelf(page);

    // 2 · find by pinyin initials on the on-screen keyboard.
    await atStep(page, 'find');
    const chip = page.locator('[data-testid=identity-chip]');
    expect(await chip.innerText()).toContain('李*英');
    expect(await chip.innerText()).toContain('1101**********002X');
    expect(await page.locator('body').innerText()).not.toContain('李秀英');
    await page.locator('[data-testid=catalog-search]').click();
    await page.locator('[data-testid=on-screen-keyboard] [data-key=layout-letters]').click();
    await keys(page, 'sy');
    await page.locator('[data-testid=search-results] .item-row', { hasText: '失业保险金申领' }).waitFor();
    await checkStep(page, 'apply-zh-02-find', 44);
    await page.locator('[data-testid=search-results] .item-row', { hasText: '失业保险金申领' }).click();

    // 3 · key facts.
    await atStep(page, 'guide');
    const facts = await page.locator(`[data-testid=item-facts][data-item="${UNEMPLOYMENT}"]`).innerText();
    expect(facts).toContain('3 个工作日');
    expect(facts).toContain('10 个工作日');
    expect(facts).toContain('免费');
    expect(await page.locator('[data-testid=guide-materials] li').count()).toBe(3);
    await checkStep(page, 'apply-zh-03-guide', 44);
    await page.locator('[data-testid=guide-start]').click();

    // 4 · the form: locked card fields, pre-filled address, a wrong phone → text error → fixed.
    await atStep(page, 'form');
    const name = page.locator('[data-field=applicantName]');
    expect(await name.getAttribute('data-locked')).toBe('true');
    expect(await name.locator('input').count()).toBe(0);
    expect(await name.innerText()).toContain('李*英');
    expect(await page.locator('[data-field=applicantIdNumber]').innerText()).toContain('1101**********002X');
    expect(await fieldInput(page, 'address').inputValue()).toBe(idcard.SAMPLE_CARDS.resident.address);
    await fieldInput(page, 'contactPhone').click();
    await page.locator('[data-testid=docked-keyboard][data-for=contactPhone] [data-layout=phone]').waitFor();
    await keys(page, '12345');
    await page.locator('[data-testid=on-screen-keyboard] [data-key=done]').click();
    const phoneError = page.locator('[data-field=contactPhone] [data-testid=field-error]');
    expect(await phoneError.innerText()).toContain('请输入 11 位手机号码');
    expect(await fieldInput(page, 'contactPhone').getAttribute('aria-invalid')).toBe('true');
    await fieldInput(page, 'contactPhone').click();
    await page.locator('[data-testid=on-screen-keyboard] [data-key=clear]').click();
    await keys(page, '13800138000');
    await phoneError.waitFor({ state: 'detached' });
    await page.locator('[data-testid=on-screen-keyboard] [data-key=done]').click();
    // 下一步 with fields still empty: every problem in text beside its field.
    await page.locator('[data-testid=apply-next]').click();
    await page.locator('[data-testid=form-errors]').waitFor();
    expect(await page.locator('[data-field=lastEmployer] [data-testid=field-error]').innerText()).toContain(
      '此项必填',
    );
    await checkStep(page, 'apply-zh-04-form-errors', 44);
    await typeOnKiosk(page, fieldInput(page, 'lastEmployer'), '西安示例有限公司');
    await fieldInput(page, 'jobIntention').click();
    await keys(page, 'guan');
    await page.locator('[data-testid=on-screen-keyboard] [data-key="candidate-管"]').click();
    await keys(page, 'li');
    await page.locator('[data-testid=on-screen-keyboard] [data-key="candidate-理"]').click();
    expect(await fieldInput(page, 'jobIntention').inputValue()).toBe('管理');
    await checkStep(page, 'apply-zh-04-form-keyboard', 44);
    await page.locator('[data-testid=on-screen-keyboard] [data-key=done]').click();
    await typeDate(page, 'separationDate', '2026-10-31');
    await choose(page, 'separationReason', 'contract-expired');
    expect(await page.locator('[data-testid=field-error]').count()).toBe(0);
    await checkStep(page, 'apply-zh-04-form', 44);
    await page.locator('[data-testid=apply-next]').click();

    // 5 · materials: every one scanned; one twice (2 pages), then one page deleted.
    await atStep(page, 'materials');
    expect(await page.locator('[data-testid=licence-unconfirmed]').count()).toBe(2);
    await page.locator('[data-testid=apply-next]').click();
    expect(await page.locator('[data-testid=materials-missing]').innerText()).toContain('3 项必交材料');
    await scan(page, 'sfz', 1);
    await scan(page, 'jczm', 1);
    await scan(page, 'jczm', 2);
    const jczm = page.locator('[data-testid=material-capture][data-material=jczm]');
    expect(await jczm.locator('.capture-page img').count()).toBe(2);
    await jczm.locator('[data-testid=page-preview]').first().click();
    await jczm.locator('[data-testid=page-large] img').waitFor();
    await jczm.locator('[data-testid=page-delete]').nth(1).click();
    await page.locator('[data-testid=material-capture][data-material=jczm][data-pages="1"]').waitFor();
    await scan(page, 'sbk', 1);
    await checkStep(page, 'apply-zh-05-materials', 44);
    await page.locator('[data-testid=apply-next]').click();

    // 6 · free EMS: phone and address taken over from the form; recipient and postcode typed.
    await atStep(page, 'delivery');
    await checkStep(page, 'apply-zh-06-delivery-choice', 44);
    await page.locator('[data-testid=delivery-ems]').click();
    expect(await fieldInput(page, 'phone').inputValue()).toBe('13800138000');
    expect(await fieldInput(page, 'address').inputValue()).toBe(idcard.SAMPLE_CARDS.resident.address);
    // 收件人为申请人本人 is ticked at first (the masked name shown); this parcel goes to someone else.
    const same = page.locator('[data-testid=recipient-same]');
    expect(await same.getAttribute('aria-checked')).toBe('true');
    expect(await page.locator('[data-field=recipient]').innerText()).toContain('李*英');
    await same.click();
    await typeOnKiosk(page, fieldInput(page, 'recipient'), '王芳');
    await fieldInput(page, 'postcode').click();
    await keys(page, '100020');
    await page.locator('[data-testid=on-screen-keyboard] [data-key=done]').click();
    await checkStep(page, 'apply-zh-06-delivery', 44);
    await page.locator('[data-testid=apply-next]').click();

    // 7 · 廉洁告知, acknowledged explicitly.
    await atStep(page, 'integrity');
    expect(await page.locator('[data-testid=integrity-step]').innerText()).toContain('监督电话');
    await checkStep(page, 'apply-zh-07-integrity', 44);
    await page.locator('[data-testid=integrity-ack]').click();

    // 8 · review, a 修改 round trip, then one submission for a double tap.
    await atStep(page, 'review');
    const review = page.locator('[data-testid=review-step]');
    expect(await review.locator('[data-field=contactPhone]').innerText()).toContain('13800138000');
    expect(await review.locator('[data-field=separationReason]').innerText()).toContain('劳动合同期满终止');
    expect(await review.locator('[data-material=jczm]').innerText()).toContain('1 页');
    expect(await review.locator('[data-testid=review-delivery]').innerText()).toContain('100020');
    expect(await review.innerText()).not.toContain('李秀英');
    await review.locator('[data-testid=review-edit-form]').click();
    await atStep(page, 'form');
    await page.locator('[data-testid=apply-next]').click();
    await atStep(page, 'review');
    await checkStep(page, 'apply-zh-08-review', 44);
    await page.locator('[data-testid=apply-submit]').evaluate((b: HTMLButtonElement) => {
      b.click();
      b.click();
    });

    // 9 · the result: receipt number large, printed receipt, stored durably and once.
    await atStep(page, 'result');
    await page.locator('[data-testid=print-ok]').waitFor({ timeout: 20_000 });
    const receiptNo = (await page.locator('[data-testid=receipt-no]').innerText()).trim();
    expect(receiptNo).toMatch(/^ZZ01-\d{8}-\d{4}$/);
    expect(await page.locator('[data-testid=result-step]').innerText()).toContain('承诺办结日期');
    const rows = db()
      .prepare(
        'SELECT id, receipt_no, zk_open(applicant_name) AS applicant_name, applicant_masked, zk_open(helper_name) AS helper_name, status, zk_open(delivery) AS delivery, print_state FROM applications',
      )
      .all() as {
      id: string;
      receipt_no: string;
      applicant_name: string;
      applicant_masked: string;
      helper_name: string | null;
      status: string;
      delivery: string;
      print_state: string;
    }[];
    expect(rows).toHaveLength(1);
    const app = rows[0]!;
    expect(app).toMatchObject({
      receipt_no: receiptNo,
      applicant_name: '李秀英',
      applicant_masked: '李*英',
      helper_name: null,
      status: 'submitted',
      print_state: 'printed',
    });
    expect(JSON.parse(app.delivery)).toEqual({
      method: 'ems',
      recipient: '王芳',
      phone: '13800138000',
      address: idcard.SAMPLE_CARDS.resident.address,
      postcode: '100020',
    });
    const attachments = db()
      .prepare(
        'SELECT material_code FROM application_attachments WHERE application_id = ? ORDER BY material_code',
      )
      .pluck()
      .all(app.id);
    expect(attachments).toEqual(['jczm', 'sbk', 'sfz']);
    const outbox = db()
      .prepare("SELECT zk_open(payload) FROM outbox WHERE kind = 'application' AND entity_id = ?")
      .pluck()
      .all(app.id) as string[];
    expect(outbox).toHaveLength(1);
    expect(JSON.parse(outbox[0]!)).toMatchObject({
      receiptNo,
      form: { contactPhone: '13800138000', separationDate: '2026-10-31', jobIntention: '管理' },
    });
    const audit = db().prepare("SELECT action FROM audit_log WHERE actor = 'resident'").pluck().all();
    expect(audit).toEqual(
      expect.arrayContaining(['session-start', 'identify', 'capture', 'submit', 'receipt-printed']),
    );
    const receipt = sims().printer!.receipts().at(-1)!;
    expect(receipt.text).toContain('收件材料接收凭证');
    expect(receipt.text).toContain(receiptNo);
    expect(receipt.text).toContain('李*英');
    expect(receipt.text).not.toContain('李秀英');
    await checkStep(page, 'apply-zh-09-result', 44);

    expect(await page.locator('[data-testid=result-step]').innerText()).toContain('请妥善保管受理凭证');
    // Then 好差评 after time to read the result (20 s, announced); 跳过 ends the session with the
    // take-your-card reminder.
    await page.locator('[data-testid=auto-evaluate]').waitFor();
    expect(
      Number((await page.locator('[data-testid=auto-evaluate]').innerText()).match(/\d+/)?.[0]),
    ).toBeGreaterThan(10);
    await page.locator('[data-testid=to-evaluation]').click();
    await page.locator('[data-testid=evaluation-form] [data-testid=evaluation-skip]').waitFor();
    await checkStep(page, 'apply-zh-10-evaluation', 44);
    await page.locator('[data-testid=evaluation-skip]').click();
    await page.locator('[data-testid=farewell]').waitFor();
    expect(await page.locator('[data-testid=farewell]').innerText()).toContain('请取走您的身份证');
    const end = db()
      .prepare("SELECT detail FROM audit_log WHERE action = 'session-end' ORDER BY id DESC LIMIT 1")
      .pluck()
      .get() as string;
    expect(JSON.parse(end)).toMatchObject({ reason: 'finished' });
  });

  it('帮办代办 for 退休一件事 in English and elderly mode; paper out → saved, reprinted later', async () => {
    await page.locator('[data-testid=toggle-language]').click();
    await page.locator('[data-testid=toggle-elderly]').click();
    await page.waitForFunction(
      () => document.documentElement.lang === 'en' && document.documentElement.classList.contains('elderly'),
    );
    // From the bundle screen's "Apply online".
    await page.getByRole('button', { name: 'Service guides', exact: true }).click();
    // Elderly mode pages the window tiles three at a time: the bundles are on the second page.
    await page.locator('[data-testid=windows-next]').click();
    await page.locator('.window-card[data-window=bundles]').click();
    await page.locator('[data-testid=bundle-list] .item-row', { hasText: 'retire' }).first().click();
    await page.locator('[data-testid=apply-online]').click();
    await atStep(page, 'identify');
    // Elderly mode: the short step bar ("Step 1 of 8" and the step's name), not eight labels.
    expect(await page.locator('[data-testid=steps]').getAttribute('data-total')).toBe('8');
    expect(await page.locator('[data-testid=steps] li').count()).toBe(0);
    await page.locator('[data-testid=mode-assisted]').click();
    await page.locator('[data-testid=identify-helper] [data-testid=identify-waiting]').waitFor();
    await checkStep(page, 'apply-en-elderly-01-identify-helper', 60);
    await placeCard(kiosk.backend.devices, idcard.SAMPLE_CARDS.helper);
    await page.locator('[data-testid=identify-applicant]').waitFor();
    await page.locator('[data-testid=helper-read]').waitFor();
    // The helper's card lifted (the reader sees it go), then the resident's placed.
    await placeCard(kiosk.backend.devices, idcard.SAMPLE_CARDS.resident);

    await atStep(page, 'guide');
    const chip = await page.locator('[data-testid=identity-chip]').innerText();
    expect(chip).toContain('Helper');
    expect(chip).toContain('王*国');
    expect(chip).toContain('李*英');
    // The guide's plan arrives after the step is shown (the card read moves the step at once).
    await page.locator('[data-testid=item-facts]').first().waitFor();
    expect(await page.locator('[data-testid=item-facts]').count()).toBe(3);
    await checkStep(page, 'apply-en-elderly-02-guide', 60);
    await page.locator('[data-testid=guide-start]').click();

    await atStep(page, 'form');
    await typeOnKiosk(page, fieldInput(page, 'contactPhone'), '13800138000');
    await choose(page, 'insuranceType', 'employee-pension');
    await typeDate(page, 'periodStart', '1990-01-01');
    await typeDate(page, 'periodEnd', '2026-09-30');
    await choose(page, 'retirementType', 'normal');
    await typeDate(page, 'retirementDate', '2026-10-01');
    await choose(page, 'shortfallOption', 'lump-sum');
    await checkStep(page, 'apply-en-elderly-03-form', 60);
    await page.locator('[data-testid=apply-next]').click();

    await atStep(page, 'materials');
    for (const code of ['sfz', 'txsqb', 'rsda', 'sbk']) await scan(page, code, 1);
    await checkStep(page, 'apply-en-elderly-04-materials', 60);
    await page.locator('[data-testid=apply-next]').click();

    // Pickup only for this bundle: chosen already, and said so.
    await atStep(page, 'delivery');
    expect(await page.locator('[data-testid=delivery-pickup]').getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('[data-testid=delivery-ems]').count()).toBe(0);
    await checkStep(page, 'apply-en-elderly-05-delivery', 60);
    await page.locator('[data-testid=apply-next]').click();
    await atStep(page, 'integrity');
    await checkStep(page, 'apply-en-elderly-06-integrity', 60);
    await page.locator('[data-testid=integrity-ack]').click();
    await atStep(page, 'review');
    expect(await page.locator('[data-testid=review-step]').innerText()).toContain('Collect at the hall');
    await checkStep(page, 'apply-en-elderly-07-review', 60);

    sims().printer!.setStatus('paper-out');
    const printedBefore = sims().printer!.receipts().length;
    await page.locator('[data-testid=apply-submit]').click();
    await atStep(page, 'result');
    const failed = page.locator('[data-testid=print-failed]');
    await failed.waitFor({ timeout: 20_000 });
    expect(await failed.innerText()).toContain('Your application IS saved');
    expect(await failed.innerText()).toContain('Check progress');
    expect(await page.locator('[data-testid=receipt-no]').count()).toBe(3);
    expect(await page.locator('[data-testid=auto-evaluate]').count()).toBe(0);
    // No receipt came out: the page does not ask to keep it safe.
    expect(await page.locator('[data-testid=result-step]').innerText()).not.toContain('Keep your receipt');
    const apps = db()
      .prepare(
        "SELECT zk_open(applicant_name) AS applicant_name, zk_open(helper_name) AS helper_name, zk_open(helper_id_number) AS helper_id_number, print_state, bundle_code FROM applications WHERE bundle_code = 'YJS-TX'",
      )
      .all();
    expect(apps).toHaveLength(3);
    for (const a of apps)
      expect(a).toEqual({
        applicant_name: '李秀英',
        helper_name: '王建国',
        helper_id_number: '610113198506151234',
        print_state: 'failed',
        bundle_code: 'YJS-TX',
      });
    expect(sims().printer!.receipts().length).toBe(printedBefore);
    await checkStep(page, 'apply-en-elderly-08-print-failed', 60);

    sims().printer!.setStatus('ready');
    await page.locator('[data-testid=reprint]').click();
    await page.locator('[data-testid=print-ok]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid=print-ok]').innerText()).toContain('Printed');
    expect(sims().printer!.receipts().length).toBe(printedBefore + 3);
    expect(
      db()
        .prepare("SELECT count(*) FROM applications WHERE bundle_code = 'YJS-TX' AND print_state = 'printed'")
        .pluck()
        .get(),
    ).toBe(3);
    await checkStep(page, 'apply-en-elderly-09-result', 60);
    await page.locator('[data-testid=to-evaluation]').click();
    await page.locator('[data-testid=evaluation-skip]').click();
    await page.locator('[data-testid=farewell]').waitFor();
  });

  it('scanner jam and blank page mid-flow, the card taken away: clear messages, the flow goes on (elderly, from the guide)', async () => {
    await page.locator('[data-testid=toggle-elderly]').click();
    await page.getByRole('button', { name: '办事指南', exact: true }).click();
    // 长辈模式 pages the window tiles three at a time: 养老社保 is on the second page.
    await page.locator('[data-testid=windows-next]').click();
    await page.locator('.window-card[data-window=ylsb]').click();
    await page.locator('[data-testid=item-list] .item-row', { hasText: '失业保险金申领' }).click();
    await page.locator('[data-testid=apply-online]').click();
    await atStep(page, 'identify');
    await identifySelf(page);
    await atStep(page, 'guide');

    // The card taken off the reader after it was read: a calm note, nothing lost.
    sims().idcard!.removeCard();
    await page.locator('[data-testid=card-removed-note]').waitFor();
    expect(await page.locator('[data-testid=card-removed-note]').innerText()).toContain('身份证已取走');
    await page.locator('[data-testid=guide-start]').click();
    await atStep(page, 'form');
    await typeOnKiosk(page, fieldInput(page, 'contactPhone'), '13800138000');
    await typeOnKiosk(page, fieldInput(page, 'lastEmployer'), '西安示例有限公司');
    await typeDate(page, 'separationDate', '2026-10-31');
    await choose(page, 'separationReason', 'employer-closed');
    await typeOnKiosk(page, fieldInput(page, 'jobIntention'), '会计');
    await page.locator('[data-testid=apply-next]').click();
    await atStep(page, 'materials');

    // A jam in the feeder: what to do, and two ways on (scan again, or the camera).
    sims().scanner!.feedPages(2);
    sims().scanner!.failAfter(0, 'jam');
    const sfz = page.locator('[data-testid=material-capture][data-material=sfz]');
    await sfz.locator('[data-testid=capture-scan]').click();
    const error = sfz.locator('[data-testid=capture-error]');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.getAttribute('data-problem')).toBe('jam');
    expect(await error.innerText()).toContain('卡纸');
    expect(await sfz.locator('[data-testid=capture-use-camera]').count()).toBe(1);
    await checkStep(page, 'apply-elderly-05-scanner-jam', 60);
    // Scan again before the jam is cleared: said again, and nothing taken from the glass instead.
    await sfz.locator('[data-testid=capture-retry]').click();
    await sfz.locator('[data-testid=capture-error][data-problem=jam]').waitFor({ timeout: 20_000 });
    expect(await sfz.getAttribute('data-pages')).toBe('0');
    expect(
      db()
        .prepare(
          "SELECT count(*) FROM audit_log WHERE action = 'capture-failed' AND json_extract(detail, '$.fault') = 'jam'",
        )
        .pluck()
        .get(),
    ).toBeGreaterThanOrEqual(2);
    sims().scanner!.setAdfState('empty');
    await sfz.locator('[data-testid=capture-retry]').click();
    await page
      .locator('[data-testid=material-capture][data-material=sfz][data-pages="1"]')
      .waitFor({ timeout: 20_000 });
    expect(await sfz.locator('[data-testid=capture-error]').count()).toBe(0);

    // A blank page: said so, nothing stored.
    sims().scanner!.setPlatenPage('nothing');
    const jczm = page.locator('[data-testid=material-capture][data-material=jczm]');
    await jczm.locator('[data-testid=capture-scan]').click();
    await jczm.locator('[data-testid=capture-error][data-problem=blank]').waitFor({ timeout: 20_000 });
    expect(await jczm.getAttribute('data-pages')).toBe('0');
    sims().scanner!.setPlatenPage('generated');
    await jczm.locator('[data-testid=capture-retry]').click();
    await page
      .locator('[data-testid=material-capture][data-material=jczm][data-pages="1"]')
      .waitFor({ timeout: 20_000 });

    const sbk = page.locator('[data-testid=material-capture][data-material=sbk]');
    // The other way on: the document camera (Chromium's fake camera films an empty, uniform frame,
    // which the page pipeline rightly refuses as blank — and the screen says so).
    await sbk.locator('[data-testid=capture-camera]').click();
    await page.waitForFunction(() => {
      const v = document.querySelector<HTMLVideoElement>('[data-material=sbk] video');
      return v !== null && v.videoWidth > 0 && v.readyState >= 2;
    });
    await sbk.locator('[data-testid=capture-shoot]').click();
    await sbk.locator('[data-testid=capture-error][data-problem=blank]').waitFor({ timeout: 20_000 });
    await sbk.locator('[data-testid=capture-camera-close]').click();
    expect(
      await page.evaluate(
        () => document.querySelector<HTMLVideoElement>('[data-material=sbk] video')?.srcObject ?? null,
      ),
    ).toBeNull();
    expect(await sbk.locator('[data-testid=capture-error]').count()).toBe(0);

    // 上一步 goes one step back inside the flow, keeping what was typed.
    await page.getByRole('button', { name: '上一步' }).click();
    await atStep(page, 'form');
    expect(await fieldInput(page, 'jobIntention').inputValue()).toBe('会计');
    await checkStep(page, 'apply-elderly-04-form', 60);
    // 返回首页 mid-flow asks first, then ends with the take-your-card reminder.
    await page.getByRole('button', { name: '返回首页' }).click();
    await page.locator('[data-testid=confirm-home-leave]').click();
    await page.locator('[data-testid=farewell][data-reason=home]').waitFor();
    await page.locator('[data-testid=farewell-home]').click();
    await page.locator('[data-testid=device-status]').waitFor();
    expect(
      db()
        .prepare(
          "SELECT count(*) FROM applications WHERE item_code = ? AND json_extract(zk_open(form), '$.values.jobIntention') = '会计'",
        )
        .pluck()
        .get(UNEMPLOYMENT),
    ).toBe(0);
  });

  it('即办件 while the hall is offline continues as an ordinary application (English, landscape)', async () => {
    await page.setViewportSize(LANDSCAPE);
    await page.locator('[data-testid=toggle-language]').click();
    await page.getByRole('button', { name: 'Apply for a service', exact: true }).click();
    await atStep(page, 'identify');
    await checkStep(page, 'apply-en-landscape-01-identify', 44);
    await identifySelf(page);
    await atStep(page, 'find');
    await typeOnKiosk(page, page.locator('[data-testid=catalog-search]'), 'record', { done: false });
    await page
      .locator(`[data-testid=search-results] .item-row`, { hasText: 'Social insurance personal record' })
      .click();
    await atStep(page, 'guide');
    expect(await page.locator('[data-testid=item-facts]').innerText()).toContain('no statutory limit');
    await checkStep(page, 'apply-en-landscape-03-guide', 44);
    await page.locator('[data-testid=guide-start]').click();
    await atStep(page, 'form');
    await typeOnKiosk(page, fieldInput(page, 'contactPhone'), '13800138000');
    await choose(page, 'insuranceType', 'unemployment');
    await typeDate(page, 'periodStart', '2020-01-01');
    await fieldInput(page, 'periodEnd').click();
    await page.locator('[data-testid=docked-keyboard]').waitFor();
    await checkStep(page, 'apply-en-landscape-04-form-keyboard', 44);
    await keys(page, '20251231');
    await page.locator('[data-testid=on-screen-keyboard] [data-key=done]').click();
    await page.locator('[data-testid=apply-next]').click();
    await atStep(page, 'materials');
    await scan(page, 'sfz', 1);
    await checkStep(page, 'apply-en-landscape-05-materials', 44);
    await page.locator('[data-testid=apply-next]').click();
    await atStep(page, 'delivery');
    await page.locator('[data-testid=apply-next]').click();
    await atStep(page, 'integrity');
    await page.locator('[data-testid=integrity-ack]').click();
    await atStep(page, 'review');
    await checkStep(page, 'apply-en-landscape-08-review', 44);
    await page.locator('[data-testid=apply-submit]').click();
    await atStep(page, 'result');
    const decision = page.locator('[data-testid=decision][data-decision=offline]');
    await decision.waitFor({ timeout: 20_000 });
    expect(await decision.innerText()).toContain('continues as an ordinary application');
    await page.locator('[data-testid=print-ok]').waitFor();
    expect(
      db().prepare('SELECT case_type, status FROM applications WHERE item_code = ?').get(RECORD_PRINT),
    ).toEqual({ case_type: 'immediate', status: 'submitted' });
    await checkStep(page, 'apply-en-landscape-09-result', 44);
    // 上一步 after submitting changes nothing: the application stays as it is.
    await page.getByRole('button', { name: 'Back' }).click();
    await page.locator('[data-testid=no-back-note]').waitFor();
    expect(await step(page).getAttribute('data-step')).toBe('result');
  });

  it('a session that lapsed on the backend is said with the one sentence, by a call and by a query', async () => {
    // The screen keeps its session; the backend forgets it (a new session wipes the old one), as
    // after the backstop timeout or a restart. Every answer then says session-expired, as a value.
    const api = await residentApi(kiosk);
    const starts = () =>
      db().prepare("SELECT count(*) FROM audit_log WHERE action = 'session-start'").pluck().get() as number;
    const lapse = async (had: number) => {
      await expect.poll(starts).toBeGreaterThan(had);
      await api.session.start.mutate({ trigger: 'touch' });
    };
    const sentence = '本次办理已结束（长时间未操作），请返回首页重新开始';

    // A call: 本人办理 (session.setMode) answers session-expired → the sentence, no way to retry.
    let had = starts();
    await page.getByRole('button', { name: '我要办事', exact: true }).click();
    await atStep(page, 'identify');
    await lapse(had);
    await page.locator('[data-testid=mode-self]').click();
    const notice = page.locator('[data-testid=identify-mode] [role=alert][data-kind=session-expired]');
    await notice.waitFor();
    expect(await notice.innerText()).toBe(sentence);
    await screenshot(page, 'apply-zh-lapsed-01-call');

    // A query: the plan of the item picked after the session lapsed → the same sentence, in place.
    await page.goto(kiosk.url);
    await page.locator('[data-testid=device-status]').waitFor();
    had = starts();
    await page.getByRole('button', { name: '我要办事', exact: true }).click();
    await atStep(page, 'identify');
    await identifySelf(page);
    await atStep(page, 'find');
    await lapse(had);
    await page.locator('[data-testid=catalog-search]').click();
    await page.locator('[data-testid=on-screen-keyboard] [data-key=layout-letters]').click();
    await keys(page, 'sy');
    const row = page.locator('[data-testid=search-results] .item-row', { hasText: '失业保险金申领' });
    await row.click();
    await atStep(page, 'guide');
    const panel = page.locator('[data-testid=apply-flow] [data-testid=session-expired]');
    await panel.waitFor();
    expect(await panel.innerText()).toBe(sentence);
    expect(await page.locator('[data-testid=guide-start]').count()).toBe(0);
    expect(await page.locator('[data-testid=apply-flow] [data-testid=error-panel]').count()).toBe(0);
    await checkStep(page, 'apply-zh-lapsed-02-query', 44);
  });
});
