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
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHallServer } from '../src/hall/server.js';
import { build } from './case-list.bench.js';
import { median, type BenchResult, type BenchSuite } from './harness.js';

export const DESK_REPORTS_BENCH_CASES = Number(process.env.DESK_REPORTS_BENCH_CASES ?? 100_000);
export const DESK_REPORTS_BENCH_ROUNDS = Number(process.env.DESK_REPORTS_BENCH_ROUNDS ?? 10);

function p95(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)]!;
}

export const deskReportsSuite: BenchSuite = {
  name: 'desk-reports',
  async run(): Promise<BenchResult[]> {
    const n = DESK_REPORTS_BENCH_CASES;
    const rounds = DESK_REPORTS_BENCH_ROUNDS;
    const dataDir = mkdtempSync(join(tmpdir(), 'zizhu-bench-desk-reports-'));
    try {
      const built = build(dataDir, n);
      const t0 = performance.now();
      const hall = await startHallServer(
        { host: '127.0.0.1', port: 0, dataDir },
        { silent: true, clock: () => new Date('2026-03-02T06:00:00.000Z') },
      );
      const opened = (performance.now() - t0) / 1000;
      try {
        const token = hall.staff.createToken('王科员', '610102');
        const ask = async (path: string): Promise<{ ms: number; bytes: number }> => {
          const t = performance.now();
          const res = await fetch(new URL(path, hall.url), { headers: { authorization: `Bearer ${token}` } });
          const body = Buffer.from(await res.arrayBuffer());
          const ms = performance.now() - t;
          if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${body.toString('utf8')}`);
          return { ms, bytes: body.length };
        };
        const month = 'from=2026-02-01&to=2026-03-02';
        const all = 'from=2025-08-01&to=2026-03-02';
        const ways: [string, string][] = [
          ['case-list summary (电子监察 tiles)', 'v1/staff/case-list/summary'],
          ['supervision report (every case)', 'v1/staff/supervision'],
          [
            'supervision report, first page of open cases (limit=100)',
            'v1/staff/supervision?open=1&limit=100',
          ],
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
        const check = (await (
          await fetch(new URL(`v1/staff/stats?${all}`, hall.url), {
            headers: { authorization: `Bearer ${token}` },
          })
        ).json()) as { totals: { cases: number } };
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
      } finally {
        await hall.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
