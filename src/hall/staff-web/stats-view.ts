/**
 * 统计分析: the jurisdiction's figures for a date range (GET /v1/staff/stats) — totals, on-time rate,
 * average days, 差评 rate — two hand-drawn SVG bar charts (cases by status, 好差评 by level) and
 * the tables by item, window, status and level; CSV and Excel exports fetched with the desk's
 * credentials and saved. The charts are pictures of the tables beside them: the tables carry the
 * figures for screen readers, the charts are named images.
 */
import type { Localized } from '../../shared/catalog.js';
import { ok, type Result } from '../../shared/result.js';
import { formatDay } from '../../shared/wall-clock.js';
import type { StaffStats, StatsGroup } from '../../shared/wire/desk-reports.js';
import { problemText, type Problem } from './api.js';
import type { Desk } from './desk.js';
import { showFile } from './documents-view.js';
import { bi, byId, clear, h, later, type Child } from './dom.js';
import { field, nextId } from './widgets.js';

const w = (zh: string, en: string): Localized => ({ zh, en });
const SVG = 'http://www.w3.org/2000/svg';
const pct = (r: number | null): string => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
const name = (g: StatsGroup): string => g.name?.zh ?? g.code;

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  ...children: (SVGElement | string)[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c);
  return el;
}

/** A horizontal bar chart: one labelled bar per row, its value at its end (presentation attributes only: the page's CSP forbids inline styles). */
export function barChart(
  title: Localized,
  rows: readonly { label: string; value: number; colour: string }[],
): SVGSVGElement {
  const width = 480;
  // Wide enough for the longest status, 补正材料已送达，待审核, at 13 px.
  const labelWidth = 180;
  const bar = 22;
  const gap = 8;
  const top = 8;
  const height = top + rows.length * (bar + gap);
  const max = Math.max(1, ...rows.map((r) => r.value));
  const titleId = nextId('chart');
  const chart = svg(
    'svg',
    {
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: 'img',
      'aria-labelledby': titleId,
      class: 'chart',
    },
    svg('title', { id: titleId }, `${title.zh} ${title.en}`),
  );
  rows.forEach((r, i) => {
    const y = top + i * (bar + gap);
    const length = ((width - labelWidth - 50) * r.value) / max;
    chart.append(
      svg(
        'text',
        { x: labelWidth - 8, y: y + bar / 2 + 5, 'text-anchor': 'end', 'font-size': 13, fill: '#1b2230' },
        r.label,
      ),
      svg('rect', {
        x: labelWidth,
        y,
        width: Math.max(length, r.value > 0 ? 2 : 0),
        height: bar,
        fill: r.colour,
        rx: 2,
      }),
      svg(
        'text',
        { x: labelWidth + length + 6, y: y + bar / 2 + 5, 'font-size': 13, fill: '#1b2230' },
        String(r.value),
      ),
    );
  });
  return chart;
}

const STATUS_COLOURS: Readonly<Record<string, string>> = {
  received: '#4a5568',
  accepted: '#1553b5',
  refused: '#b3122e',
  'correction-requested': '#8a5a00',
  'supplement-received': '#6b4fa0',
  completed: '#1f7a3a',
};
const LEVEL_COLOURS: Readonly<Record<string, string>> = {
  'very-satisfied': '#1f7a3a',
  satisfied: '#3c8d50',
  'basically-satisfied': '#8a5a00',
  dissatisfied: '#c2410c',
  'very-dissatisfied': '#b3122e',
};

const table = (caption: Localized, head: Localized[], rows: Child[][], testId: string): HTMLTableElement =>
  h(
    'table',
    { className: 'grid', 'data-testid': testId },
    h('caption', null, bi(caption)),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        head.map((c) => h('th', { scope: 'col' }, bi(c))),
      ),
    ),
    h(
      'tbody',
      null,
      rows.length === 0
        ? h('tr', null, h('td', { colspan: head.length, className: 'empty' }, bi(w('无', 'None'))))
        : rows.map((r) =>
            h(
              'tr',
              null,
              r.map((c) => h('td', null, c)),
            ),
          ),
    ),
  );

const groupTable = (caption: Localized, what: Localized, groups: readonly StatsGroup[], testId: string) =>
  table(
    caption,
    [what, w('办件数', 'Cases'), w('已办结', 'Completed'), w('按时办结率', 'On time')],
    groups.map((g) => [name(g), String(g.cases), String(g.completed), pct(g.onTimeRate)]),
    testId,
  );

function drawStats(box: HTMLElement, s: StaffStats): void {
  clear(box);
  const t = s.totals;
  const tile = (label: Localized, value: string, testId: string) =>
    h('div', { className: 'tile', 'data-testid': testId }, h('b', null, value), bi(label));
  box.append(
    h(
      'div',
      { className: 'summary', role: 'group', 'aria-label': `${s.from} – ${s.to} 概况 Summary` },
      tile(w('办件数', 'Cases'), String(t.cases), 'stat-cases'),
      tile(w('已办结', 'Completed'), String(t.completed), 'stat-completed'),
      tile(w('按时办结率', 'On-time rate'), pct(t.onTimeRate), 'stat-on-time'),
      tile(
        w('平均办理天数', 'Average days'),
        t.averageDays === null ? '—' : String(t.averageDays),
        'stat-days',
      ),
      tile(w('评价数', 'Evaluations'), String(s.evaluations.total), 'stat-evaluations'),
      tile(w('差评率', 'Bad reviews'), pct(s.evaluations.badRate), 'stat-bad-rate'),
    ),
    h(
      'div',
      { className: 'charts' },
      h(
        'figure',
        null,
        barChart(
          w('办件状态分布', 'Cases by status'),
          s.byStatus.map((r) => ({
            label: r.label.zh,
            value: r.cases,
            colour: STATUS_COLOURS[r.status] ?? '#4a5568',
          })),
        ),
        h('figcaption', null, bi(w('办件状态分布', 'Cases by status'))),
      ),
      h(
        'figure',
        null,
        barChart(
          w('好差评分布', 'Evaluations by level'),
          s.evaluations.byLevel.map((l) => ({
            label: l.label.zh,
            value: l.count,
            colour: LEVEL_COLOURS[l.level] ?? '#4a5568',
          })),
        ),
        h('figcaption', null, bi(w('好差评分布', 'Evaluations by level'))),
      ),
    ),
    groupTable(w('按事项', 'By item'), w('事项', 'Item'), s.byItem, 'stats-by-item'),
    groupTable(w('按窗口', 'By window'), w('窗口', 'Window'), s.byWindow, 'stats-by-window'),
    table(
      w('按状态', 'By status'),
      [w('状态', 'Status'), w('办件数', 'Cases')],
      s.byStatus.map((r) => [bi(r.label), String(r.cases)]),
      'stats-by-status',
    ),
    table(
      w('好差评', 'Evaluations'),
      [w('评价等级', 'Level'), w('数量', 'Count')],
      s.evaluations.byLevel.map((l) => [bi(l.label), String(l.count)]),
      'stats-by-level',
    ),
  );
}

export function createStatsView(desk: Desk) {
  const panel = byId('panel-stats', HTMLElement);
  const from = h('input', { type: 'date', id: nextId('stats-from'), name: 'from', required: true });
  const to = h('input', { type: 'date', id: nextId('stats-to'), name: 'to', required: true });
  const show = h('button', { type: 'submit' }, bi(w('查询', 'Show')));
  const exportButton = (format: 'csv' | 'xlsx', words: Localized) => {
    const b = h('button', { type: 'button', className: 'quiet', 'data-export': format }, bi(words));
    b.addEventListener(
      'click',
      later(async () => {
        const r = await desk.api.file(
          `/v1/staff/stats.${format}?from=${encodeURIComponent(from.value)}&to=${encodeURIComponent(to.value)}`,
        );
        if (!r.ok) {
          if (r.error.kind !== 'unauthenticated') desk.say(problemText(r.error), true);
          return;
        }
        showFile(r.value, `stats-${from.value}-${to.value}.${format}`, null);
        desk.say(`已导出 (exported) ${format.toUpperCase()}`);
      }),
    );
    return b;
  };
  const form = h(
    'form',
    { className: 'toolbar stats-range', 'aria-label': '统计区间 Date range', novalidate: true },
    field(w('开始日期', 'From'), from),
    field(w('结束日期', 'To'), to),
    show,
    exportButton('csv', w('导出 CSV', 'Export CSV')),
    exportButton('xlsx', w('导出 Excel', 'Export Excel')),
  );
  const result = h('div', { id: 'stats-result', 'aria-live': 'polite' });
  panel.append(h('h2', { className: 'sr-only' }, bi(w('统计分析', 'Statistics'))), form, result);

  async function load(): Promise<Result<void, Problem>> {
    if (!from.value || !to.value) {
      // This month so far, in the hall's zone.
      const today = formatDay(new Date(), desk.state.timeZone);
      to.value = today;
      from.value = `${today.slice(0, 8)}01`;
    }
    const r = await desk.api.stats(from.value, to.value);
    if (!r.ok) {
      if (r.error.kind !== 'unauthenticated') desk.say(problemText(r.error), true);
      return r;
    }
    drawStats(result, r.value);
    return ok(undefined);
  }
  form.addEventListener(
    'submit',
    later(async (ev: SubmitEvent) => {
      ev.preventDefault();
      await load();
    }),
  );
  return { load };
}
