/**
 * The case list's SQL (src/hall/case-list.ts holds the rules; docs/sync-protocol.md, "8.12 Case list"):
 * the cases whose list columns must be worked out again, writing them, and one keyset page of the
 * list with its filters. Search is an exact match on the keyed hashes of `case_keys` (migration 14);
 * the 电子监察 light is one SQL expression of today and the warning boundary over the stored deadline.
 */
import type { HallCaseStatus } from '../../shared/case-status.js';
import type { CaseLight } from '../../shared/wire/index.js';
import { createChangeStore } from './changes.js';
import type { HallSql } from './sql.js';

/** hall_meta's key for what the list columns were worked out with (a hash of calendar and zone). */
const BASIS_KEY = 'case_list_basis';

/** A case whose list columns were cleared by a trigger: what working them out needs. */
export type StaleCaseRow = {
  id: string;
  /** The opened payload (only two dates of it are read). */
  payload: string;
  /** Who acted on it first (the "mine" of the list). */
  actor: string | null;
  /** Anything happened to it beyond being received (its deadline then needs the history). */
  touched: number;
  /** When the hall received it (the statistics' day when the payload's own date is unusable). */
  receivedAt: string;
};

/** The statistics' facts of one case (migration 19), worked out with its list columns. */
export type CaseStatsColumns = {
  submittedAt: string | null;
  closedAt: string | null;
  inTime: boolean | null;
  openMs: number | null;
};

/** The cases of a date range counted by item and status (desk-stats.ts adds them up). */
export type CaseStatsRow = {
  itemCode: string;
  status: string;
  cases: number;
  /** Closed ones (closed_at set). */
  closed: number;
  /** Closed with an on-time answer, and those on time. */
  timed: number;
  onTime: number;
  /** Closed and completed, with their open_ms summed (for the average days). */
  daysCounted: number;
  openMs: number | null;
};

/** One row of a page; `payload` is still sealed (only the rows shown are opened). */
export type ListedCaseRow = {
  id: string;
  kioskId: string;
  itemCode: string;
  status: string;
  receivedAt: string;
  deadline: string | null;
  assignedTo: string | null;
  light: CaseLight;
  sortKey: string;
  payload: string;
};

export type CaseListFilter = {
  /** Today and the last 提前预警 day in the hall's zone (YYYY-MM-DD). */
  today: string;
  warn: string;
  /** Statuses that close a case (out of the default view, light `closed`). */
  closed: readonly string[];
  jurisdictions: readonly string[];
  /** A keyed-hash search: `term` is normalised, hashed here with the hall's lookup key. */
  search: { kind: string; term: string } | null;
  /** null: every open status, or every status when searching. */
  statuses: readonly string[] | null;
  item: string | null;
  /** The item codes of a window; null: no window filter (an empty list matches nothing). */
  windowItems: readonly string[] | null;
  lights: readonly string[] | null;
  /** Received at or after / before these UTC instants. */
  from: string | null;
  before: string | null;
  /** 'mine' with the staff member's name, 'unassigned', or null for all. */
  assigned: { mine: string } | 'unassigned' | null;
  sort: 'received' | 'promised';
  dir: 'asc' | 'desc';
  after: { key: string; id: string } | null;
  /** Rows to read (the page size + 1, to know whether there is a next page). */
  limit: number;
};

const quoted = (values: readonly string[]) => values.map((s) => `'${s.replace(/'/g, "''")}'`).join(', ');
/** A case status of the contract as an SQL literal. */
const statusSql = (s: HallCaseStatus): string => quoted([s]);

export function createCaseListStore(sql: HallSql) {
  const q = {
    // Only two dates of the payload are read (no schema parse): ingest parsed it with the contract's
    // schema. The payload is opened in JavaScript (stale() below).
    stale: `SELECT a.id, a.payload AS payload,
         (SELECT staff FROM case_events e WHERE e.application_id = a.id ORDER BY e.id LIMIT 1) AS actor,
         CASE WHEN a.status <> ${statusSql('received')}
           OR EXISTS (SELECT 1 FROM supplements s WHERE s.application_id = a.id) THEN 1 ELSE 0 END AS touched,
         a.received_at AS receivedAt
       FROM applications a WHERE a.listed_at IS NULL LIMIT ?`,
    setListed: `UPDATE applications SET deadline = ?, receipt_day = ?, assigned_to = ?, listed_at = ?,
         submitted_at = ?, closed_at = ?, in_time = ?, open_ms = ? WHERE id = ?`,
    record: 'SELECT jurisdiction, payload FROM applications WHERE id = ?',
    assigned: 'SELECT assigned_to FROM applications WHERE id = ?',
  };
  /** The 电子监察 light of a row as one SQL expression of @today and @warn (supervision.ts's rule). */
  const lightSql = (closed: string): string => `CASE
      WHEN a.status IN (${closed}) THEN 'closed'
      WHEN a.deadline IS NULL THEN CASE WHEN a.status = 'correction-requested' THEN 'paused' ELSE 'unknown' END
      WHEN a.deadline < @today THEN 'overdue'
      WHEN a.deadline <= @warn THEN 'warning'
      WHEN a.status = 'received' AND @today <= a.receipt_day THEN 'reminder'
      ELSE 'normal' END`;

  /**
   * How many open cases of these jurisdictions have each light (closed ones are 'closed' and not
   * counted): the 电子监察 tiles, one indexed scan of plain columns — no payload opened.
   */
  async function lightCounts(
    f: Pick<CaseListFilter, 'today' | 'warn' | 'closed' | 'jurisdictions'> & {
      /** Count the closed cases too (light `closed`): the full supervision report's summary. */
      withClosed?: boolean;
    },
  ): Promise<
    {
      light: string;
      n: number;
    }[]
  > {
    const closed = quoted(f.closed);
    const params: Record<string, string> = { today: f.today, warn: f.warn };
    f.jurisdictions.forEach((j, i) => (params[`j${i}`] = j));
    const js = f.jurisdictions.map((_, i) => `@j${i}`).join(', ');
    return sql.all<{ light: string; n: number }>(
      `SELECT ${lightSql(closed)} AS light, COUNT(*) AS n FROM applications a
       WHERE a.jurisdiction IN (${js})${f.withClosed ? '' : ` AND a.status NOT IN (${closed})`} GROUP BY 1`,
      params,
    );
  }

  /**
   * The cases of these jurisdictions submitted in [from, before) (UTC instants, compared as the ISO
   * text they are stored in), counted by item and status: one range of the (jurisdiction,
   * submitted_at) index per jurisdiction, no payload opened.
   */
  async function statsRows(f: {
    jurisdictions: readonly string[];
    from: string;
    before: string;
  }): Promise<CaseStatsRow[]> {
    if (f.jurisdictions.length === 0) return [];
    const params: Record<string, string> = { from: f.from, before: f.before };
    f.jurisdictions.forEach((j, i) => (params[`j${i}`] = j));
    const js = f.jurisdictions.map((_, i) => `@j${i}`).join(', ');
    return sql.all<CaseStatsRow>(
      `SELECT a.item_code AS itemCode, a.status, COUNT(*) AS cases,
         COUNT(a.closed_at) AS closed,
         COUNT(CASE WHEN a.closed_at IS NOT NULL THEN a.in_time END) AS timed,
         COUNT(CASE WHEN a.closed_at IS NOT NULL AND a.in_time = 1 THEN 1 END) AS onTime,
         COUNT(CASE WHEN a.closed_at IS NOT NULL AND a.status = ${statusSql('completed')} THEN 1 END) AS daysCounted,
         SUM(CASE WHEN a.closed_at IS NOT NULL AND a.status = ${statusSql('completed')} THEN a.open_ms END) AS openMs
       FROM applications a
       WHERE a.jurisdiction IN (${js}) AND a.submitted_at >= @from AND a.submitted_at < @before
       GROUP BY a.item_code, a.status`,
      params,
    );
  }

  /**
   * One page of the supervision report: the ids of these jurisdictions' cases in the order received,
   * after the keyset (received_at, id); `open` leaves the closed statuses out.
   */
  async function supervisionIds(f: {
    jurisdictions: readonly string[];
    closed: readonly string[] | null;
    after: { key: string; id: string } | null;
    limit: number;
  }): Promise<{ id: string; receivedAt: string }[]> {
    const params: Record<string, string | number> = { limit: f.limit };
    f.jurisdictions.forEach((j, i) => (params[`j${i}`] = j));
    const where = [`a.jurisdiction IN (${f.jurisdictions.map((_, i) => `@j${i}`).join(', ')})`];
    if (f.closed) where.push(`a.status NOT IN (${quoted(f.closed)})`);
    if (f.after) {
      params.afterKey = f.after.key;
      params.afterId = f.after.id;
      where.push('(a.received_at, a.id) > (@afterKey, @afterId)');
    }
    return sql.all<{ id: string; receivedAt: string }>(
      `SELECT a.id, a.received_at AS receivedAt FROM applications a WHERE ${where.join(' AND ')}
       ORDER BY a.received_at, a.id LIMIT @limit`,
      params,
    );
  }

  async function page(f: CaseListFilter): Promise<ListedCaseRow[]> {
    const closed = quoted(f.closed);
    const light = lightSql(closed);
    const where: string[] = [];
    const params: Record<string, string | number> = { today: f.today, warn: f.warn, limit: f.limit };
    const list = (prefix: string, values: readonly string[]): string => {
      values.forEach((v, i) => (params[`${prefix}${i}`] = v));
      return values.map((_, i) => `@${prefix}${i}`).join(', ');
    };
    where.push(`a.jurisdiction IN (${list('j', f.jurisdictions)})`);
    if (f.search) {
      params.kind = f.search.kind;
      params.hash = sql.lookup(f.search.term);
      where.push('a.id IN (SELECT application_id FROM case_keys WHERE kind = @kind AND hash = @hash)');
    }
    if (f.statuses && f.statuses.length > 0) where.push(`a.status IN (${list('s', f.statuses)})`);
    // Closed cases (办结 / 不予受理) leave the default view; a search or a status filter finds them.
    else if (!f.search) where.push(`a.status NOT IN (${closed})`);
    if (f.item !== null) {
      params.item = f.item;
      where.push('a.item_code = @item');
    }
    if (f.windowItems !== null)
      where.push(f.windowItems.length === 0 ? '1 = 0' : `a.item_code IN (${list('w', f.windowItems)})`);
    if (f.lights && f.lights.length > 0) where.push(`(${light}) IN (${list('l', f.lights)})`);
    if (f.from !== null) {
      params.from = f.from;
      where.push('a.received_at >= @from');
    }
    if (f.before !== null) {
      params.before = f.before;
      where.push('a.received_at < @before');
    }
    if (f.assigned === 'unassigned') where.push('a.assigned_to IS NULL');
    else if (f.assigned !== null) {
      params.me = f.assigned.mine;
      where.push('a.assigned_to = @me');
    }
    const key = f.sort === 'received' ? 'a.received_at' : "coalesce(a.deadline, '9999-12-31')";
    const dir = f.dir === 'asc' ? 'ASC' : 'DESC';
    if (f.after) {
      params.afterKey = f.after.key;
      params.afterId = f.after.id;
      where.push(`(${key}, a.id) ${f.dir === 'asc' ? '>' : '<'} (@afterKey, @afterId)`);
    }
    const text = `SELECT a.id, a.kiosk_id AS kioskId, a.item_code AS itemCode, a.status, a.received_at AS receivedAt,
        a.deadline, a.assigned_to AS assignedTo, ${light} AS light, ${key} AS sortKey, a.payload AS payload
      FROM applications a WHERE ${where.join(' AND ')}
      ORDER BY ${key} ${dir}, a.id ${dir} LIMIT @limit`;
    return sql.all<ListedCaseRow>(text, params);
  }

  // hall_meta through the change store's accessors (the hall's own settings live there).
  const meta = createChangeStore(sql);
  return {
    /**
     * What the stored list columns were worked out with (a fingerprint of the holiday calendar and
     * time zone, in hall_meta); undefined before the first time.
     */
    basis: (): Promise<string | undefined> => meta.meta(BASIS_KEY),
    /**
     * Another calendar or time zone: every case's columns are worked out again (listed_at cleared, the
     * refresh does the rest in batches), and the new basis recorded — in one transaction.
     */
    rebase: (basis: string): Promise<void> =>
      sql.transaction(async () => {
        await sql.run('UPDATE applications SET listed_at = NULL WHERE listed_at IS NOT NULL');
        await meta.setMeta(BASIS_KEY, basis);
      }),
    /** Up to `limit` cases whose list columns must be worked out again. */
    stale: async (limit: number): Promise<StaleCaseRow[]> =>
      (await sql.all<StaleCaseRow>(q.stale, [limit])).map((r) => ({ ...r, payload: sql.open(r.payload) })),
    async setListed(
      id: string,
      c: {
        deadline: string | null;
        receipt: string | null;
        actor: string | null;
        at: string;
      } & CaseStatsColumns,
    ) {
      const inTime = c.inTime === null ? null : c.inTime ? 1 : 0;
      await sql.run(q.setListed, [
        c.deadline,
        c.receipt,
        c.actor,
        c.at,
        c.submittedAt,
        c.closedAt,
        inTime,
        c.openMs,
        id,
      ]);
    },
    /** A case's jurisdiction and opened payload (the reveal). */
    async record(id: string): Promise<{ jurisdiction: string; payload: string } | undefined> {
      const r = await sql.get<{ jurisdiction: string; payload: string }>(q.record, [id]);
      return r ? { jurisdiction: r.jurisdiction, payload: sql.open(r.payload) } : undefined;
    },
    /** Whose staff action came first; null when nobody has acted (or no such case). */
    assignedTo: async (id: string): Promise<string | null> =>
      (await sql.value<string | null>(q.assigned, [id])) ?? null,
    /** Opens a sealed payload of a listed row. */
    open: (sealed: string): string => sql.open(sealed),
    page,
    lightCounts,
    statsRows,
    supervisionIds,
  };
}

export type CaseListStore = ReturnType<typeof createCaseListStore>;
