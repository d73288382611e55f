/**
 * What the kiosk says in 进度查询, 排队取号 and 服务评价 (issue 12; src/renderer/lib/flow-voice.ts), in a
 * real Chromium against one real backend with the simulators. Speech synthesis is stubbed in the page
 * (addInitScript) so every utterance handed to the browser is recorded with its language and rate.
 * Each flow is walked in zh-CN (portrait), English (landscape) and 长辈模式 (portrait): every screen says
 * what to do next (not its title), a refused entry is read out without echoing what was typed, the
 * case status is said in words with its receipt number one character at a time, the ticket number
 * with the window to wait at, thanks after a rating — and 再听一遍 says the last prompt again. Nothing
 * personal is ever spoken. Text goes in only through the kiosk's own keys.
 *
 * The hall's clock is Monday 10:00 (windows open): the shared backend's settable clock.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { idcard } from '../src/devices/index.js';
import {
  type Kiosk,
  LANDSCAPE,
  launchBrowser,
  PORTRAIT,
  screenshot,
  settableClock,
  startKiosk,
  type Viewport,
} from './harness.js';
import {
  clearKeyboard,
  createApplication,
  removeCard,
  residentApi,
  setToggle,
  sims,
  type Submitted,
  typeOnKeyboard,
} from './resident-fixtures.js';

/** Monday 7 December 2026, 10:00 in the hall (Asia/Shanghai): every window is open. */
const MONDAY_MORNING = '2026-12-07T10:00:00+08:00';
const hallClock = settableClock(MONDAY_MORNING);
const CARD = idcard.SAMPLE_CARDS.resident;

type Utterance = { text: string; lang: string; rate: number };

let kiosk: Kiosk;
let browser: Browser;
let page: Page;
const problems: string[] = [];
/** One unrated application per case (a matter is rated once). */
const apps: Submitted[] = [];

/** Replaces the browser's speech synthesis with a recorder (before any script of the page runs). */
function recordSpeech(): void {
  const said: { text: string; lang: string; rate: number }[] = [];
  Object.assign(window, { __utterances: said });
  class Recorded {
    text: string;
    lang = '';
    rate = 1;
    constructor(text: string) {
      this.text = text;
    }
  }
  Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: Recorded, configurable: true });
  Object.defineProperty(window, 'speechSynthesis', {
    configurable: true,
    value: {
      speak: (u: Recorded) => said.push({ text: u.text, lang: u.lang, rate: u.rate }),
      cancel: () => undefined,
      getVoices: () => [],
    },
  });
}

const utterances = (): Promise<Utterance[]> =>
  page.evaluate(() => [...((window as Window & { __utterances?: Utterance[] }).__utterances ?? [])]);
const mark = async (): Promise<number> => (await utterances()).length;

/** Waits until an utterance after the first `from` contains every one of `parts`; returns it. */
async function heard(from: number, ...parts: string[]): Promise<Utterance> {
  let found: Utterance | undefined;
  await expect
    .poll(
      async () => {
        found = (await utterances()).slice(from).find((u) => parts.every((p) => u.text.includes(p)));
        return found !== undefined;
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  return found!;
}

/** 再听一遍: the last prompt said again, once more. */
async function hearAgain(): Promise<void> {
  const before = await utterances();
  const last = before.at(-1);
  expect(last).toBeDefined();
  await page.locator('[data-testid=voice-repeat]').click();
  await expect.poll(async () => (await utterances()).length).toBe(before.length + 1);
  expect((await utterances()).at(-1)?.text).toBe(last?.text);
}

beforeAll(async () => {
  kiosk = await startKiosk({ clock: hallClock.clock });
  const api = await residentApi(kiosk);
  for (let i = 0; i < 3; i++) apps.push(await createApplication(api, kiosk, `voice-flows-${i}`));
  ({ browser, page } = await launchBrowser(PORTRAIT));
  // The page's clock is Playwright's (real pace): the thank-you's 3 s (6 s in 长辈模式) are stepped
  // over, not waited out.
  await page.clock.install();
  await page.addInitScript(recordSpeech);
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await kiosk?.stop();
});

afterEach(async () => {
  await removeCard(kiosk);
  expect(problems.splice(0)).toEqual([]);
});

type Words = {
  progressChoose: string;
  receipt: string;
  badFormat: string;
  unlock: string;
  status: string;
  receiptSpelled: string;
  next: string;
  reprinted: string;
  queueChoose: string;
  ticket: string;
  printed: string;
  evaluateChoose: string;
  level: string;
  levelRequired: string;
  reason: string;
  reasonRequired: string;
  thanks: string;
};

const ZH: Words = {
  progressChoose: '请选择查询方式：点“输入受理编号”',
  receipt: '请用屏幕键盘输入凭证上的受理编号',
  badFormat: '受理编号格式不对',
  unlock: '要看详情，请输入凭证上的查询码',
  status: '当前状态：已提交，待上传',
  receiptSpelled: '您的受理编号是：Z Z 零 一，',
  next: '查看完了请点“完成”',
  reprinted: '凭证已重新打印，请从出纸口取走',
  queueChoose: '请点要去的窗口类别取号',
  ticket: '您的排队号是 ',
  printed: '排队小票已打印',
  evaluateChoose: '请找到要评价的办件',
  level: '请为本次服务打分',
  levelRequired: '请先选择整体满意度',
  reason: '请选择一项不满意的原因',
  reasonRequired: '请选择或输入不满意的原因',
  thanks: '感谢您的评价',
};
const EN: Words = {
  progressChoose: 'Choose how to find your application',
  receipt: 'Type the receipt number from your receipt on the screen keyboard',
  badFormat: 'That is not a receipt number',
  unlock: 'type the access code from your receipt',
  status: 'status: ',
  receiptSpelled: 'Your receipt number is: Z Z zero one,',
  next: 'when you are done, tap “Done”',
  reprinted: 'The receipt was printed again',
  queueChoose: 'Tap the window category you need',
  ticket: 'Your number is ',
  printed: 'ticket',
  evaluateChoose: 'Find the application to rate',
  level: 'Rate this service',
  levelRequired: 'cannot go on yet',
  reason: 'Choose a reason you are not satisfied',
  reasonRequired: 'cannot go on yet',
  thanks: 'Thank you for your rating',
};

type Case = {
  name: string;
  english: boolean;
  elderly: boolean;
  words: Words;
  viewport: Viewport;
  app: number;
};
const CASES: Case[] = [
  { name: 'zh-portrait', english: false, elderly: false, words: ZH, viewport: PORTRAIT, app: 0 },
  { name: 'en-landscape', english: true, elderly: false, words: EN, viewport: LANDSCAPE, app: 1 },
  { name: 'elderly-zh-portrait', english: false, elderly: true, words: ZH, viewport: PORTRAIT, app: 2 },
];

/** Home, in the case's language and mode; returns when the page shows it. */
async function home(c: Case): Promise<void> {
  await page.setViewportSize(c.viewport);
  await page.goto(kiosk.url);
  await page.locator('[data-testid=device-status]').waitFor();
  await setToggle(page, 'toggle-language', c.english);
  await setToggle(page, 'toggle-elderly', c.elderly);
  expect(await page.locator('[data-testid=toggle-voice]').getAttribute('aria-pressed')).toBe('true');
}

/** Ends the session through the flow's last button and the farewell. */
async function leave(): Promise<void> {
  const farewell = page.locator('[data-testid=farewell-home]');
  await farewell.or(page.locator('[data-testid=device-status]')).first().waitFor();
  if ((await farewell.count()) > 0) await farewell.click();
  await page.locator('[data-testid=device-status]').waitFor();
}

/** The receipt number typed on the kiosk's keyboard, then the access code: the search screens' voice. */
async function findByReceipt(c: Case, app: Submitted, purpose: 'progress' | 'evaluate'): Promise<void> {
  const w = c.words;
  let m = await mark();
  await page.locator(`[data-testid=${purpose}-by-receipt]`).click();
  await page.locator('[data-testid=receipt-entry]').waitFor();
  await heard(m, w.receipt);
  if (purpose === 'progress') {
    // A number that is not one: refused in words, and what was typed is never said (once per case).
    m = await mark();
    await typeOnKeyboard(page, 'ZZ0');
    await page.locator('[data-testid=receipt-search]').click();
    await page.locator('[data-testid=lookup-message][data-kind=badFormat]').waitFor();
    const refused = await heard(m, w.badFormat);
    expect(refused.text).not.toContain('ZZ0');
    await hearAgain();
    await clearKeyboard(page);
  }
  m = await mark();
  await typeOnKeyboard(page, app.receiptNo);
  await page.locator('[data-testid=receipt-search]').click();
  await page.locator('[data-testid=status-only]').waitFor();
  await heard(m, w.unlock);
  await typeOnKeyboard(page, app.accessCode);
  await page.locator('[data-testid=access-submit]').click();
}

/** Nothing personal in anything said: no name (full or masked), no ID number. */
async function nothingPersonal(): Promise<void> {
  const all = (await utterances()).map((u) => u.text).join('\n');
  const masked = `${CARD.name.slice(0, 1)}*${CARD.name.slice(-1)}`;
  for (const secret of [CARD.name, masked, CARD.idNumber, CARD.idNumber.slice(-4), '13800138000'])
    expect(all).not.toContain(secret);
}

describe('voice in 进度查询, 排队取号 and 服务评价', () => {
  for (const c of CASES) {
    it(`says what to do at every step of the three flows (${c.name})`, async () => {
      const w = c.words;
      const app = apps[c.app]!;
      await home(c);

      // 进度查询: the ways, the receipt entry, a refusal, the status alone, then the case in words.
      let m = await mark();
      await page.locator('[data-tile=progress]').click();
      await page.locator('[data-testid=progress-by-receipt]').waitFor();
      const choose = await heard(m, w.progressChoose);
      expect(choose.lang).toBe(c.english ? 'en-US' : 'zh-CN');
      expect(choose.rate).toBe(c.elderly ? 0.75 : 0.9);
      await page.locator('[data-testid=voice-repeat]').waitFor();
      m = await mark();
      await findByReceipt(c, app, 'progress');
      await page.locator('[data-testid=progress-detail]').waitFor();
      const detail = await heard(m, w.status, w.receiptSpelled, w.next);
      expect(detail.text).not.toContain(app.receiptNo);
      await screenshot(page, `voice-flows-${c.name}-progress`);
      await hearAgain();
      // A reprint: its outcome said as the notice shows it.
      m = await mark();
      await page.locator('[data-testid=detail-reprint]').click();
      await page.locator('[data-testid=reprint-result][data-state=printed]').waitFor({ timeout: 20_000 });
      await heard(m, w.reprinted);
      await page.locator('[data-testid=detail-finish]').click();
      await leave();

      // 排队取号: which window to tap, then the number spelled, the window and the printed ticket.
      m = await mark();
      await page.locator('[data-tile=queue]').click();
      await page.locator('[data-testid=queue-hours-zzlb]').waitFor();
      await heard(m, w.queueChoose);
      m = await mark();
      await page.locator('[data-testid=queue-windows] [data-window=zzlb]').click();
      await page.locator('[data-testid=queue-ticket][data-print=printed]').waitFor({ timeout: 20_000 });
      const number = (await page.locator('[data-testid=ticket-number]').innerText()).trim();
      const windowName = (await page.locator('[data-testid=ticket-window]').innerText()).trim();
      const ticket = await heard(m, w.ticket, windowName, w.printed);
      // One character at a time: A005 → "A 零 零 五", never "A005".
      expect(ticket.text).not.toContain(number);
      expect(ticket.text).toContain(`${w.ticket}${number.slice(0, 1)} `);
      await hearAgain();
      await page.locator('[data-testid=queue-finish]').click();
      await leave();

      // 服务评价: the ways, the search, the level asked for, refusals read out, a reason, thanks.
      m = await mark();
      await page.locator('[data-tile=evaluate]').click();
      await page.locator('[data-testid=evaluate-by-receipt]').waitFor();
      await heard(m, w.evaluateChoose);
      m = await mark();
      await findByReceipt(c, app, 'evaluate');
      const form = page.locator('[data-testid=evaluation-form]');
      await form.locator('[data-testid=evaluation-levels]').waitFor();
      await heard(m, w.level);
      m = await mark();
      await page.locator('[data-testid=evaluation-submit]').click();
      await page.locator('[data-testid=evaluation-errors]').waitFor();
      await heard(m, w.levelRequired);
      m = await mark();
      await form.locator('[data-level=dissatisfied]').click();
      await heard(m, w.reason);
      m = await mark();
      await page.locator('[data-testid=evaluation-submit]').click();
      await heard(m, w.reasonRequired);
      await hearAgain();
      await form.locator('[data-testid=evaluation-reason] [data-reason]').first().click();
      m = await mark();
      await page.locator('[data-testid=evaluation-submit]').click();
      await page.locator('[data-testid=evaluation-thanks]').waitFor();
      await heard(m, w.thanks);
      await screenshot(page, `voice-flows-${c.name}-thanks`);
      await hearAgain();
      // The thank-you moves on by itself after THANKS_MS (3 s, twice that in 长辈模式).
      await page.clock.fastForward(6_000);
      await leave();

      await nothingPersonal();
      expect(sims(kiosk).ticketPrinter.receipts().length).toBeGreaterThan(0);
    }, 90_000);
  }
});
