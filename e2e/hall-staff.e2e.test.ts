/**
 * The hall's staff desk in a real Chromium (docs/sync-protocol.md, 8.1): a kiosk pushes an application (real
 * sync client, real hall over loopback); a staff member signs in with an account, sees the case with
 * its promised deadline and 电子监察 light, opens it (applicant masked), requests 补齐补正 choosing a
 * material from the application's attachments plus free text, and the kiosk-facing change log
 * carries the case-status change, which the kiosk then pulls. Follow-ups and the fleet view are
 * looked at too. Screenshots: e2e/artifacts/hall-staff-*.png.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../src/backend/index.js';
import { loadHallCalendar, startHallServer, type HallServer } from '../src/hall/index.js';
import { applicationPayload, enrolKiosk } from '../src/hall/testing/staff-fixture.js';
import { promisedDate } from '../src/shared/working-days.js';
import { createSyncClient, enrollKiosk, type SyncClient } from '../src/sync/index.js';
import type { ApplicationEntry } from '../src/shared/wire/index.js';
import {
  evaluate,
  fixtureId,
  kioskRecords,
  seedCatalogRow,
  submitApplication,
} from '../src/sync/testing/kiosk-fixture.js';
import { expectNoSeriousA11yViolations, launchBrowser, screenshot } from './harness.js';
import { addStaffAccount, staffSignsIn, staffTypes } from './staff-desk.js';

let root: string;
let hall: HallServer;
let db: Db;
let kiosk: SyncClient;
let kioskId: string;
let browser: Browser;
let page: Page;
/** Script errors in the page: none expected. */
const pageErrors: string[] = [];
const silent = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

async function shot(name: string): Promise<void> {
  await screenshot(page, `hall-staff-${name}`, { fullPage: true });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'zizhu-e2e-staff-'));
  hall = await startHallServer({ host: '127.0.0.1', port: 0, dataDir: join(root, 'hall') }, { silent: true });
  const opened = openDatabase(join(root, 'kiosk', 'kiosk.db'));
  if (!opened.ok) throw new Error(opened.message);
  db = opened.db;
  seedCatalogRow(db);
  const enrolled = await enrollKiosk({
    db,
    hallUrl: hall.url,
    code: (await hall.service.createEnrollmentCode('610113')).code,
    clock: () => new Date(),
  });
  if (!enrolled.ok) throw new Error(JSON.stringify(enrolled.error));
  kioskId = enrolled.enrollment.kioskId;
  kiosk = createSyncClient({
    db,
    records: kioskRecords(db),
    hallUrl: hall.url,
    credentials: enrolled.enrollment,
    blobDir: join(root, 'kiosk', 'blobs'),
    clock: () => new Date(),
    logger: silent,
    random: () => 0.5,
    health: () => [{ kind: 'printer', state: 'warning', detail: 'paper-near-end' }],
    appVersion: '0.1.0',
  });

  // A resident's application at the kiosk: scanned pages fsynced, rows + outbox in one transaction.
  const now = new Date();
  const seq = submitApplication(
    db,
    join(root, 'kiosk', 'blobs'),
    'app-e2e-1',
    [Buffer.from('身份证 page'), Buffer.from('户口簿 page')],
    now.toISOString(),
  );
  // The fixture's payload is minimal; give it the fields the backend sends (applications.ts).
  const row = db.prepare('SELECT payload FROM outbox WHERE seq = ?').get(seq) as { payload: string };
  const minimal = JSON.parse(row.payload) as ApplicationEntry;
  const calendar = loadHallCalendar();
  if (!calendar.ok) throw new Error(calendar.error);
  const full: ApplicationEntry = {
    ...minimal,
    caseType: 'promised',
    promisedDate: promisedDate(now, 5, 'Asia/Shanghai', calendar.value),
    applicant: { name: '张小三', idNumber: '610102199001011234', cardType: 'resident' },
    form: {
      fullName: '张小三',
      idNumber: '610102199001011234',
      phone: '13800138000',
      purpose: '个体工商户设立登记',
    },
    delivery: {
      method: 'ems',
      recipient: '张小三',
      phone: '13800138000',
      address: '西安市沣东新城统一路 1 号',
      postcode: '710000',
    },
    attachments: minimal.attachments.map((a, i) => ({
      ...a,
      materialCode: i === 0 ? 'sfz' : 'hkb',
      mime: 'image/jpeg',
    })),
  };
  db.prepare('UPDATE outbox SET payload = ? WHERE seq = ?').run(JSON.stringify(full), seq);
  evaluate(db, 'ev-e2e-1', 'app-e2e-1', 'very-dissatisfied', now.toISOString());
  expect(await kiosk.runOnce()).toMatchObject({ ok: true, backlog: 0 });

  // Other cases of the same jurisdiction, to show the supervision lights.
  const other = await enrolKiosk(hall, '610104');
  const day = (offsetDays: number) => new Date(now.getTime() + offsetDays * 86_400_000).toISOString();
  await other.push(
    'application',
    applicationPayload('app-e2e-late', {
      itemCode: 'X7',
      submittedAt: day(-30),
      promisedDate: null,
      promisedDays: 5,
    }),
  );
  await other.push(
    'application',
    applicationPayload('app-e2e-today', {
      itemCode: 'X3',
      submittedAt: day(0),
      caseType: 'immediate',
      promisedDate: null,
    }),
  );

  ({ browser, page } = await launchBrowser({ width: 1440, height: 900 }));
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  db?.close();
  await hall?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('hall staff desk', () => {
  it('signs in, sees the kiosk’s case, requests 补正 and the kiosk hears it', async () => {
    await page.goto(new URL('staff', hall.url).href);
    // One account with every desk role, to walk through every tab.
    await addStaffAccount(hall, {
      login: 'wang',
      name: '王科员',
      roles: ['clerk', 'supervisor', 'admin'],
      jurisdictions: ['610102'],
    });
    await staffSignsIn(page, 'wang', 'wrong-pass-2026');
    await page.getByText('登录名或密码错误').waitFor({ timeout: 10_000 });
    await staffSignsIn(page, 'wang');
    const row = page.locator(`tr[data-case="${fixtureId('app-e2e-1')}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid=who]').innerText()).toMatch(/^王科员 · 受理员、.* · 610102$/);
    expect(await row.locator('[data-status]').getAttribute('data-status')).toBe('received');
    expect(await row.locator('[data-level]').innerText()).toMatch(/收件提醒/);
    expect(
      await page.locator(`tr[data-case="${fixtureId('app-e2e-late')}"] [data-level]`).innerText(),
    ).toMatch(/超时通报/);
    // The session is an HttpOnly cookie: nothing in storage, nothing the page's script can read.
    expect(await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie])).toEqual([
      0,
      0,
      '',
    ]);
    await shot('01-cases');

    await row.getByRole('button', { name: /查看/ }).click();
    const detail = page.locator('#case-detail');
    await detail.waitFor();
    expect(await detail.locator('[data-testid=applicant-name]').innerText()).toBe('张*三');
    expect(await detail.locator('[data-testid=applicant-id]').innerText()).toBe('6101**********1234');
    expect(await page.locator('body').innerText()).not.toContain('张小三');
    expect(await detail.locator('[data-testid=case-attachments] tbody tr').count()).toBe(2);

    const form = detail.locator('form[data-form="request-correction"]');
    await form.getByLabel('hkb').check();
    await staffTypes(form.locator('textarea[name=other]'), '户口簿首页复印件');
    await staffTypes(form.locator('input[name=note]'), '请补充户口簿');
    await shot('02-detail');
    await form.locator('button[data-action="request-correction"]').click();
    await page.locator('#status').getByText('补齐补正').waitFor({ timeout: 10_000 });
    await page
      .locator(`tr[data-case="${fixtureId('app-e2e-1')}"] [data-status="correction-requested"]`)
      .waitFor();
    expect(await page.locator(`tr[data-case="${fixtureId('app-e2e-1')}"] [data-level]`).innerText()).toMatch(
      /暂停/,
    );
    await detail.locator('ol.history').getByText('材料：hkb、户口簿首页复印件').waitFor();
    await shot('03-correction');

    // The kiosk-facing change log carries the 补正 for the submitting kiosk …
    const log = (await hall.service.changes(kioskId, '', 100)).body as {
      changes: { stream: string; key: string; data: Record<string, unknown> }[];
    };
    const change = log.changes.find((c) => c.stream === 'case-status' && c.key === fixtureId('app-e2e-1'));
    expect(change?.data).toMatchObject({
      status: 'correction-requested',
      materials: ['hkb', '户口簿首页复印件'],
      note: '请补充户口簿',
    });
    // … and the kiosk applies it on its next cycle.
    expect(await kiosk.runOnce()).toMatchObject({ ok: true });
    expect(
      db.prepare('SELECT status FROM applications WHERE id = ?').pluck().get(fixtureId('app-e2e-1')),
    ).toBe('correction-requested');
    await expectNoSeriousA11yViolations(page, 'staff desk, case detail');
    expect(pageErrors).toEqual([]);
  }, 40_000);

  it('shows the bad review’s follow-up and the fleet', async () => {
    await page.locator('#tab-followups').click();
    const fu = page.locator('#followups tbody tr[data-followup]');
    await fu.first().waitFor({ timeout: 10_000 });
    expect(await fu.first().innerText()).toMatch(/非常不满意/);
    await fu.first().getByRole('button', { name: /处理/ }).click();
    await page.locator('#followup-detail button[data-action="start"]').click();
    await page.locator('#followups [data-state="in-progress"]').waitFor({ timeout: 10_000 });
    await shot('04-followups');
    await expectNoSeriousA11yViolations(page, 'staff desk, follow-ups');

    await page.locator('#tab-fleet').click();
    const k = page.locator(`#fleet tr[data-kiosk="${kioskId}"]`);
    await k.waitFor();
    expect(await k.innerText()).toMatch(/在线/);
    expect(await k.innerText()).toMatch(/告警/);
    expect(await k.innerText()).toMatch(/凭条打印机/);
    await shot('05-fleet');
    await expectNoSeriousA11yViolations(page, 'staff desk, fleet');

    // A reload keeps the session (the cookie); signing out ends it on the hall.
    await page.reload();
    await page.locator(`tr[data-case="${fixtureId('app-e2e-1')}"]`).waitFor({ timeout: 10_000 });
    await page.locator('#logout').click();
    await page.locator('#login').waitFor();
    await page.reload();
    await page.locator('#login').waitFor();
    expect(await page.locator('#desk').isHidden()).toBe(true);
    expect(pageErrors).toEqual([]);
  }, 30_000);
});
