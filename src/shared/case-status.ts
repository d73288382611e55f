/**
 * The case (办件) lifecycle, once for every part (docs/contract.md, "Case statuses"): the closed list
 * of statuses an application can have, their labels in Chinese and English, what the resident may
 * do next in each, and which staff action leads from which status to which.
 *
 * The kiosk's 进度查询 screen, the hall's staff desk and the hall's store all take their statuses
 * from here, so a status the screen has no label for is a type error, and a case-status document
 * naming a status outside this list is refused where it arrives (src/shared/wire/documents.ts).
 *
 * 环节 (docs/domain.md, "Stages (环节)"): 收件 → 受理 (or 不予受理 with a reason) → 办结, with the
 * side state 补齐补正. Two statuses exist only at the kiosk, before the hall has the entry:
 * `submitted` (the application is stored, not yet at the hall) and `supplement-submitted`.
 *
 * No zod here: the renderer imports this module and keeps zod out of its bundle.
 */
import type { Localized } from './catalog.js';

export const CASE_STATUSES = [
  'submitted',
  'received',
  'accepted',
  'refused',
  'correction-requested',
  'supplement-submitted',
  'supplement-received',
  'completed',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** The statuses the hall holds and sends to kiosks on the `case-status` stream. */
export const HALL_CASE_STATUSES = [
  'received',
  'accepted',
  'refused',
  'correction-requested',
  'supplement-received',
  'completed',
] as const satisfies readonly CaseStatus[];
export type HallCaseStatus = (typeof HALL_CASE_STATUSES)[number];

export const isCaseStatus = (s: string): s is CaseStatus => (CASE_STATUSES as readonly string[]).includes(s);
export const isHallCaseStatus = (s: string): s is HallCaseStatus =>
  (HALL_CASE_STATUSES as readonly string[]).includes(s);

/**
 * What the resident may do next at a kiosk: `supplement` (补正 — scan what the hall asked for),
 * `collect` (the result is ready: by EMS or at the window, as chosen), `consult` (ask at a window or
 * call the hall: e.g. after 不予受理), `wait` (nothing to do; the hall is working on it).
 */
export type ResidentNextStep = 'wait' | 'supplement' | 'collect' | 'consult';

export type CaseStatusInfo = {
  status: CaseStatus;
  /** The status in a word or two: 进度查询, the staff desk, receipts. */
  label: Localized;
  /** One sentence telling the resident what it means for them. */
  explain: Localized;
  next: ResidentNextStep;
  /** A closed case: nothing more will happen to it (the staff desk leaves it out of its default view). */
  closed: boolean;
  /** Where the status comes from: the kiosk (before the hall has the entry) or the hall. */
  origin: 'kiosk' | 'hall';
};

/** Every status with its words; `satisfies` makes a missing or unknown status a type error. */
export const CASE_STATUS_INFO = {
  submitted: {
    status: 'submitted',
    label: { zh: '已提交，待上传', en: 'Submitted, waiting to upload' },
    explain: {
      zh: '申请已保存在本终端，联网后自动送达大厅，无需再次提交。',
      en: 'Your application is saved at this kiosk and goes to the hall by itself when the network is back. Do not submit it again.',
    },
    next: 'wait',
    closed: false,
    origin: 'kiosk',
  },
  received: {
    status: 'received',
    label: { zh: '大厅已收件', en: 'Received by the hall' },
    explain: {
      zh: '大厅已收到申请，等待窗口受理。',
      en: 'The hall has your application; a window clerk will check it.',
    },
    next: 'wait',
    closed: false,
    origin: 'hall',
  },
  accepted: {
    status: 'accepted',
    label: { zh: '已受理', en: 'Accepted' },
    explain: {
      zh: '申请已受理，正在审批，请在承诺时限内留意结果。',
      en: 'Your application was accepted and is being decided within the promised time.',
    },
    next: 'wait',
    closed: false,
    origin: 'hall',
  },
  refused: {
    status: 'refused',
    label: { zh: '不予受理', en: 'Not accepted' },
    explain: {
      zh: '大厅决定不予受理，原因见下方说明；如有疑问请到窗口或拨打咨询电话。',
      en: 'The hall did not accept this application; the reason is below. Ask at a window or call the hall with any question.',
    },
    next: 'consult',
    closed: true,
    origin: 'hall',
  },
  'correction-requested': {
    status: 'correction-requested',
    label: { zh: '需补齐补正', en: 'Missing materials requested' },
    explain: {
      zh: '请补交大厅要求的材料：在本终端刷身份证后扫描即可，无需再跑窗口。',
      en: 'Please hand in the materials the hall asked for: identify with your ID card and scan them here, no trip to a window needed.',
    },
    next: 'supplement',
    closed: false,
    origin: 'hall',
  },
  'supplement-submitted': {
    status: 'supplement-submitted',
    label: { zh: '补正材料已提交，待上传', en: 'Materials submitted, waiting to upload' },
    explain: {
      zh: '补正材料已保存在本终端，联网后自动送达大厅。',
      en: 'The materials are saved at this kiosk and go to the hall by themselves when the network is back.',
    },
    next: 'wait',
    closed: false,
    origin: 'kiosk',
  },
  'supplement-received': {
    status: 'supplement-received',
    label: { zh: '补正材料已送达，待审核', en: 'Materials received, under review' },
    explain: {
      zh: '大厅已收到补正材料，正在审核，请留意办理进度。',
      en: 'The hall has the materials you handed in and is reviewing them.',
    },
    next: 'wait',
    closed: false,
    origin: 'hall',
  },
  completed: {
    status: 'completed',
    label: { zh: '已办结', en: 'Completed' },
    explain: {
      zh: '办理完成：结果按您选择的方式送达（邮寄或窗口领取）。',
      en: 'Done: the result comes the way you chose (EMS delivery or collection at the window).',
    },
    next: 'collect',
    closed: true,
    origin: 'hall',
  },
} as const satisfies { [S in CaseStatus]: CaseStatusInfo & { status: S } };

export const caseStatusInfo = (status: CaseStatus): CaseStatusInfo => CASE_STATUS_INFO[status];

// ---------------------------------------------------------------------------------------------
// Staff actions on a case (the hall's staff desk)

/** 受理, 不予受理, 补齐补正, 办结. */
export const STAFF_CASE_ACTIONS = ['accept', 'refuse', 'request-correction', 'complete'] as const;
export type StaffCaseAction = (typeof STAFF_CASE_ACTIONS)[number];

/** Which statuses an action may start from, and the status it leads to. */
export const CASE_TRANSITIONS = {
  accept: { from: ['received', 'correction-requested', 'supplement-received'], to: 'accepted' },
  refuse: { from: ['received', 'correction-requested', 'supplement-received'], to: 'refused' },
  'request-correction': { from: ['received', 'accepted', 'supplement-received'], to: 'correction-requested' },
  complete: { from: ['accepted'], to: 'completed' },
} as const satisfies { [A in StaffCaseAction]: { from: readonly HallCaseStatus[]; to: HallCaseStatus } };

/** The staff actions a case in `status` allows (the staff desk offers only these). */
export const allowedCaseActions = (status: HallCaseStatus): StaffCaseAction[] =>
  STAFF_CASE_ACTIONS.filter((a) => (CASE_TRANSITIONS[a].from as readonly HallCaseStatus[]).includes(status));

export const STAFF_ACTION_LABELS = {
  accept: { zh: '受理', en: 'Accept' },
  refuse: { zh: '不予受理', en: 'Refuse' },
  'request-correction': { zh: '补齐补正', en: 'Request missing materials' },
  complete: { zh: '办结', en: 'Complete' },
} as const satisfies { [A in StaffCaseAction]: Localized };

/**
 * The 电子监察 light of a case (the levels of src/hall/supervision.ts), in the order they matter: the
 * case list's filter and the supervision summary both list them so. Here, not in wire/staff.ts, so
 * the staff desk's browser bundle can use it without the wire module's zod.
 */
export const CASE_LIGHTS = [
  'overdue',
  'warning',
  'reminder',
  'normal',
  'paused',
  'unknown',
  'closed',
] as const;
export type CaseLight = (typeof CASE_LIGHTS)[number];
