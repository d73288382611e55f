/**
 * The statistics' fast path (hall migration 19: per-case columns counted in SQL, desk-stats.ts) gives
 * the answers of the full evaluation it replaced — every case of the jurisdiction run through
 * 电子监察 (supervision.ts) and filtered by its submission day — on a varied, seeded fixture: cases
 * submitted across the 2026 Spring Festival holidays and 调休 days and around midnight in the hall's
 * zone, 即办件 and promised items, left received, accepted, completed in time or late, refused, paused
 * for 补正 and resumed by the resident's supplement or by staff, and still paused; and 好差评 given
 * around midnight, counted on the day given. The reference reads
 * the cases through GET /v1/staff/supervision; the fast path answers GET /v1/staff/stats. The same
 * fixture walks the paged supervision report (?limit=, ?open=1) against the full one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CASE_STATUS_INFO, HALL_CASE_STATUSES, isHallCaseStatus } from '../shared/case-status.js';
import { EVALUATION_LEVELS, isBadReview, type EvaluationLevel } from '../shared/evaluation.js';
import { calendarDay } from '../shared/working-days.js';
import type { StaffStats, StatsGroup } from '../shared/wire/index.js';
import { loadHallCatalog } from './catalog.js';
import { startHallServer, type HallServer } from './server.js';
import type { Staff } from './staff.js';
import type { CaseSupervision } from './supervision.js';
import {
  applicationPayload,
  enrolKiosk,
  fixtureId,
  staffCall,
  storeBlob,
  type FixtureKiosk,
} from './testing/staff-fixture.js';

const ZONE = 'Asia/Shanghai';
const ITEMS = ['610000-BDC-QR-04001-000', '610000-BDC-QR-04002-000', '610000-BDC-GG-04004-000', 'X1'];
const CASES = 160;
const HOUR = 3_600_000;
const DAY_MS = 86_400_000;

let dir: string;
let hall: HallServer;
let token: string;
let now = Date.parse('2026-01-20T00:00:00Z');
const clerk: Staff = {
  name: '王科员',
  jurisdiction: '610102',
  jurisdictions: ['610102'],
  roles: ['approver'],
};

/** A small seeded generator (mulberry32): the same fixture every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Step = { action: string } | 'supplement';
const PATHS: Step[][] = [
  [],
  [{ action: 'accept' }],
  [{ action: 'accept' }, { action: 'complete' }],
  [{ action: 'refuse' }],
  [
    { action: 'accept' },
    { action: 'request-correction' },
    'supplement',
    { action: 'accept' },
    { action: 'complete' },
  ],
  [{ action: 'request-correction' }],
  [{ action: 'request-correction' }, { action: 'accept' }, { action: 'complete' }],
  [{ action: 'accept' }, { action: 'request-correction' }, { action: 'refuse' }],
  [{ action: 'request-correction' }, 'supplement', { action: 'refuse' }],
];
const payloadOf = (action: string): Record<string, unknown> =>
  action === 'complete'
    ? { action, result: '准予' }
    : action === 'refuse'
      ? { action, reason: '材料不属实' }
      : action === 'request-correction'
        ? { action, materials: ['m1'] }
        : { action };

/** The 好差评 pushed: when given and at what level (the reference counts them by day). */
const given: { level: string; createdAt: string }[] = [];

async function build(kiosk: FixtureKiosk): Promise<void> {
  const evalRnd = random(7);
  const rnd = random(20260215);
  const page = await storeBlob(hall, Buffer.from('supplement page'));
  const start = Date.parse('2026-02-01T00:00:00Z');
  for (let i = 0; i < CASES; i += 1) {
    const name = `fast-${i}`;
    // Across 40 days; a fifth of them within ten minutes of midnight in Shanghai (16:00 UTC).
    const day = start + Math.floor(rnd() * 40) * DAY_MS;
    const submitted =
      rnd() < 0.2
        ? day + 16 * HOUR + Math.floor((rnd() - 0.5) * 20 * 60_000)
        : day + Math.floor(rnd() * DAY_MS);
    const immediate = rnd() < 0.15;
    const entry = applicationPayload(name, {
      itemCode: ITEMS[Math.floor(rnd() * ITEMS.length)]!,
      submittedAt: new Date(submitted).toISOString(),
      caseType: immediate ? 'immediate' : 'promised',
      ...(immediate
        ? { promisedDate: null }
        : {
            promisedDays: 1 + Math.floor(rnd() * 12),
            promisedDate: new Date(submitted + 40 * DAY_MS).toISOString().slice(0, 10),
          }),
    });
    now = submitted + 60_000;
    const pushed = await kiosk.push('application', entry);
    expect(pushed.status).toBe(200);
    expect(JSON.stringify(pushed.body)).not.toContain('rejected');
    if (evalRnd() < 0.5) {
      // Given within two days of the submission, a quarter of them within minutes of midnight.
      const createdAt = new Date(
        evalRnd() < 0.25
          ? day + 16 * HOUR + Math.floor((evalRnd() - 0.5) * 10 * 60_000)
          : submitted + Math.floor(evalRnd() * 2 * DAY_MS),
      ).toISOString();
      const level = EVALUATION_LEVELS[Math.floor(evalRnd() * EVALUATION_LEVELS.length)]!.level;
      const r = await kiosk.push('evaluation', {
        id: fixtureId(`${name}-eval`),
        targetKind: 'application',
        targetId: entry.id,
        level,
        contentItems: [],
        reason: isBadReview(level) ? 'r-repeat-visits' : null,
        comment: null,
        channel: 'self-service-terminal',
        itemsVersion: '2026.1',
        createdAt,
      });
      expect(JSON.stringify(r.body)).not.toContain('rejected');
      given.push({ level, createdAt });
    }
    let at = submitted;
    for (const step of PATHS[Math.floor(rnd() * PATHS.length)]!) {
      at += Math.floor(1 + rnd() * 200) * HOUR;
      now = at;
      if (step === 'supplement') {
        const r = await kiosk.push('supplement', {
          id: fixtureId(`${name}-sup`),
          applicationId: entry.id,
          submittedAt: new Date(at).toISOString(),
          receiptNo: entry.receiptNo,
          attachments: [{ sha256: page, materialCode: 'm1', size: 15, position: 0, mime: 'image/jpeg' }],
        });
        expect(r.status, JSON.stringify(r.body)).toBe(200);
      } else {
        const r = await hall.staff.act(clerk, entry.id, payloadOf(step.action));
        expect(r.status, `${name} ${step.action} ${JSON.stringify(r.body)}`).toBe(200);
      }
    }
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-stats-fast-'));
  hall = await startHallServer(
    { host: '127.0.0.1', port: 0, dataDir: dir, timeZone: ZONE, limits: { staffTokenHours: 24 * 365 } },
    { silent: true, clock: () => new Date(now) },
  );
  token = await hall.staff.createToken('督查', '610102');
  await build(await enrolKiosk(hall, '610102'));
  now = Date.parse('2026-04-01T02:00:00Z');
});
afterAll(async () => {
  await hall.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The computation the fast path replaced (desk-stats.ts before migration 19), over every case. */
function reference(all: readonly CaseSupervision[], from: string, to: string) {
  const catalog = loadHallCatalog();
  if (!catalog.ok) throw new Error(catalog.error);
  const rate = (n: number, of: number): number | null => (of === 0 ? null : n / of);
  const cases = all.filter((c) => {
    const d = new Date(c.submittedAt);
    if (Number.isNaN(d.getTime())) return false;
    const day = calendarDay(d, ZONE);
    return day >= from && day <= to;
  });
  const group = (keyOf: (c: CaseSupervision) => string): Omit<StatsGroup, 'name'>[] => {
    const groups = new Map<string, CaseSupervision[]>();
    for (const c of cases) groups.set(keyOf(c), [...(groups.get(keyOf(c)) ?? []), c]);
    return [...groups.entries()]
      .map(([code, list]) => {
        const timed = list.filter((c) => c.inTime !== null);
        return {
          code,
          cases: list.length,
          completed: list.filter((c) => c.status === 'completed').length,
          onTimeRate: rate(timed.filter((c) => c.inTime === true).length, timed.length),
        };
      })
      .sort((a, b) => b.cases - a.cases || a.code.localeCompare(b.code));
  };
  const closed = cases.filter((c) => c.closedAt !== null);
  const timed = closed.filter((c) => c.inTime !== null);
  const onTime = timed.filter((c) => c.inTime === true).length;
  const completed = closed.filter((c) => c.status === 'completed');
  const days = completed.map(
    (c) => (Date.parse(c.closedAt ?? c.submittedAt) - Date.parse(c.submittedAt)) / DAY_MS,
  );
  return {
    totals: {
      cases: cases.length,
      closed: closed.length,
      completed: completed.length,
      refused: closed.filter((c) => c.status === 'refused').length,
      onTime,
      late: timed.length - onTime,
      onTimeRate: rate(onTime, timed.length),
      averageDays:
        days.length === 0 ? null : Math.round((days.reduce((a, b) => a + b, 0) / days.length) * 10) / 10,
    },
    byItem: group((c) => c.itemCode),
    byWindow: group((c) => catalog.value.item(c.itemCode)?.window ?? '—'),
    byStatus: HALL_CASE_STATUSES.map((status) => ({
      status,
      label: CASE_STATUS_INFO[status].label,
      cases: cases.filter((c) => isHallCaseStatus(c.status) && c.status === status).length,
    })),
    evaluations: (() => {
      const inRange = given.filter((e) => {
        const day = calendarDay(new Date(e.createdAt), ZONE);
        return day >= from && day <= to;
      });
      const bad = inRange.filter((e) => isBadReview(e.level as EvaluationLevel)).length;
      return {
        total: inRange.length,
        byLevel: EVALUATION_LEVELS.map((l) => ({
          level: l.level,
          label: { zh: l.zh, en: l.en },
          count: inRange.filter((e) => e.level === l.level).length,
        })),
        bad,
        badRate: rate(bad, inRange.length),
      };
    })(),
  };
}

const withoutNames = (groups: readonly StatsGroup[]) =>
  groups.map((g) => ({ code: g.code, cases: g.cases, completed: g.completed, onTimeRate: g.onTimeRate }));

it('answers like the full evaluation for ranges across holidays, midnights, pauses and every status', async () => {
  const report = await staffCall(hall, token, 'GET', '/v1/staff/supervision');
  expect(report.status).toBe(200);
  const all = (report.body as { cases: CaseSupervision[] }).cases;
  expect(all).toHaveLength(CASES);
  expect(given.length).toBeGreaterThan(CASES / 4);
  // The fixture is varied: every kind of case the statistics tell apart is there.
  const statuses = new Set(all.map((c) => c.status));
  for (const s of ['received', 'accepted', 'completed', 'refused', 'correction-requested'])
    expect(statuses, s).toContain(s);
  expect(all.some((c) => c.pausedWorkingDays > 0 && c.closedAt !== null)).toBe(true);
  expect(all.some((c) => c.inTime === true) && all.some((c) => c.inTime === false)).toBe(true);

  const ranges: [string, string][] = [
    ['2026-02-01', '2026-03-12'], // everything
    ['2026-02-14', '2026-02-24'], // Spring Festival and its 调休
    ['2026-02-01', '2026-02-28'],
    ['2026-03-01', '2026-03-31'],
    ['2026-02-20', '2026-02-20'],
    ['2026-03-05', '2026-03-06'],
    ['2025-12-01', '2025-12-31'], // none
  ];
  let compared = 0;
  for (const [from, to] of ranges) {
    const r = await staffCall(hall, token, 'GET', `/v1/staff/stats?from=${from}&to=${to}`);
    expect(r.status).toBe(200);
    const fast = r.body as unknown as StaffStats;
    const want = reference(all, from, to);
    expect(fast.totals, `${from}…${to}`).toEqual(want.totals);
    expect(withoutNames(fast.byItem), `${from}…${to}`).toEqual(want.byItem);
    expect(withoutNames(fast.byWindow), `${from}…${to}`).toEqual(want.byWindow);
    expect(fast.byStatus, `${from}…${to}`).toEqual(want.byStatus);
    expect(fast.evaluations, `${from}…${to}`).toEqual(want.evaluations);
    compared += fast.totals.cases;
  }
  expect(compared).toBeGreaterThan(CASES);
});

it('pages the supervision report: the same cases and summary as the full report, open ones only on request', async () => {
  const full = (await staffCall(hall, token, 'GET', '/v1/staff/supervision')).body as {
    summary: Record<string, number>;
    cases: CaseSupervision[];
  };
  type Page = { summary: Record<string, number>; cases: CaseSupervision[]; next: string | null };
  const walk = async (query: string): Promise<{ pages: number; cases: CaseSupervision[] }> => {
    const cases: CaseSupervision[] = [];
    let next: string | null = null;
    for (let pages = 1; pages <= 100; pages += 1) {
      const cursor: string = next === null ? '' : `&cursor=${next}`;
      const r = await staffCall(hall, token, 'GET', `/v1/staff/supervision?${query}${cursor}`);
      expect(r.status).toBe(200);
      const page = r.body as unknown as Page;
      expect(page.summary).toEqual(full.summary);
      expect(page.cases.length).toBeLessThanOrEqual(Number(/limit=(\d+)/.exec(query)?.[1] ?? 100));
      cases.push(...page.cases);
      next = page.next;
      if (next === null) return { pages, cases };
    }
    throw new Error('more than 100 pages');
  };
  const all = await walk('limit=37');
  expect(all.pages).toBe(Math.ceil(CASES / 37));
  expect(all.cases).toEqual(full.cases);
  const open = await walk('open=1&limit=50');
  expect(open.cases).toEqual(full.cases.filter((c) => c.closedAt === null));
  expect(open.cases.length).toBeLessThan(CASES);
  // Defaults to 100 a page.
  const first = (await staffCall(hall, token, 'GET', '/v1/staff/supervision?open=0')).body as unknown as Page;
  expect(first.cases).toEqual(full.cases.slice(0, 100));
  for (const bad of ['limit=0', 'limit=1001', 'open=yes', 'cursor=nonsense'])
    expect((await staffCall(hall, token, 'GET', `/v1/staff/supervision?${bad}`)).status, bad).toBe(400);
});
