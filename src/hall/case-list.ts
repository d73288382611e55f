/**
 * The staff desk's case list (GET /v1/staff/case-list; docs/sync-protocol.md, "8.12 Case list") and the
 * audited reveal of a case's full personal data (POST /v1/staff/cases/{id}/reveal).
 *
 * Search is an exact match on keyed hashes (`case_keys`, hall migration 14): the term staff typed is
 * normalised and hashed with the hall's lookup key (`zk_lookup`) and looked up, so no sealed payload is
 * opened to find a case. Only the rows of the page shown are opened (to show the 受理编号 and the masked
 * applicant). Filters and sorts run on plain columns (status, item, received time, deadline, assigned
 * staff member) with indexes; pages are keyset pages (a cursor of the last row's sort key and id), so a
 * page does not shift when new cases arrive.
 *
 * The 电子监察 light is the rule of supervision.ts: the list keeps each case's deadline (with closed
 * 补正 pauses) and receipt day in columns, worked out again whenever the case changes (`listed_at` is
 * cleared by triggers), so the light of every row — and the light filter — is one SQL expression of
 * today and the warning boundary.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  CASE_LIGHTS,
  CASE_STATUS_INFO,
  CASE_STATUSES,
  isHallCaseStatus,
  type CaseLight,
} from '../shared/case-status.js';
import { maskName } from '../shared/mask.js';
import { RECEIPT_NO_PATTERN } from '../shared/resident.js';
import {
  addWorkingDays,
  calendarDay,
  receiptDay,
  workingDaysBetween,
  type HolidayCalendar,
} from '../shared/working-days.js';
import {
  caseListQuerySchema,
  describeIssues,
  type CaseListPage,
  type CaseListQuery,
  type CaseListRow,
  type CaseListSummary,
  type CaseReveal,
  type CaseSearchKind,
  type SupervisionQuery,
  SUPERVISION_PAGE_DEFAULT,
} from '../shared/wire/index.js';
import { badRequest, notFound, type HttpAnswer } from './answers.js';
import type { Audit } from './audit.js';
import type { HallCatalog } from './catalog.js';
import { staffCovers, type Staff } from './staff.js';
import {
  createCaseListStore,
  readApplication,
  type CaseStatsColumns,
  type CaseStatsRow,
  hallSqlOf,
  type HallDatabase,
  type StaleCaseRow,
} from './store/index.js';
import { usableDate, type CaseSupervision, type Supervision, type SupervisionPage } from './supervision.js';

const CLOSED: readonly string[] = CASE_STATUSES.filter((s) => CASE_STATUS_INFO[s].closed);
const MOBILE = /^1[3-9]\d{9}$/;
const ID_NUMBER = /^(\d{15}|\d{17}[\dX])$/;
/** Cases worked out again per transaction while refreshing (bounded work per step). */
const REFRESH_BATCH = 2000;

/** A search term as stored in case_keys (migration 14 normalises the same way). */
export function caseKeyValue(kind: CaseSearchKind, term: string): string {
  const t = term.trim();
  return kind === 'receipt' || kind === 'id' ? t.toUpperCase() : t;
}

/** What a search term is, told by its form: 受理编号, ID number, mobile number, else a name. */
export function searchKindOf(term: string): CaseSearchKind {
  const t = term.trim().toUpperCase();
  if (RECEIPT_NO_PATTERN.test(t)) return 'receipt';
  if (ID_NUMBER.test(t)) return 'id';
  if (MOBILE.test(t)) return 'phone';
  return 'name';
}

/** UTC instant of 00:00 on `day` in `timeZone` (two rounds settle a DST edge). */
export function startOfDay(day: string, timeZone: string): string {
  const fmt = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const offsetAt = (ms: number): number => {
    const p = Object.fromEntries(fmt.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
    const asUtc = Date.UTC(
      Number(p.year),
      Number(p.month) - 1,
      Number(p.day),
      Number(p.hour),
      Number(p.minute),
      Number(p.second),
    );
    return asUtc - Math.floor(ms / 1000) * 1000;
  };
  const naive = Date.parse(`${day}T00:00:00Z`);
  let t = naive - offsetAt(naive);
  t = naive - offsetAt(t);
  return new Date(t).toISOString();
}

const nextDay = (day: string): string => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
};

const cursorSchema = z.tuple([
  z.enum(['received', 'promised']),
  z.enum(['asc', 'desc']),
  z.string().max(40),
  z.string().max(80),
]);

const encodeCursor = (q: CaseListQuery, key: string, id: string): string =>
  Buffer.from(JSON.stringify([q.sort, q.dir, key, id])).toString('base64url');

function decodeCursor(q: CaseListQuery, text: string): { key: string; id: string } | null {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    if (!parsed.success) return null;
    const [sort, dir, key, id] = parsed.data;
    return sort === q.sort && dir === q.dir ? { key, id } : null;
  } catch {
    return null;
  }
}

export type CaseListDeps = {
  db: HallDatabase;
  clock: () => Date;
  calendar: HolidayCalendar;
  timeZone: string;
  warnDays: number;
  catalog: HallCatalog;
  supervision: Supervision;
};

export function createCaseList(deps: CaseListDeps) {
  const { db, catalog, supervision, calendar, timeZone } = deps;
  const sql = hallSqlOf(db);
  const store = createCaseListStore(sql);
  const choices = catalog.choices();
  /**
   * The statistics' facts of a case as supervision.ts evaluates it (desk-stats.ts counts them):
   * when submitted (a stored UTC instant), when closed, on time or not, and the time it was open.
   */
  function statsColumns(c: CaseSupervision | null): CaseStatsColumns {
    if (!c) return { submittedAt: null, closedAt: null, inTime: null, openMs: null };
    const submitted = Date.parse(c.submittedAt);
    const closed = c.closedAt === null ? Number.NaN : Date.parse(c.closedAt);
    return {
      submittedAt: Number.isNaN(submitted) ? null : new Date(submitted).toISOString(),
      closedAt: c.closedAt,
      inTime: c.inTime,
      openMs: Number.isFinite(closed - submitted) ? closed - submitted : null,
    };
  }

  /**
   * The list columns of one case: its 电子监察 deadline (supervision.ts's rule), receipt day, and the
   * statistics' facts (migration 19).
   */
  async function listColumns(
    r: StaleCaseRow,
  ): Promise<{ deadline: string | null; receipt: string | null } & CaseStatsColumns> {
    const evaluated = async () => {
      const c = await supervision.forCase(r.id);
      return { deadline: c?.deadline ?? null, ...statsColumns(c) };
    };
    try {
      const p = JSON.parse(r.payload) as { submittedAt?: unknown; promisedDays?: unknown };
      const submitted = typeof p.submittedAt === 'string' ? new Date(p.submittedAt) : null;
      const days = p.promisedDays;
      if (
        submitted !== null &&
        !Number.isNaN(submitted.getTime()) &&
        typeof days === 'number' &&
        Number.isInteger(days) &&
        days >= 0
      ) {
        const receipt = receiptDay(submitted, timeZone, calendar);
        // Most cases have no history yet: no pause, the deadline is the promised day, nothing closed.
        // The rest go through supervision's own evaluation (pauses from the history).
        if (!r.touched && typeof p.submittedAt === 'string' && usableDate(p.submittedAt) !== null)
          return {
            deadline: addWorkingDays(receipt, days, calendar),
            receipt,
            submittedAt: submitted.toISOString(),
            closedAt: null,
            inTime: null,
            openMs: null,
          };
        return { ...(await evaluated()), receipt };
      }
    } catch {
      // A date the calendar cannot work with: no deadline, the light is `unknown` (as supervision says).
    }
    return { ...(await evaluated()), receipt: null };
  }

  /**
   * The deadlines and receipt days in the list's columns depend on the holiday calendar and the time
   * zone: when the hall starts with others than they were worked out with (next year's 调休 days
   * published, HALL_TIME_ZONE changed), every case's columns are worked out again. Every node of a
   * hall needs the same calendar and zone (docs/deployment.md).
   */
  const basis = createHash('sha256').update(JSON.stringify({ timeZone, calendar })).digest('hex');
  async function checkBasis(): Promise<boolean> {
    if ((await store.basis()) === basis) return false;
    await store.rebase(basis);
    return true;
  }

  /** Works out the list columns of every case whose `listed_at` was cleared; bounded batches. */
  async function refresh(): Promise<number> {
    let done = 0;
    const step = () =>
      sql.transaction(async (): Promise<number> => {
        const rows = await store.stale(REFRESH_BATCH);
        const at = deps.clock().toISOString();
        for (const r of rows) await store.setListed(r.id, { ...(await listColumns(r)), actor: r.actor, at });
        return rows.length;
      });
    // Each step leaves its rows listed, so this ends; the bound is a guard against a misbehaving trigger.
    for (let i = 0; i < 10_000; i += 1) {
      const n = await step();
      done += n;
      if (n < REFRESH_BATCH) break;
    }
    return done;
  }

  /** Today and the last day still 提前预警 (at most warnDays working days left) in the hall's zone. */
  function lightDays(): { today: string; warn: string } {
    const today = calendarDay(deps.clock(), timeZone);
    try {
      // The warning boundary is the last day D with workingDaysBetween(today, D) <= warnDays: the day
      // before the first day warnDays + 1 working days on.
      const d = new Date(`${addWorkingDays(today, deps.warnDays + 1, calendar)}T00:00:00Z`);
      d.setUTCDate(d.getUTCDate() - 1);
      const warn = d.toISOString().slice(0, 10);
      return { today, warn: workingDaysBetween(today, warn, calendar) > deps.warnDays ? today : warn };
    } catch {
      return { today, warn: today };
    }
  }

  async function list(who: Staff, raw: unknown): Promise<HttpAnswer> {
    const parsed = caseListQuerySchema.safeParse(raw);
    if (!parsed.success) return badRequest(describeIssues(parsed.error));
    const query = parsed.data;
    const statuses = query.status?.split(',').filter((s) => s !== '') ?? null;
    if (statuses && (statuses.length > 20 || !statuses.every(isHallCaseStatus)))
      return badRequest('status: expected known case statuses, comma-separated');
    const after = query.cursor !== undefined ? decodeCursor(query, query.cursor) : null;
    if (query.cursor !== undefined && after === null) return badRequest('cursor: not a cursor of this sort');
    await refresh();

    const jurisdictions = [...new Set(who.jurisdictions)];
    if (jurisdictions.length === 0)
      return {
        status: 200,
        body: { rows: [], next: null, searchedBy: null, choices } satisfies CaseListPage,
      };
    let searchedBy: CaseSearchKind | null = null;
    if (query.q !== undefined && query.q !== '') searchedBy = query.by ?? searchKindOf(query.q);
    const found = await store.page({
      ...lightDays(),
      closed: CLOSED,
      jurisdictions,
      search:
        searchedBy !== null && query.q !== undefined
          ? { kind: searchedBy, term: caseKeyValue(searchedBy, query.q) }
          : null,
      statuses,
      item: query.item ?? null,
      windowItems: query.window !== undefined ? catalog.itemsOfWindow(query.window) : null,
      lights: query.light ?? null,
      from: query.from !== undefined ? startOfDay(query.from, timeZone) : null,
      before: query.to !== undefined ? startOfDay(nextDay(query.to), timeZone) : null,
      assigned:
        query.view === 'mine' ? { mine: who.name } : query.view === 'unassigned' ? 'unassigned' : null,
      sort: query.sort,
      dir: query.dir,
      after,
      limit: query.limit + 1,
    });
    const page = found.slice(0, query.limit);
    const rows = page.map((r): CaseListRow => {
      // Only the rows shown are opened: the 受理编号 and the masked name come from the sealed payload.
      const entry = readApplication(store.open(r.payload));
      const item = catalog.item(r.itemCode);
      return {
        id: r.id,
        receiptNo: entry?.receiptNo ?? null,
        applicant: entry ? maskName(entry.applicant.name) : null,
        itemCode: r.itemCode,
        itemName: item?.name ?? null,
        window: item?.window ?? null,
        windowName: item ? catalog.windowName(item.window) : null,
        caseType: entry?.caseType ?? null,
        status: r.status,
        receivedAt: r.receivedAt,
        deadline: r.deadline,
        light: r.light,
        kioskId: r.kioskId,
        assignedTo: r.assignedTo,
      };
    });
    const last = page[page.length - 1];
    const next = found.length > query.limit && last ? encodeCursor(query, last.sortKey, last.id) : null;
    return { status: 200, body: { rows, next, searchedBy, choices } satisfies CaseListPage };
  }

  /**
   * POST /v1/staff/cases/{id}/reveal: the applicant's (and helper's) full name and ID number and the
   * case's phone numbers, for a role with `case.reveal`; written to the audit log first (in the same
   * transaction: no reveal without its audit line).
   */
  /** GET /v1/staff/case-list/summary: the 电子监察 tiles, counted on the list's columns. */
  async function summary(who: Staff): Promise<HttpAnswer> {
    await refresh();
    const counts = Object.fromEntries(CASE_LIGHTS.map((l) => [l, 0])) as Record<CaseLight, number>;
    const jurisdictions = [...new Set(who.jurisdictions)];
    if (jurisdictions.length > 0)
      for (const r of await store.lightCounts({ ...lightDays(), closed: CLOSED, jurisdictions }))
        if ((CASE_LIGHTS as readonly string[]).includes(r.light)) counts[r.light as CaseLight] = r.n;
    return { status: 200, body: { timeZone, summary: counts } satisfies CaseListSummary };
  }

  async function reveal(who: Staff, id: string, audit: Audit, address: string | null): Promise<HttpAnswer> {
    return sql.transaction(async (): Promise<HttpAnswer> => {
      const row = await store.record(id);
      if (!row || !staffCovers(who, row.jurisdiction)) return notFound('no such case in your jurisdiction');
      const entry = readApplication(row.payload);
      const phones = new Set<string>();
      if (entry?.delivery.method === 'ems' && entry.delivery.phone) phones.add(entry.delivery.phone.trim());
      for (const v of Object.values(entry?.form ?? {})) if (MOBILE.test(v.trim())) phones.add(v.trim());
      await audit.record({
        actor: who.name,
        action: 'case.reveal',
        jurisdiction: row.jurisdiction,
        caseId: id,
        address,
        detail: { applicant: entry !== null, helper: entry?.helper != null, phones: phones.size },
      });
      const person = (p: { name: string; idNumber: string } | null | undefined) =>
        p ? { name: p.name, idNumber: p.idNumber } : null;
      return {
        status: 200,
        body: {
          applicant: person(entry?.applicant),
          helper: person(entry?.helper),
          phones: [...phones],
        } satisfies CaseReveal,
      };
    });
  }

  /**
   * The statistics' counts of the cases submitted in [from, before) (UTC instants) in these
   * jurisdictions, by item and status, on the columns worked out like the list's (desk-stats.ts).
   */
  async function statsRows(
    jurisdictions: readonly string[],
    from: string,
    before: string,
  ): Promise<CaseStatsRow[]> {
    await refresh();
    return store.statsRows({ jurisdictions, from, before });
  }

  /**
   * GET /v1/staff/supervision with `limit`, `cursor` or `open`: one page of the 电子监察 report in the
   * order received — only the page's cases evaluated (supervision.ts) — with the summary of every case
   * counted on the list's columns and the `next` cursor (null on the last page).
   */
  async function supervisionPage(who: Staff, query: SupervisionQuery): Promise<HttpAnswer> {
    let after: { key: string; id: string } | null = null;
    if (query.cursor !== undefined) {
      try {
        const parsed = z
          .tuple([z.string().max(40), z.string().max(80)])
          .safeParse(JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8')));
        if (parsed.success) after = { key: parsed.data[0], id: parsed.data[1] };
      } catch {
        after = null;
      }
      if (after === null) return badRequest('cursor: not a cursor of this report');
    }
    await refresh();
    const jurisdictions = [...new Set(who.jurisdictions)];
    const limit = query.limit ?? SUPERVISION_PAGE_DEFAULT;
    const found =
      jurisdictions.length === 0
        ? []
        : await store.supervisionIds({
            jurisdictions,
            closed: query.open === '1' ? CLOSED : null,
            after,
            limit: limit + 1,
          });
    const page = found.slice(0, limit);
    const cases: CaseSupervision[] = [];
    for (const r of page) {
      const c = await supervision.forCase(r.id);
      if (c) cases.push(c);
    }
    const summary = Object.fromEntries(CASE_LIGHTS.map((l) => [l, 0])) as Record<CaseLight, number>;
    if (jurisdictions.length > 0)
      for (const r of await store.lightCounts({
        ...lightDays(),
        closed: CLOSED,
        jurisdictions,
        withClosed: true,
      }))
        if ((CASE_LIGHTS as readonly string[]).includes(r.light)) summary[r.light as CaseLight] = r.n;
    const last = page[page.length - 1];
    return {
      status: 200,
      body: {
        generatedAt: deps.clock().toISOString(),
        jurisdiction: jurisdictions[0] ?? '',
        jurisdictions,
        warnDays: deps.warnDays,
        timeZone,
        summary,
        cases,
        next:
          found.length > limit && last
            ? Buffer.from(JSON.stringify([last.receivedAt, last.id])).toString('base64url')
            : null,
      } satisfies SupervisionPage,
    };
  }

  return { list, checkBasis, refresh, reveal, summary, statsRows, supervisionPage };
}

export type CaseList = ReturnType<typeof createCaseList>;
