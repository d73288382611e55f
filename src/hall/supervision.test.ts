/**
 * 电子监察: promised deadlines in working days (holiday calendar with 调休), paused during 补齐补正
 * (from the case history), and the levels 收件提醒 → 提前预警 → 超时通报, through the staff API.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHallServer, type HallServer } from './server.js';
import { correctionPauses, type CaseSupervision } from './supervision.js';
import { applicationPayload, enrolKiosk, fixtureId, staffCall, storeBlob } from './testing/staff-fixture.js';

let dir: string;
let hall: HallServer;
let now: number;
const at = (iso: string) => {
  now = Date.parse(iso);
};
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-sup-'));
  now = Date.parse('2026-03-02T09:00:00Z');
  hall = await startHallServer(
    // The clock moves weeks ahead while one staff token is used: it must outlive the walk.
    { host: '127.0.0.1', port: 0, dataDir: dir, limits: { staffTokenHours: 24 * 365 } },
    { silent: true, clock: () => new Date(now) },
  );
});
afterEach(async () => {
  await hall.close();
  rmSync(dir, { recursive: true, force: true });
});

const report = async (token: string) => {
  const r = await staffCall(hall, token, 'GET', '/v1/staff/supervision');
  expect(r.status).toBe(200);
  return r.body as { jurisdiction: string; summary: Record<string, number>; cases: CaseSupervision[] };
};
const byId = async (token: string, id: string) => (await report(token)).cases.find((c) => c.id === id);

describe('correction pauses from the case history', () => {
  const t = (d: string) => new Date(d);
  it('opens at 补正 and closes at the supplement or the next staff action', () => {
    expect(
      correctionPauses(
        [{ at: '2026-03-04T02:00:00Z', from: 'accepted', to: 'correction-requested' }],
        ['2026-03-09T02:00:00Z'],
        'supplement-received',
        '2026-03-09T02:00:00Z',
      ),
    ).toEqual([{ from: t('2026-03-04T02:00:00Z'), to: t('2026-03-09T02:00:00Z') }]);
    expect(
      correctionPauses(
        [
          { at: '2026-03-04T02:00:00Z', from: 'received', to: 'correction-requested' },
          { at: '2026-03-05T02:00:00Z', from: 'correction-requested', to: 'accepted' },
          { at: '2026-03-06T02:00:00Z', from: 'accepted', to: 'correction-requested' },
        ],
        [],
        'correction-requested',
        '2026-03-06T02:00:00Z',
      ),
    ).toEqual([
      { from: t('2026-03-04T02:00:00Z'), to: t('2026-03-05T02:00:00Z') },
      { from: t('2026-03-06T02:00:00Z'), to: null },
    ]);
    // A supplement with no correction open changes nothing.
    expect(correctionPauses([], ['2026-03-04T02:00:00Z'], 'received', '2026-03-04T02:00:00Z')).toEqual([]);
  });
});

describe('GET /v1/staff/supervision', () => {
  it('needs a staff token and shows only the staff member’s jurisdiction', async () => {
    const k = await enrolKiosk(hall, '610113');
    await k.push('application', applicationPayload('app-a'));
    await k.push('application', applicationPayload('app-far', { jurisdiction: '610104' }));
    expect((await staffCall(hall, null, 'GET', '/v1/staff/supervision')).status).toBe(401);
    expect(
      (await staffCall(hall, 'not-a-token-but-long-enough', 'GET', '/v1/staff/supervision')).status,
    ).toBe(401);
    const token = await hall.staff.createToken('王科员', '610102');
    const r = await report(token);
    expect(r.jurisdiction).toBe('610102');
    expect(r.cases.map((c) => c.id)).toEqual([fixtureId('app-a')]);
  });

  it('moves the deadline by the working days spent in 补正 and lights 收件提醒 → 提前预警 → 超时通报', async () => {
    const k = await enrolKiosk(hall, '610113');
    const token = await hall.staff.createToken('王科员', '610102');
    // Submitted Monday 2026-03-02 16:00 (Beijing), 5 working days → 2026-03-09.
    await k.push('application', applicationPayload('app-a', { promisedDays: 5 }));
    await k.push('application', applicationPayload('app-b', { promisedDate: '2026-03-09' }));
    expect(await byId(token, fixtureId('app-a'))).toMatchObject({
      promisedDays: 5,
      promised: '2026-03-09',
      deadline: '2026-03-09',
      pausedWorkingDays: 0,
      level: 'reminder',
    });
    // The kiosk's promisedDate gives the same deadline.
    expect(await byId(token, fixtureId('app-b'))).toMatchObject({
      promisedDays: 5,
      deadline: '2026-03-09',
      level: 'reminder',
    });

    at('2026-03-03T02:00:00Z');
    expect((await byId(token, fixtureId('app-a')))?.level).toBe('normal');
    expect(
      (
        await hall.staff.act(
          { name: '王科员', jurisdiction: '610102', jurisdictions: ['610102'] },
          fixtureId('app-a'),
          { action: 'accept' },
        )
      ).status,
    ).toBe(200);

    at('2026-03-04T02:00:00Z'); // Wednesday: 补正 requested
    expect(
      (
        await hall.staff.act(
          { name: '王科员', jurisdiction: '610102', jurisdictions: ['610102'] },
          fixtureId('app-a'),
          {
            action: 'request-correction',
            materials: ['m1'],
          },
        )
      ).status,
    ).toBe(200);
    at('2026-03-05T02:00:00Z');
    expect(await byId(token, fixtureId('app-a'))).toMatchObject({
      level: 'paused',
      deadline: null,
      pausedSince: '2026-03-04',
    });
    // 2 working days left for the case that was not paused: 提前预警.
    expect((await byId(token, fixtureId('app-b')))?.level).toBe('warning');

    at('2026-03-09T02:00:00Z'); // Monday: the resident's pages arrive from a kiosk
    const page = await storeBlob(hall, Buffer.from('supplement page'));
    expect(
      (
        await k.push('supplement', {
          id: fixtureId('sup-1'),
          applicationId: fixtureId('app-a'),
          submittedAt: '2026-03-09T02:00:00Z',
          receiptNo: 'FD01-20260302-0001',
          attachments: [{ sha256: page, materialCode: 'm1', size: 15, position: 0, mime: 'image/jpeg' }],
        })
      ).status,
    ).toBe(200);
    // Paused Thu 5, Fri 6, Mon 9 → 3 working days: 03-09 + 3 = Thursday 03-12.
    expect(await byId(token, fixtureId('app-a'))).toMatchObject({
      status: 'supplement-received',
      promised: '2026-03-09',
      deadline: '2026-03-12',
      pausedWorkingDays: 3,
      level: 'normal',
    });
    at('2026-03-10T03:00:00Z');
    expect((await byId(token, fixtureId('app-a')))?.level).toBe('warning');
    expect((await byId(token, fixtureId('app-b')))?.level).toBe('overdue');
    at('2026-03-12T09:00:00Z'); // 17:00 on the deadline day: still in time
    expect((await byId(token, fixtureId('app-a')))?.level).toBe('warning');
    at('2026-03-13T02:00:00Z');
    const late = await report(token);
    expect(late.cases.find((c) => c.id === fixtureId('app-a'))?.level).toBe('overdue');
    expect(late.summary).toMatchObject({ overdue: 2, warning: 0 });

    for (const a of [{ action: 'accept' }, { action: 'complete', result: '准予许可' }])
      expect(
        (
          await hall.staff.act(
            { name: '王科员', jurisdiction: '610102', jurisdictions: ['610102'] },
            fixtureId('app-a'),
            a,
          )
        ).status,
      ).toBe(200);
    expect(await byId(token, fixtureId('app-a'))).toMatchObject({
      level: 'closed',
      deadline: '2026-03-12',
      inTime: false,
      closedAt: '2026-03-13T02:00:00.000Z',
    });
  });

  it('counts holidays and 调休, prefers promisedDays, and knows 即办件', async () => {
    const k = await enrolKiosk(hall, '610113');
    const token = await hall.staff.createToken('王科员', '610102');
    // Friday 2026-04-03; 清明 04-04…04-06 → Tue 7, Wed 8, Thu 9.
    await k.push(
      'application',
      applicationPayload('app-qm', {
        submittedAt: '2026-04-03T01:00:00Z',
        promisedDays: 3,
        promisedDate: '2026-04-30',
      }),
    );
    // Submitted on Sunday 2026-02-22 (春节): received on the next working day, Tue 02-24.
    await k.push(
      'application',
      applicationPayload('app-cj', { submittedAt: '2026-02-22T03:00:00Z', promisedDays: 4 }),
    );
    await k.push('application', applicationPayload('app-now', { caseType: 'immediate', promisedDate: null }));
    const r = await report(token);
    const get = (name: string) => r.cases.find((c) => c.id === fixtureId(name));
    expect(get('app-qm')).toMatchObject({ promisedDays: 3, deadline: '2026-04-09' });
    // 02-24 + 4: Wed 25, Thu 26, Fri 27, Sat 28 (调休 workday).
    expect(get('app-cj')).toMatchObject({ deadline: '2026-02-28', level: 'overdue' });
    expect(get('app-now')).toMatchObject({ promisedDays: 0, deadline: '2026-03-02', level: 'warning' });
  });
});

describe('HALL_WARN_DAYS', () => {
  it('sets how early 提前预警 lights', async () => {
    const other = mkdtempSync(join(tmpdir(), 'zizhu-hall-sup0-'));
    const strict = await startHallServer(
      { host: '127.0.0.1', port: 0, dataDir: other, warnDays: 0 },
      { silent: true, clock: () => new Date('2026-03-05T02:00:00Z') },
    );
    try {
      for (const h of [hall, strict])
        await (await enrolKiosk(h, '610113')).push('application', applicationPayload('app-b'));
      at('2026-03-05T02:00:00Z');
      const levels = [];
      for (const h of [hall, strict]) {
        const r = await staffCall(
          h,
          await h.staff.createToken('王科员', '610102'),
          'GET',
          '/v1/staff/supervision',
        );
        levels.push((r.body as { warnDays: number; cases: CaseSupervision[] }).cases[0]?.level);
      }
      expect(levels).toEqual(['warning', 'normal']);
    } finally {
      await strict.close();
      rmSync(other, { recursive: true, force: true });
    }
  });
});
