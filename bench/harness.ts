/**
 * Benchmark harness: each suite returns results; run.ts prints a table and writes
 * bench/results.json (a JSON array of { name, value, unit, note }) so figures can be compared from
 * run to run. Comparisons are made side by side within one run.
 */
export type BenchResult = { name: string; value: number; unit: string; note: string };
export type BenchSuite = { name: string; run: () => Promise<BenchResult[]> };

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The 95th percentile (nearest rank). */
export function p95(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)]!;
}

export async function timeMs(fn: () => Promise<void> | void): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export function formatTable(results: readonly BenchResult[]): string {
  const rows = [
    ['benchmark', 'value', 'unit', 'note'],
    ...results.map((r) => [r.name, String(Math.round(r.value * 100) / 100), r.unit, r.note]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n');
}
