/**
 * The staff desk's documents and statistics (docs/sync-protocol.md, 8.8 and 8.9): which documents a
 * case has, the query and body of GET /v1/staff/stats, and the follow-up's link to its case. The hall
 * answers with these types and the desk page reads them; zod-free but for the query schema, which
 * the hall parses with.
 */
import { z } from 'zod';
import type { HallCaseStatus } from '../case-status.js';
import type { Localized } from '../catalog.js';
import type { EvaluationLevel } from '../evaluation.js';

/** GET /v1/staff/cases/{id}/documents/{kind}.pdf */
export const CASE_DOCUMENT_KINDS = ['acceptance', 'correction', 'refusal'] as const;
export type CaseDocumentKind = (typeof CASE_DOCUMENT_KINDS)[number];
export const isCaseDocumentKind = (s: string): s is CaseDocumentKind =>
  (CASE_DOCUMENT_KINDS as readonly string[]).includes(s);

/** The documents in words, for the desk's buttons and the PDF's file name. */
export const CASE_DOCUMENT_NAMES: Readonly<Record<CaseDocumentKind, Localized>> = {
  acceptance: { zh: '受理通知书', en: 'Notice of acceptance' },
  correction: { zh: '补正告知书', en: 'Notice to supply materials' },
  refusal: { zh: '不予受理决定书', en: 'Decision not to accept' },
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const realDay = (d: string): boolean => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
};
/** At most a year and a day per query: a report, not a dump of the database. */
export const STATS_MAX_DAYS = 366;

/** The query of GET /v1/staff/stats (and .csv, .xlsx): calendar days in the hall's zone, both included. */
export const statsQuerySchema = z
  .object({
    from: z.string().regex(DAY, 'from must be YYYY-MM-DD'),
    to: z.string().regex(DAY, 'to must be YYYY-MM-DD'),
  })
  .refine(
    // Date.parse takes 2026-02-30 (as 03-02): a real day is one that comes back unchanged.
    (q) => realDay(q.from) && realDay(q.to),
    {
      message: 'from and to must be real dates',
    },
  )
  .refine((q) => q.from <= q.to, { message: 'from must not be after to' })
  .refine(
    (q) =>
      (Date.parse(`${q.to}T00:00:00Z`) - Date.parse(`${q.from}T00:00:00Z`)) / 86_400_000 < STATS_MAX_DAYS,
    {
      message: `at most ${STATS_MAX_DAYS} days`,
    },
  );
export type StatsQuery = z.infer<typeof statsQuerySchema>;

/** Cases counted under one item or window. */
export type StatsGroup = {
  code: string;
  /** From the catalog; null for a code it does not know (shown as the code). */
  name: Localized | null;
  cases: number;
  completed: number;
  /** Closed on or before the deadline, of the closed ones with a deadline; null when none. */
  onTimeRate: number | null;
};

export type StatsTotals = {
  cases: number;
  /** 办结 or 不予受理. */
  closed: number;
  completed: number;
  refused: number;
  onTime: number;
  late: number;
  /** onTime / (onTime + late), 0–1; null when no closed case had a deadline. */
  onTimeRate: number | null;
  /** Calendar days from submission to 办结, averaged over the completed cases; one decimal. */
  averageDays: number | null;
};

export type StatsEvaluations = {
  total: number;
  /** Every level in display order (非常满意 first), zero counts included. */
  byLevel: { level: EvaluationLevel; label: Localized; count: number }[];
  /** 不满意 + 非常不满意. */
  bad: number;
  /** bad / total, 0–1; null when there were none. */
  badRate: number | null;
};

/** The body of GET /v1/staff/stats. */
export type StaffStats = {
  from: string;
  to: string;
  timeZone: string;
  jurisdictions: string[];
  generatedAt: string;
  totals: StatsTotals;
  byItem: StatsGroup[];
  byWindow: StatsGroup[];
  byStatus: { status: HallCaseStatus; label: Localized; cases: number }[];
  evaluations: StatsEvaluations;
};

/** A 差评 follow-up's case (GET /v1/staff/followups), for the link that opens it; null for a queue ticket. */
export type FollowupCaseLink = {
  id: string;
  /** 受理编号 as the resident holds it; null when the stored application does not parse. */
  receiptNo: string | null;
  itemName: Localized | null;
};
