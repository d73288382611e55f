/**
 * 办件列表: the jurisdiction's cases from GET /v1/staff/case-list — 受理编号, applicant (masked), item,
 * window, case type, status, received time, promised date with the 电子监察 light, kiosk — with a search
 * (受理编号 / name / ID number / phone, exact), filters (status, window, item, light, received dates,
 * mine / unassigned), sortable received and promised columns, and keyset paging. The supervision tiles
 * stay above it. Closed cases (办结 / 不予受理) are out of the default view: choose them in 状态.
 */
import type { Localized } from '../../shared/catalog.js';
import { HALL_CASE_STATUSES } from '../../shared/case-status.js';
import { ok, type Result } from '../../shared/result.js';
// Types only: the wire module holds zod schemas, which stay out of the page's bundle.
import type { CaseLight, CaseListPage, CaseListRow } from '../../shared/wire/staff.js';
import type { SupervisionReport } from '../supervision.js';
import type { Problem } from './api.js';
import type { Desk } from './desk.js';
import { bi, byId, clear, h, later } from './dom.js';
import { formatTime, LEVEL_LIGHTS, statusWords, SUMMARY_LEVELS } from './format.js';
import { levelBadge, statusText } from './widgets.js';

const w = (zh: string, en: string): Localized => ({ zh, en });
const PAGE_SIZE = 20;
/** The lights a filter can ask for (CASE_LIGHTS of the wire module, in the order they matter). */
const LIGHTS: readonly CaseLight[] = [
  'overdue',
  'warning',
  'reminder',
  'normal',
  'paused',
  'unknown',
  'closed',
];

type Sort = { by: 'received' | 'promised'; dir: 'asc' | 'desc' };
type ListState = {
  sort: Sort;
  /** Cursors of the pages before the one shown (the first page has none). */
  back: (string | null)[];
  cursor: string | null;
  next: string | null;
  filled: boolean;
};

const state: ListState = {
  sort: { by: 'received', dir: 'desc' },
  back: [],
  cursor: null,
  next: null,
  filled: false,
};

const select = (
  id: string,
  label: Localized,
  options: [string, string][],
): [HTMLLabelElement, HTMLSelectElement] => {
  const s = h(
    'select',
    { id, name: id },
    options.map(([value, text]) => h('option', { value }, text)),
  );
  return [h('label', { for: id }, bi(label)), s];
};

/** Builds the tool bar and table once (inside #case-list); later loads only refill them. */
function ensureBuilt(desk: Desk, openCase: (id: string) => Promise<void>, page: CaseListPage): void {
  if (state.filled) return;
  state.filled = true;
  const root = byId('case-list', HTMLDivElement);
  clear(root);
  const search = h('input', {
    id: 'case-search',
    type: 'search',
    name: 'q',
    maxlength: 64,
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: '受理编号 / 姓名 / 身份证号 / 手机号',
  });
  const statusOptions: [string, string][] = [
    ['', '办理中 (open)'],
    ['*', '全部含已结 (all, with closed)'],
    ...HALL_CASE_STATUSES.map((s): [string, string] => [s, `${statusWords(s).zh} (${statusWords(s).en})`]),
  ];
  const windows: [string, string][] = [
    ['', '全部窗口 (all)'],
    ...page.choices.windows.map((x): [string, string] => [x.code, `${x.name.zh} (${x.name.en})`]),
  ];
  const items: [string, string][] = [
    ['', '全部事项 (all)'],
    ...page.choices.items.map((x): [string, string] => [x.code, x.name.zh]),
  ];
  const lights: [string, string][] = [
    ['', '全部 (all)'],
    ...LIGHTS.map((l): [string, string] => [l, `${LEVEL_LIGHTS[l].words.zh} (${LEVEL_LIGHTS[l].words.en})`]),
  ];
  const views: [string, string][] = [
    ['all', '全部 (all)'],
    ['mine', '我的 (mine)'],
    ['unassigned', '未分派 (unassigned)'],
  ];
  const from = h('input', { id: 'f-from', type: 'date', name: 'from' });
  const to = h('input', { id: 'f-to', type: 'date', name: 'to' });
  const form = h(
    'form',
    { id: 'case-filters', className: 'list-tools', role: 'search', 'aria-label': '查找办件 Find cases' },
    h('div', { className: 'tool wide' }, h('label', { for: 'case-search' }, bi(w('搜索', 'Search'))), search),
    h('div', { className: 'tool' }, select('f-status', w('状态', 'Status'), statusOptions)),
    h('div', { className: 'tool' }, select('f-window', w('窗口', 'Window'), windows)),
    h('div', { className: 'tool' }, select('f-item', w('事项', 'Item'), items)),
    h('div', { className: 'tool' }, select('f-light', w('电子监察', 'Light'), lights)),
    h('div', { className: 'tool' }, h('label', { for: 'f-from' }, bi(w('收件自', 'From'))), from),
    h('div', { className: 'tool' }, h('label', { for: 'f-to' }, bi(w('至', 'To'))), to),
    h('div', { className: 'tool' }, select('f-view', w('分派', 'Assigned'), views)),
    h(
      'div',
      { className: 'tool buttons' },
      h('button', { type: 'submit', id: 'case-search-go' }, bi(w('查询', 'Find'))),
      h('button', { type: 'reset', className: 'quiet', id: 'case-search-reset' }, bi(w('重置', 'Reset'))),
    ),
  );
  const reload = later(() => loadCaseList(desk, openCase, { restart: true }));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    reload();
  });
  form.addEventListener('reset', () => setTimeout(reload, 0));
  for (const id of ['f-status', 'f-window', 'f-item', 'f-light', 'f-view'])
    byIdIn(form, id).addEventListener('change', reload);

  const sortButton = (by: Sort['by'], words: Localized) => {
    const b = h('button', { type: 'button', className: 'sort', 'data-sort': by }, bi(words));
    b.addEventListener(
      'click',
      later(async () => {
        state.sort = {
          by,
          dir:
            state.sort.by === by
              ? state.sort.dir === 'asc'
                ? 'desc'
                : 'asc'
              : by === 'promised'
                ? 'asc'
                : 'desc',
        };
        await loadCaseList(desk, openCase, { restart: true });
      }),
    );
    return b;
  };
  const th = (words: Localized) => h('th', { scope: 'col' }, bi(words));
  const table = h(
    'table',
    { id: 'cases', className: 'grid cases' },
    h('caption', null, '本辖区办件 ', h('small', { lang: 'en' }, 'Cases of your jurisdiction')),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        th(w('受理编号', 'Receipt no.')),
        th(w('申请人', 'Applicant')),
        th(w('事项', 'Item')),
        th(w('窗口', 'Window')),
        th(w('状态', 'Status')),
        h('th', { scope: 'col', 'data-col': 'received' }, sortButton('received', w('收件时间', 'Received'))),
        h('th', { scope: 'col', 'data-col': 'promised' }, sortButton('promised', w('承诺办结', 'Promised'))),
        th(w('终端', 'Kiosk')),
        h('th', { scope: 'col' }, h('span', { className: 'sr-only' }, '操作 Actions')),
      ),
    ),
    h('tbody'),
  );
  const prev = h(
    'button',
    { type: 'button', id: 'page-prev', className: 'quiet' },
    bi(w('上一页', 'Previous')),
  );
  const nextB = h('button', { type: 'button', id: 'page-next', className: 'quiet' }, bi(w('下一页', 'Next')));
  prev.addEventListener(
    'click',
    later(async () => {
      state.cursor = state.back.pop() ?? null;
      await loadCaseList(desk, openCase, { restart: false });
    }),
  );
  nextB.addEventListener(
    'click',
    later(async () => {
      if (state.next === null) return;
      state.back.push(state.cursor);
      state.cursor = state.next;
      await loadCaseList(desk, openCase, { restart: false });
    }),
  );
  const pager = h(
    'nav',
    { className: 'pager', 'aria-label': '翻页 Pages' },
    prev,
    h('span', { id: 'page-no', 'aria-live': 'polite' }),
    nextB,
  );
  root.append(form, h('div', { className: 'table-scroll' }, table), pager);
}

const byIdIn = (root: HTMLElement, id: string): HTMLElement => {
  const el = root.querySelector<HTMLElement>(`#${id}`);
  if (!el) throw new Error(`staff page: #${id} is missing`);
  return el;
};

/** The query the tool bar asks for now. */
function currentQuery(): URLSearchParams {
  const q = new URLSearchParams();
  const val = (id: string): string => {
    const el = document.getElementById(id);
    return el instanceof HTMLInputElement || el instanceof HTMLSelectElement ? el.value.trim() : '';
  };
  const term = val('case-search');
  if (term) q.set('q', term);
  const status = val('f-status');
  if (status === '*') q.set('status', HALL_CASE_STATUSES.join(','));
  else if (status) q.set('status', status);
  for (const [id, name] of [
    ['f-window', 'window'],
    ['f-item', 'item'],
    ['f-light', 'light'],
    ['f-from', 'from'],
    ['f-to', 'to'],
    ['f-view', 'view'],
  ] as const) {
    const v = val(id);
    if (v && !(name === 'view' && v === 'all')) q.set(name, v);
  }
  q.set('sort', state.sort.by);
  q.set('dir', state.sort.dir);
  q.set('limit', String(PAGE_SIZE));
  if (state.cursor) q.set('cursor', state.cursor);
  return q;
}

export async function loadCaseList(
  desk: Desk,
  openCase: (id: string) => Promise<void>,
  opts: { restart: boolean } = { restart: false },
): Promise<Result<void, Problem>> {
  if (opts.restart) {
    state.back = [];
    state.cursor = null;
  }
  const [supervision, first] = await Promise.all([
    desk.api.supervision(),
    state.filled ? Promise.resolve(null) : desk.api.caseList(new URLSearchParams({ limit: '1' })),
  ]);
  if (!supervision.ok) return supervision;
  if (first && !first.ok) return first;
  desk.state.timeZone = supervision.value.timeZone;
  drawSummary(supervision.value);
  if (first) ensureBuilt(desk, openCase, first.value);
  const page = await desk.api.caseList(currentQuery());
  if (!page.ok) return page;
  state.next = page.value.next;
  drawRows(desk, page.value.rows, openCase);
  // The pages before this one are on the back stack: this is page back.length + 1.
  const pageNo = state.back.length + 1;
  byId('page-prev', HTMLButtonElement).disabled = state.back.length === 0;
  byId('page-next', HTMLButtonElement).disabled = state.next === null;
  byId('page-no', HTMLSpanElement).textContent = `第 ${pageNo} 页 (page ${pageNo})`;
  for (const th of document.querySelectorAll<HTMLTableCellElement>('#cases th[data-col]')) {
    const col = th.getAttribute('data-col');
    if (col === state.sort.by)
      th.setAttribute('aria-sort', state.sort.dir === 'asc' ? 'ascending' : 'descending');
    else th.removeAttribute('aria-sort');
  }
  return ok(undefined);
}

function drawSummary(report: SupervisionReport): void {
  const summary = byId('supervision-summary', HTMLDivElement);
  clear(summary);
  for (const level of SUMMARY_LEVELS) {
    summary.appendChild(
      h(
        'div',
        { className: 'tile', 'data-testid': `summary-${level}` },
        h('b', null, String(report.summary[level] ?? 0)),
        levelBadge(level),
      ),
    );
  }
}

function drawRows(desk: Desk, rows: readonly CaseListRow[], openCase: (id: string) => Promise<void>): void {
  const tbody = byId('cases', HTMLTableElement).tBodies[0];
  if (!tbody) return;
  clear(tbody);
  const tz = desk.state.timeZone;
  if (rows.length === 0) {
    tbody.appendChild(
      h(
        'tr',
        null,
        h('td', { colspan: 9, className: 'empty' }, bi(w('没有符合条件的办件', 'No matching cases'))),
      ),
    );
  }
  for (const c of rows) {
    const label = c.receiptNo ?? c.id.slice(0, 8);
    const open = h(
      'button',
      { type: 'button', className: 'quiet', 'data-open': c.id, 'aria-label': `查看 Open ${label}` },
      bi(w('查看', 'Open')),
    );
    open.addEventListener(
      'click',
      later(() => openCase(c.id)),
    );
    tbody.appendChild(
      h(
        'tr',
        { 'data-case': c.id, className: desk.state.selectedCase === c.id ? 'selected' : '' },
        h('td', { className: 'mono', 'data-testid': 'receipt-no' }, label),
        h('td', null, c.applicant ?? '—'),
        h(
          'td',
          { title: c.itemCode },
          c.itemName ? bi(c.itemName) : h('span', { className: 'mono' }, c.itemCode),
        ),
        h('td', null, c.windowName?.zh ?? c.window ?? '—'),
        h(
          'td',
          null,
          statusText(c.status),
          c.caseType === 'immediate' ? h('small', { className: 'tag' }, ' 即办件 (immediate)') : null,
        ),
        h('td', null, formatTime(c.receivedAt, tz)),
        h('td', null, c.deadline ?? '—', ' ', levelBadge(c.light)),
        h('td', { className: 'mono' }, c.kioskId),
        h('td', null, open),
      ),
    );
  }
}
