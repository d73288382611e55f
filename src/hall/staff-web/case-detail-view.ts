/**
 * One case: its facts (applicant masked by the hall, never a photo), the application's fields, the
 * scanned materials, the history, and a form for each action its status allows — 受理, 不予受理
 * with a reason, 补齐补正 choosing materials plus free text, 办结 with the result and EMS number.
 */
import type { Localized } from '../../shared/catalog.js';
import { STAFF_ACTION_LABELS, type StaffCaseAction } from '../../shared/case-status.js';
import type { StaffAction } from '../../shared/wire/staff.js';
import type { CaseDetail } from '../case-detail.js';
import { CASE_ACTION_PERMISSION } from '../../shared/staff-roles.js';
import { caseActionBody, offeredCaseActions, type ActionInput } from './actions.js';
import { problemText } from './api.js';
import type { Desk } from './desk.js';
import { bi, byId, clear, h, type Child } from './dom.js';
import { caseFollowupsSection } from './case-followups-view.js';
import { documentsSection } from './documents-view.js';
import {
  caseEventText,
  fieldValue,
  fieldWords,
  formatSize,
  formatTime,
  materialText,
  statusWords,
} from './format.js';
import { openViewer } from './attachment-viewer.js';
import { confirmStep } from './modal.js';
import { actionForm, factList, field, levelBadge, nextId, statusText } from './widgets.js';

const w = (zh: string, en: string): Localized => ({ zh, en });

export type CaseDetailDeps = {
  desk: Desk;
  /** After an action: redraw the list (the status and light changed). */
  reloadCases: () => Promise<unknown>;
};

export async function openCase(deps: CaseDetailDeps, id: string): Promise<void> {
  const { desk } = deps;
  const r = await desk.api.caseDetail(id);
  if (!r.ok) {
    if (r.error.kind !== 'unauthenticated') desk.say(problemText(r.error), true);
    return;
  }
  desk.state.selectedCase = id;
  for (const tr of document.querySelectorAll('#cases tr[data-case]')) {
    tr.className = tr.getAttribute('data-case') === id ? 'selected' : '';
  }
  const box = byId('case-detail', HTMLElement);
  clear(box);
  box.hidden = false;
  const c = r.value;
  const tz = desk.state.timeZone;

  box.append(
    h(
      'h2',
      { id: 'case-title' },
      bi(w('办件详情', 'Case')),
      ' ',
      h('span', { className: 'mono', 'data-testid': 'case-receipt' }, c.receiptNo ?? c.id),
    ),
    facts(deps, c, tz),
    h('h3', null, bi(w('申请表', 'Application form'))),
    formTable(c),
    h('h3', null, bi(w('其他信息', 'Other details'))),
    fieldsTable(c, tz),
    h('h3', null, bi(w('材料', 'Materials'))),
    materialsTable(deps, c),
    h('h3', null, bi(w('办理记录', 'History'))),
    history(c, tz),
    h('h3', null, bi(w('办理', 'Actions'))),
    actions(deps, c),
    h('h3', null, bi(w('文书', 'Documents'))),
    documentsSection(desk, c),
    caseFollowupsSection(desk, c.id),
  );
  // Opened from the list above: bring the case into view (the list can be a screen long at 1366×768).
  if (typeof box.scrollIntoView === 'function') box.scrollIntoView({ block: 'start' });
}

function facts(deps: CaseDetailDeps, c: CaseDetail, tz: string): HTMLDListElement {
  const { list, fact } = factList();
  const s = c.supervision;
  fact(w('事项', 'Item'), [
    c.itemName ? bi(c.itemName) : null,
    ' ',
    h('span', { className: 'mono' }, c.itemCode),
  ]);
  fact(w('状态', 'Status'), statusText(c.status));
  if (c.applicant) {
    fact(w('申请人', 'Applicant'), h('span', { 'data-testid': 'applicant-name' }, c.applicant.name ?? '—'));
    fact(
      w('证件号码', 'ID number'),
      h('span', { className: 'mono', 'data-testid': 'applicant-id' }, c.applicant.idNumber ?? '—'),
    );
  }
  if (c.helper) fact(w('代办人', 'Helper'), `${c.helper.name ?? '—'} ${c.helper.idNumber ?? ''}`);
  if (c.applicant) fact(w('完整信息', 'Full details'), revealButton(deps, c));
  fact(w('收件时间', 'Received'), formatTime(c.receivedAt, tz));
  const deadline =
    s?.deadline ?? (s?.level === 'paused' ? `补正期间暂停计时 (paused since ${s.pausedSince ?? '?'})` : '—');
  fact(w('承诺办结', 'Deadline'), [deadline, ' ', s ? levelBadge(s.level) : null]);
  if (s?.pausedWorkingDays) fact(w('补正顺延', 'Paused'), `${s.pausedWorkingDays} 个工作日 (working days)`);
  fact(w('终端', 'Kiosk'), h('span', { className: 'mono' }, c.kioskId));
  return list;
}

const headRow = (...cells: Child[]): HTMLTableSectionElement =>
  h(
    'thead',
    null,
    h(
      'tr',
      null,
      cells.map((cell) => h('th', { scope: 'col' }, cell)),
    ),
  );

function fieldsTable(c: CaseDetail, tz: string): HTMLTableElement {
  const body = h('tbody');
  for (const f of c.fields.filter((x) => !x.path.startsWith('form.'))) {
    const label = fieldWords(f.path);
    body.appendChild(
      h(
        'tr',
        null,
        h('td', null, label ? bi(label) : h('span', { className: 'mono' }, f.path)),
        h('td', null, fieldValue(f.path, f.value, tz)),
      ),
    );
  }
  return h(
    'table',
    { className: 'grid', 'data-testid': 'case-fields' },
    headRow(bi(w('字段', 'Field')), bi(w('内容', 'Value'))),
    body,
  );
}

/** The application form: each field by its catalog label, a select's value by its option's label. */
function formTable(c: CaseDetail): HTMLTableElement {
  const body = h('tbody');
  for (const f of c.form) {
    body.appendChild(
      h(
        'tr',
        { 'data-field': f.key },
        h('th', { scope: 'row' }, f.label ? bi(f.label) : h('span', { className: 'mono' }, f.key)),
        h('td', null, f.valueLabel ? bi(f.valueLabel) : f.value),
      ),
    );
  }
  if (c.form.length === 0)
    body.appendChild(h('tr', null, h('td', { colspan: 2, className: 'empty' }, bi(w('无', 'None')))));
  return h(
    'table',
    { className: 'grid', 'data-testid': 'case-form' },
    headRow(bi(w('项目', 'Field')), bi(w('填写内容', 'Value'))),
    body,
  );
}

const materialName = (c: CaseDetail, code: string): Localized | null => c.materialNames[code] ?? null;

/** Each material by its catalog name, its pages, and the viewer for them. */
function materialsTable(deps: CaseDetailDeps, c: CaseDetail): HTMLTableElement {
  const body = h('tbody');
  for (const code of c.materials) {
    const pages = c.attachments
      .filter((a) => a.materialCode === code)
      .sort((a, b) =>
        a.source === b.source ? a.position - b.position : a.source === 'application' ? -1 : 1,
      );
    const name = materialName(c, code);
    const view = h(
      'button',
      { type: 'button', className: 'quiet', 'data-view': code },
      bi(w(`查看 ${pages.length} 页`, `View ${pages.length} page${pages.length === 1 ? '' : 's'}`)),
    );
    view.addEventListener('click', () =>
      openViewer({ load: (sha) => deps.desk.api.document(c.id, sha) }, { code, name }, pages),
    );
    body.appendChild(
      h(
        'tr',
        { 'data-material': code },
        h('td', null, name ? bi(name) : null, ' ', h('span', { className: 'mono' }, code)),
        h('td', null, String(pages.length)),
        h(
          'td',
          null,
          pages.some((p) => p.source === 'supplement') ? bi(w('含补正', 'incl. supplement')) : '—',
        ),
        h('td', null, formatSize(pages.reduce((n, p) => n + p.size, 0))),
        h('td', null, view),
      ),
    );
  }
  if (c.materials.length === 0) {
    body.appendChild(h('tr', null, h('td', { colspan: 5, className: 'empty' }, bi(w('无', 'None')))));
  }
  return h(
    'table',
    { className: 'grid', 'data-testid': 'case-attachments' },
    headRow(
      bi(w('材料', 'Material')),
      bi(w('页数', 'Pages')),
      bi(w('补正', 'Supplement')),
      bi(w('大小', 'Size')),
      h('span', { className: 'sr-only' }, '操作 Actions'),
    ),
    body,
  );
}

/** 查看完整信息: the full name, ID number and phone, asked for and written to the audit log. */
function revealButton(deps: CaseDetailDeps, c: CaseDetail): HTMLElement {
  const out = h('span', { 'data-testid': 'revealed', 'aria-live': 'polite' });
  const b = h(
    'button',
    { type: 'button', className: 'quiet', 'data-reveal': c.id },
    bi(w('查看完整信息（记入审计）', 'Show in full (audited)')),
  );
  b.addEventListener('click', () => {
    void deps.desk.api.reveal(c.id).then((r) => {
      if (!r.ok) {
        out.textContent = problemText(r.error);
        return;
      }
      const v = r.value;
      b.remove();
      out.textContent = [
        v.applicant ? `${v.applicant.name} ${v.applicant.idNumber}` : '',
        v.helper ? `代办人 ${v.helper.name} ${v.helper.idNumber}` : '',
        v.phones.length > 0 ? `电话 ${v.phones.join('、')}` : '',
      ]
        .filter((x) => x !== '')
        .join('；');
    });
  });
  return h('span', null, b, out);
}

function history(c: CaseDetail, tz: string): HTMLElement {
  if (c.events.length + c.supplements.length === 0)
    return h('p', { className: 'hint' }, bi(w('暂无', 'None yet')));
  return h(
    'ol',
    { className: 'history' },
    c.events.map((e) => h('li', null, caseEventText(e, tz, c.materialNames))),
    c.supplements.map((s) =>
      h(
        'li',
        null,
        `${formatTime(s.receivedAt, tz)} 收到补正材料：${s.materials.map((m) => materialText(m, c.materialNames)).join('、')}`,
      ),
    ),
  );
}

function actions(deps: CaseDetailDeps, c: CaseDetail): HTMLDivElement {
  const byStatus = offeredCaseActions(c.status);
  // Only what this account's roles may do (the hall refuses the rest anyway).
  const offered = byStatus.filter((a) => deps.desk.may(CASE_ACTION_PERMISSION[a]));
  return h(
    'div',
    { className: 'actions' },
    offered.map((a) => caseActionForm(deps, c, a)),
    byStatus.length === 0
      ? h('p', { className: 'hint' }, bi(w('本件已结束，无可办理操作', 'Closed: no actions')))
      : offered.length === 0
        ? h('p', { className: 'hint' }, bi(w('您的角色无可办理操作', 'No actions for your role')))
        : null,
  );
}

const textInput = (name: string, attrs: Record<string, string | number | boolean> = {}): HTMLInputElement =>
  h('input', { type: 'text', id: nextId(name), name, maxlength: 500, ...attrs });

/** The fields of one action's form, and how to read them back. */
function actionFields(c: CaseDetail, action: StaffCaseAction): { parts: Child[]; read: () => ActionInput } {
  switch (action) {
    case 'accept': {
      const note = textInput('note');
      return {
        parts: field(w('受理意见（可选）', 'Note (optional)'), note),
        read: () => ({ note: note.value }),
      };
    }
    case 'refuse': {
      const reason = h('textarea', { id: nextId('reason'), name: 'reason', required: true, maxlength: 500 });
      return { parts: field(w('不予受理理由', 'Reason'), reason), read: () => ({ reason: reason.value }) };
    }
    case 'request-correction': {
      const checks = h('div', { className: 'checks', role: 'group', 'aria-label': '需补正的材料 Materials' });
      for (const m of c.materials) {
        const id = nextId('mat');
        checks.appendChild(
          h(
            'label',
            { for: id },
            h('input', { type: 'checkbox', id, value: m, name: 'material' }),
            materialName(c, m) ? bi(materialName(c, m) ?? w(m, m)) : null,
            h('span', { className: 'mono' }, ` ${m}`),
          ),
        );
      }
      if (c.materials.length === 0) {
        checks.appendChild(
          h('p', { className: 'hint' }, bi(w('本件无扫描材料', 'No scanned materials on file'))),
        );
      }
      const other = h('textarea', {
        id: nextId('other'),
        name: 'other',
        placeholder: '每行一项 / one per line',
      });
      const note = textInput('cnote', { name: 'note' });
      return {
        parts: [
          h('p', { className: 'hint' }, bi(w('勾选需补正的材料', 'Tick the materials to supply'))),
          checks,
          field(w('其他材料', 'Other materials'), other),
          field(w('补正说明（可选）', 'Note (optional)'), note),
        ],
        read: () => ({
          materials: [...checks.querySelectorAll('input')].filter((i) => i.checked).map((i) => i.value),
          other: other.value,
          note: note.value,
        }),
      };
    }
    case 'complete': {
      const result = textInput('result', { required: true, placeholder: '如：准予许可' });
      const ems = textInput('ems', { name: 'trackingNumber', maxlength: 64, placeholder: 'EMS…' });
      return {
        parts: [
          field(w('办结结果', 'Result'), result),
          field(w('EMS 邮件号（寄递时填写）', 'EMS tracking number'), ems),
        ],
        read: () => ({ result: result.value, trackingNumber: ems.value }),
      };
    }
    default: {
      const never: never = action;
      return never;
    }
  }
}

function caseActionForm(deps: CaseDetailDeps, c: CaseDetail, action: StaffCaseAction): HTMLFormElement {
  const { desk } = deps;
  const { parts, read } = actionFields(c, action);
  const words = STAFF_ACTION_LABELS[action];
  return actionForm({
    action,
    words,
    danger: action === 'refuse',
    parts,
    body: () => caseActionBody(action, read()),
    confirm: (body) => confirmAction(c, body),
    send: (body) => desk.api.caseAction(c.id, body),
    done: async (done) => {
      desk.say(`已办理：${words.zh} → ${statusWords(done.status).zh} (${c.id})`);
      await deps.reloadCases();
      await openCase(deps, c.id);
    },
  });
}

/** 不予受理 and 办结 cannot be taken back: the reason, or the result and EMS number, are shown back first. */
function confirmAction(c: CaseDetail, body: StaffAction): Promise<boolean> {
  const receipt = c.receiptNo ?? c.id;
  if (body.action === 'refuse')
    return confirmStep({
      title: w('确认不予受理', 'Confirm refusal'),
      question: w(`确定对 ${receipt} 作出不予受理决定吗？`, `Refuse ${receipt}?`),
      facts: [{ label: w('不予受理理由', 'Reason'), value: body.reason }],
      confirm: w('确认不予受理', 'Refuse'),
      danger: true,
    });
  if (body.action === 'complete')
    return confirmStep({
      title: w('确认办结', 'Confirm completion'),
      question: w(`确定将 ${receipt} 办结吗？`, `Complete ${receipt}?`),
      facts: [
        { label: w('办结结果', 'Result'), value: body.result },
        { label: w('EMS 邮件号', 'EMS tracking number'), value: body.trackingNumber ?? '—（不寄递 none）' },
      ],
      confirm: w('确认办结', 'Complete'),
    });
  return Promise.resolve(true);
}
