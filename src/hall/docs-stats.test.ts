/**
 * Desk statistics over HTTP (desk-stats.ts, stats-export.ts, desk-report-routes.ts): the figures for a
 * known set of cases and evaluations — by item, window and status, on-time rate, average days, the
 * 好差评 distribution and 差评 rate — with the range's edges at midnight in HALL_TIME_ZONE
 * (Asia/Shanghai, UTC+8); the CSV with its BOM and rows; the XLSX unzipped and read back; the exports
 * in the audit log; and who is refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffStats } from '../shared/wire/index.js';
import { startHallServer, type HallServer } from './server.js';
import { statsCsv } from './stats-export.js';
import type { Staff } from './staff.js';
import { applicationPayload, enrolKiosk, fixtureId, staffCall } from './testing/staff-fixture.js';

const PENSION = '610000-RSJ-GG-05001-000';
let dir: string;
let hall: HallServer;
let token: string;
let outsider: string;
let now = Date.parse('2026-03-01T00:00:00Z');

const clerk: Staff = {
  name: '王科员',
  jurisdiction: '610102',
  jurisdictions: ['610102'],
  roles: ['approver'],
};
const act = async (at: string, name: string, action: Record<string, unknown>) => {
  now = Date.parse(at);
  const r = await hall.staff.act(clerk, fixtureId(name), action);
  if (r.status !== 200) throw new Error(`${name} ${JSON.stringify(r.body)}`);
};
const evaluation = (id: string, target: string, level: string, createdAt: string) => ({
  id: fixtureId(id),
  targetKind: 'application',
  targetId: fixtureId(target),
  level,
  contentItems: [],
  reason: level.includes('dissatisfied') ? 'r-repeat-visits' : null,
  comment: null,
  channel: 'self-service-terminal',
  itemsVersion: '2026.1',
  createdAt,
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-stats-'));
  hall = await startHallServer(
    {
      host: '127.0.0.1',
      port: 0,
      dataDir: dir,
      timeZone: 'Asia/Shanghai',
      limits: { staffTokenHours: 24 * 365 },
    },
    { silent: true, clock: () => new Date(now) },
  );
  token = await hall.staff.createToken('督查', '610102');
  outsider = await hall.staff.createToken('李督查', '610104');
  const kiosk = await enrolKiosk(hall, '610102');
  const push = async (name: string, itemCode: string, submittedAt: string) =>
    expect(
      (await kiosk.push('application', applicationPayload(name, { itemCode, submittedAt }))).status,
    ).toBe(200);
  // In the range 2026-03-02 … 2026-03-06 (Shanghai days):
  await push('a', PENSION, '2026-03-02T01:00:00.000Z'); // 03-02 09:00, 办结 in time
  await push('b', PENSION, '2026-03-01T16:30:00.000Z'); // 03-02 00:30, 办结 late
  await push('c', 'X1', '2026-03-06T15:59:00.000Z'); // 03-06 23:59, 不予受理
  await push('f', PENSION, '2026-03-03T02:00:00.000Z'); // still received
  // Outside it by a minute either side:
  await push('d', 'X1', '2026-03-06T16:00:00.000Z'); // 03-07 00:00
  await push('e', PENSION, '2026-03-01T15:59:00.000Z'); // 03-01 23:59
  await act('2026-03-02T03:00:00Z', 'a', { action: 'accept' });
  await act('2026-03-04T02:00:00Z', 'a', { action: 'complete', result: '准予' });
  await act('2026-03-02T03:00:00Z', 'b', { action: 'accept' });
  await act('2026-03-20T02:00:00Z', 'b', { action: 'complete', result: '准予' });
  await act('2026-03-07T01:00:00Z', 'c', { action: 'refuse', reason: '材料不属实' });
  await act('2026-03-20T02:00:00Z', 'e', { action: 'accept' });
  await act('2026-03-20T02:00:00Z', 'e', { action: 'complete', result: '准予' });
  // 好差评, counted on the day given: 3 in the range (one of them a 差评), 2 outside.
  const evals = [
    evaluation('v1', 'a', 'very-satisfied', '2026-03-04T03:00:00.000Z'),
    evaluation('v2', 'b', 'dissatisfied', '2026-03-06T15:59:59.000Z'),
    evaluation('v3', 'c', 'satisfied', '2026-03-01T16:00:00.000Z'),
    evaluation('v4', 'f', 'very-dissatisfied', '2026-03-06T16:00:00.000Z'),
    evaluation('v5', 'e', 'satisfied', '2026-03-01T15:00:00.000Z'),
  ];
  for (const e of evals) expect((await kiosk.push('evaluation', e)).status).toBe(200);
});
afterAll(async () => {
  await hall.close();
  rmSync(dir, { recursive: true, force: true });
});

const RANGE = 'from=2026-03-02&to=2026-03-06';
const raw = async (tok: string | null, path: string) => {
  const res = await fetch(new URL(path, hall.url), {
    headers: tok ? { authorization: `Bearer ${tok}` } : {},
  });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
};

describe('desk statistics', () => {
  it('counts the range’s cases by item, window and status, with the on-time rate and average days', async () => {
    const r = await staffCall(hall, token, 'GET', `/v1/staff/stats?${RANGE}`);
    expect(r.status).toBe(200);
    const s = r.body as unknown as StaffStats;
    expect(s).toMatchObject({
      from: '2026-03-02',
      to: '2026-03-06',
      timeZone: 'Asia/Shanghai',
      jurisdictions: ['610102'],
    });
    expect(s.totals).toEqual({
      cases: 4,
      closed: 3,
      completed: 2,
      refused: 1,
      onTime: 2,
      late: 1,
      onTimeRate: 2 / 3,
      // a: 2 d 1 h; b: 18 d 9 h 30 min → 10.21875
      averageDays: 10.2,
    });
    expect(s.byItem).toEqual([
      {
        code: PENSION,
        name: { zh: '城乡居民基本养老保险参保登记', en: expect.any(String) as string },
        cases: 3,
        completed: 2,
        onTimeRate: 0.5,
      },
      { code: 'X1', name: null, cases: 1, completed: 0, onTimeRate: 1 },
    ]);
    expect(s.byWindow.map((g) => [g.code, g.cases])).toEqual([
      ['ylsb', 3],
      ['—', 1],
    ]);
    expect(s.byWindow[0]?.name?.zh).toMatch(/\S/);
    expect(Object.fromEntries(s.byStatus.map((x) => [x.status, x.cases]))).toEqual({
      received: 1,
      accepted: 0,
      refused: 1,
      'correction-requested': 0,
      'supplement-received': 0,
      completed: 2,
    });
    expect(s.evaluations.total).toBe(3);
    expect(Object.fromEntries(s.evaluations.byLevel.map((l) => [l.level, l.count]))).toEqual({
      'very-satisfied': 1,
      satisfied: 1,
      'basically-satisfied': 0,
      dissatisfied: 1,
      'very-dissatisfied': 0,
    });
    expect([s.evaluations.bad, s.evaluations.badRate]).toEqual([1, 1 / 3]);
  });

  it('moves the edges with the day in HALL_TIME_ZONE, not UTC', async () => {
    const day = async (d: string) =>
      (
        (await staffCall(hall, token, 'GET', `/v1/staff/stats?from=${d}&to=${d}`))
          .body as unknown as StaffStats
      ).totals.cases;
    expect(await day('2026-03-01')).toBe(1); // e (15:59 UTC = 23:59 local)
    expect(await day('2026-03-02')).toBe(2); // a, b (16:30 UTC the day before)
    expect(await day('2026-03-06')).toBe(1); // c
    expect(await day('2026-03-07')).toBe(1); // d
  });

  it('counts nothing of another jurisdiction, and refuses bad ranges, roles and nobody', async () => {
    const other = await staffCall(hall, outsider, 'GET', `/v1/staff/stats?${RANGE}`);
    expect((other.body as unknown as StaffStats).totals.cases).toBe(0);
    expect((other.body as unknown as StaffStats).evaluations.total).toBe(0);
    for (const q of [
      '',
      'from=2026-03-06&to=2026-03-02',
      'from=2026-3-2&to=2026-03-06',
      'from=2025-01-01&to=2026-03-06',
      'from=2026-02-30&to=2026-03-01',
    ])
      expect([q, (await staffCall(hall, token, 'GET', `/v1/staff/stats?${q}`)).status]).toEqual([q, 400]);
    expect((await raw(null, `v1/staff/stats?${RANGE}`)).status).toBe(401);
    expect((await raw(null, `v1/staff/stats.csv?${RANGE}`)).status).toBe(401);
    const authenticate = hall.staff.authenticate;
    hall.staff.authenticate = async (h) => {
      const who = await authenticate(h);
      return who ? { ...who, roles: ['clerk'] } : null;
    };
    try {
      for (const path of [
        `v1/staff/stats?${RANGE}`,
        `v1/staff/stats.csv?${RANGE}`,
        `v1/staff/stats.xlsx?${RANGE}`,
      ]) {
        const r = await raw(token, path);
        expect([path, r.status, (JSON.parse(r.body.toString('utf8')) as { error: string }).error]).toEqual([
          path,
          403,
          'forbidden',
        ]);
      }
    } finally {
      hall.staff.authenticate = authenticate;
    }
  });

  it('exports CSV in UTF-8 with a BOM, the same figures in rows', async () => {
    const r = await raw(token, `v1/staff/stats.csv?${RANGE}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(r.headers.get('content-disposition')).toBe(
      'attachment; filename="stats-2026-03-02-2026-03-06.csv"',
    );
    expect([...r.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = r.body.subarray(3).toString('utf8').split('\r\n');
    expect(lines).toContain('办件数 Cases,4');
    expect(lines).toContain('按时办结率% On-time %,66.7');
    expect(lines).toContain('平均办理天数 Average days,10.2');
    expect(lines).toContain('差评率% Bad-review %,33.3');
    expect(lines).toContain(`${PENSION},城乡居民基本养老保险参保登记,3,2,50`);
    expect(lines).toContain('X1,X1,1,0,100');
    expect(lines).toContain('dissatisfied,不满意,1');
  });

  it('exports XLSX that opens: one sheet per table, the figures read back', async () => {
    const r = await raw(token, `v1/staff/stats.xlsx?${RANGE}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const files = unzipSync(new Uint8Array(r.body));
    const workbook = strFromU8(files['xl/workbook.xml'] ?? new Uint8Array());
    for (const name of [
      '概况 Summary',
      '按事项 By item',
      '按窗口 By window',
      '按状态 By status',
      '好差评 Evaluations',
    ])
      expect(workbook).toContain(`name="${name}"`);
    const shared = strFromU8(files['xl/sharedStrings.xml'] ?? new Uint8Array());
    const strings = [...shared.matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map((m) => m[1]);
    // A cell: its value, or the shared string it points to.
    const cells = (sheet: string) =>
      [
        ...strFromU8(files[`xl/worksheets/${sheet}.xml`] ?? new Uint8Array()).matchAll(
          /<c r="([A-Z]+\d+)"([^>]*)>(?:<v>([^<]*)<\/v>)?/g,
        ),
      ].map(([, ref, attrs, v]) => [ref, attrs?.includes('t="s"') ? strings[Number(v)] : Number(v)] as const);
    const summary = new Map(cells('sheet1'));
    expect(summary.get('A6')).toBe('办件数 Cases');
    expect(summary.get('B6')).toBe(4);
    expect(summary.get('B11')).toBe(66.7);
    const items = new Map(cells('sheet2'));
    expect([items.get('B2'), items.get('C2'), items.get('E2')]).toEqual([
      '城乡居民基本养老保险参保登记',
      3,
      50,
    ]);
  });

  it('writes each export to the audit log with its format and range', async () => {
    const lines = (await hall.audit.page({ jurisdictions: ['610102'] })).filter(
      (l) => l.action === 'stats.export',
    );
    expect(lines.map((l) => [l.actor, l.detail.format, l.detail.from, l.detail.to, l.detail.cases])).toEqual([
      ['督查', 'xlsx', '2026-03-02', '2026-03-06', 4],
      ['督查', 'csv', '2026-03-02', '2026-03-06', 4],
    ]);
  });
});

it('keeps a name that looks like a formula from running in a spreadsheet (CSV injection)', () => {
  const stats: StaffStats = {
    from: '2026-03-02',
    to: '2026-03-02',
    timeZone: 'Asia/Shanghai',
    jurisdictions: ['610102'],
    generatedAt: '2026-03-02T00:00:00.000Z',
    totals: {
      cases: 1,
      closed: 0,
      completed: 0,
      refused: 0,
      onTime: 0,
      late: 0,
      onTimeRate: null,
      averageDays: null,
    },
    byItem: [
      {
        code: '=HYPERLINK("http://x")',
        name: { zh: '+cmd', en: '' },
        cases: 1,
        completed: 0,
        onTimeRate: null,
      },
    ],
    byWindow: [],
    byStatus: [],
    evaluations: { total: 0, byLevel: [], bad: 0, badRate: null },
  };
  const text = statsCsv(stats).subarray(3).toString('utf8');
  expect(text).toContain(`"'=HYPERLINK(""http://x"")",'+cmd,1,0,\r\n`);
  expect(text).toContain('按时办结率% On-time %,\r\n');
});
