/**
 * How the staff desk puts the hall's answers into words: pure functions, no DOM, unit-tested.
 * Case statuses and the four case actions take their words from the shared contract
 * (src/shared/case-status.ts), the one home of the case lifecycle; the words below are the desk's
 * own (电子监察 lights, follow-up states, kiosk health, application field labels).
 */
import {
  CASE_STATUS_INFO,
  isCaseStatus,
  STAFF_ACTION_LABELS,
  STAFF_CASE_ACTIONS,
  type StaffCaseAction,
} from '../../shared/case-status.js';
import { formatDateTime } from '../../shared/wall-clock.js';
import type { Localized } from '../../shared/catalog.js';
import type { FleetHealth, FleetReport } from '../fleet.js';
import type { FollowupState } from '../followups.js';
import type { CaseLevel } from '../supervision.js';

/** The hall's zone until the supervision report names it (HALL_TIME_ZONE). */
export const DEFAULT_DESK_TIME_ZONE = 'Asia/Shanghai';

/** A light in words, colour (the CSS class `lv-<level>`) and a symbol, so colour is never alone. */
export type Light = { level: CaseLevel; words: Localized; icon: string };

const words = (zh: string, en: string): Localized => ({ zh, en });
const raw = (s: string): Localized => ({ zh: s, en: s });

/** A case status in the contract's words; a status outside the contract shows as it is. */
export const statusWords = (status: string): Localized =>
  isCaseStatus(status) ? CASE_STATUS_INFO[status].label : raw(status);

const isStaffCaseAction = (a: string): a is StaffCaseAction =>
  (STAFF_CASE_ACTIONS as readonly string[]).includes(a);

/** 受理 / 不予受理 / 补齐补正 / 办结 in the contract's words. */
export const caseActionWords = (action: string): Localized =>
  isStaffCaseAction(action) ? STAFF_ACTION_LABELS[action] : raw(action);

export const LEVEL_LIGHTS = {
  overdue: { level: 'overdue', words: words('超时通报', 'Overdue'), icon: '!!' },
  warning: { level: 'warning', words: words('提前预警', 'Due soon'), icon: '!' },
  reminder: { level: 'reminder', words: words('收件提醒', 'Just received'), icon: '✉' },
  normal: { level: 'normal', words: words('正常', 'On track'), icon: '✓' },
  paused: { level: 'paused', words: words('补正暂停计时', 'Clock paused'), icon: '‖' },
  closed: { level: 'closed', words: words('已结束', 'Closed'), icon: '■' },
  unknown: { level: 'unknown', words: words('无承诺时限', 'No deadline'), icon: '?' },
} as const satisfies { [L in CaseLevel]: Light & { level: L } };

/** The 电子监察 tiles above the case list, in this order. */
export const SUMMARY_LEVELS = [
  'overdue',
  'warning',
  'reminder',
  'paused',
] as const satisfies readonly CaseLevel[];

/** The colour of a follow-up's state badge. */
export const FOLLOWUP_STATE_LEVEL = {
  pending: 'reminder',
  'in-progress': 'normal',
  'extension-requested': 'warning',
  done: 'closed',
  invalid: 'closed',
  'cannot-fix': 'closed',
} as const satisfies { [S in FollowupState]: CaseLevel };

type Connection = FleetReport['kiosks'][number]['connection'];
export const CONNECTION_LIGHTS = {
  online: { level: 'normal', words: words('在线', 'Online'), icon: '✓' },
  offline: { level: 'overdue', words: words('离线', 'Offline'), icon: '!!' },
  never: { level: 'unknown', words: words('从未连接', 'Never connected'), icon: '?' },
} as const satisfies { [C in Connection]: Light };

export const HEALTH_LIGHTS = {
  ok: { level: 'normal', words: words('正常', 'OK'), icon: '✓' },
  degraded: { level: 'warning', words: words('告警', 'Warning'), icon: '!' },
  fault: { level: 'overdue', words: words('故障', 'Fault'), icon: '!!' },
  unknown: { level: 'unknown', words: words('未上报', 'Not reported'), icon: '?' },
} as const satisfies { [H in FleetHealth]: Light };

/** The data directory's free space: a warning badge when little is left (src/shared/storage-space.ts). */
export const STORAGE_LIGHTS = {
  ok: { level: 'normal', words: words('空间充足', 'Enough space'), icon: '✓' },
  low: { level: 'warning', words: words('空间不足', 'Low on space'), icon: '!' },
  unknown: { level: 'unknown', words: words('未上报', 'Not reported'), icon: '?' },
} as const satisfies { [S in 'ok' | 'low' | 'unknown']: Light };

/** Labels for the application fields the kiosk sends (src/backend/services/applications.ts). */
const FIELD: Record<string, Localized | undefined> = {
  receiptNo: words('收件凭证号', 'Receipt no.'),
  submittedAt: words('提交时间', 'Submitted'),
  caseType: words('办件类型', 'Case type'),
  promisedDate: words('承诺办结日期', 'Promised by'),
  promisedDays: words('承诺时限（工作日）', 'Promised working days'),
  integrityAcknowledgedAt: words('廉洁告知确认', 'Integrity notice'),
  'delivery.method': words('送达方式', 'Delivery'),
  'delivery.recipient': words('收件人', 'Recipient'),
  'delivery.phone': words('联系电话', 'Phone'),
  'delivery.address': words('邮寄地址', 'Address'),
  'delivery.postcode': words('邮政编码', 'Postcode'),
  licences: words('已调用电子证照', 'Shared licences'),
  'bundle.code': words('一件事', 'Bundle'),
  'bundle.submissionId': words('一件事提交号', 'Bundle submission'),
};

/** A field's label, or null: the desk then shows its path. */
export const fieldWords = (path: string): Localized | null => FIELD[path] ?? null;

/** 2026-03-02 09:00 in the hall's zone; — for none; an unreadable value as it is. */
export function formatTime(iso: string | null, timeZone: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return formatDateTime(d, timeZone);
}

export function formatSize(n: number | null): string {
  if (n === null) return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1048576) return `${Math.round(n / 1024)} KiB`;
  return `${(n / 1048576).toFixed(1)} MiB`;
}

/**
 * A case's material names from the catalog by code (CaseDetail.materialNames): a 补正 asks for
 * materials by code plus free text, and staff read them by name. A code the catalog does not know,
 * and free text, stay as written.
 */
export type MaterialNames = Readonly<Record<string, Localized>>;
