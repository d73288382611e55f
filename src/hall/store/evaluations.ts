/**
 * 好差评: the evaluations kiosks sent, and the follow-up tasks bad reviews open with their history.
 * A task's `state` is one of FOLLOWUP_STATES (a CHECK since migration 7).
 *
 * On the async query layer (sql.ts): payloads and details are sealed and opened here, in JavaScript;
 * `given_at` is worked out from the plain payload at the insert (migration 20).
 */
import { givenAtOf } from './filled-columns.js';
import type { HallSql } from './sql.js';

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

const FOLLOWUP = `SELECT f.id, f.evaluation_id AS "evaluationId", f.state, f.created_at AS "createdAt",
    f.extension_days AS "extensionDays", f.requested_days AS "requestedDays", f.updated_at AS "updatedAt",
    f.closed_at AS "closedAt", e.level, e.target_kind AS "targetKind", e.payload, a.item_code AS "itemCode",
    t.window_code AS "windowCode", a.id AS "caseId", a.payload AS "casePayload"
  FROM followups f JOIN evaluations e ON e.id = f.evaluation_id
  LEFT JOIN applications a ON e.target_kind = 'application' AND a.id = e.target_id
  LEFT JOIN tickets t ON e.target_kind = 'ticket' AND t.id = e.target_id`;

const Q = {
  exists: 'SELECT 1 FROM evaluations WHERE id = ?',
  insert: `INSERT INTO evaluations (id, kiosk_id, entry_id, target_kind, target_id, level, payload, received_at, given_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
  /** `IN (…)` with one `?` per jurisdiction (at least one). */
  givenIn: (n: number) => `SELECT e.level, COUNT(*) AS n
    FROM evaluations e JOIN kiosks k ON k.id = e.kiosk_id
    LEFT JOIN applications a ON e.target_kind = 'application' AND a.id = e.target_id
    WHERE e.given_at >= ? AND e.given_at < ?
      AND coalesce(a.jurisdiction, k.jurisdiction) IN (${Array.from({ length: n }, () => '?').join(', ')})
    GROUP BY e.level`,
  inJurisdiction: `SELECT e.id, e.target_kind AS "targetKind", e.target_id AS "targetId", e.level, e.payload,
      e.received_at AS "receivedAt", a.item_code AS "itemCode"
    FROM evaluations e JOIN kiosks k ON k.id = e.kiosk_id
    LEFT JOIN applications a ON e.target_kind = 'application' AND a.id = e.target_id
    WHERE coalesce(a.jurisdiction, k.jurisdiction) = ? ORDER BY e.received_at, e.id`,
  applicationJurisdiction: 'SELECT jurisdiction FROM applications WHERE id = ?',
  kioskJurisdiction: 'SELECT jurisdiction FROM kiosks WHERE id = ?',

  openFollowup: `INSERT INTO followups (evaluation_id, jurisdiction, state, created_at, updated_at)
    VALUES (?, ?, 'pending', ?, ?) ON CONFLICT DO NOTHING`,
  followups: `${FOLLOWUP} WHERE f.jurisdiction = ? ORDER BY f.id`,
  followupsIn: `${FOLLOWUP} WHERE f.jurisdiction = ? AND f.state = ? ORDER BY f.id`,
  followup: 'SELECT id, jurisdiction, state, requested_days AS "requestedDays" FROM followups WHERE id = ?',
  followupEventsIn: `SELECT fe.followup_id AS "followupId", fe.at, fe.staff, fe.action, fe.from_state AS "from",
      fe.to_state AS "to", fe.detail
    FROM followup_events fe JOIN followups f ON f.id = fe.followup_id WHERE f.jurisdiction = ? ORDER BY fe.id`,
  updateFollowup: `UPDATE followups SET state = @state, extension_days = extension_days + @extra,
    requested_days = @requested, updated_at = @at, closed_at = @closedAt WHERE id = @id`,
  insFollowupEvent: `INSERT INTO followup_events (followup_id, at, staff, action, from_state, to_state, detail)
    VALUES (?, ?, ?, ?, ?, ?, ?)`,
};

export function createEvaluationStore(sql: HallSql) {
  const openFollowupRow = <State extends string>(r: FollowupRecord<State>): FollowupRecord<State> => ({
    ...r,
    payload: sql.open(r.payload),
    casePayload: r.caseId === null ? null : sql.openOrNull(r.casePayload),
  });
  return {
    exists: async (id: string): Promise<boolean> => (await sql.get(Q.exists, [id])) !== undefined,
    async insert(e: {
      id: string;
      kioskId: string;
      entryId: number;
      targetKind: string;
      targetId: string;
      level: string;
      payload: string;
      at: string;
    }): Promise<boolean> {
      // false: an evaluation with this id was already received (nothing written).
      // given_at from the plain payload (migration 20: in the store, no longer a trigger).
      const r = await sql.run(Q.insert, [
        e.id,
        e.kioskId,
        e.entryId,
        e.targetKind,
        e.targetId,
        e.level,
        sql.seal(e.payload),
        e.at,
        givenAtOf(e.payload, e.at),
      ]);
      return r.changes > 0;
    },
    /**
     * How many evaluations of these jurisdictions were given in [from, before) (UTC instants; the
     * `given_at` of migration 19), by level as stored.
     */
    countsGivenIn: async (
      jurisdictions: readonly string[],
      from: string,
      before: string,
    ): Promise<{ level: string; n: number }[]> => {
      if (jurisdictions.length === 0) return [];
      const rows = await sql.all<{ level: string; n: number }>(Q.givenIn(jurisdictions.length), [
        from,
        before,
        ...jurisdictions,
      ]);
      return rows.map((r) => ({ level: r.level, n: Number(r.n) }));
    },
    /**
     * A jurisdiction's evaluations (of its applications, or made at its kiosks when the target is
     * a ticket or an application the hall does not have), in the order received.
     */
    inJurisdiction: async (jurisdiction: string): Promise<EvaluationRecord[]> =>
      (await sql.all<EvaluationRecord>(Q.inJurisdiction, [jurisdiction])).map((r) => ({
        ...r,
        payload: sql.open(r.payload),
      })),
    /** The jurisdiction of an evaluated application, else of the kiosk the evaluation came from. */
    jurisdictionOfTarget: async (
      targetKind: string,
      targetId: string,
      kioskId: string,
    ): Promise<string | null> =>
      (targetKind === 'application'
        ? await sql.value<string | null>(Q.applicationJurisdiction, [targetId])
        : undefined) ??
      (await sql.value<string | null>(Q.kioskJurisdiction, [kioskId])) ??
      null,

    /** Opens the `pending` task of an evaluation (once: a second call does nothing). */
    async openFollowup(f: { evaluationId: string; jurisdiction: string; at: string }): Promise<void> {
      await sql.run(Q.openFollowup, [f.evaluationId, f.jurisdiction, f.at, f.at]);
    },
    followups: async <State extends string>(
      jurisdiction: string,
      state: string | null,
    ): Promise<FollowupRecord<State>[]> =>
      (state === null
        ? await sql.all<FollowupRecord<State>>(Q.followups, [jurisdiction])
        : await sql.all<FollowupRecord<State>>(Q.followupsIn, [jurisdiction, state])
      ).map(openFollowupRow),
    followup: <State extends string>(id: number): Promise<FollowupBrief<State> | undefined> =>
      sql.get<FollowupBrief<State>>(Q.followup, [id]),
    followupEventsIn: async (jurisdiction: string): Promise<FollowupEventRow[]> =>
      (await sql.all<FollowupEventRow>(Q.followupEventsIn, [jurisdiction])).map((r) => ({
        ...r,
        detail: sql.openOrNull(r.detail) as string,
      })),
    async updateFollowup(u: {
      id: number;
      state: string;
      /** Working days added to the extension granted so far. */
      extra: number;
      requested: number | null;
      at: string;
      closedAt: string | null;
    }): Promise<void> {
      await sql.run(Q.updateFollowup, {
        id: u.id,
        state: u.state,
        extra: u.extra,
        requested: u.requested,
        at: u.at,
        closedAt: u.closedAt,
      });
    },
    async addFollowupEvent(e: {
      followupId: number;
      at: string;
      staff: string;
      action: string;
      from: string;
      to: string;
      detail: unknown;
    }): Promise<void> {
      await sql.run(Q.insFollowupEvent, [
        e.followupId,
        e.at,
        e.staff,
        e.action,
        e.from,
        e.to,
        sql.sealOrNull(JSON.stringify(e.detail) ?? null),
      ]);
    },
  };
}

export type EvaluationStore = ReturnType<typeof createEvaluationStore>;
