/**
 * The desk's panels in React (issue 10 items 6, 7, 8) in a real Chromium at 1366×768, in English and
 * in Chinese, operated from the keyboard: 好差评整改 (a 差评's follow-up linked to its case by 受理编号,
 * opened with Enter, 开始整改 sent from its form), 统计分析 (the range typed as year-month-day; a day
 * that does not exist is said in words on the field; the figures, charts and tables; the Excel
 * export), 终端状态, 呼叫帮助 (a kiosk's request live, with its step, closed from the keyboard), 叫号
 * (Alt+N calls the 优先号 first) and 审计日志 (the actions in words). On the English page the panels'
 * words carry no Chinese (data excepted: names, item names, reasons); on the Chinese page no English
 * words. axe finds nothing serious; nothing scrolls sideways at 1366 wide. What a panel says on the
 * status line (a follow-up action, the Excel export, a number called), a wrong day on the range's
 * field and a follow-up form's error follow a 中文 / English switch made after they were said.
 * Screenshots of every panel in both languages: e2e/artifacts/desk-panels-*.png.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHallServer, type HallServer } from '../src/hall/index.js';
import type { Staff } from '../src/hall/staff.js';
import { buildStaffPage } from '../src/hall/testing/staff-page-build.js';
import {
  applicationPayload,
  enrolKiosk,
  fixtureId,
  type FixtureKiosk,
} from '../src/hall/testing/staff-fixture.js';
import { sampleTicket } from '../src/shared/testing/wire-samples.js';
import { formatDay } from '../src/shared/wall-clock.js';
import { expectNoSeriousA11yViolations, launchBrowser, screenshot } from './harness.js';
import { addStaffAccount, STAFF_PASSWORD, staffTypes } from './staff-desk.js';

const PENSION = '610000-RSJ-GG-05001-000';
const PANELS = ['followups', 'stats', 'fleet', 'help', 'queue', 'audit'] as const;
const HAN = /[\u4e00-\u9fff]/u;
let root: string;
let hall: HallServer;
let kiosk: FixtureKiosk;
let browser: Browser;
let page: Page;
let receiptNo: string;
const pageErrors: string[] = [];
const today = formatDay(new Date(), 'Asia/Shanghai');

async function shot(name: string): Promise<void> {
  await screenshot(page, `desk-panels-${name}`, { fullPage: true });
}

/** The keyboard only: focus an element as Tab would reach it, then press. */
async function press(selector: string, key: string): Promise<void> {
  await page.locator(selector).focus();
  await page.keyboard.press(key);
}

/** The language switch, by keyboard; waits for <html lang>. */
async function switchLanguage(to: 'en' | 'zh-CN'): Promise<void> {
  await press('#language', 'Enter');
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(to);
}

/**
 * What a panel just said on the status line follows a switch to Chinese (redrawn, not left in
 * English), and back to English; `shotName`: a screenshot of the page in Chinese.
 */
async function statusFollowsLanguage(
  english: string | RegExp,
  chinese: string | RegExp,
  shotName?: string,
): Promise<void> {
  const status = page.locator('#status');
  await status.getByText(english).waitFor();
  await switchLanguage('zh-CN');
  await status.getByText(chinese).waitFor({ timeout: 2000 });
  expect(await status.innerText()).toMatch(HAN);
  if (shotName) await screenshot(page, `desk-panels-${shotName}`);
  await switchLanguage('en');
  await status.getByText(english).waitFor({ timeout: 2000 });
  expect(await status.innerText()).not.toMatch(HAN);
}

const scrollsSideways = () =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

/** The panel's own words: headings, captions, column heads, labels, legends, buttons, badges, hints. */
const panelWords = (name: string): Promise<string[]> =>
  page
    .locator(
      `#panel-${name} :is(h2, h3, caption, th, label, legend, button, dt, .badge, .hint, .empty, figcaption, [data-testid=stat-cases], .tile)`,
    )
    .evaluateAll((els) =>
      els
        .filter((e) => !(e as HTMLElement).closest('[hidden]'))
        .map((e) => (e as HTMLElement).innerText.trim())
        .filter((t) => t !== ''),
    );

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'zizhu-e2e-desk-panels-'));
  await buildStaffPage(join(root, 'staff'));
  hall = await startHallServer(
    { host: '127.0.0.1', port: 0, dataDir: join(root, 'hall'), staffPageDir: join(root, 'staff') },
    { silent: true },
  );
  kiosk = await enrolKiosk(hall, '610102');
  const now = new Date().toISOString();
  for (const n of [1, 2, 3]) {
    const p = applicationPayload(`panel-${n}`, { itemCode: PENSION, submittedAt: now, promisedDate: null });
    if (n === 1) receiptNo = p.receiptNo;
    expect((await kiosk.push('application', p)).status).toBe(200);
  }
  const approver: Staff = {
    name: '王科员',
    jurisdiction: '610102',
    jurisdictions: ['610102'],
    roles: ['approver'],
  };
  expect(
    (await hall.staff.act(approver, fixtureId('panel-1'), { action: 'accept', note: '材料齐全' })).status,
  ).toBe(200);
  expect(
    (
      await kiosk.push('evaluation', {
        id: fixtureId('panel-ev-1'),
        targetKind: 'application',
        targetId: fixtureId('panel-1'),
        level: 'dissatisfied',
        contentItems: [],
        reason: 'r-repeat-visits',
        comment: null,
        channel: 'self-service-terminal',
        itemsVersion: '2026.1',
        createdAt: now,
      })
    ).status,
  ).toBe(200);
  // Today's queue at 养老社保: an online number, an 优先号 and a kiosk's offline-range ticket.
  for (const [name, priority] of [
    ['panel-e001', undefined],
    ['panel-pe001', 'elderly'],
  ] as const) {
    expect(
      (
        await hall.queue.take(kiosk.id, {
          id: fixtureId(name),
          idempotencyKey: `take-${name}`,
          window: 'ylsb',
          prefix: 'E',
          serviceDate: today,
          ...(priority ? { priority } : {}),
        })
      ).status,
    ).toBe(200);
  }
  await kiosk.push(
    'queue-ticket',
    sampleTicket({ id: fixtureId('panel-e900'), window: 'ylsb', number: 'E900', serviceDate: today }),
  );
  await addStaffAccount(hall, {
    login: 'liu',
    name: '刘主任',
    roles: ['clerk', 'approver', 'supervisor', 'admin'],
    jurisdictions: ['610102'],
  });
  ({ browser, page } = await launchBrowser({ width: 1366, height: 768 }));
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await hall?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the desk’s panels in React, by keyboard, in English and Chinese', () => {
  it('signs in, switches to English and handles a 差评 follow-up from the keyboard', async () => {
    await page.goto(new URL('staff', hall.url).href);
    await staffTypes(page.locator('#login-name'), 'liu');
    await staffTypes(page.locator('#password'), STAFF_PASSWORD);
    await page.locator('#password').press('Enter');
    await page.locator('#cases tbody tr[data-case]').first().waitFor({ timeout: 15_000 });
    // The 电子监察 tiles come from the summary route (counted on the list's columns).
    const summary = await page.evaluate(async () => {
      const r = await fetch('/v1/staff/case-list/summary');
      return ((await r.json()) as { summary: Record<string, number> }).summary;
    });
    expect(summary.reminder).toBe(2);
    for (const level of ['overdue', 'warning', 'reminder', 'paused'])
      expect(await page.locator(`[data-testid=summary-${level}] b`).innerText(), level).toBe(
        String(summary[level]),
      );
    // On duty: a kiosk's resident asks for help on the 我要办事 screen.
    expect(
      (
        await hall.help.request(
          { id: kiosk.id, jurisdiction: '610102' },
          { id: fixtureId('panel-help-1'), step: 'apply', since: new Date().toISOString(), consent: false },
        )
      ).status,
    ).toBe(200);
    await switchLanguage('en');

    await press('#tab-cases', 'ArrowRight');
    const row = page.locator('#followups tbody tr[data-followup]');
    await row.first().waitFor({ timeout: 10_000 });
    expect(await row.count()).toBe(1);
    expect(await row.locator('td').nth(1).innerText()).toBe('Dissatisfied');
    expect(await row.locator(`a[data-case-link="${fixtureId('panel-1')}"]`).innerText()).toBe(receiptNo);
    expect(await row.locator('[data-state=pending]').innerText()).toBe('Pending');
    // Handle: Enter on the row's button moves the focus to the task.
    await press('#followups tbody tr[data-followup] button', 'Enter');
    const detail = page.locator('#followup-detail');
    await detail.waitFor({ state: 'visible' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('followup-detail');
    expect(await detail.locator('#followup-title').innerText()).toMatch(/^Follow-up \d+$/);
    const note = detail.locator('form[data-form=start] input[name=note]');
    await staffTypes(note, 'Called the resident back');
    await note.press('Enter');
    await row.locator('[data-state=in-progress]').waitFor({ timeout: 10_000 });
    await detail
      .locator('ol.history')
      .getByText(/Start; note: Called the resident back$/)
      .waitFor();
    // Said as the action's words in the page's language: a switch redraws them.
    await statusFollowsLanguage(/^Done: Start \(follow-up \d+\)$/, /^已办理：开始整改（整改任务 \d+）$/);
    // A form's own words too: 整改完成 sent without its note, then the switch.
    const complete = detail.locator('form[data-form=complete]');
    await press('form[data-form=complete] button[type=submit]', 'Enter');
    await complete.locator('p.error').getByText('Required information missing').waitFor({ timeout: 2000 });
    await switchLanguage('zh-CN');
    await complete.locator('p.error').getByText('请填写必填内容').waitFor({ timeout: 2000 });
    await switchLanguage('en');
    for (const w of await panelWords('followups')) expect(w, w).not.toMatch(HAN);
    expect(await scrollsSideways()).toBe(false);
    await shot('followups-en');
    await expectNoSeriousA11yViolations(page, 'follow-ups (English)');
  }, 60_000);

  it('reads the statistics range as year-month-day, says a wrong day, and exports Excel', async () => {
    await press('#tab-followups', 'ArrowRight');
    const from = page.locator('[data-testid=stats-from]');
    const to = page.locator('[data-testid=stats-to]');
    // This month by default, written as the hall reads it.
    await page.locator('[data-testid=stat-cases] b').getByText('3').waitFor({ timeout: 10_000 });
    expect(await from.inputValue()).toBe(`${today.slice(0, 8)}01`);
    expect(await to.inputValue()).toBe(today);
    expect(await from.getAttribute('placeholder')).toBe('YYYY-MM-DD');
    expect(await page.locator('#panel-stats .range-hint').innerText()).toBe(
      `Year-month-day, for example ${today}`,
    );

    // A day that does not exist: said on the field, the focus taken there.
    await staffTypes(to, '2026-02-30');
    await to.press('Enter');
    const problem = page.locator('[data-testid=stats-problem]');
    await problem
      .getByText(/^To is not a date: write year-month-day, for example \d{4}-\d{2}-\d{2}$/)
      .waitFor();
    expect(await to.getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid)).toBe(
      'stats-to',
    );
    expect(await to.getAttribute('aria-describedby')).toContain(await problem.getAttribute('id'));
    // The field's words follow a language switch too.
    await switchLanguage('zh-CN');
    await problem
      .getByText(/^结束日期不是有效日期，请按"年-月-日"填写，例如 \d{4}-\d{2}-\d{2}$/)
      .waitFor({ timeout: 2000 });
    await switchLanguage('en');
    await problem.getByText(/^To is not a date/).waitFor({ timeout: 2000 });
    // Typed as people write it, read as the day.
    await staffTypes(from, today.replace(/-0?/gu, '/'));
    await staffTypes(to, today);
    await to.press('Enter');
    await expect.poll(() => from.inputValue()).toBe(today);
    expect(await to.getAttribute('aria-invalid')).toBeNull();
    expect(await problem.innerText()).toBe('');
    await page.locator('[data-testid=stat-cases] b').getByText('3').waitFor();
    expect(await page.locator('[data-testid=stat-bad-rate] b').innerText()).toBe('100.0%');
    expect(await page.locator('#panel-stats svg.chart').count()).toBe(2);
    expect(await page.locator('#panel-stats svg.chart title').first().textContent()).toBe('Cases by status');
    expect(await page.locator('[data-testid=stats-by-item] tbody').innerText()).toMatch(/\t3\t0\t/);
    expect(await page.locator('[data-testid=stats-by-status] tbody').innerText()).not.toMatch(HAN);
    for (const w of await panelWords('stats')) expect(w, w).not.toMatch(HAN);
    expect(await scrollsSideways()).toBe(false);
    await shot('stats-en');
    await expectNoSeriousA11yViolations(page, 'statistics (English)');

    const download = page.waitForEvent('download');
    await press('button[data-export=xlsx]', 'Enter');
    const file = await download;
    expect(file.suggestedFilename()).toBe(`stats-${today}-${today}.xlsx`);
    // An Office Open XML file is a zip.
    expect(
      readFileSync(await file.path())
        .subarray(0, 2)
        .toString('latin1'),
    ).toBe('PK');
    await statusFollowsLanguage('Exported Excel', '已导出 Excel');
  }, 60_000);

  it('shows the kiosks, the help request, the queue and the audit log in English', async () => {
    await press('#tab-stats', 'ArrowRight');
    const k = page.locator(`#fleet tr[data-kiosk="${kiosk.id}"]`);
    await k.waitFor();
    expect(await k.innerText()).not.toMatch(HAN);
    for (const w of await panelWords('fleet')) expect(w, w).not.toMatch(HAN);
    expect(await scrollsSideways()).toBe(false);
    await shot('fleet-en');
    await expectNoSeriousA11yViolations(page, 'kiosks (English)');

    await press('#tab-fleet', 'ArrowRight');
    const help = page.locator('#help tbody tr[data-state=waiting]');
    await help.waitFor({ timeout: 10_000 });
    expect(await page.locator('#tab-help').innerText()).toBe('Help calls (1)');
    expect(await help.locator('td').nth(1).innerText()).toBe('Applying');
    expect(await help.locator('td').nth(4).innerText()).toBe('Waiting');
    await help.getByRole('button', { name: `Answer kiosk ${kiosk.id}` }).waitFor();
    for (const w of await panelWords('help')) expect(w, w).not.toMatch(HAN);
    expect(await scrollsSideways()).toBe(false);
    await shot('help-en');
    await expectNoSeriousA11yViolations(page, 'help calls (English)');

    await press('#tab-help', 'ArrowRight');
    await page.locator('#queue-window').selectOption('ylsb');
    await page.locator('#queue-tickets tr[data-ticket="E900"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid=queue-waiting]').innerText()).toBe('3');
    await page.locator('#queue-next').focus();
    await page.keyboard.press('Alt+N');
    const current = page.locator('[data-testid=queue-current]');
    await expect.poll(() => current.innerText()).toBe('PE001');
    expect(await page.locator('.queue-priority').innerText()).toBe('Elderly');
    await statusFollowsLanguage('Now calling PE001', '请 PE001 号到窗口办理', 'queue-status-zh');
    expect(await page.locator('#queue-tickets tr[data-ticket="E900"]').innerText()).toMatch(
      /Offline range\t—\tWaiting/,
    );
    for (const w of await panelWords('queue')) expect(w, w).not.toMatch(HAN);
    expect(await scrollsSideways()).toBe(false);
    await shot('queue-en');
    await expectNoSeriousA11yViolations(page, 'queue (English)');

    await press('#tab-queue', 'ArrowRight');
    await press('#refresh', 'Enter');
    const calls = page.locator('#audit tbody tr[data-action="queue.call"]');
    await calls.first().waitFor({ timeout: 10_000 });
    expect(await calls.first().locator('td').nth(2).innerText()).toBe('Call');
    const what = await page.locator('#audit tbody tr td:nth-child(3)').allInnerTexts();
    expect(what).toContain('Sign-in');
    expect(what).toContain('Statistics exported');
    for (const w of what) expect(w, w).not.toMatch(HAN);
    for (const w of await panelWords('audit')) expect(w, w).not.toMatch(HAN);
    expect(await scrollsSideways()).toBe(false);
    await shot('audit-en');
    await expectNoSeriousA11yViolations(page, 'audit log (English)');
  }, 60_000);

  it('shows every panel in Chinese with no English words, and closes the help request by keyboard', async () => {
    await switchLanguage('zh-CN');
    // Letters allowed on the Chinese page: file formats, key names, the example day.
    const english = (w: string) => w.replace(/\b(CSV|Excel|JSON|Alt\+[NRS])\b/gu, '').match(/[A-Za-z]{2,}/u);
    for (const name of PANELS) {
      await press(`#tab-${name}`, 'Enter');
      await page.locator(`#panel-${name}`).waitFor();
      for (const w of await panelWords(name)) expect(english(w), `${name}: ${w}`).toBeNull();
      expect(await scrollsSideways()).toBe(false);
      await shot(`${name}-zh`);
      await expectNoSeriousA11yViolations(page, `${name} (zh-CN)`);
    }
    expect(await page.locator('#followups tbody tr td').nth(1).innerText()).toBe('不满意');
    expect(await page.locator('#followups [data-state=in-progress]').innerText()).toBe('整改中');
    expect(await page.locator('#panel-stats label').first().innerText()).toBe('开始日期');
    expect(await page.locator('[data-testid=stats-from]').getAttribute('placeholder')).toBe('年-月-日');
    expect(
      await page
        .locator('#queue-tickets tr[data-ticket="PE001"] td')
        .evaluateAll((tds) => tds.map((td) => td.textContent)),
    ).toEqual(['PE001', '联网取号', '老年人', '已呼叫', expect.any(String), expect.any(String)]);

    await press('#tab-help', 'Enter');
    expect(await page.locator('#help tbody tr[data-state=waiting] td').nth(1).innerText()).toBe('我要办事');
    await press('#help tbody tr[data-state=waiting] button.help-close', 'Enter');
    await page.locator('#help tbody td.empty').getByText('暂无求助').waitFor({ timeout: 10_000 });
    expect(await page.locator('#tab-help').innerText()).toBe('呼叫帮助');
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
