/**
 * The staff desk's case list, detail labels and the audited reveal over a real listening hall
 * (GET /v1/staff/case-list, GET /v1/staff/cases/{id}, POST /v1/staff/cases/{id}/reveal, the blob route).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseListPage, CaseListRow, CaseReveal } from '../shared/wire/index.js';
import type { ApplicationEntry } from '../shared/wire/index.js';
import type { CaseDetail } from './case-detail.js';
import { startHallServer, type HallServer } from './server.js';
import {
  applicationPayload,
  enrolKiosk,
  fixtureId,
  staffCall,
  storeBlob,
  type FixtureKiosk,
} from './testing/staff-fixture.js';

const ITEM = '610000-RSJ-JF-05005-000'; // 失业登记 (ylsb window), a select field and sfz/jczm/sbk
let dir: string;
let hall: HallServer;
let now: number;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-case-list-'));
  now = Date.parse('2026-03-03T02:00:00.000Z');
  // Every reading of the clock moves it on a second, so each case is received at its own time.
  const clock = () => new Date((now += 1000));
  hall = await startHallServer({ host: '127.0.0.1', port: 0, dataDir: dir }, { silent: true, clock });
});
afterEach(async () => {
  await hall.close();
  rmSync(dir, { recursive: true, force: true });
});

type Person = { name: string; id: string; phone: string };
const people: Person[] = [
  { name: '张小三', id: '610102199001011234', phone: '13800138000' },
  { name: '李四', id: '61010219851231002X', phone: '13900139000' },
  { name: '王五', id: '610102197001015678', phone: '13700137000' },
];

function application(
  n: number,
  p: Person,
  opts: Parameters<typeof applicationPayload>[1] = {},
): ApplicationEntry {
  const base = applicationPayload(`case-${n}`, { itemCode: ITEM, ...opts });
  return {
    ...base,
    receiptNo: `ZZ01-20260302-${String(n).padStart(4, '0')}`,
    applicant: { name: p.name, idNumber: p.id, cardType: 'resident' },
    form: {
      applicantName: p.name,
      applicantIdNumber: p.id,
      contactPhone: p.phone,
      separationReason: 'contract-expired',
      lastEmployer: '西安某某有限公司',
    },
    delivery: {
      method: 'ems',
      recipient: p.name,
      phone: p.phone,
      address: '西安市 1 号',
      postcode: '710000',
    },
  };
}

const list = async (token: string, query: string) => {
  const r = await staffCall(hall, token, 'GET', `/v1/staff/case-list${query}`);
  return { status: r.status, page: r.body as unknown as CaseListPage, body: r.body };
};
const receipts = (rows: CaseListRow[]) => rows.map((r) => r.receiptNo);

async function push(kiosk: FixtureKiosk, entry: ApplicationEntry): Promise<void> {
  const r = await kiosk.push('application', entry);
  expect(r.status).toBe(200);
}

describe('case list', () => {
  it('finds a case by 受理编号, name, ID number and phone — masked, named from the catalog', async () => {
    const kiosk = await enrolKiosk(hall, '610102');
    for (const [i, p] of people.entries()) await push(kiosk, application(i + 1, p));
    const token = await hall.staff.createToken('王科员', '610102');

    const all = await list(token, '');
    expect(all.status).toBe(200);
    expect(receipts(all.page.rows)).toEqual([
      'ZZ01-20260302-0003',
      'ZZ01-20260302-0002',
      'ZZ01-20260302-0001',
    ]);
    const row = all.page.rows[2];
    expect(row).toMatchObject({
      applicant: '张*三',
      itemName: { zh: expect.stringContaining('失业') as string },
      window: 'ylsb',
      caseType: 'promised',
      status: 'received',
      kioskId: kiosk.id,
      assignedTo: null,
    });
    expect(JSON.stringify(all.page)).not.toContain('张小三');
    expect(JSON.stringify(all.page)).not.toContain('610102199001011234');

    for (const [q, by] of [
      ['zz01-20260302-0002', 'receipt'],
      ['李四', 'name'],
      ['61010219851231002x', 'id'],
      ['13900139000', 'phone'],
    ] as const) {
      const found = await list(token, `?q=${encodeURIComponent(q)}`);
      expect(found.page.searchedBy).toBe(by);
      expect(receipts(found.page.rows)).toEqual(['ZZ01-20260302-0002']);
    }
    // Exact matches only: part of a name or number finds nothing.
    expect((await list(token, `?q=${encodeURIComponent('李')}`)).page.rows).toEqual([]);
    expect((await list(token, '?q=1390013900')).page.rows).toEqual([]);
    // A form field's mobile number is a key too; `by` overrides the guess.
    expect((await list(token, `?q=13800138000&by=name`)).page.rows).toEqual([]);
  });

  it('works every deadline out again when the hall starts with another time zone (or calendar)', async () => {
    const kiosk = await enrolKiosk(hall, '610102');
    // 20:00 UTC: already the next day in Shanghai, still the same day in Los Angeles.
    await push(kiosk, application(1, people[0]!, { submittedAt: '2026-03-02T20:00:00.000Z' }));
    const deadline = async () => {
      const token = await hall.staff.createToken('王科员', '610102');
      const rows = (await list(token, '')).page.rows;
      expect(rows).toHaveLength(1);
      return rows[0]!.deadline;
    };
    const restart = async (timeZone: string) => {
      await hall.close();
      hall = await startHallServer(
        { host: '127.0.0.1', port: 0, dataDir: dir, timeZone },
        { silent: true, clock: () => new Date((now += 1000)) },
      );
    };
    const shanghai = await deadline();
    expect(shanghai).toMatch(/^2026-03-\d\d$/);
    await restart('America/Los_Angeles');
    const losAngeles = await deadline();
    expect(losAngeles).not.toBe(shanghai);
    expect(losAngeles! < shanghai!).toBe(true);
    await restart('Asia/Shanghai');
    expect(await deadline()).toBe(shanghai);
  });

  it('filters by status, item, window, light, dates and mine/unassigned; closed cases leave the default view', async () => {
    const kiosk = await enrolKiosk(hall, '610102');
    await push(kiosk, application(1, people[0]!));
    await push(kiosk, application(2, people[1]!));
    // Submitted long ago with 1 working day: overdue.
    await push(
      kiosk,
      application(3, people[2]!, { submittedAt: '2026-02-02T02:00:00.000Z', promisedDays: 1 }),
    );
    await push(kiosk, application(4, people[0]!, { itemCode: 'X1' }));
    const token = await hall.staff.createToken('王科员', '610102');
    const act = (n: number, body: unknown) =>
      staffCall(hall, token, 'POST', `/v1/staff/cases/${fixtureId(`case-${n}`)}/actions`, body);
    expect((await act(1, { action: 'accept' })).status).toBe(200);
    expect((await act(2, { action: 'refuse', reason: '不属于本事项受理范围' })).status).toBe(200);

    expect(receipts((await list(token, '')).page.rows)).toEqual([
      'ZZ01-20260302-0004',
      'ZZ01-20260302-0003',
      'ZZ01-20260302-0001',
    ]);
    expect(receipts((await list(token, '?status=refused')).page.rows)).toEqual(['ZZ01-20260302-0002']);
    expect(receipts((await list(token, '?status=accepted,received')).page.rows)).toEqual([
      'ZZ01-20260302-0004',
      'ZZ01-20260302-0003',
      'ZZ01-20260302-0001',
    ]);
    expect(receipts((await list(token, '?item=X1')).page.rows)).toEqual(['ZZ01-20260302-0004']);
    expect(receipts((await list(token, '?window=ylsb')).page.rows)).toEqual([
      'ZZ01-20260302-0003',
      'ZZ01-20260302-0001',
    ]);
    expect(receipts((await list(token, '?window=nowhere')).page.rows)).toEqual([]);
    const overdue = await list(token, '?light=overdue');
    expect(receipts(overdue.page.rows)).toEqual(['ZZ01-20260302-0003']);
    expect(overdue.page.rows[0]?.light).toBe('overdue');
    // The light is the 电子监察 rule's (supervision.ts) for every row.
    const report = (await staffCall(hall, token, 'GET', '/v1/staff/supervision')).body as {
      cases: { id: string; level: string }[];
    };
    for (const r of (await list(token, '?status=received,accepted,refused')).page.rows)
      expect(r.light).toBe(report.cases.find((c) => c.id === r.id)?.level);
    // The 电子监察 tiles above the list, counted on the list's columns, agree with the full report
    // for every open light; closed cases are not counted.
    const { summary, timeZone } = (await staffCall(hall, token, 'GET', '/v1/staff/case-list/summary'))
      .body as { summary: Record<string, number>; timeZone: string };
    expect(timeZone).toBe('Asia/Shanghai');
    const fullReport = (await staffCall(hall, token, 'GET', '/v1/staff/supervision')).body as {
      summary: Record<string, number>;
    };
    for (const light of ['overdue', 'warning', 'reminder', 'normal', 'paused', 'unknown'])
      expect(summary[light], light).toBe(fullReport.summary[light]);
    expect(summary.overdue).toBe(1);
    expect(summary.closed).toBe(0);
    expect((await staffCall(hall, null, 'GET', '/v1/staff/case-list/summary')).status).toBe(401);
    // Received 2026-03-03 (Asia/Shanghai): the day before finds nothing.
    expect((await list(token, '?to=2026-03-02')).page.rows).toEqual([]);
    expect((await list(token, '?from=2026-03-03&to=2026-03-03')).page.rows).toHaveLength(3);
    // The first action assigns the case: mine / unassigned.
    expect(receipts((await list(token, '?view=mine')).page.rows)).toEqual(['ZZ01-20260302-0001']);
    expect(receipts((await list(token, '?view=unassigned')).page.rows)).toEqual([
      'ZZ01-20260302-0004',
      'ZZ01-20260302-0003',
    ]);
    // Sorted by promised date: the overdue case first when ascending.
    expect((await list(token, '?sort=promised&dir=asc')).page.rows[0]?.receiptNo).toBe('ZZ01-20260302-0003');
    // Bad input is a 400, not a guess.
    expect((await list(token, '?status=nonsense')).status).toBe(400);
    expect((await list(token, '?light=red')).status).toBe(400);
    expect((await list(token, '?limit=1000')).status).toBe(400);
    expect((await list(token, '?cursor=garbage')).status).toBe(400);
  });

  it('pages with a cursor that stays stable while new cases arrive', async () => {
    const kiosk = await enrolKiosk(hall, '610102');
    for (let n = 1; n <= 7; n += 1) await push(kiosk, application(n, people[n % 3]!));
    const token = await hall.staff.createToken('王科员', '610102');
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i += 1) {
      const query: string = `?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const { page } = await list(token, query);
      seen.push(...receipts(page.rows).map(String));
      // A new case between pages goes to the top, not into the pages still to come.
      await push(kiosk, application(100 + i, people[0]!));
      cursor = page.next;
      if (cursor === null) break;
    }
    expect(seen).toEqual([7, 6, 5, 4, 3, 2, 1].map((n) => `ZZ01-20260302-000${n}`));
  });

  it('keeps another jurisdiction out: no rows, 404 on detail, blob and reveal', async () => {
    const page = Buffer.from('scanned page of an ID card');
    const sha256 = await storeBlob(hall, page);
    const kiosk = await enrolKiosk(hall, '610102');
    await push(
      kiosk,
      application(1, people[0]!, { attachments: [{ materialCode: 'sfz', sha256, size: page.length }] }),
    );
    const outsider = await hall.staff.createToken('李科员', '610104');
    const id = fixtureId('case-1');
    expect((await list(outsider, '')).page.rows).toEqual([]);
    expect((await list(outsider, '?q=ZZ01-20260302-0001')).page.rows).toEqual([]);
    expect((await staffCall(hall, outsider, 'GET', `/v1/staff/cases/${id}`)).status).toBe(404);
    expect((await staffCall(hall, outsider, 'GET', `/v1/staff/cases/${id}/blobs/${sha256}`)).status).toBe(
      404,
    );
    expect((await staffCall(hall, outsider, 'POST', `/v1/staff/cases/${id}/reveal`)).status).toBe(404);
    expect((await staffCall(hall, null, 'GET', '/v1/staff/case-list')).status).toBe(401);
    expect((await hall.audit.page({ jurisdictions: null })).filter((e) => e.caseId === id)).toEqual([]);
  });
});

describe('case detail and reveal', () => {
  it('labels fields, options and materials from the catalog; pages and reveals are audited', async () => {
    const bytes = Buffer.from('scanned page of an ID card');
    const sha256 = await storeBlob(hall, bytes);
    const kiosk = await enrolKiosk(hall, '610102');
    await push(
      kiosk,
      application(1, people[0]!, { attachments: [{ materialCode: 'sfz', sha256, size: bytes.length }] }),
    );
    const token = await hall.staff.createToken('王科员', '610102');
    const id = fixtureId('case-1');

    const detail = (await staffCall(hall, token, 'GET', `/v1/staff/cases/${id}`))
      .body as unknown as CaseDetail;
    expect(detail.receiptNo).toBe('ZZ01-20260302-0001');
    expect(detail.form).toContainEqual({
      key: 'separationReason',
      label: { zh: '解除（终止）原因', en: 'Reason' },
      value: 'contract-expired',
      valueLabel: { zh: '劳动合同期满终止', en: 'Contract expired' },
    });
    expect(detail.form.find((f) => f.key === 'applicantName')).toMatchObject({
      label: { zh: '申请人姓名' },
      value: '张*三',
    });
    expect(detail.form.find((f) => f.key === 'contactPhone')?.value).not.toBe('13800138000');
    expect(detail.materialNames.sfz?.zh).toMatch(/身份证/);
    const text = JSON.stringify(detail);
    for (const secret of ['张小三', '610102199001011234', '13800138000']) expect(text).not.toContain(secret);

    const blob = await fetch(new URL(`v1/staff/cases/${id}/blobs/${sha256}`, hall.url), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(Buffer.from(await blob.arrayBuffer())).toEqual(bytes);
    const revealed = await staffCall(hall, token, 'POST', `/v1/staff/cases/${id}/reveal`);
    expect(revealed.status).toBe(200);
    expect(revealed.body as unknown as CaseReveal).toEqual({
      applicant: { name: '张小三', idNumber: '610102199001011234' },
      helper: null,
      phones: ['13800138000'],
    });
    const log = await hall.audit.page({ jurisdictions: ['610102'], caseId: id });
    expect(log.map((e) => [e.action, e.actor])).toEqual([
      ['case.reveal', '王科员'],
      ['case.document', '王科员'],
    ]);
    expect(log[1]?.detail).toMatchObject({ materialCode: 'sfz', position: 0 });
    expect(JSON.stringify(log)).not.toContain('张小三');
  });

  it('refuses the reveal with 403 to a role without case.reveal, and writes nothing', async () => {
    const kiosk = await enrolKiosk(hall, '610102');
    await push(kiosk, application(1, people[0]!));
    const token = await hall.staff.createToken('钱管理', '610102');
    // A signed-in 管理员 account (accounts arrive with the staff sign-in work): the token's holder with
    // roles. 管理员 is the role without case.reveal (every role that reads cases may reveal them).
    const authenticate = hall.staff.authenticate;
    hall.staff.authenticate = async (h) => {
      const who = await authenticate(h);
      return who ? { ...who, roles: ['admin'] } : null;
    };
    const id = fixtureId('case-1');
    expect((await list(token, '')).status).toBe(403);
    const r = await staffCall(hall, token, 'POST', `/v1/staff/cases/${id}/reveal`);
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ error: 'forbidden' });
    expect(await hall.audit.page({ jurisdictions: null, caseId: id })).toEqual([]);
  });
});
