/**
 * The live desk (docs/sync-protocol.md, 8 "Live desk events"): while signed in the page keeps
 * GET /v1/staff/events open and reacts without a refresh — a new case reloads the list and is
 * highlighted; a 即办件 resident held at a kiosk gets a banner with a countdown to the kiosk's
 * deadline, a highlight and a short beep; supplements and help requests are flagged in the list, the
 * tab and the feed. After a drop it reconnects with Last-Event-ID (the hall replays what was missed);
 * a `resync` (the hall restarted) reloads the lists.
 *
 * Read with fetch, with the desk's session cookie (and `last-event-id`, which EventSource cannot set).
 */
import type { DeskCaseRef, DeskEvent } from '../../shared/desk-events.js';
import { beep } from './beep.js';
import type { Desk } from './desk.js';
import { bi, byId, clear, h } from './dom.js';
import { formatTime } from './format.js';

type Waiting = { ref: DeskCaseRef; kioskId: string; localDeadline: number };
type Flag = 'new' | 'immediate' | 'supplement';

const RECONNECT_MS = 2000;
const FEED_MAX = 8;

export function createLiveDeskView(deps: {
  desk: Desk;
  /** The session's CSRF token; null when signed out (the cookie itself goes with every request). */
  csrf: () => string | null;
  fetch: typeof fetch;
  reloadCases: () => Promise<unknown>;
  openCase: (id: string) => Promise<unknown>;
}) {
  const { desk } = deps;
  let stream: AbortController | null = null;
  let lastEventId: string | null = null;
  let ticker: number | null = null;
  const waiting = new Map<string, Waiting>();
  const flags = new Map<string, Flag>();
  const feed: { at: string; text: { zh: string; en: string }; caseId: string | null }[] = [];

  /** Re-marks the flagged rows after the case list is redrawn. */
  function markRows(): void {
    for (const tr of document.querySelectorAll<HTMLTableRowElement>('#cases tr[data-case]')) {
      const f = flags.get(tr.dataset.case ?? '');
      if (f) tr.dataset.live = f;
      else delete tr.dataset.live;
    }
  }
  let reloading: Promise<void> | null = null;
  const reload = (): Promise<void> => {
    reloading ??= deps
      .reloadCases()
      .then(() => markRows())
      .finally(() => {
        reloading = null;
      });
    return reloading;
  };

  function drawFeed(): void {
    const list = byId('live-feed', HTMLOListElement);
    clear(list);
    for (const f of feed)
      list.appendChild(
        h(
          'li',
          null,
          h('span', { className: 'mono' }, formatTime(f.at, desk.state.timeZone)),
          ' ',
          bi(f.text),
        ),
      );
    list.hidden = feed.length === 0;
  }
  function note(at: string, text: { zh: string; en: string }, caseId: string | null = null): void {
    feed.unshift({ at, text, caseId });
    feed.length = Math.min(feed.length, FEED_MAX);
    drawFeed();
  }

  function drawBanners(): void {
    const box = byId('immediate-banners', HTMLDivElement);
    clear(box);
    const now = Date.now();
    for (const w of waiting.values()) {
      const left = Math.max(0, Math.ceil((w.localDeadline - now) / 1000));
      box.appendChild(
        h(
          'div',
          { className: left > 0 ? 'immediate-banner' : 'immediate-banner over', 'data-immediate': w.ref.id },
          h('strong', null, bi({ zh: '即办件等候中', en: 'Immediate case waiting' })),
          h(
            'span',
            null,
            `${w.ref.receiptNo} · ${w.ref.applicantMasked} · `,
            bi({ zh: '终端', en: 'kiosk' }),
            ` ${w.kioskId}`,
          ),
          h(
            'span',
            { className: 'countdown', 'data-testid': 'countdown', 'data-seconds': left },
            left > 0
              ? bi({ zh: `居民等候剩余 ${left} 秒`, en: `${left} s left at the kiosk` })
              : bi({ zh: '等候已结束，按普通件办理', en: 'Wait over: an ordinary case now' }),
          ),
          h(
            'button',
            { type: 'button', className: 'immediate-open', 'data-id': w.ref.id },
            bi({ zh: '立即办理', en: 'Open case' }),
          ),
        ),
      );
    }
    box.hidden = waiting.size === 0;
  }
  function tick(): void {
    const now = Date.now();
    // A banner stays 10 s after its deadline, then goes.
    for (const [id, w] of waiting) if (now > w.localDeadline + 10_000) waiting.delete(id);
    drawBanners();
    if (waiting.size === 0 && ticker !== null) {
      window.clearInterval(ticker);
      ticker = null;
    }
  }

  function flag(id: string, f: Flag): void {
    flags.set(id, f);
    markRows();
  }

  async function onEvent(e: DeskEvent): Promise<void> {
    switch (e.type) {
      case 'hello':
        return;
      case 'resync':
        await reload();
        return;
      case 'case-received':
        if (!flags.has(e.case.id)) flags.set(e.case.id, 'new');
        note(e.at, { zh: `新办件 ${e.case.receiptNo}`, en: `New case ${e.case.receiptNo}` }, e.case.id);
        await reload();
        return;
      case 'immediate-waiting': {
        // The countdown runs on this machine's clock from what was left when the hall sent it.
        const left = Date.parse(e.deadline) - Date.parse(e.at);
        waiting.set(e.case.id, { ref: e.case, kioskId: e.kioskId, localDeadline: Date.now() + left });
        flag(e.case.id, 'immediate');
        drawBanners();
        ticker ??= window.setInterval(tick, 1000);
        beep();
        desk.say(`即办件等候中 ${e.case.receiptNo} (immediate case waiting at kiosk ${e.kioskId})`);
        return;
      }
      case 'supplement-received':
        flag(e.caseId, 'supplement');
        note(e.at, { zh: `补正材料已到 ${e.receiptNo}`, en: `Supplement received ${e.receiptNo}` }, e.caseId);
        await reload();
        return;
      case 'case-status':
        // Decided (or moved on) at a desk: nobody need hurry for it any more.
        if (e.status !== 'received' && waiting.delete(e.caseId)) drawBanners();
        await reload();
        return;
      case 'help-request':
        if (e.state === 'waiting') {
          byId('tab-help', HTMLButtonElement).dataset.live = 'help';
          note(e.at, { zh: `终端 ${e.kioskId} 呼叫帮助`, en: `Help requested at kiosk ${e.kioskId}` });
        }
        return;
      default: {
        const never: never = e;
        return never;
      }
    }
  }

  async function read(signal: AbortSignal): Promise<void> {
    if (!deps.csrf()) return; // signed out
    const res = await deps.fetch('/v1/staff/events', {
      credentials: 'same-origin',
      headers: {
        accept: 'text/event-stream',
        ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
      },
      signal,
    });
    if (!res.ok || !res.body) throw new Error(`events: ${res.status}`);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    let id: string | null = null;
    let data = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += value;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).replace(/\r$/, '');
        buf = buf.slice(nl + 1);
        if (line === '') {
          if (data !== '') {
            if (id !== null) lastEventId = id;
            await onEvent(JSON.parse(data) as DeskEvent);
          }
          id = null;
          data = '';
        } else if (line.startsWith('id:')) id = line.slice(3).trim();
        else if (line.startsWith('data:')) data += line.slice(5).trim();
      }
    }
  }

  async function run(c: AbortController): Promise<void> {
    while (!c.signal.aborted) {
      try {
        await read(c.signal);
      } catch {
        // Dropped or refused: try again shortly (a 401 has signed the desk out and aborted us).
      }
      if (c.signal.aborted) return;
      await new Promise((r) => window.setTimeout(r, RECONNECT_MS));
    }
  }

  document.addEventListener('click', (ev) => {
    const target = ev.target instanceof Element ? ev.target.closest('button.immediate-open') : null;
    if (target instanceof HTMLButtonElement && target.dataset.id) void deps.openCase(target.dataset.id);
    if (ev.target instanceof Element && ev.target.closest('#tab-help'))
      delete byId('tab-help', HTMLButtonElement).dataset.live;
  });

  return {
    start(): void {
      if (stream) return;
      const c = new AbortController();
      stream = c;
      void run(c);
    },
    stop(): void {
      stream?.abort();
      stream = null;
      lastEventId = null;
      waiting.clear();
      flags.clear();
      feed.length = 0;
      if (ticker !== null) window.clearInterval(ticker);
      ticker = null;
      drawBanners();
      drawFeed();
    },
    /** For the cases view: re-mark rows after it redrew them itself. */
    markRows,
  };
}
