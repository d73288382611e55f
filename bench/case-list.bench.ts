/**
 * The staff desk's case list among many cases (docs/benchmarks.md, "Staff desk case list"; issue 10:
 * "answers a search among 100,000 cases in ≤ 100 ms median").
 *
 * CASE_LIST_BENCH_CASES (default 100,000) applications are written straight into a hall database — one
 * transaction, prepared statements, the same store and ingest trigger (search keys) a push uses; 90 % in
 * the staff member's jurisdiction, a third of them closed, received over 200 days. The hall then starts
 * on it (the list columns of every case are worked out at open: timed too) and the list is asked over
 * loopback with a staff token: the default first page, and a search by 受理编号, name, ID number and
 * phone (each an exact match on keyed hashes). CASE_LIST_BENCH_ROUNDS (default 30) requests each, each
 * for a different case; reported: median and p95 ms per request, whole HTTP round trip.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCaseStore, hallSqlOf, openHallDatabase } from '../src/hall/store/index.js';
import { loadHallCatalog } from '../src/hall/catalog.js';
import { startHallServer } from '../src/hall/server.js';
import type { CaseListPage } from '../src/shared/wire/index.js';
import { median, p95, type BenchResult, type BenchSuite } from './harness.js';

export const CASE_LIST_BENCH_CASES = Number(process.env.CASE_LIST_BENCH_CASES ?? 100_000);
export const CASE_LIST_BENCH_ROUNDS = Number(process.env.CASE_LIST_BENCH_ROUNDS ?? 30);

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂';
const STATUSES = ['received', 'accepted', 'correction-requested', 'completed', 'refused'] as const;

type Person = { name: string; id: string; phone: string; receipt: string };

function person(i: number): Person {
  const name =
    SURNAMES[i % SURNAMES.length]! +
    GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]! +
    GIVEN[Math.floor(i / (SURNAMES.length * GIVEN.length)) % GIVEN.length]!;
  return {
    name,
    id: `610102${19_000_000 + i}1234`,
    phone: `139${String(i).padStart(8, '0')}`,
    receipt: `ZZ01-20260302-${String(i).padStart(6, '0')}`,
  };
}

/** Builds the database; returns the seconds it took. */
export async function build(dataDir: string, n: number): Promise<number> {
  const t0 = performance.now();
  const opened = openHallDatabase(join(dataDir, 'hall.db'));
  if (!opened.ok) throw new Error(opened.message);
  const { db } = opened;
  const catalog = loadHallCatalog();
  if (!catalog.ok) throw new Error(catalog.error);
  const items = ['610000-RSJ-JF-05005-000', '610000-BDC-QR-04001-000', 'X1'];
  const sql = hallSqlOf(db);
  const cases = createCaseStore(sql);
  const entry = db.prepare(
    "INSERT INTO entries (id, kiosk_id, seq, kind, payload, payload_hash, status, received_at) VALUES (?, 'K-1', ?, 'application', zk_seal('{}'), 'x', 'applied', ?)",
  );
  const day0 = Date.parse('2026-03-02T01:00:00.000Z');
  await sql.transaction(async () => {
    db.prepare(
      "INSERT INTO kiosks (id, jurisdiction, secret_hash, secret, enrolled_at) VALUES ('K-1', '610102', 'h', zk_seal('\"s\"'), '2025-01-01T00:00:00Z')",
    ).run();
    for (let i = 1; i <= n; i += 1) {
      const p = person(i);
      const at = new Date(day0 - Math.floor(((n - i) / n) * 200 * 86_400_000)).toISOString();
      const id = `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
      const status = STATUSES[i % 3 === 0 ? 3 + (i % 2) : i % 3]!;
      const itemCode = items[i % items.length]!;
      const payload = {
        id,
        receiptNo: p.receipt,
        itemCode,
        caseType: 'promised',
        jurisdiction: i % 10 === 0 ? '610104' : '610102',
        submittedAt: at,
        promisedDays: 5,
        promisedDate: null,
        bundle: null,
        applicant: { name: p.name, idNumber: p.id, cardType: 'resident' },
        helper: null,
        form: { applicantName: p.name, contactPhone: p.phone },
        delivery: {
          method: 'ems',
          recipient: p.name,
          phone: p.phone,
          address: '西安市 1 号',
          postcode: '710000',
        },
        licences: [],
        integrityAcknowledgedAt: at,
        attachments: [],
      };
      entry.run(i, i, at);
      await cases.insert({
        id,
        kioskId: 'K-1',
        entryId: i,
        jurisdiction: payload.jurisdiction,
        itemCode,
        status,
        payload: JSON.stringify(payload),
        at,
      });
    }
  });
  db.close();
  return (performance.now() - t0) / 1000;
}

/** The database of `n` cases built, a hall opened on it and a staff token of 610102; `run` asks it. */
export async function withCaseHall<T>(
  n: number,
  run: (h: {
    url: string;
    /** GET `path` with the token: ms for the whole round trip and the body (refused: thrown). */
    ask: (path: string) => Promise<{ ms: number; body: Buffer }>;
    /** Seconds to build the database and to open the hall on it. */
    built: number;
    opened: number;
  }) => Promise<T>,
): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'zizhu-bench-cases-'));
  try {
    const built = await build(dataDir, n);
    const t0 = performance.now();
    const hall = await startHallServer(
      { host: '127.0.0.1', port: 0, dataDir },
      { silent: true, clock: () => new Date('2026-03-02T06:00:00.000Z') },
    );
    const opened = (performance.now() - t0) / 1000;
    try {
      const token = await hall.staff.createToken('王科员', '610102');
      const ask = async (path: string) => {
        const t = performance.now();
        const res = await fetch(new URL(path, hall.url), { headers: { authorization: `Bearer ${token}` } });
        const body = Buffer.from(await res.arrayBuffer());
        const ms = performance.now() - t;
        if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${body.toString('utf8')}`);
        return { ms, body };
      };
      return await run({ url: hall.url, ask, built, opened });
    } finally {
      await hall.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const caseListSuite: BenchSuite = {
  name: 'case-list',
  async run(): Promise<BenchResult[]> {
    const n = CASE_LIST_BENCH_CASES;
    const rounds = CASE_LIST_BENCH_ROUNDS;
    return withCaseHall(n, async ({ ask: get, built, opened }) => {
      const ask = async (query: string): Promise<{ ms: number; rows: number }> => {
        const { ms, body } = await get(`v1/staff/case-list${query}`);
        return { ms, rows: (JSON.parse(body.toString('utf8')) as CaseListPage).rows.length };
      };
      // Cases of the staff member's jurisdiction (every tenth is another's), spread over the range.
      const pick = (r: number) => {
        let i = 1 + Math.floor(((r + 0.5) / rounds) * (n - 1));
        if (i % 10 === 0) i += 1;
        return person(Math.min(i, n));
      };
      const ways: [string, (p: Person) => string][] = [
        ['default first page', () => ''],
        ['search by 受理编号', (p) => `?q=${encodeURIComponent(p.receipt)}`],
        ['search by name', (p) => `?q=${encodeURIComponent(p.name)}`],
        ['search by ID number', (p) => `?q=${p.id}`],
        ['search by phone', (p) => `?q=${p.phone}`],
      ];
      await ask(''); // warm-up: statements prepared, pages in cache
      const results: BenchResult[] = [
        { name: 'case list: build database', value: built, unit: 's', note: `${n} cases, one transaction` },
        {
          name: 'case list: hall open',
          value: opened,
          unit: 's',
          note: 'list columns of every case worked out',
        },
      ];
      for (const [label, query] of ways) {
        const times: number[] = [];
        let found = 0;
        for (let r = 0; r < rounds; r += 1) {
          const a = await ask(query(pick(r)));
          times.push(a.ms);
          found += a.rows > 0 ? 1 : 0;
        }
        if (found < rounds)
          throw new Error(`${label}: ${rounds - found} of ${rounds} requests found nothing`);
        results.push(
          {
            name: `case list: ${label} median`,
            value: median(times),
            unit: 'ms',
            note: `${n} cases, ${rounds} requests`,
          },
          {
            name: `case list: ${label} p95`,
            value: p95(times),
            unit: 'ms',
            note: `${n} cases, ${rounds} requests`,
          },
        );
      }
      return results;
    });
  },
};
