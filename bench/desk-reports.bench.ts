/**
 * The desk's 统计分析 and 电子监察 routes among many cases (docs/benchmarks.md, "Staff desk statistics
 * and supervision"; issue 10 item 7): the same database as the case-list suite (bench/case-list.bench.ts:
 * DESK_REPORTS_BENCH_CASES, default 100,000 applications, 90 % in the staff member's jurisdiction,
 * received over 200 days up to 2026-03-02), then over loopback HTTP with a staff token:
 * GET /v1/staff/case-list/summary (the 电子监察 tiles the case list shows on every reload), the full
 * GET /v1/staff/supervision report (every case evaluated and sent) and its first page of open cases
 * (?open=1&limit=100: only the page evaluated), GET
 * /v1/staff/stats for one month and for the whole 200 days, and the CSV and XLSX exports of the month.
 * DESK_REPORTS_BENCH_ROUNDS (default 10) requests each; reported: median and p95 ms per request, whole
 * HTTP round trip (body read).
 */
import { withCaseHall } from './case-list.bench.js';
import { median, p95, type BenchResult, type BenchSuite } from './harness.js';

export const DESK_REPORTS_BENCH_CASES = Number(process.env.DESK_REPORTS_BENCH_CASES ?? 100_000);
export const DESK_REPORTS_BENCH_ROUNDS = Number(process.env.DESK_REPORTS_BENCH_ROUNDS ?? 10);

export const deskReportsSuite: BenchSuite = {
  name: 'desk-reports',
  async run(): Promise<BenchResult[]> {
    const n = DESK_REPORTS_BENCH_CASES;
    const rounds = DESK_REPORTS_BENCH_ROUNDS;
    return withCaseHall(n, async ({ ask: get, built, opened }) => {
      const ask = async (path: string): Promise<{ ms: number; bytes: number }> => {
        const { ms, body } = await get(path);
        return { ms, bytes: body.length };
      };
      const month = 'from=2026-02-01&to=2026-03-02';
      const all = 'from=2025-08-01&to=2026-03-02';
      const ways: [string, string][] = [
        ['case-list summary (电子监察 tiles)', 'v1/staff/case-list/summary'],
        ['supervision report (every case)', 'v1/staff/supervision'],
        ['supervision report, first page of open cases (limit=100)', 'v1/staff/supervision?open=1&limit=100'],
        ['stats, one month', `v1/staff/stats?${month}`],
        ['stats, 200 days', `v1/staff/stats?${all}`],
        ['stats CSV, one month', `v1/staff/stats.csv?${month}`],
        ['stats XLSX, one month', `v1/staff/stats.xlsx?${month}`],
      ];
      const results: BenchResult[] = [
        {
          name: 'desk reports: build database',
          value: built,
          unit: 's',
          note: `${n} cases, one transaction`,
        },
        {
          name: 'desk reports: hall open',
          value: opened,
          unit: 's',
          note: 'list columns of every case worked out',
        },
      ];
      // The month's figures, checked once: the route counts what was built.
      const check = JSON.parse((await get(`v1/staff/stats?${all}`)).body.toString('utf8')) as {
        totals: { cases: number };
      };
      if (check.totals.cases < n * 0.85)
        throw new Error(`stats counted ${check.totals.cases} of about ${n * 0.9} cases`);
      for (const [label, path] of ways) {
        await ask(path); // warm-up: statements prepared, pages in cache
        const times: number[] = [];
        let bytes = 0;
        for (let r = 0; r < rounds; r += 1) {
          const a = await ask(path);
          times.push(a.ms);
          bytes = a.bytes;
        }
        const note = `${n} cases, ${rounds} requests, ${bytes} bytes`;
        results.push(
          { name: `desk reports: ${label} median`, value: median(times), unit: 'ms', note },
          { name: `desk reports: ${label} p95`, value: p95(times), unit: 'ms', note },
        );
      }
      return results;
    });
  },
};
