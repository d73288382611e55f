/**
 * The 叫号 panel (docs/sync-protocol.md, 8 "叫号 panel"), in React: the clerk picks their window once
 * (kept in this tab), sees the number now at the window in large type and today's queue — online
 * numbers and kiosks' offline-range tickets together, 优先号 marked — and calls the next number
 * (优先号 first, the hall decides), calls the current one again (再次呼叫), passes it over (过号) or
 * sends it to another window (转窗). Alt+N / Alt+R / Alt+S while the panel is shown. The queue is read
 * again every 10 s while the panel is shown (kiosks hand out numbers all day).
 */
import {
  useCallback,
  useEffect,
  useImperativeHandle,
  useRef,
  useState,
  type ReactNode,
  type Ref,
} from 'react';
import type { DeskQueueDone, DeskQueueTicket, DeskQueueView } from '../../shared/desk-events.js';
import type { Answer } from './api.js';
import { problemMessage } from './case-detail-text.js';
import type { Desk, StatusMessage } from './desk.js';
import { inLanguage, useDeskText } from './desk-i18n.js';
import { formatTime } from './format.js';
import { GridTable } from './panel-parts.js';
import type { PanelApi } from './panel-api.js';
import { transferredMessage } from './panels-text.js';

const WINDOW_KEY = 'zizhu.hall.deskWindow';
const POLL_MS = 10_000;

export type QueuePanelHandle = { start(): void; stop(): void; load(): Promise<void> };

export function QueuePanel(props: {
  ref: Ref<QueuePanelHandle>;
  desk: Desk;
  api: PanelApi;
  shown: boolean;
}): ReactNode {
  const { desk, api, shown, ref } = props;
  const { t, language } = useDeskText();
  const [view, setView] = useState<DeskQueueView | null>(null);
  const [chosen, setChosen] = useState<string | null>(() => sessionStorage.getItem(WINDOW_KEY));
  const [transferTo, setTransferTo] = useState<string>('');
  const running = useRef(false);

  const load = useCallback(async (): Promise<void> => {
    if (!running.current) return;
    const r = await api.queue();
    if (!r.ok) {
      if (r.error.kind !== 'unauthenticated') desk.say(problemMessage(r.error, 'queue.notLoaded'), true);
      return;
    }
    setView(r.value);
  }, [api, desk]);

  useImperativeHandle(
    ref,
    () => ({
      start() {
        running.current = true;
        void load();
      },
      stop() {
        running.current = false;
        setView(null);
      },
      load,
    }),
    [load],
  );

  // Read again every 10 s while shown.
  useEffect(() => {
    if (!shown) return undefined;
    const timer = window.setInterval(() => void load(), POLL_MS);
    return () => window.clearInterval(timer);
  }, [shown, load]);

  const mine = view?.windows.find((w) => w.window === chosen) ?? view?.windows[0] ?? null;
  const current = mine?.current ?? null;
  const windowName = (code: string): string => {
    const w = view?.windows.find((x) => x.window === code);
    return w?.name ? inLanguage(w.name, language) : code;
  };
  const others = view?.windows.filter((w) => w.window !== mine?.window) ?? [];
  const target = others.some((w) => w.window === transferTo) ? transferTo : (others[0]?.window ?? '');

  const act = async (
    send: () => Promise<Answer<DeskQueueDone>>,
    done: (ticket: DeskQueueTicket) => StatusMessage,
  ): Promise<void> => {
    const r = await send();
    if (r.ok) desk.say(done(r.value.ticket));
    else if (r.error.kind === 'refused' && r.error.status === 404 && r.error.error?.error === 'empty')
      desk.say({ key: 'queue.nobody' }, true);
    else if (r.error.kind !== 'unauthenticated') desk.say(problemMessage(r.error, 'queue.notDone'), true);
    await load();
  };
  const callNext = (): Promise<void> =>
    mine
      ? act(
          () => api.callNext(mine.window),
          (x) => ({ key: 'queue.calling', vars: { number: x.number } }),
        )
      : Promise.resolve();
  const recall = (): Promise<void> =>
    current
      ? act(
          () => api.onTicket(current.id, 'recall'),
          (x) => ({ key: 'queue.recalled', vars: { number: x.number } }),
        )
      : Promise.resolve();
  const skip = (): Promise<void> =>
    current
      ? act(
          () => api.onTicket(current.id, 'skip'),
          (x) => ({ key: 'queue.skipped', vars: { number: x.number } }),
        )
      : Promise.resolve();
  const transfer = (): Promise<void> =>
    current && target
      ? act(
          () => api.onTicket(current.id, 'transfer', target),
          (x) =>
            transferredMessage(
              x.number,
              view?.windows.find((w) => w.window === target) ?? { window: target, name: null },
            ),
        )
      : Promise.resolve();

  // The shortcuts, while the panel is shown.
  const keys = useRef({ callNext, recall, skip });
  useEffect(() => {
    keys.current = { callNext, recall, skip };
  });
  useEffect(() => {
    if (!shown) return undefined;
    const onKey = (ev: KeyboardEvent): void => {
      if (!ev.altKey || ev.ctrlKey || ev.metaKey) return;
      const k = ev.key.toLowerCase();
      const run =
        k === 'n'
          ? keys.current.callNext
          : k === 'r'
            ? keys.current.recall
            : k === 's'
              ? keys.current.skip
              : null;
      if (!run) return;
      ev.preventDefault();
      void run();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [shown]);

  const tz = desk.state.timeZone;
  const tickets = mine?.tickets ?? [];
  const waiting = tickets.filter((x) => x.state === 'waiting').length;

  return (
    <>
      <div className="queue-head">
        <label htmlFor="queue-window">{t('queue.myWindow')}</label>
        <select
          id="queue-window"
          value={mine?.window ?? ''}
          onChange={(ev) => {
            setChosen(ev.target.value);
            sessionStorage.setItem(WINDOW_KEY, ev.target.value);
          }}
        >
          {(view?.windows ?? []).map((w) => (
            <option key={w.window} value={w.window}>
              {windowName(w.window)}
            </option>
          ))}
        </select>
        <span className="queue-waiting-line">
          {t('queue.waiting')} <span data-testid="queue-waiting">{view ? String(waiting) : ''}</span>
        </span>
      </div>
      <div className="queue-body">
        <div className="queue-now">
          <h2 id="queue-current-title">{t('queue.now')}</h2>
          <div
            id="queue-current"
            className="queue-current"
            aria-live="polite"
            aria-labelledby="queue-current-title"
          >
            {current ? (
              <>
                <span className="queue-number" data-testid="queue-current">
                  {current.number}
                </span>
                {current.priority ? (
                  <span className="queue-priority">{t(`queue.priorities.${current.priority}`)}</span>
                ) : null}
                {current.recalls > 0 ? (
                  <span className="queue-recalls">{t('queue.recalls', { n: current.recalls + 1 })}</span>
                ) : null}
              </>
            ) : (
              <span className="queue-number none" data-testid="queue-current">
                —
              </span>
            )}
          </div>
          <div className="queue-actions">
            <button type="button" id="queue-next" aria-keyshortcuts="Alt+N" onClick={() => void callNext()}>
              {t('queue.next')}
            </button>
            <button
              type="button"
              id="queue-recall"
              className="quiet"
              aria-keyshortcuts="Alt+R"
              disabled={current === null}
              onClick={() => void recall()}
            >
              {t('queue.recall')}
            </button>
            <button
              type="button"
              id="queue-skip"
              className="quiet"
              aria-keyshortcuts="Alt+S"
              disabled={current === null}
              onClick={() => void skip()}
            >
              {t('queue.skip')}
            </button>
          </div>
          <div className="queue-transfer">
            <label htmlFor="queue-transfer-to">{t('queue.transferTo')}</label>
            <select id="queue-transfer-to" value={target} onChange={(ev) => setTransferTo(ev.target.value)}>
              {others.map((w) => (
                <option key={w.window} value={w.window}>
                  {windowName(w.window)}
                </option>
              ))}
            </select>
            <button
              type="button"
              id="queue-transfer"
              className="quiet"
              disabled={current === null || target === ''}
              onClick={() => void transfer()}
            >
              {t('queue.transfer')}
            </button>
          </div>
        </div>
        <GridTable
          id="queue-tickets"
          caption={t('queue.caption')}
          columns={[
            t('queue.number'),
            t('queue.source'),
            t('queue.priority'),
            t('queue.state'),
            t('queue.issued'),
            t('queue.called'),
          ]}
          empty={view && tickets.length === 0 ? t('queue.none') : null}
        >
          {tickets.map((x) => (
            <tr
              key={x.id}
              data-ticket={x.number}
              data-state={x.state}
              className={x.id === current?.id ? 'selected' : undefined}
            >
              <td className="mono">{x.number}</td>
              <td>{x.source === 'online' ? t('queue.online') : t('queue.offline')}</td>
              <td>{x.priority ? t(`queue.priorities.${x.priority}`) : '—'}</td>
              <td>
                {t(`queue.states.${x.state}`)}
                {x.transferredFrom ? ` · ${t('queue.from', { name: windowName(x.transferredFrom) })}` : null}
              </td>
              <td>{formatTime(x.issuedAt, tz)}</td>
              <td>{x.calledAt ? formatTime(x.calledAt, tz) : '—'}</td>
            </tr>
          ))}
        </GridTable>
      </div>
    </>
  );
}
