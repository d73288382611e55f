/**
 * The live desk (docs/sync-protocol.md, 8 "Live desk events"): while signed in the page keeps
 * GET /v1/staff/events open and reacts without a refresh — a new case reloads the list and is
 * highlighted; a 即办件 resident held at a kiosk gets a banner with a countdown to the kiosk's
 * deadline, a highlight and a short beep; supplements and help requests are flagged in the list, the
 * tab and the feed. After a drop it reconnects with Last-Event-ID (the hall replays what was missed);
 * a `resync` (the hall restarted) reloads the lists. Words from the desk's copy (`live`), so the
 * banners and the feed follow a language switch.
 *
 * Read with fetch, with the desk's session cookie (and `last-event-id`, which EventSource cannot set).
 */
import { useImperativeHandle, useState, type ReactNode, type Ref } from 'react';
import type { DeskCaseRef, DeskEvent } from '../../shared/desk-events.js';
import { beep } from './beep.js';
import type { Desk, Say } from './desk.js';
import { useDeskText, type DeskKey } from './desk-i18n.js';
import { formatTime } from './format.js';
import { BANNER_LINGER_MS, createSseReader, localDeadline, secondsLeft } from './live-stream.js';

type Waiting = { ref: DeskCaseRef; kioskId: string; localDeadline: number };
type Flag = 'new' | 'immediate' | 'supplement';
type FeedLine = { n: number; at: string; key: DeskKey; vars: Record<string, string>; caseId: string | null };

const RECONNECT_MS = 2000;
const FEED_MAX = 8;

export type LiveDeskHandle = {
  start(): void;
  stop(): void;
  /** For the cases view: re-mark rows after it redrew them itself. */
  markRows(): void;
};

type Deps = {
  desk: Desk;
  /** The session's CSRF token; null when signed out (the cookie itself goes with every request). */
  csrf: () => string | null;
  fetch: typeof fetch;
  reloadCases: () => Promise<unknown>;
  openCase: (id: string) => Promise<unknown>;
  say: Say;
};

type Shown = { waiting: Waiting[]; feed: FeedLine[]; now: number };

/** The stream and what it flagged, for the page's life; `show` hands React what to draw. */
function createLive(deps: Deps, show: (s: Shown) => void): LiveDeskHandle {
  let stream: AbortController | null = null;
  let lastEventId: string | null = null;
  let ticker: number | null = null;
  let feedNo = 0;
  const waiting = new Map<string, Waiting>();
  const flags = new Map<string, Flag>();
  let feed: FeedLine[] = [];

  const draw = (): void => show({ waiting: [...waiting.values()], feed, now: Date.now() });

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

  function note(at: string, key: DeskKey, vars: Record<string, string>, caseId: string | null = null): void {
    feedNo += 1;
    feed = [{ n: feedNo, at, key, vars, caseId }, ...feed].slice(0, FEED_MAX);
    draw();
  }

  function tick(): void {
    const now = Date.now();
    // A banner stays a little after its deadline, then goes.
    for (const [id, w] of waiting) if (now > w.localDeadline + BANNER_LINGER_MS) waiting.delete(id);
    draw();
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
        note(e.at, 'live.newCase', { receipt: e.case.receiptNo }, e.case.id);
        await reload();
        return;
      case 'immediate-waiting': {
        // The countdown runs on this machine's clock from what was left when the hall sent it.
        waiting.set(e.case.id, {
          ref: e.case,
          kioskId: e.kioskId,
          localDeadline: localDeadline(e, Date.now()),
        });
        flag(e.case.id, 'immediate');
        draw();
        ticker ??= window.setInterval(tick, 1000);
        beep();
        deps.say({ key: 'live.said', vars: { receipt: e.case.receiptNo, kiosk: e.kioskId } });
        return;
      }
      case 'supplement-received':
        flag(e.caseId, 'supplement');
        note(e.at, 'live.supplement', { receipt: e.receiptNo }, e.caseId);
        await reload();
        return;
      case 'case-status':
        // Decided (or moved on) at a desk: nobody need hurry for it any more.
        if (e.status !== 'received' && waiting.delete(e.caseId)) draw();
        await reload();
        return;
      case 'help-request':
        if (e.state === 'waiting') {
          document.getElementById('tab-help')?.setAttribute('data-live', 'help');
          note(e.at, 'live.help', { kiosk: e.kioskId });
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
    const sse = createSseReader();
    // One read per chunk until the hall ends the stream or the desk aborts it.
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      for (const ev of sse.push(value)) {
        if (ev.id !== null) lastEventId = ev.id;
        await onEvent(JSON.parse(ev.data) as DeskEvent);
      }
    }
  }

  async function run(c: AbortController): Promise<void> {
    // Until signed out: each pass is one connection, then a pause before the next.
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
    if (ev.target instanceof Element && ev.target.closest('#tab-help'))
      document.getElementById('tab-help')?.removeAttribute('data-live');
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
      feed = [];
      if (ticker !== null) window.clearInterval(ticker);
      ticker = null;
      draw();
    },
    markRows,
  };
}

export function LiveDesk({ ref, ...deps }: Deps & { ref: Ref<LiveDeskHandle> }): ReactNode {
  const { t } = useDeskText();
  const [shown, setShown] = useState<Shown>({ waiting: [], feed: [], now: 0 });
  // Made once for the page's life: the stream outlives renders; the callbacks it calls are stable.
  const [live] = useState(() => createLive(deps, setShown));
  useImperativeHandle(ref, () => live, [live]);
  const tz = deps.desk.state.timeZone;
  return (
    <section className="live" aria-label={t('app.liveAlerts')}>
      <div id="immediate-banners" className="immediate-banners" hidden={shown.waiting.length === 0}>
        {shown.waiting.map((w) => {
          const left = secondsLeft(w.localDeadline, shown.now);
          return (
            <div
              key={w.ref.id}
              className={left > 0 ? 'immediate-banner' : 'immediate-banner over'}
              data-immediate={w.ref.id}
            >
              <strong>{t('live.immediateWaiting')}</strong>
              <span>
                {t('live.where', {
                  receipt: w.ref.receiptNo,
                  applicant: w.ref.applicantMasked,
                  kiosk: w.kioskId,
                })}
              </span>
              <span className="countdown" data-testid="countdown" data-seconds={left}>
                {left > 0 ? t('live.left', { n: left }) : t('live.over')}
              </span>
              <button
                type="button"
                className="immediate-open"
                data-id={w.ref.id}
                aria-label={t('live.openLabel', { receipt: w.ref.receiptNo })}
                onClick={() => void deps.openCase(w.ref.id)}
              >
                {t('live.open')}
              </button>
            </div>
          );
        })}
      </div>
      <ol id="live-feed" className="live-feed" hidden={shown.feed.length === 0}>
        {shown.feed.map((f) => (
          <li key={f.n}>
            <span className="mono">{formatTime(f.at, tz)}</span> {t(f.key, f.vars)}
          </li>
        ))}
      </ol>
    </section>
  );
}
