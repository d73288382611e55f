/**
 * 好差评 follow-up (docs/domain.md, "Follow-up of bad reviews": bad reviews are followed up; rectification
 * states 待整改 → 整改中 → 整改完成, or 无效差评 / 无法整改 after review; 申请延期; 超期; day limits set
 * locally). A 差评 (不满意 / 非常不满意) arriving from a kiosk opens a task in the same transaction
 * that records the evaluation (`onEvaluationApplied`, called by the push). The task belongs to the
 * jurisdiction of the evaluated case (the kiosk's for a queue ticket) and is due `followupDays`
 * working days after its receipt day, plus any extension granted. 超期 is not a stored state: it is a
 * flag on an open task whose due date has passed.
 *
 * The evaluator's identity is not in the follow-up itself: the staff view carries the level, the
 * reason, the content items, the resident's comment and what was evaluated (item code or queue
 * window) — and, for an application, the link to its case (id, 受理编号, item name; issue 10 item 7):
 * rectifying a 差评 means looking at the case it was given on (and the 100% callback), and the case
 * opens only for staff of its jurisdiction with case.read, its applicant masked as everywhere.
 */
import { z } from 'zod';
import { evaluationLevelSchema } from '../shared/evaluation-schemas.js';
import { evaluationLevelInfo, isBadReview, type EvaluationItems } from '../shared/evaluation.js';
import { addWorkingDays, calendarDay, receiptDay, type HolidayCalendar } from '../shared/working-days.js';
import type { Localized } from '../shared/catalog.js';
import { describeIssues, type FollowupCaseLink } from '../shared/wire/index.js';
import { badRequest, hallError, notFound, type HttpAnswer } from './answers.js';
import type { EvaluationApplied } from './incoming.js';
import { staffCovers, type Staff } from './staff.js';
import {
  createEvaluationStore,
  hallSqlOf,
  readApplication,
  readEvaluation,
  type FollowupRecord,
  type HallDatabase,
} from './store/index.js';

export const FOLLOWUP_STATES = [
  'pending',
  'in-progress',
  'extension-requested',
  'done',
  'invalid',
  'cannot-fix',
] as const;
export type FollowupState = (typeof FOLLOWUP_STATES)[number];
const OPEN_STATES: readonly FollowupState[] = ['pending', 'in-progress', 'extension-requested'];

export const FOLLOWUP_STATE_NAMES: Record<FollowupState, { zh: string; en: string }> = {
  pending: { zh: '待整改', en: 'Pending' },
  'in-progress': { zh: '整改中', en: 'In progress' },
  'extension-requested': { zh: '申请延期', en: 'Extension requested' },
  done: { zh: '整改完成', en: 'Rectified' },
  invalid: { zh: '无效差评', en: 'Invalid review' },
  'cannot-fix': { zh: '无法整改', en: 'Cannot be fixed' },
};

const text = (max: number) => z.string().trim().min(1).max(max);
const days = z.number().int().min(1).max(60);

export const followupActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('start'), note: z.string().max(500).optional() }),
  z.object({ action: z.literal('request-extension'), days, reason: text(500) }),
  /** `days` defaults to what was requested. */
  z.object({
    action: z.literal('grant-extension'),
    days: days.optional(),
    note: z.string().max(500).optional(),
  }),
  z.object({ action: z.literal('deny-extension'), reason: text(500) }),
  z.object({ action: z.literal('complete'), note: text(1000) }),
  z.object({ action: z.literal('mark-invalid'), reason: text(500) }),
  z.object({ action: z.literal('cannot-fix'), reason: text(500) }),
]);
export type FollowupAction = z.infer<typeof followupActionSchema>;

/** Which states an action may start from, and where it leads. */
export const FOLLOWUP_TRANSITIONS: Record<
  FollowupAction['action'],
  { from: readonly FollowupState[]; to: FollowupState }
> = {
  start: { from: ['pending'], to: 'in-progress' },
  'request-extension': { from: ['in-progress'], to: 'extension-requested' },
  'grant-extension': { from: ['extension-requested'], to: 'in-progress' },
  'deny-extension': { from: ['extension-requested'], to: 'in-progress' },
  complete: { from: ['in-progress'], to: 'done' },
  'mark-invalid': { from: ['pending', 'in-progress'], to: 'invalid' },
  'cannot-fix': { from: ['pending', 'in-progress'], to: 'cannot-fix' },
};

export const allowedFollowupActions = (state: FollowupState): FollowupAction['action'][] =>
  (Object.keys(FOLLOWUP_TRANSITIONS) as FollowupAction['action'][]).filter((a) =>
    FOLLOWUP_TRANSITIONS[a].from.includes(state),
  );

/** What a follow-up action carried, as recorded in the task's history (the action's fields but its name). */
export type FollowupActionDetail = { note?: string; reason?: string; days?: number };

export type FollowupEvent = {
  at: string;
  staff: string;
  action: FollowupAction['action'];
  from: FollowupState;
  to: FollowupState;
  detail: FollowupActionDetail;
};

/** One task of GET /v1/staff/followups (docs/sync-protocol.md, section 8.3); the staff page reads it. */
export type FollowupView = {
  id: number;
  evaluationId: string;
  level: string;
  /** The level in words (非常不满意 …). */
  levelName: string;
  state: FollowupState;
  stateName: { zh: string; en: string };
  overdue: boolean;
  createdAt: string;
  dueDate: string;
  extensionDays: number;
  requestedDays: number | null;
  closedAt: string | null;
  /** What was evaluated: an application (its item code) or a queue ticket (its window). */
  target: { kind: string; itemCode: string | null; window: string | null };
  /** The evaluated case, for the desk's link that opens it; null for a queue ticket. */
  case: FollowupCaseLink | null;
  reason: { code: string; text: string } | null;
  contentItems: { code: string; text: string }[];
  comment: string | null;
  allowedActions: FollowupAction['action'][];
  events: FollowupEvent[];
};
export type FollowupList = { jurisdiction: string; followupDays: number; followups: FollowupView[] };
/** The body of a successful POST /v1/staff/followups/{id}/actions. */
export type FollowupActionDone = { id: number; state: FollowupState };

export type { EvaluationApplied };

export type FollowupDeps = {
  db: HallDatabase;
  clock: () => Date;
  calendar: HolidayCalendar;
  timeZone: string;
  followupDays: number;
  items: EvaluationItems | null;
  /** 办事项名称 from the catalog (catalog.ts), for the case link; null or absent shows none. */
  itemName?: (code: string) => Localized | null;
};

export function createFollowupDesk(deps: FollowupDeps) {
  const { db, calendar, timeZone } = deps;
  const sql = hallSqlOf(db);
  const evaluations = createEvaluationStore(hallSqlOf(db));

  /**
   * Called by the push inside its transaction (which awaits it): a 差评 opens a follow-up task (once
   * per evaluation).
   */
  async function onEvaluationApplied(e: EvaluationApplied): Promise<void> {
    const level = evaluationLevelSchema.safeParse(e.level);
    if (!level.success || !isBadReview(level.data)) return;
    const jurisdiction = await evaluations.jurisdictionOfTarget(e.targetKind, e.targetId, e.kioskId);
    // The kiosk row exists (the push authenticated it), so a jurisdiction is always found.
    await evaluations.openFollowup({ evaluationId: e.id, jurisdiction: jurisdiction ?? '', at: e.at });
  }

  /** 整改期限: `followupDays` (+ extensions) working days after the receipt day of the review. */
  const dueDate = (createdAt: string, extensionDays: number): string =>
    addWorkingDays(
      receiptDay(new Date(createdAt), timeZone, calendar),
      deps.followupDays + extensionDays,
      calendar,
    );

  const itemText = (code: string): string => {
    const items = deps.items;
    if (!items) return code;
    const all = [
      ...items.reasons,
      ...Object.values(items.items).flatMap((l) => [...l.efficiency, ...l.level, ...l.attitude]),
    ];
    return all.find((i) => i.code === code)?.zh ?? code;
  };

  function view(r: FollowupRecord<FollowupState>, events: FollowupEvent[], today: string): FollowupView {
    const evaluation = readEvaluation(r.payload);
    const level = evaluationLevelSchema.safeParse(r.level);
    const due = dueDate(r.createdAt, r.extensionDays);
    const open = OPEN_STATES.includes(r.state);
    const reason = evaluation?.reason?.trim() || null;
    const contentItems = evaluation?.contentItems ?? [];
    return {
      id: r.id,
      evaluationId: r.evaluationId,
      level: r.level,
      levelName: level.success ? evaluationLevelInfo(level.data).zh : r.level,
      state: r.state,
      stateName: FOLLOWUP_STATE_NAMES[r.state],
      overdue: open && today > due,
      createdAt: r.createdAt,
      dueDate: due,
      extensionDays: r.extensionDays,
      requestedDays: r.requestedDays,
      closedAt: r.closedAt,
      target: { kind: r.targetKind, itemCode: r.itemCode, window: r.windowCode },
      case:
        r.caseId === null
          ? null
          : {
              id: r.caseId,
              receiptNo: (r.casePayload === null ? null : readApplication(r.casePayload)?.receiptNo) ?? null,
              itemName: r.itemCode === null ? null : (deps.itemName?.(r.itemCode) ?? null),
            },
      reason: reason === null ? null : { code: reason, text: itemText(reason) },
      contentItems: contentItems.map((code) => ({ code, text: itemText(code) })),
      comment: evaluation?.comment || null,
      allowedActions: allowedFollowupActions(r.state),
      events,
    };
  }

  /** GET /v1/staff/followups[?state=]. */
  async function list(staff: Staff, state?: string): Promise<HttpAnswer> {
    if (state !== undefined && !(FOLLOWUP_STATES as readonly string[]).includes(state)) {
      return badRequest(`state must be one of ${FOLLOWUP_STATES.join(', ')}`);
    }
    const today = calendarDay(deps.clock(), timeZone);
    const events = new Map<number, FollowupEvent[]>();
    // An account bound to several jurisdictions sees the follow-ups of all of them (and no others).
    const jurisdictions = [...new Set(staff.jurisdictions)];
    const allEvents: Awaited<ReturnType<typeof evaluations.followupEventsIn>> = [];
    for (const j of jurisdictions) allEvents.push(...(await evaluations.followupEventsIn(j)));
    for (const e of allEvents) {
      const { followupId, detail, ...rest } = e;
      const list = events.get(followupId) ?? [];
      list.push({
        ...(rest as Omit<FollowupEvent, 'detail'>),
        detail: JSON.parse(detail) as FollowupActionDetail,
      });
      events.set(followupId, list);
    }
    const rows: FollowupRecord<FollowupState>[] = [];
    for (const j of jurisdictions)
      rows.push(...(await evaluations.followups<FollowupState>(j, state ?? null)));
    rows.sort((a, b) => a.id - b.id);
    return {
      status: 200,
      body: {
        jurisdiction: staff.jurisdiction,
        followupDays: deps.followupDays,
        followups: rows.map((r) => view(r, events.get(r.id) ?? [], today)),
      } satisfies FollowupList,
    };
  }

  /** POST /v1/staff/followups/:id/actions. */
  async function act(staff: Staff, rawId: string, raw: unknown): Promise<HttpAnswer> {
    const parsed = followupActionSchema.safeParse(raw);
    if (!parsed.success) return badRequest(describeIssues(parsed.error));
    const action = parsed.data;
    const id = /^\d{1,15}$/.test(rawId) ? Number(rawId) : NaN;
    return sql.transaction(async (): Promise<HttpAnswer> => {
      const row = Number.isSafeInteger(id) ? await evaluations.followup<FollowupState>(id) : undefined;
      if (!row || !staffCovers(staff, row.jurisdiction))
        return notFound('no such follow-up in your jurisdiction');
      const t = FOLLOWUP_TRANSITIONS[action.action];
      if (!t.from.includes(row.state)) {
        return hallError(
          409,
          'invalid-transition',
          `cannot ${action.action} a follow-up that is ${row.state}`,
          {
            from: row.state,
          },
        );
      }
      const at = deps.clock().toISOString();
      const extra = action.action === 'grant-extension' ? (action.days ?? row.requestedDays ?? 0) : 0;
      const requested = action.action === 'request-extension' ? action.days : null;
      await evaluations.updateFollowup({
        id: row.id,
        state: t.to,
        extra,
        requested,
        at,
        closedAt: OPEN_STATES.includes(t.to) ? null : at,
      });
      const { action: name, ...detail } = action;
      await evaluations.addFollowupEvent({
        followupId: row.id,
        at,
        staff: staff.name,
        action: name,
        from: row.state,
        to: t.to,
        detail: extra > 0 ? { ...detail, days: extra } : detail,
      });
      return { status: 200, body: { id: row.id, state: t.to } satisfies FollowupActionDone };
    });
  }

  return { onEvaluationApplied, list, act, dueDate };
}

export type FollowupDesk = ReturnType<typeof createFollowupDesk>;
