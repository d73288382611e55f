/**
 * Statistics for a date range (docs/sync-protocol.md, 8.9; issue 10 item 7): the cases submitted in
 * it — by item, by window, by status — the on-time rate of the closed ones (电子监察's deadline with
 * the 补正 pauses, supervision.ts), the average calendar days from submission to 办结, and the 好差评
 * given in it by level with the 差评 rate. Days are calendar days in the hall's zone (HALL_TIME_ZONE),
 * both ends included; a case counts on the day the resident submitted it, an evaluation on the day
 * it was given. Only the asking staff member's jurisdictions are counted.
 */
import { CASE_STATUS_INFO, HALL_CASE_STATUSES, isHallCaseStatus } from '../shared/case-status.js';
import { EVALUATION_LEVELS, isBadReview } from '../shared/evaluation.js';
import { evaluationLevelSchema } from '../shared/evaluation-schemas.js';
import { calendarDay } from '../shared/working-days.js';
import {
  describeIssues,
  statsQuerySchema,
  type StaffStats,
  type StatsGroup,
  type StatsQuery,
} from '../shared/wire/index.js';
import type { Result } from '../shared/result.js';
import type { HallCatalog } from './catalog.js';
import type { Staff } from './staff.js';
import { createEvaluationStore, readEvaluation, type HallDb } from './store/index.js';
import type { CaseSupervision, Supervision } from './supervision.js';

export type DeskStatsDeps = {
  db: HallDb;
  clock: () => Date;
  supervision: Pick<Supervision, 'forJurisdiction'>;
  catalog: HallCatalog | null;
  timeZone: string;
};

const rate = (n: number, of: number): number | null => (of === 0 ? null : n / of);
const DAY_MS = 86_400_000;

/** Parses ?from=&to= into a query, or says what is wrong with it. */
export function parseStatsQuery(raw: unknown): Result<StatsQuery, string> {
  const r = statsQuerySchema.safeParse(raw);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: describeIssues(r.error) };
}

export function createDeskStats(deps: DeskStatsDeps) {
  const evaluations = createEvaluationStore(deps.db);
  const { timeZone } = deps;

  function group(
    rows: readonly CaseSupervision[],
    keyOf: (c: CaseSupervision) => string,
    nameOf: (code: string) => StatsGroup['name'],
  ): StatsGroup[] {
    const groups = new Map<string, CaseSupervision[]>();
    for (const c of rows) {
      const k = keyOf(c);
      const list = groups.get(k);
      if (list) list.push(c);
      else groups.set(k, [c]);
    }
    return [...groups.entries()]
      .map(([code, list]): StatsGroup => {
        const timed = list.filter((c) => c.inTime !== null);
        return {
          code,
          name: nameOf(code),
          cases: list.length,
          completed: list.filter((c) => c.status === 'completed').length,
          onTimeRate: rate(timed.filter((c) => c.inTime === true).length, timed.length),
        };
      })
      .sort((a, b) => b.cases - a.cases || a.code.localeCompare(b.code));
  }

  function compute(who: Staff, q: StatsQuery): StaffStats {
    const inRange = (instant: string): boolean => {
      const d = new Date(instant);
      if (Number.isNaN(d.getTime())) return false;
      const day = calendarDay(d, timeZone);
      return day >= q.from && day <= q.to;
    };
    const jurisdictions = [...new Set(who.jurisdictions)];
    const cases = jurisdictions
      .flatMap((j) => deps.supervision.forJurisdiction(j))
      .filter((c) => inRange(c.submittedAt));

    const closed = cases.filter((c) => c.closedAt !== null);
    const timed = closed.filter((c) => c.inTime !== null);
    const onTime = timed.filter((c) => c.inTime === true).length;
    const completed = closed.filter((c) => c.status === 'completed');
    const days = completed.map(
      (c) => (Date.parse(c.closedAt ?? c.submittedAt) - Date.parse(c.submittedAt)) / DAY_MS,
    );
    const averageDays =
      days.length === 0 ? null : Math.round((days.reduce((a, b) => a + b, 0) / days.length) * 10) / 10;

    const windowOf = (c: CaseSupervision): string => deps.catalog?.item(c.itemCode)?.window ?? '—';

    const levels = new Map<string, number>(EVALUATION_LEVELS.map((l) => [l.level, 0]));
    let bad = 0;
    let total = 0;
    for (const j of jurisdictions) {
      for (const e of evaluations.inJurisdiction(j)) {
        const given = readEvaluation(e.payload)?.createdAt ?? e.receivedAt;
        if (!inRange(given)) continue;
        const level = evaluationLevelSchema.safeParse(e.level);
        if (!level.success) continue;
        total += 1;
        levels.set(level.data, (levels.get(level.data) ?? 0) + 1);
        if (isBadReview(level.data)) bad += 1;
      }
    }

    return {
      from: q.from,
      to: q.to,
      timeZone,
      jurisdictions,
      generatedAt: deps.clock().toISOString(),
      totals: {
        cases: cases.length,
        closed: closed.length,
        completed: completed.length,
        refused: closed.filter((c) => c.status === 'refused').length,
        onTime,
        late: timed.length - onTime,
        onTimeRate: rate(onTime, timed.length),
        averageDays,
      },
      byItem: group(
        cases,
        (c) => c.itemCode,
        (code) => deps.catalog?.itemName(code) ?? null,
      ),
      byWindow: group(cases, windowOf, (code) => deps.catalog?.windowName(code) ?? null),
      byStatus: HALL_CASE_STATUSES.map((status) => ({
        status,
        label: CASE_STATUS_INFO[status].label,
        cases: cases.filter((c) => isHallCaseStatus(c.status) && c.status === status).length,
      })),
      evaluations: {
        total,
        byLevel: EVALUATION_LEVELS.map((l) => ({
          level: l.level,
          label: { zh: l.zh, en: l.en },
          count: levels.get(l.level) ?? 0,
        })),
        bad,
        badRate: rate(bad, total),
      },
    };
  }

  return { compute };
}

export type DeskStats = ReturnType<typeof createDeskStats>;
