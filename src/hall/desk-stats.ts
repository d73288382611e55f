/**
 * Statistics for a date range (docs/sync-protocol.md, 8.9; issue 10 item 7): the cases submitted in
 * it — by item, by window, by status — the on-time rate of the closed ones (电子监察's deadline with
 * the 补正 pauses, supervision.ts), the average calendar days from submission to 办结, and the 好差评
 * given in it by level with the 差评 rate. Days are calendar days in the hall's zone (HALL_TIME_ZONE),
 * both ends included; a case counts on the day the resident submitted it, an evaluation on the day
 * it was given. Only the asking staff member's jurisdictions are counted.
 *
 * Counted in SQL on stored per-case facts (hall migration 19: `submitted_at`, `closed_at`, `in_time`,
 * `open_ms`, worked out with the case list's columns; an evaluation's `given_at`): the range's days
 * become UTC instants and only the cases and evaluations in them are read, grouped — never every case
 * of the jurisdiction (docs/benchmarks.md, "Staff desk statistics and supervision").
 */
import { CASE_STATUS_INFO, HALL_CASE_STATUSES, isHallCaseStatus } from '../shared/case-status.js';
import { EVALUATION_LEVELS, isBadReview } from '../shared/evaluation.js';
import { evaluationLevelSchema } from '../shared/evaluation-schemas.js';
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
import { startOfDay, type CaseList } from './case-list.js';
import { createEvaluationStore, hallSqlOf, type CaseStatsRow, type HallDatabase } from './store/index.js';

export type DeskStatsDeps = {
  db: HallDatabase;
  clock: () => Date;
  /** The case list's per-case columns, counted by item and status (case-list.ts, migration 19). */
  cases: Pick<CaseList, 'statsRows'>;
  catalog: HallCatalog | null;
  timeZone: string;
};

const rate = (n: number, of: number): number | null => (of === 0 ? null : n / of);
const DAY_MS = 86_400_000;

const nextDay = (day: string): string => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
};

/** Parses ?from=&to= into a query, or says what is wrong with it. */
export function parseStatsQuery(raw: unknown): Result<StatsQuery, string> {
  const r = statsQuerySchema.safeParse(raw);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: describeIssues(r.error) };
}

type Tally = { cases: number; completed: number; timed: number; onTime: number };

export function createDeskStats(deps: DeskStatsDeps) {
  const evaluations = createEvaluationStore(hallSqlOf(deps.db));
  const { timeZone } = deps;

  function group(
    rows: readonly CaseStatsRow[],
    keyOf: (r: CaseStatsRow) => string,
    nameOf: (code: string) => StatsGroup['name'],
  ): StatsGroup[] {
    const groups = new Map<string, Tally>();
    for (const r of rows) {
      const k = keyOf(r);
      const t = groups.get(k) ?? { cases: 0, completed: 0, timed: 0, onTime: 0 };
      t.cases += r.cases;
      if (r.status === 'completed') t.completed += r.cases;
      t.timed += r.timed;
      t.onTime += r.onTime;
      groups.set(k, t);
    }
    return [...groups.entries()]
      .map(([code, t]): StatsGroup => ({
        code,
        name: nameOf(code),
        cases: t.cases,
        completed: t.completed,
        onTimeRate: rate(t.onTime, t.timed),
      }))
      .sort((a, b) => b.cases - a.cases || a.code.localeCompare(b.code));
  }

  async function compute(who: Staff, q: StatsQuery): Promise<StaffStats> {
    const jurisdictions = [...new Set(who.jurisdictions)];
    // The range's days in the hall's zone as UTC instants: [00:00 of from, 00:00 of the day after to).
    const from = startOfDay(q.from, timeZone);
    const before = startOfDay(nextDay(q.to), timeZone);
    const rows = await deps.cases.statsRows(jurisdictions, from, before);
    const sum = (of: (r: CaseStatsRow) => number, where: (r: CaseStatsRow) => boolean = () => true) =>
      rows.reduce((n, r) => (where(r) ? n + of(r) : n), 0);

    const cases = sum((r) => r.cases);
    const closed = sum((r) => r.closed);
    const timed = sum((r) => r.timed);
    const onTime = sum((r) => r.onTime);
    const completed = sum(
      (r) => r.closed,
      (r) => r.status === 'completed',
    );
    const daysCounted = sum((r) => r.daysCounted);
    const openMs = sum((r) => r.openMs ?? 0);
    const averageDays = daysCounted === 0 ? null : Math.round((openMs / DAY_MS / daysCounted) * 10) / 10;

    const windowOf = (r: CaseStatsRow): string => deps.catalog?.item(r.itemCode)?.window ?? '—';

    const levels = new Map<string, number>(EVALUATION_LEVELS.map((l) => [l.level, 0]));
    let bad = 0;
    let total = 0;
    for (const e of await evaluations.countsGivenIn(jurisdictions, from, before)) {
      const level = evaluationLevelSchema.safeParse(e.level);
      if (!level.success) continue;
      total += e.n;
      levels.set(level.data, (levels.get(level.data) ?? 0) + e.n);
      if (isBadReview(level.data)) bad += e.n;
    }

    return {
      from: q.from,
      to: q.to,
      timeZone,
      jurisdictions,
      generatedAt: deps.clock().toISOString(),
      totals: {
        cases,
        closed,
        completed,
        refused: sum(
          (r) => r.closed,
          (r) => r.status === 'refused',
        ),
        onTime,
        late: timed - onTime,
        onTimeRate: rate(onTime, timed),
        averageDays,
      },
      byItem: group(
        rows,
        (r) => r.itemCode,
        (code) => deps.catalog?.itemName(code) ?? null,
      ),
      byWindow: group(rows, windowOf, (code) => deps.catalog?.windowName(code) ?? null),
      byStatus: HALL_CASE_STATUSES.map((status) => ({
        status,
        label: CASE_STATUS_INFO[status].label,
        cases: sum(
          (r) => r.cases,
          (r) => isHallCaseStatus(r.status) && r.status === status,
        ),
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
