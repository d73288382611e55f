import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtureId, sampleApplication } from '../shared/testing/wire-samples.js';
import { startHallServer, type HallServer } from './server.js';
import { enrolWithService } from './testing/enrol.js';

let dir: string;
let hall: HallServer;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-staff-'));
  hall = await startHallServer({ host: '127.0.0.1', port: 0, dataDir: dir }, { silent: true });
});
afterEach(async () => {
  await hall.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Puts an application for `jurisdiction` on the hall as a kiosk push would. */
async function received(id: string, jurisdiction: string) {
  const enrolled = await enrolWithService(hall.service, '610113');
  const payload = JSON.stringify(sampleApplication({ id: fixtureId(id), jurisdiction }));
  const hash = createHash('sha256').update(payload).digest('hex');
  const r = await hall.service.push(enrolled.kioskId, {
    entries: [{ seq: 1, kind: 'application', payload, payloadHash: hash }],
  });
  expect(r.status).toBe(200);
  return enrolled.kioskId;
}

const staffCall = async (token: string | null, method: string, path: string, body?: unknown) => {
  const res = await fetch(new URL(path, hall.url), {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('staff actions', () => {
  it('move a case through its states within the staff member’s jurisdiction and flow back to the kiosk', async () => {
    const kiosk = await received('app-1', '610102');
    await received('app-other', '610104');
    const token = await hall.staff.createToken('王科员', '610102');
    const outsider = await hall.staff.createToken('李科员', '610104');

    expect((await staffCall(null, 'GET', 'v1/staff/cases')).status).toBe(401);
    expect((await staffCall('x'.repeat(40), 'GET', 'v1/staff/cases')).status).toBe(401);
    const list = await staffCall(token, 'GET', 'v1/staff/cases');
    expect((list.body.cases as { id: string; status: string }[]).map((c) => [c.id, c.status])).toEqual([
      [fixtureId('app-1'), 'received'],
    ]);

    expect(
      (
        await staffCall(outsider, 'POST', `v1/staff/cases/${fixtureId('app-1')}/actions`, {
          action: 'accept',
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await staffCall(token, 'POST', `v1/staff/cases/${fixtureId('app-1')}/actions`, {
          action: 'complete',
          result: 'ok',
        })
      ).body,
    ).toMatchObject({ error: 'invalid-transition', from: 'received' });
    expect(
      (
        await staffCall(token, 'POST', `v1/staff/cases/${fixtureId('app-1')}/actions`, {
          action: 'request-correction',
          materials: [],
        })
      ).status,
    ).toBe(400);

    const steps = [
      { action: 'request-correction', materials: ['户口簿复印件'], note: '请补充' },
      { action: 'accept' },
      { action: 'complete', result: '准予许可', trackingNumber: 'EMS1234567890' },
    ];
    for (const s of steps)
      expect((await staffCall(token, 'POST', `v1/staff/cases/${fixtureId('app-1')}/actions`, s)).status).toBe(
        200,
      );

    const changes = (await hall.service.changes(kiosk, '', 100)).body as {
      changes: { stream: string; key: string; version: number; data: { status: string } }[];
    };
    expect(changes.changes.map((c) => [c.stream, c.key, c.version, c.data.status])).toEqual([
      ['case-status', fixtureId('app-1'), 1, 'correction-requested'],
      ['case-status', fixtureId('app-1'), 2, 'accepted'],
      ['case-status', fixtureId('app-1'), 3, 'completed'],
    ]);
    expect(changes.changes[0]?.data).toMatchObject({ materials: ['户口簿复印件'], note: '请补充' });
    expect(changes.changes[2]?.data).toMatchObject({ result: '准予许可', trackingNumber: 'EMS1234567890' });
    const done = await staffCall(token, 'GET', 'v1/staff/cases?status=completed');
    expect((done.body.cases as { id: string }[]).map((c) => c.id)).toEqual([fixtureId('app-1')]);
  });
});
