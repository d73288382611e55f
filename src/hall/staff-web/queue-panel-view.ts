/**
 * The 叫号 panel (docs/sync-protocol.md, 8 "叫号 panel"): the clerk picks their window once (kept in
 * this tab, like the token), sees the number now at the window in large type and today's queue — online numbers
 * and kiosks' offline-range tickets together, 优先号 marked — and calls the next number (优先号 first,
 * the hall decides), calls the current one again (再次呼叫), passes it over (过号) or sends it to
 * another window (转窗). Buttons work from the keyboard; Alt+N / Alt+R / Alt+S are shortcuts while the
 * panel is open. The list is re-read every 10 s while the panel is shown (kiosks hand out numbers
 * all day).
 */
import type { PriorityKind } from '../../shared/queue-ticket.js';
import type { DeskQueueDone, DeskQueueTicket, DeskQueueView } from '../../shared/desk-events.js';
import type { Desk } from './desk.js';
import { append, bi, byId, clear, h } from './dom.js';
import { formatTime } from './format.js';

const WINDOW_KEY = 'zizhu.hall.deskWindow';
const POLL_MS = 10_000;

const PRIORITY: Record<PriorityKind, { zh: string; en: string }> = {
  elderly: { zh: '老年人', en: 'Elderly' },
  disabled: { zh: '残疾人', en: 'Disability' },
  pregnant: { zh: '孕妇', en: 'Pregnant' },
};
const STATE: Record<DeskQueueTicket['state'], { zh: string; en: string }> = {
  waiting: { zh: '等候', en: 'Waiting' },
  called: { zh: '已呼叫', en: 'Called' },
  skipped: { zh: '过号', en: 'Skipped' },
};

type Answer<T> = { ok: true; value: T } | { ok: false; status: number; message: string };

export function createQueuePanelView(deps: { desk: Desk; csrf: () => string | null; fetch: typeof fetch }) {
  const { desk } = deps;
  let view: DeskQueueView | null = null;
  let poll: number | null = null;
  let window_ = sessionStorage.getItem(WINDOW_KEY);

  async function request<T>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
    const csrf = deps.csrf();
    if (!csrf) return { ok: false, status: 401, message: 'signed out' };
    try {
      const res = await deps.fetch(path, {
        method,
        credentials: 'same-origin',
        headers: {
          ...(method === 'GET' ? {} : { 'x-csrf-token': csrf }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const json = (await res.json().catch(() => ({}))) as { message?: string };
      return res.ok
        ? { ok: true, value: json as T }
        : { ok: false, status: res.status, message: json.message ?? String(res.status) };
    } catch {
      return { ok: false, status: 0, message: '无法连接大厅服务 (hall unreachable)' };
    }
  }

  const mine = () => view?.windows.find((w) => w.window === window_) ?? view?.windows[0] ?? null;
  const nameOf = (code: string) =>
    view?.windows.find((w) => w.window === code)?.name ?? { zh: code, en: code };

  function draw(): void {
    const select = byId('queue-window', HTMLSelectElement);
    const to = byId('queue-transfer-to', HTMLSelectElement);
    const w = mine();
    if (view && select.options.length !== view.windows.length) {
      clear(select);
      clear(to);
      for (const x of view.windows) {
        const label = `${x.name?.zh ?? x.window} ${x.name?.en ?? ''}`.trim();
        select.appendChild(h('option', { value: x.window }, label));
        to.appendChild(h('option', { value: x.window }, label));
      }
    }
    if (w) select.value = w.window;
    const current = w?.current ?? null;
    const big = byId('queue-current', HTMLDivElement);
    clear(big);
    append(
      big,
      current
        ? [
            h('span', { className: 'queue-number', 'data-testid': 'queue-current' }, current.number),
            current.priority
              ? h('span', { className: 'queue-priority' }, bi(PRIORITY[current.priority]))
              : null,
            current.recalls > 0
              ? h(
                  'span',
                  { className: 'queue-recalls' },
                  bi({ zh: `已呼叫 ${current.recalls + 1} 次`, en: `called ${current.recalls + 1}×` }),
                )
              : null,
          ]
        : h('span', { className: 'queue-number none', 'data-testid': 'queue-current' }, '—'),
    );
    const waitingN = w?.tickets.filter((t) => t.state === 'waiting').length ?? 0;
    byId('queue-waiting', HTMLSpanElement).textContent = `${waitingN}`;
    byId('queue-recall', HTMLButtonElement).disabled = current === null;
    byId('queue-skip', HTMLButtonElement).disabled = current === null;
    byId('queue-transfer', HTMLButtonElement).disabled = current === null;
    const others = [...to.options].filter((o) => o.value !== w?.window);
    for (const o of to.options) o.disabled = o.value === w?.window;
    if (to.selectedOptions[0]?.disabled && others[0]) to.value = others[0].value;

    const tbody = byId('queue-tickets', HTMLTableElement).tBodies[0];
    if (!tbody) return;
    clear(tbody);
    const tickets = w?.tickets ?? [];
    if (tickets.length === 0)
      tbody.appendChild(
        h(
          'tr',
          null,
          h('td', { colspan: 6, className: 'empty' }, bi({ zh: '今日暂无取号', en: 'No numbers today' })),
        ),
      );
    for (const t of tickets)
      tbody.appendChild(
        h(
          'tr',
          {
            'data-ticket': t.number,
            'data-state': t.state,
            className: t.id === current?.id ? 'selected' : '',
          },
          h('td', { className: 'mono' }, t.number),
          h(
            'td',
            null,
            t.source === 'online'
              ? bi({ zh: '联网取号', en: 'Online' })
              : bi({ zh: '离线号段', en: 'Offline range' }),
          ),
          h('td', null, t.priority ? bi(PRIORITY[t.priority]) : '—'),
          h(
            'td',
            null,
            bi(STATE[t.state]),
            t.transferredFrom
              ? [
                  ' · ',
                  bi({
                    zh: `由${nameOf(t.transferredFrom).zh}转入`,
                    en: `from ${nameOf(t.transferredFrom).en}`,
                  }),
                ]
              : null,
          ),
          h('td', null, formatTime(t.issuedAt, desk.state.timeZone)),
          h('td', null, t.calledAt ? formatTime(t.calledAt, desk.state.timeZone) : '—'),
        ),
      );
  }

  async function load(): Promise<void> {
    const r = await request<DeskQueueView>('GET', '/v1/staff/queue');
    if (!r.ok) {
      if (r.status !== 401) desk.say(`叫号数据读取失败 (queue not loaded): ${r.message}`, true);
      return;
    }
    view = r.value;
    draw();
  }

  async function act(path: string, body: unknown, done: (t: DeskQueueTicket) => string): Promise<void> {
    const r = await request<DeskQueueDone>('POST', path, body);
    if (!r.ok) {
      desk.say(
        r.status === 404 && /nobody is waiting/.test(r.message)
          ? '没有等候的号码 (nobody is waiting)'
          : `操作未完成 (not done): ${r.message}`,
        true,
      );
      await load();
      return;
    }
    desk.say(done(r.value.ticket));
    await load();
  }

  const callNext = () => {
    const w = mine();
    if (!w) return Promise.resolve();
    return act(
      `/v1/staff/queue/${encodeURIComponent(w.window)}/next`,
      {},
      (t) => `请 ${t.number} 号到窗口办理 (now calling ${t.number})`,
    );
  };
  const onCurrent = (what: 'recall' | 'skip' | 'transfer') => {
    const current = mine()?.current;
    if (!current) return Promise.resolve();
    const path = `/v1/staff/queue/tickets/${encodeURIComponent(current.id)}/${what}`;
    switch (what) {
      case 'recall':
        return act(path, {}, (t) => `再次呼叫 ${t.number} (called again)`);
      case 'skip':
        return act(path, {}, (t) => `${t.number} 已过号 (skipped)`);
      case 'transfer': {
        const to = byId('queue-transfer-to', HTMLSelectElement).value;
        return act(
          path,
          { window: to },
          (t) => `${t.number} 已转至 ${nameOf(to).zh} (transferred to ${nameOf(to).en})`,
        );
      }
    }
  };

  function visible(): boolean {
    return !byId('panel-queue', HTMLElement).hidden;
  }

  // Created once the page's elements exist (main.ts, on DOMContentLoaded).
  {
    byId('queue-window', HTMLSelectElement).addEventListener('change', (ev) => {
      window_ = (ev.target as HTMLSelectElement).value;
      sessionStorage.setItem(WINDOW_KEY, window_);
      draw();
    });
    byId('queue-next', HTMLButtonElement).addEventListener('click', () => void callNext());
    byId('queue-recall', HTMLButtonElement).addEventListener('click', () => void onCurrent('recall'));
    byId('queue-skip', HTMLButtonElement).addEventListener('click', () => void onCurrent('skip'));
    byId('queue-transfer', HTMLButtonElement).addEventListener('click', () => void onCurrent('transfer'));
    document.addEventListener('keydown', (ev) => {
      if (!ev.altKey || ev.ctrlKey || ev.metaKey || !visible()) return;
      const key = ev.key.toLowerCase();
      const run =
        key === 'n'
          ? callNext
          : key === 'r'
            ? () => onCurrent('recall')
            : key === 's'
              ? () => onCurrent('skip')
              : null;
      if (!run) return;
      ev.preventDefault();
      void run();
    });
  }

  return {
    start(): void {
      void load();
      poll ??= window.setInterval(() => {
        if (visible()) void load();
      }, POLL_MS);
    },
    stop(): void {
      if (poll !== null) window.clearInterval(poll);
      poll = null;
      view = null;
    },
    load,
  };
}
