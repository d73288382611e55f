/**
 * The live desk and the 叫号 panel in a real Chromium at 1366×768 (docs/sync-protocol.md, 8 "Live desk
 * events" and "叫号 panel"): a clerk signs in; a case a kiosk pushes while the desk is open appears
 * in the list without a reload, highlighted; a 即办件 brings a banner whose countdown runs to the
 * kiosk's deadline (and a beep, which must not break the page where audio is blocked); a supplement is
 * flagged. In the 叫号 tab the clerk calls the next number (优先号 first), calls it again, passes one
 * over, sends one to another window — by mouse and by keyboard. axe finds nothing serious.
 * Screenshots: e2e/artifacts/desk-live-*.png.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHallServer, type HallServer } from '../src/hall/index.js';
import { buildStaffPage } from '../src/hall/testing/staff-page-build.js';
import {
  applicationPayload,
  enrolKiosk,
  fixtureId,
  storeBlob,
  type FixtureKiosk,
} from '../src/hall/testing/staff-fixture.js';
import { sampleTicket } from '../src/shared/testing/wire-samples.js';
import { formatDay } from '../src/shared/wall-clock.js';
import { expectNoSeriousA11yViolations, launchBrowser, screenshot } from './harness.js';
import { addStaffAccount, staffSignsIn } from './staff-desk.js';

let root: string;
let hall: HallServer;
let kiosk: FixtureKiosk;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

async function shot(name: string): Promise<void> {
  await screenshot(page, `desk-live-${name}`);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'zizhu-e2e-desk-live-'));
  const pageDir = join(root, 'staff-page');
  await buildStaffPage(pageDir);
  hall = await startHallServer(
    { host: '127.0.0.1', port: 0, dataDir: join(root, 'hall'), staffPageDir: pageDir },
    { silent: true },
  );
  kiosk = await enrolKiosk(hall, '610102');
  ({ browser, page } = await launchBrowser({ width: 1366, height: 768 }));
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await hall?.close();
  rmSync(root, { recursive: true, force: true });
});

const row = (name: string) => page.locator(`tr[data-case="${fixtureId(name)}"]`);

describe('live desk and 叫号 panel', () => {
  it('shows a pushed case, a 即办件 countdown and a supplement without a reload', async () => {
    await page.goto(new URL('staff', hall.url).href);
    await addStaffAccount(hall, {
      login: 'wang',
      name: '王科员',
      roles: ['clerk', 'approver'],
      jurisdictions: ['610102'],
    });
    await staffSignsIn(page, 'wang');
    await page.locator('#cases tbody').waitFor();
    // The stream is open once the hall counts a listener.
    await expect.poll(() => hall.deskEvents.listenerCount(), { timeout: 10_000 }).toBe(1);
    await page.evaluate(() => {
      (window as unknown as { loads: number }).loads = 1;
    });

    const promised = applicationPayload('live-e2e-promised', {
      submittedAt: new Date().toISOString(),
      promisedDate: null,
    });
    expect(JSON.stringify((await kiosk.push('application', promised)).body)).toContain('"applied"');
    await row('live-e2e-promised').waitFor({ timeout: 10_000 });
    expect(await row('live-e2e-promised').getAttribute('data-live')).toBe('new');
    await page.locator('#live-feed').getByText(promised.receiptNo).waitFor();

    // A 即办件 submitted 5 s ago: about 55 s left at the kiosk.
    const immediate = applicationPayload('live-e2e-immediate', {
      caseType: 'immediate',
      submittedAt: new Date(Date.now() - 5000).toISOString(),
      promisedDate: null,
    });
    expect(JSON.stringify((await kiosk.push('application', immediate)).body)).toContain('"applied"');
    const banner = page.locator(`[data-immediate="${immediate.id}"]`);
    await banner.waitFor({ timeout: 10_000 });
    const countdown = banner.locator('[data-testid=countdown]');
    const first = Number(await countdown.getAttribute('data-seconds'));
    expect(first).toBeGreaterThan(50);
    expect(first).toBeLessThanOrEqual(55);
    expect(await banner.innerText()).toContain('张*三');
    expect(await banner.innerText()).toContain(immediate.receiptNo);
    await expect
      .poll(async () => Number(await countdown.getAttribute('data-seconds')), { timeout: 5000 })
      .toBeLessThan(first);
    await row('live-e2e-immediate').waitFor();
    expect(await row('live-e2e-immediate').getAttribute('data-live')).toBe('immediate');
    expect(await page.locator('body').innerText()).not.toContain('张小三');
    await shot('01-immediate');
    await expectNoSeriousA11yViolations(page, 'live desk with a 即办件 banner');

    // 补正 asked at the desk over the API, the resident's pages come in: flagged.
    const token = await hall.staff.createToken('王科员', '610102');
    const asked = await fetch(new URL(`v1/staff/cases/${promised.id}/actions`, hall.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'request-correction', materials: ['sfz'] }),
    });
    expect(asked.status).toBe(200);
    const sha = await storeBlob(hall, Buffer.from('page of the supplement'));
    await kiosk.push('supplement', {
      id: fixtureId('live-e2e-supplement'),
      applicationId: promised.id,
      receiptNo: promised.receiptNo,
      submittedAt: new Date().toISOString(),
      attachments: [{ materialCode: 'sfz', sha256: sha, size: 22, position: 0, mime: 'image/jpeg' }],
    });
    await expect
      .poll(() => row('live-e2e-promised').getAttribute('data-live'), { timeout: 10_000 })
      .toBe('supplement');
    await row('live-e2e-promised').locator('[data-status="supplement-received"]').waitFor();
    await page.locator('#live-feed').getByText('补正材料已到').waitFor();

    // Opening the 即办件 from its banner.
    await banner.getByRole('button', { name: /立即办理/ }).click();
    await page.locator('#case-detail').waitFor();
    // All of it without a reload.
    expect(await page.evaluate(() => (window as unknown as { loads?: number }).loads)).toBe(1);
    expect(pageErrors).toEqual([]);
  });

  it('calls the next number (优先号 first), recalls, skips and transfers in the 叫号 panel', async () => {
    const day = formatDay(new Date(), 'Asia/Shanghai');
    const take = async (name: string, priority?: 'elderly') => {
      const r = await hall.queue.take(kiosk.id, {
        id: fixtureId(name),
        idempotencyKey: `take-${name}`,
        window: 'ylsb',
        prefix: 'E',
        serviceDate: day,
        ...(priority ? { priority } : {}),
      });
      expect(r.status).toBe(200);
    };
    await take('e2e-e001');
    await take('e2e-pe001', 'elderly');
    await kiosk.push(
      'queue-ticket',
      sampleTicket({ id: fixtureId('e2e-e900'), window: 'ylsb', number: 'E900', serviceDate: day }),
    );

    await page.locator('#tab-queue').click();
    await page.locator('#queue-window').selectOption('ylsb');
    const current = page.locator('[data-testid=queue-current]');
    await page.locator('#queue-tickets tr[data-ticket="E900"]').waitFor();
    expect(await current.innerText()).toBe('—');
    expect(await page.locator('[data-testid=queue-waiting]').innerText()).toBe('3');
    await shot('02-queue-waiting');

    await page.locator('#queue-next').click();
    await expect.poll(() => current.innerText()).toBe('PE001');
    await page.locator('.queue-priority').getByText('老年人').waitFor();

    // The keyboard: Alt+N calls the next, Alt+R calls it again.
    await page.keyboard.press('Alt+N');
    await expect.poll(() => current.innerText()).toBe('E001');
    await page.keyboard.press('Alt+R');
    await page.locator('.queue-recalls').getByText('已呼叫 2 次').waitFor();

    // 过号: nobody at the window until the next call.
    await page.locator('#queue-skip').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => current.innerText()).toBe('—');
    expect(await page.locator('#queue-tickets tr[data-ticket="E001"]').getAttribute('data-state')).toBe(
      'skipped',
    );

    await page.locator('#queue-next').click();
    await expect.poll(() => current.innerText()).toBe('E900');
    await shot('03-queue-called');
    await expectNoSeriousA11yViolations(page, '叫号 panel');

    // 转窗 to 证照联办: it waits there, marked as transferred.
    await page.locator('#queue-transfer-to').selectOption('zzlb');
    await page.locator('#queue-transfer').click();
    await expect.poll(() => current.innerText()).toBe('—');
    await page.locator('#queue-tickets tr[data-ticket="E900"]').waitFor({ state: 'detached' });
    await page.locator('#queue-window').selectOption('zzlb');
    const moved = page.locator('#queue-tickets tr[data-ticket="E900"]');
    await moved.waitFor();
    expect(await moved.getAttribute('data-state')).toBe('waiting');
    expect(await moved.innerText()).toContain('由养老社保转入');
    await shot('04-queue-transferred');

    const actions = (await hall.audit.page({ jurisdictions: ['610102'] }))
      .filter((e) => e.action.startsWith('queue.'))
      .map((e) => e.action)
      .reverse();
    expect(actions).toEqual([
      'queue.call',
      'queue.call',
      'queue.recall',
      'queue.skip',
      'queue.call',
      'queue.transfer',
    ]);
    expect(pageErrors).toEqual([]);
  });
});
