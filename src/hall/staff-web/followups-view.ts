/**
 * 好差评整改: the follow-up tasks bad reviews opened (待整改 → 整改中 → 整改完成, 申请延期, 无效差评,
 * 无法整改, 超期), one task's detail with the actions its state allows, and the evaluation export.
 */
import type { Localized } from '../../shared/catalog.js';
import { ok, type Result } from '../../shared/result.js';
import type { FollowupAction, FollowupView } from '../followups.js';
import { followupActionBody, type ActionInput } from './actions.js';
import { problemText, type Problem } from './api.js';
import type { Desk } from './desk.js';
import { bi, byId, clear, h, type Child } from './dom.js';
import {
  aboutText,
  detailText,
  FOLLOWUP_ACTION_WORDS,
  FOLLOWUP_STATE_LEVEL,
  followupActionWords,
  formatTime,
} from './format.js';
import { actionForm, badge, factList, field, nextId } from './widgets.js';
import { caseCell } from './followup-case-link.js';

const w = (zh: string, en: string): Localized => ({ zh, en });

export async function loadFollowups(desk: Desk): Promise<Result<void, Problem>> {
  const r = await desk.api.followups();
  if (!r.ok) return r;
  desk.state.followups = r.value.followups;
  const tbody = byId('followups', HTMLTableElement).tBodies[0];
  if (!tbody) return ok(undefined);
  clear(tbody);
  if (desk.state.followups.length === 0) {
    tbody.appendChild(
      h('tr', null, h('td', { colspan: 9, className: 'empty' }, bi(w('暂无差评整改任务', 'No follow-ups')))),
    );
  }
  for (const f of desk.state.followups) {
    const handle = h('button', { type: 'button', className: 'quiet' }, bi(w('处理', 'Handle')));
    handle.addEventListener('click', () => openFollowup(desk, f.id));
    tbody.appendChild(
      h(
        'tr',
        { 'data-followup': String(f.id), className: desk.state.selectedFollowup === f.id ? 'selected' : '' },
        h('td', null, String(f.id)),
        h('td', null, f.levelName),
        h('td', null, aboutText(f)),
        h('td', null, caseCell(f)),
        h('td', null, f.reason ? f.reason.text : '—'),
        h('td', null, formatTime(f.createdAt, desk.state.timeZone)),
        h('td', null, f.dueDate),
        h('td', null, stateBadges(f)),
        h('td', null, handle),
      ),
    );
  }
  if (desk.state.selectedFollowup !== null) openFollowup(desk, desk.state.selectedFollowup);
  return ok(undefined);
}

function stateBadges(f: FollowupView): HTMLSpanElement {
  return h(
    'span',
    { 'data-state': f.state },
    badge(FOLLOWUP_STATE_LEVEL[f.state], f.stateName, ''),
    f.overdue ? [' ', badge('overdue', w('超期', 'Overdue'), '!!')] : null,
  );
}

export function openFollowup(desk: Desk, id: number): void {
  const f = desk.state.followups.find((x) => x.id === id);
  const box = byId('followup-detail', HTMLElement);
  if (!f) {
    box.hidden = true;
    return;
  }
  desk.state.selectedFollowup = id;
  clear(box);
  box.hidden = false;
  const tz = desk.state.timeZone;
  const { list, fact } = factList();
  fact(w('评价等级', 'Rating'), f.levelName);
  fact(w('评价对象', 'About'), aboutText(f));
  if (f.case) fact(w('办件', 'Case'), caseCell(f));
  fact(w('差评原因', 'Reason'), f.reason ? f.reason.text : '—');
  fact(
    w('评价内容', 'Items'),
    f.contentItems.length > 0 ? f.contentItems.map((i) => i.text).join('、') : '—',
  );
  if (f.comment) fact(w('留言', 'Comment'), f.comment);
  fact(w('整改期限', 'Due'), f.dueDate + (f.extensionDays ? `（已延期 ${f.extensionDays} 个工作日）` : ''));
  fact(w('状态', 'State'), stateBadges(f));
  box.append(h('h2', { id: 'followup-title' }, bi(w('整改任务', 'Follow-up')), ` ${f.id}`), list);
  if (f.events.length > 0) {
    box.append(
      h('h3', null, bi(w('处理记录', 'History'))),
      h(
        'ol',
        { className: 'history' },
        f.events.map((e) =>
          h(
            'li',
            null,
            `${formatTime(e.at, tz)} ${e.staff}：${followupActionWords(e.action).zh}${detailText(e.detail)}`,
          ),
        ),
      ),
    );
  }
  if (f.allowedActions.length > 0 && desk.may('followup.act')) {
    box.append(
      h('h3', null, bi(w('办理', 'Actions'))),
      h(
        'div',
        { className: 'actions' },
        f.allowedActions.map((a) => followupForm(desk, f, a)),
      ),
    );
  }
}

/** The fields of one action's form, and how to read them back. */
function actionFields(
  f: FollowupView,
  action: FollowupAction['action'],
): { parts: Child[]; read: () => ActionInput } {
  const text = (name: string, label: Localized, long: boolean, required: boolean) => {
    const attrs = { id: nextId(name), name, required, maxlength: 1000 };
    const el = long ? h('textarea', attrs) : h('input', { type: 'text', ...attrs });
    return { el, parts: field(label, el) };
  };
  const days = (label: Localized, value: number) => {
    const el = h('input', { type: 'number', id: nextId('days'), min: 1, max: 60, value });
    return { el, parts: field(label, el) };
  };
  const number = (el: HTMLInputElement): number | undefined =>
    el.value.trim() === '' || !Number.isFinite(Number(el.value)) ? undefined : Number(el.value);
  switch (action) {
    case 'start': {
      const note = text('note', w('说明（可选）', 'Note (optional)'), false, false);
      return { parts: note.parts, read: () => ({ note: note.el.value }) };
    }
    case 'request-extension': {
      const d = days(w('延期工作日', 'Extra working days'), 3);
      const reason = text('reason', w('延期理由', 'Reason'), true, true);
      return {
        parts: [d.parts, reason.parts],
        read: () => ({ days: number(d.el), reason: reason.el.value }),
      };
    }
    case 'grant-extension': {
      const d = days(w('批准工作日', 'Days granted'), f.requestedDays ?? 3);
      return { parts: d.parts, read: () => ({ days: number(d.el) }) };
    }
    case 'complete': {
      const note = text('note', w('整改情况', 'What was done'), true, true);
      return { parts: note.parts, read: () => ({ note: note.el.value }) };
    }
    case 'deny-extension':
    case 'mark-invalid':
    case 'cannot-fix': {
      const reason = text('reason', w('理由', 'Reason'), true, true);
      return { parts: reason.parts, read: () => ({ reason: reason.el.value }) };
    }
    default: {
      const never: never = action;
      return never;
    }
  }
}

function followupForm(desk: Desk, f: FollowupView, action: FollowupAction['action']): HTMLFormElement {
  const { parts, read } = actionFields(f, action);
  const words = FOLLOWUP_ACTION_WORDS[action];
  return actionForm({
    action,
    words,
    parts,
    body: () => followupActionBody(action, read()),
    send: (body) => desk.api.followupAction(f.id, body),
    done: async () => {
      desk.say(`已办理：${words.zh}（整改任务 ${f.id}）`);
      const reloaded = await loadFollowups(desk);
      if (!reloaded.ok && reloaded.error.kind !== 'unauthenticated')
        desk.say(problemText(reloaded.error), true);
    },
  });
}

/** Downloads the jurisdiction's evaluations as JSON (common reporting interface coding). */
export async function exportEvaluations(desk: Desk): Promise<void> {
  const r = await desk.api.evaluationExport();
  if (!r.ok) {
    if (r.error.kind !== 'unauthenticated') desk.say(problemText(r.error), true);
    return;
  }
  const data = r.value;
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = h('a', {
    href: url,
    download: `evaluations-${data.jurisdiction}-${data.generatedAt.slice(0, 10)}.json`,
  });
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download in some browsers; a minute is ample for a small file.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  desk.say(`已导出 ${data.evaluations.length} 条评价 (exported)`);
}
