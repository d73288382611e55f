/**
 * 审计日志: the hall's audit log for 督查 (GET /v1/staff/audit, their jurisdictions; the whole hall
 * for 管理员) — who did what, when, from where — newest first, 50 at a time with 更多 for older.
 */
import { ok, type Result } from '../../shared/result.js';
import type { StaffAuditEntry } from '../../shared/wire/staff.js';
import type { Problem } from './api.js';
import type { Desk } from './desk.js';
import { byId, clear, h } from './dom.js';
import { formatTime } from './format.js';

const ACTION_NAMES: Record<string, string> = {
  'staff.login': '登录 Sign-in',
  'staff.login-failed': '登录失败 Failed sign-in',
  'staff.locked': '登录锁定 Locked out',
  'staff.logout': '退出 Sign-out',
  'case.accept': '受理 Accept',
  'case.refuse': '不予受理 Refuse',
  'case.correction': '补正 Correction',
  'case.complete': '办结 Complete',
  'case.reveal': '查看完整信息 Full data viewed',
  'account.add': '新建账号 Account added',
  'account.reset': '重置密码 Password reset',
  'account.disable': '停用账号 Account disabled',
};

let next: number | null = null;

/** Loads the newest page (or, with `more`, the next older one) into the table. */
export async function loadAudit(desk: Desk, more = false): Promise<Result<void, Problem>> {
  const r = await desk.api.audit(more && next !== null ? next : undefined);
  if (!r.ok) return r;
  const tbody = byId('audit', HTMLTableElement).tBodies[0];
  if (!tbody) return ok(undefined);
  if (!more) clear(tbody);
  for (const e of r.value.entries) tbody.appendChild(row(desk, e));
  next = r.value.next;
  byId('audit-more', HTMLButtonElement).hidden = next === null;
  return ok(undefined);
}

const detailText = (d: StaffAuditEntry['detail']): string =>
  Object.entries(d)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');

function row(desk: Desk, e: StaffAuditEntry): HTMLTableRowElement {
  return h(
    'tr',
    null,
    h('td', null, formatTime(e.at, desk.state.timeZone)),
    h('td', null, e.actor),
    h('td', null, ACTION_NAMES[e.action] ?? e.action),
    h('td', { className: 'mono' }, e.caseId ? e.caseId.slice(0, 8) : '—'),
    h('td', null, e.jurisdiction ?? '—'),
    h('td', { className: 'mono' }, e.address ?? '—'),
    h('td', null, detailText(e.detail) || '—'),
  );
}
