/**
 * 办件与监察: the jurisdiction's cases with status, received time, promised deadline and 电子监察
 * light, and the supervision tiles above them.
 */
import { ok, type Result } from '../../shared/result.js';
import type { SupervisionReport } from '../supervision.js';
import type { StaffCaseSummary } from '../staff.js';
import type { Problem } from './api.js';
import type { Desk } from './desk.js';
import { bi, byId, clear, h, later } from './dom.js';
import { deadlineText, formatTime, SUMMARY_LEVELS } from './format.js';
import { levelBadge, statusText } from './widgets.js';

export async function loadCases(
  desk: Desk,
  openCase: (id: string) => Promise<void>,
): Promise<Result<void, Problem>> {
  const [cases, supervision] = await Promise.all([desk.api.cases(), desk.api.supervision()]);
  if (!cases.ok) return cases;
  if (!supervision.ok) return supervision;
  desk.state.timeZone = supervision.value.timeZone;
  drawSummary(supervision.value);
  drawCases(desk, cases.value.cases, supervision.value, openCase);
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

function drawCases(
  desk: Desk,
  cases: readonly StaffCaseSummary[],
  report: SupervisionReport,
  openCase: (id: string) => Promise<void>,
): void {
  const byCase = new Map(report.cases.map((c) => [c.id, c]));
  const tbody = byId('cases', HTMLTableElement).tBodies[0];
  if (!tbody) return;
  clear(tbody);
  if (cases.length === 0) {
    tbody.appendChild(
      h('tr', null, h('td', { colspan: 7, className: 'empty' }, bi({ zh: '暂无办件', en: 'No cases' }))),
    );
  }
  for (const c of cases) {
    const s = byCase.get(c.id);
    const open = h(
      'button',
      { type: 'button', className: 'quiet', 'data-open': c.id },
      bi({ zh: '查看', en: 'Open' }),
    );
    open.addEventListener(
      'click',
      later(() => openCase(c.id)),
    );
    tbody.appendChild(
      h(
        'tr',
        { 'data-case': c.id, className: desk.state.selectedCase === c.id ? 'selected' : '' },
        h('td', { className: 'mono' }, c.id),
        h('td', { className: 'mono' }, c.itemCode),
        h('td', null, statusText(c.status)),
        h('td', null, formatTime(c.receivedAt, desk.state.timeZone)),
        h(
          'td',
          null,
          deadlineText(s),
          s?.pausedWorkingDays ? h('small', null, ` (+${s.pausedWorkingDays} 个工作日补正)`) : null,
        ),
        h('td', null, s ? levelBadge(s.level) : '—'),
        h('td', null, open),
      ),
    );
  }
}
