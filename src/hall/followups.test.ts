/**
 * 好差评 follow-up: a 差评 opens a task atomically with the evaluation; validated transitions
 * (待整改 → 整改中 → 整改完成, 申请延期 → 批准/驳回, 无效差评, 无法整改); 超期 after
 * HALL_FOLLOWUP_DAYS working days; the migration that backfills older bad reviews; and the export
 * in the common reporting interface's coding.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVALUATION_LEVELS, gbt39046Code } from '../shared/evaluation.js';
import { startHallServer, type HallServer } from './server.js';
import { createHallService } from './service.js';
import type { EvaluationApplied } from './incoming.js';
import { HALL_MIGRATIONS, hallSqlOf, openHallDatabase, type HallDb } from './store/index.js';
import { applicationPayload, enrolKiosk, fixtureId, sha, staffCall } from './testing/staff-fixture.js';
import { enrolWithService } from './testing/enrol.js';

let dir: string;
let hall: HallServer;
let now: number;
/** The database of the rollback test (its hook writes there). */
let current: HallDb;
const at = (iso: string) => {
  now = Date.parse(iso);
};
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-fu-'));
  now = Date.parse('2026-03-02T02:00:00Z');
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

const evaluation = (id: string, targetId: string, level: string, extra: Record<string, unknown> = {}) => ({
  id: fixtureId(id),
  targetKind: 'application',
  targetId: fixtureId(targetId),
  level,
  contentItems: [],
  reason: null,
  comment: null,
  channel: 'self-service-terminal',
  itemsVersion: '2026.1',
  createdAt: '2026-03-02T01:59:00.000Z',
  ...extra,
});

type Followup = {
  id: number;
  state: string;
  overdue: boolean;
  dueDate: string;
  extensionDays: number;
  allowedActions: string[];
  target: { kind: string; itemCode: string | null; window: string | null };
  case: { id: string; receiptNo: string | null; itemName: unknown } | null;
  reason: { code: string; text: string } | null;
  events: { action: string; staff: string }[];
};
const list = async (token: string) => {
  const r = await staffCall(hall, token, 'GET', '/v1/staff/followups');
  expect(r.status).toBe(200);
  return r.body.followups as Followup[];
};

describe('好差评 follow-up tasks', () => {
  it('opens one task per 差评, in the jurisdiction of the evaluated case, without the evaluator', async () => {
    const k = await enrolKiosk(hall, '610113');
    await k.push('application', applicationPayload('app-1', { jurisdiction: '610102' }));
    await k.push('evaluation', evaluation('ev-good', fixtureId('app-1'), 'satisfied'));
    await k.push(
      'evaluation',
      evaluation('ev-bad', fixtureId('app-1'), 'very-dissatisfied', {
        reason: 'r-repeat-visits',
        contentItems: ['n-eff-long-wait'],
        comment: '等了很久',
      }),
    );
    await k.push('queue-ticket', {
      id: fixtureId('t-1'),
      idempotencyKey: 'ticket-key-1',
      window: 'zzlb',
      number: 'A001',
      serviceDate: '2026-03-02',
      issuedAt: '2026-03-02T01:00:00.000Z',
      source: 'offline',
    });
    await k.push('evaluation', {
      ...evaluation('ev-ticket', fixtureId('t-1'), 'dissatisfied', { reason: '态度不好' }),
      targetKind: 'ticket',
    });
    // The same evaluation again under a new seq is rejected: still one task.
    expect(
      (await k.push('evaluation', evaluation('ev-bad', fixtureId('app-1'), 'very-dissatisfied'))).body,
    ).toMatchObject({
      results: [{ status: 'rejected' }],
    });

    const city = await list(await hall.staff.createToken('王科员', '610102'));
    expect(city.map((f) => [f.state, f.target])).toEqual([
      ['pending', { kind: 'application', itemCode: 'X1', window: null }],
    ]);
    expect(city[0]).toMatchObject({
      dueDate: '2026-03-09',
      overdue: false,
      allowedActions: ['start', 'mark-invalid', 'cannot-fix'],
    });
    expect(city[0]?.reason?.code).toBe('r-repeat-visits');
    // A queue ticket is the kiosk's own hall.
    const local = await list(await hall.staff.createToken('李科员', '610113'));
    expect(local.map((f) => f.target)).toEqual([{ kind: 'ticket', itemCode: null, window: 'zzlb' }]);
    // Linked to its case (issue 10 item 7), the resident's name and ID number still not in it.
    expect(city[0]?.case).toEqual({
      id: fixtureId('app-1'),
      receiptNo: applicationPayload('app-1').receiptNo,
      itemName: null,
    });
    expect(local[0]?.case).toBeNull();
    const text = JSON.stringify(city);
    for (const secret of ['张小三', '610102199001011234']) expect(text).not.toContain(secret);
    expect((await staffCall(hall, null, 'GET', '/v1/staff/followups')).status).toBe(401);
  });

  it('moves through validated transitions, with extensions, and flags 超期', async () => {
    const k = await enrolKiosk(hall, '610113');
    await k.push('application', applicationPayload('app-1'));
    await k.push(
      'evaluation',
      evaluation('ev-1', fixtureId('app-1'), 'dissatisfied', { reason: 'r-repeat-visits' }),
    );
    await k.push('application', applicationPayload('app-2'));
    await k.push('evaluation', evaluation('ev-2', fixtureId('app-2'), 'very-dissatisfied', { reason: 'x' }));
    const token = await hall.staff.createToken('王科员', '610102');
    const outsider = await hall.staff.createToken('李科员', '610104');
    const [first, second] = await list(token);
    if (!first || !second) throw new Error('two follow-ups expected');
    const act = (id: number, body: unknown, who: string | null = token) =>
      staffCall(hall, who, 'POST', `/v1/staff/followups/${id}/actions`, body);

    expect((await act(first.id, { action: 'complete', note: '已整改' })).body).toMatchObject({
      error: 'invalid-transition',
      from: 'pending',
    });
    expect((await act(first.id, { action: 'request-extension', days: 0, reason: 'x' })).status).toBe(400);
    expect((await act(first.id, { action: 'mark-invalid' })).status).toBe(400);
    expect((await act(first.id, { action: 'start' }, outsider)).status).toBe(404);
    expect((await act(9999, { action: 'start' })).status).toBe(404);
    expect((await act(first.id, { action: 'start' }, null)).status).toBe(401);

    expect((await act(first.id, { action: 'start', note: '已联系窗口' })).body).toEqual({
      id: first.id,
      state: 'in-progress',
    });
    // Due 5 working days after Monday 03-02: Monday 03-09; on Tuesday it is 超期.
    at('2026-03-10T02:00:00Z');
    expect((await list(token))[0]).toMatchObject({
      state: 'in-progress',
      dueDate: '2026-03-09',
      overdue: true,
    });
    expect(
      (await act(first.id, { action: 'request-extension', days: 3, reason: '需协调部门' })).body,
    ).toMatchObject({ state: 'extension-requested' });
    expect((await list(token))[0]?.allowedActions).toEqual(['grant-extension', 'deny-extension']);
    expect((await act(first.id, { action: 'grant-extension' })).body).toMatchObject({ state: 'in-progress' });
    expect((await list(token))[0]).toMatchObject({ extensionDays: 3, dueDate: '2026-03-12', overdue: false });
    expect((await act(first.id, { action: 'request-extension', days: 5, reason: '再延' })).status).toBe(200);
    expect((await act(first.id, { action: 'deny-extension', reason: '不予延期' })).body).toMatchObject({
      state: 'in-progress',
    });
    expect((await act(first.id, { action: 'complete', note: '窗口增配人员' })).body).toMatchObject({
      state: 'done',
    });
    expect((await act(first.id, { action: 'start' })).body).toMatchObject({
      error: 'invalid-transition',
      from: 'done',
    });

    expect((await act(second.id, { action: 'mark-invalid', reason: '与办件无关' })).body).toMatchObject({
      state: 'invalid',
    });
    const [done, invalid] = await list(token);
    expect(done).toMatchObject({ state: 'done', overdue: false, extensionDays: 3, allowedActions: [] });
    expect(done?.events.map((e) => e.action)).toEqual([
      'start',
      'request-extension',
      'grant-extension',
      'request-extension',
      'deny-extension',
      'complete',
    ]);
    expect(done?.events[0]?.staff).toBe('王科员');
    expect(invalid).toMatchObject({ state: 'invalid', overdue: false });
    const pending = await staffCall(hall, token, 'GET', '/v1/staff/followups?state=invalid');
    expect((pending.body.followups as Followup[]).map((f) => f.id)).toEqual([second.id]);
    expect((await staffCall(hall, token, 'GET', '/v1/staff/followups?state=nope')).status).toBe(400);
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('disk full');
      },
    ],
    [
      'rejects after writing (awaited inside the push)',
      async (e: EvaluationApplied) => {
        // A write of its own first: rolled back with the push, not left behind.
        await hallSqlOf(current).run(
          "INSERT INTO followups (evaluation_id, jurisdiction, state, created_at, updated_at) VALUES (?, '610113', 'pending', ?, ?)",
          [e.id, e.at, e.at],
        );
        await Promise.resolve();
        throw new Error('disk full');
      },
    ],
  ] as const)(
    'rolls the evaluation back when its task cannot be written: the hook %s',
    async (name, hook) => {
      const opened = openHallDatabase(join(dir, `atomic-${name.split(' ')[0]}.db`));
      if (!opened.ok) throw new Error(opened.message);
      current = opened.db;
      const service = await createHallService({
        db: opened.db,
        dataDir: join(dir, `atomic-${name.split(' ')[0]}`),
        clock: () => new Date(now),
        onEvaluationApplied: hook,
      });
      try {
        const { kioskId } = await enrolWithService(service, '610113');
        // The kiosk's own application first: an evaluation is accepted only from the kiosk that submitted it.
        const application = JSON.stringify(applicationPayload('app-x', { jurisdiction: '610113' }));
        const payload = JSON.stringify(evaluation('ev-x', fixtureId('app-x'), 'dissatisfied'));
        await expect(
          service.push(kioskId, {
            entries: [
              { seq: 1, kind: 'application', payload: application, payloadHash: sha(application) },
              { seq: 2, kind: 'evaluation', payload, payloadHash: sha(payload) },
            ],
          }),
        ).rejects.toThrow('disk full');
        expect(opened.db.prepare('SELECT count(*) FROM evaluations').pluck().get()).toBe(0);
        expect(opened.db.prepare('SELECT count(*) FROM followups').pluck().get()).toBe(0);
        expect(opened.db.prepare('SELECT count(*) FROM applications').pluck().get()).toBe(0);
        expect(opened.db.prepare('SELECT last_applied_seq FROM kiosks').pluck().get()).toBe(0);
      } finally {
        opened.db.close();
      }
    },
  );
});

describe('migration 7', () => {
  it('creates a task for every bad review received before it', () => {
    const path = join(dir, 'old.db');
    const db = new Database(path);
    for (const m of HALL_MIGRATIONS.filter((x) => x.version < 7)) {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
    db.prepare(
      "INSERT INTO kiosks (id, jurisdiction, secret_hash, secret, enrolled_at) VALUES ('K-1', '610113', 'h', 's', '2026-03-01T00:00:00Z')",
    ).run();
    const entry = db.prepare(
      "INSERT INTO entries (kiosk_id, seq, kind, payload, payload_hash, status, received_at) VALUES ('K-1', ?, 'evaluation', '{}', 'x', 'applied', '2026-03-01T00:00:00Z')",
    );
    const ev = db.prepare(
      "INSERT INTO evaluations (id, kiosk_id, entry_id, target_kind, target_id, level, payload, received_at) VALUES (?, 'K-1', ?, 'ticket', 't', ?, '{}', '2026-03-01T00:00:00Z')",
    );
    ['very-satisfied', 'dissatisfied', 'very-dissatisfied'].forEach((level, i) =>
      ev.run(`ev-${i}`, Number(entry.run(i + 1).lastInsertRowid), level),
    );
    db.close();

    const opened = openHallDatabase(path);
    if (!opened.ok) throw new Error(opened.message);
    try {
      expect(opened.db.pragma('user_version', { simple: true })).toBe(HALL_MIGRATIONS.length);
      expect(
        opened.db.prepare('SELECT evaluation_id, jurisdiction, state FROM followups ORDER BY id').all(),
      ).toEqual([
        { evaluation_id: 'ev-1', jurisdiction: '610113', state: 'pending' },
        { evaluation_id: 'ev-2', jurisdiction: '610113', state: 'pending' },
      ]);
    } finally {
      opened.db.close();
    }
  });
});

describe('GET /v1/staff/evaluations/export', () => {
  it('codes satisfaction 1 = 非常不满意 … 5 = 非常满意 (GB/T 39046 reversed), channel 5, nothing about the evaluator', async () => {
    const k = await enrolKiosk(hall, '610113');
    for (const [i, { level }] of EVALUATION_LEVELS.entries()) {
      await k.push('application', applicationPayload(`app-${i}`));
      await k.push(
        'evaluation',
        evaluation(`ev-${i}`, fixtureId(`app-${i}`), level, {
          reason: i >= 3 ? 'r-repeat-visits' : null,
          contentItems: ['p-eff-fast'],
          applicant: { name: '张小三' },
        }),
      );
    }
    await k.push('application', applicationPayload('app-far', { jurisdiction: '610104' }));
    await k.push('evaluation', evaluation('ev-far', fixtureId('app-far'), 'satisfied'));
    const token = await hall.staff.createToken('王科员', '610102');
    expect((await staffCall(hall, null, 'GET', '/v1/staff/evaluations/export')).status).toBe(401);
    const r = await staffCall(hall, token, 'GET', '/v1/staff/evaluations/export');
    expect(r.status).toBe(200);
    const rows = r.body.evaluations as Record<string, unknown>[];
    const row = (i: number) => rows.find((e) => e.evaluationId === fixtureId(`ev-${i}`));
    expect([0, 1, 2, 3, 4].map((i) => [row(i)?.satisfaction, row(i)?.satisfactionName])).toEqual([
      [5, '非常满意'],
      [4, '满意'],
      [3, '基本满意'],
      [2, '不满意'],
      [1, '非常不满意'],
    ]);
    expect(rows).toHaveLength(5);
    EVALUATION_LEVELS.forEach(({ level }, i) => expect(row(i)?.satisfaction).toBe(6 - gbt39046Code(level)));
    expect(row(4)).toEqual({
      evaluationId: fixtureId('ev-4'),
      targetKind: 'application',
      targetId: fixtureId('app-4'),
      itemCode: 'X1',
      satisfaction: 1,
      satisfactionName: '非常不满意',
      channel: 5,
      contentItems: ['p-eff-fast'],
      contentItemsVersion: '2026.1',
      reason: 'r-repeat-visits',
      reasonText: expect.any(String) as string,
      comment: null,
      evaluatedAt: '2026-03-02T01:59:00.000Z',
      receivedAt: '2026-03-02T02:00:00.000Z',
    });
    expect(JSON.stringify(r.body)).not.toContain('张小三');
    expect(r.body).toMatchObject({ jurisdiction: '610102' });
  });
});
