/**
 * 好差评: the evaluations kiosks sent, and the follow-up tasks bad reviews open with their history.
 * A task's `state` is one of FOLLOWUP_STATES (a CHECK since migration 7).
 */
import type { HallDb } from './db.js';
import { givenAtOf } from './filled-columns.js';

/** An evaluation with what it evaluated, its payload as the kiosk sent it (read it with readEvaluation). */
export type EvaluationRecord = {
  id: string;
  targetKind: string;
  targetId: string;
  level: string;
  payload: string;
  receivedAt: string;
  /** The evaluated application's item code (null for a queue ticket or an unknown application). */
  itemCode: string | null;
};

/** A follow-up task with its evaluation and what was evaluated. */
export type FollowupRecord<State extends string = string> = {
  id: number;
  evaluationId: string;
  state: State;
  createdAt: string;
  extensionDays: number;
  requestedDays: number | null;
  updatedAt: string;
  closedAt: string | null;
  level: string;
  targetKind: string;
  payload: string;
  itemCode: string | null;
  windowCode: string | null;
  /** The evaluated application, when the hall has it (a ticket's evaluation has none). */
  caseId: string | null;
  /** Its payload as the kiosk sent it (read the 受理编号 with readApplication). */
  casePayload: string | null;
};

export type FollowupBrief<State extends string = string> = {
  id: number;
  jurisdiction: string;
  state: State;
  requestedDays: number | null;
};

export type FollowupEventRow = {
  followupId: number;
  at: string;
  staff: string;
  action: string;
  from: string;
  to: string;
  detail: string;
};

export function createEvaluationStore(db: HallDb) {
  const q = {
    exists: db.prepare('SELECT 1 FROM evaluations WHERE id = ?').pluck(),
    insert: db.prepare(
      'INSERT INTO evaluations (id, kiosk_id, entry_id, target_kind, target_id, level, payload, received_at, given_at) VALUES (?, ?, ?, ?, ?, ?, zk_seal(?), ?, ?)',
    ),
    givenIn: db.prepare(
      `SELECT e.level, COUNT(*) AS n
       FROM evaluations e JOIN kiosks k ON k.id = e.kiosk_id
       LEFT JOIN applications a ON e.target_kind = 'application' AND a.id = e.target_id
       WHERE e.given_at >= ? AND e.given_at < ? AND coalesce(a.jurisdiction, k.jurisdiction) IN (SELECT value FROM json_each(?))
       GROUP BY e.level`,
    ),
    inJurisdiction: db.prepare(
      `SELECT e.id, e.target_kind AS targetKind, e.target_id AS targetId, e.level, zk_open(e.payload) AS payload, e.received_at AS receivedAt,
              a.item_code AS itemCode
       FROM evaluations e JOIN kiosks k ON k.id = e.kiosk_id
       LEFT JOIN applications a ON e.target_kind = 'application' AND a.id = e.target_id
       WHERE coalesce(a.jurisdiction, k.jurisdiction) = ? ORDER BY e.received_at, e.id`,
    ),
    jurisdictionOf: db
      .prepare(
        `SELECT coalesce(
           (SELECT a.jurisdiction FROM applications a WHERE ? = 'application' AND a.id = ?),
           (SELECT k.jurisdiction FROM kiosks k WHERE k.id = ?))`,
      )
      .pluck(),

    openFollowup: db.prepare(
      `INSERT OR IGNORE INTO followups (evaluation_id, jurisdiction, state, created_at, updated_at)
       VALUES (?, ?, 'pending', ?, ?)`,
    ),
    followups: db.prepare(
      `SELECT f.id, f.evaluation_id AS evaluationId, f.state, f.created_at AS createdAt, f.extension_days AS extensionDays,
              f.requested_days AS requestedDays, f.updated_at AS updatedAt, f.closed_at AS closedAt,
              e.level, e.target_kind AS targetKind, zk_open(e.payload) AS payload, a.item_code AS itemCode, t.window_code AS windowCode,
              a.id AS caseId, CASE WHEN a.id IS NULL THEN NULL ELSE zk_open(a.payload) END AS casePayload
       FROM followups f JOIN evaluations e ON e.id = f.evaluation_id
       LEFT JOIN applications a ON e.target_kind = 'application' AND a.id = e.target_id
       LEFT JOIN tickets t ON e.target_kind = 'ticket' AND t.id = e.target_id
       WHERE f.jurisdiction = ? AND (? IS NULL OR f.state = ?) ORDER BY f.id`,
    ),
    followup: db.prepare(
      'SELECT id, jurisdiction, state, requested_days AS requestedDays FROM followups WHERE id = ?',
    ),
    followupEventsIn: db.prepare(
      `SELECT fe.followup_id AS followupId, fe.at, fe.staff, fe.action, fe.from_state AS "from", fe.to_state AS "to", zk_open(fe.detail) AS detail
       FROM followup_events fe JOIN followups f ON f.id = fe.followup_id WHERE f.jurisdiction = ? ORDER BY fe.id`,
    ),
    updateFollowup: db.prepare(
      `UPDATE followups SET state = @state, extension_days = extension_days + @extra, requested_days = @requested,
       updated_at = @at, closed_at = @closedAt WHERE id = @id`,
    ),
    insFollowupEvent: db.prepare(
      'INSERT INTO followup_events (followup_id, at, staff, action, from_state, to_state, detail) VALUES (?, ?, ?, ?, ?, ?, zk_seal(?))',
    ),
  };

  return {
    exists: (id: string): boolean => q.exists.get(id) !== undefined,
    insert(e: {
      id: string;
      kioskId: string;
      entryId: number;
      targetKind: string;
      targetId: string;
      level: string;
      payload: string;
      at: string;
    }): void {
      // given_at from the plain payload (migration 20: in the store, no longer a trigger).
      q.insert.run(
        e.id,
        e.kioskId,
        e.entryId,
        e.targetKind,
        e.targetId,
        e.level,
        e.payload,
        e.at,
        givenAtOf(e.payload, e.at),
      );
    },
    /**
     * A jurisdiction's evaluations (of its applications, or made at its kiosks when the target is
     * a ticket or an application the hall does not have), in the order received.
     */
    /**
     * How many evaluations of these jurisdictions were given in [from, before) (UTC instants; the
     * `given_at` of migration 19), by level as stored.
     */
    countsGivenIn: (
      jurisdictions: readonly string[],
      from: string,
      before: string,
    ): { level: string; n: number }[] =>
      q.givenIn.all(from, before, JSON.stringify(jurisdictions)) as { level: string; n: number }[],
    inJurisdiction: (jurisdiction: string): EvaluationRecord[] =>
      q.inJurisdiction.all(jurisdiction) as EvaluationRecord[],
    /** The jurisdiction of an evaluated application, else of the kiosk the evaluation came from. */
    jurisdictionOfTarget: (targetKind: string, targetId: string, kioskId: string): string | null =>
      (q.jurisdictionOf.get(targetKind, targetId, kioskId) as string | null | undefined) ?? null,

    /** Opens the `pending` task of an evaluation (once: a second call does nothing). */
    openFollowup(f: { evaluationId: string; jurisdiction: string; at: string }): void {
      q.openFollowup.run(f.evaluationId, f.jurisdiction, f.at, f.at);
    },
    followups: <State extends string>(jurisdiction: string, state: string | null): FollowupRecord<State>[] =>
      q.followups.all(jurisdiction, state, state) as FollowupRecord<State>[],
    followup: <State extends string>(id: number): FollowupBrief<State> | undefined =>
      q.followup.get(id) as FollowupBrief<State> | undefined,
    followupEventsIn: (jurisdiction: string): FollowupEventRow[] =>
      q.followupEventsIn.all(jurisdiction) as FollowupEventRow[],
    updateFollowup(u: {
      id: number;
      state: string;
      /** Working days added to the extension granted so far. */
      extra: number;
      requested: number | null;
      at: string;
      closedAt: string | null;
    }): void {
      q.updateFollowup.run(u);
    },
    addFollowupEvent(e: {
      followupId: number;
      at: string;
      staff: string;
      action: string;
      from: string;
      to: string;
      detail: unknown;
    }): void {
      q.insFollowupEvent.run(e.followupId, e.at, e.staff, e.action, e.from, e.to, JSON.stringify(e.detail));
    },
  };
}

export type EvaluationStore = ReturnType<typeof createEvaluationStore>;
