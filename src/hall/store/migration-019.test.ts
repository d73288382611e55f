/**
 * Migration 19 (the statistics' per-case facts): a version-18 hall upgrades with its cases kept, every
 * one marked for the case list to work out again (its list columns were already filled); the hall
 * then fills submitted_at, closed_at, in_time and open_ms at open, and GET /v1/staff/stats counts the
 * old cases from them — a case 办结 in time, one still received, one outside the range; an old
 * evaluation's `given_at` is backfilled from its sealed payload.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { StaffStats } from '../../shared/wire/index.js';
import { startHallServer } from '../server.js';
import { applicationPayload, staffCall } from '../testing/staff-fixture.js';
import { createCaseStore, hallSqlOf, openHallDatabase, type HallDb } from './index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-m19-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function addCase(db: HallDb, name: string, entryId: number, submittedAt: string): Promise<string> {
  const entry = applicationPayload(name, { submittedAt, promisedDays: 3 });
  db.prepare(
    "INSERT INTO entries (id, kiosk_id, seq, kind, payload, payload_hash, status, received_at) VALUES (?, 'K-1', ?, 'application', zk_seal('{}'), 'x', 'applied', ?)",
  ).run(entryId, entryId, submittedAt);
  await createCaseStore(hallSqlOf(db)).insert({
    id: entry.id,
    kioskId: 'K-1',
    entryId,
    jurisdiction: '610102',
    itemCode: 'X1',
    status: 'received',
    payload: JSON.stringify(entry),
    at: submittedAt,
  });
  return entry.id;
}

it('marks a version-18 hall’s cases to be worked out again; the hall fills the statistics’ columns at open', async () => {
  const path = join(dir, 'hall.db');
  const old = openHallDatabase(path, { targetVersion: 18 });
  if (!old.ok) throw new Error(old.message);
  old.db
    .prepare(
      "INSERT INTO kiosks (id, jurisdiction, secret_hash, secret, enrolled_at) VALUES ('K-1', '610102', 'h', 's', '2026-03-01T00:00:00Z')",
    )
    .run();
  const done = await addCase(old.db, 'done', 1, '2026-03-02T01:00:00.000Z'); // Monday 09:00 in Shanghai
  await addCase(old.db, 'waiting', 2, '2026-03-03T01:00:00.000Z');
  await addCase(old.db, 'later', 3, '2026-03-20T01:00:00.000Z');
  const cases = createCaseStore(hallSqlOf(old.db));
  for (const [at, from, to, action] of [
    ['2026-03-02T02:00:00.000Z', 'received', 'accepted', 'accept'],
    ['2026-03-04T02:00:00.000Z', 'accepted', 'completed', 'complete'],
  ] as const) {
    await cases.addEvent({ applicationId: done, at, staff: '王科员', action, from, to, detail: {} });
    await cases.setStatus(done, to, at);
  }
  // A 好差评 given 03-04 23:30 in Shanghai, received the next morning.
  old.db
    .prepare(
      "INSERT INTO entries (id, kiosk_id, seq, kind, payload, payload_hash, status, received_at) VALUES (9, 'K-1', 9, 'evaluation', zk_seal('{}'), 'x', 'applied', ?)",
    )
    .run('2026-03-05T01:00:00.000Z');
  old.db
    .prepare(
      `INSERT INTO evaluations (id, kiosk_id, entry_id, target_kind, target_id, level, payload, received_at)
       VALUES ('ev-1', 'K-1', 9, 'application', ?, 'dissatisfied', zk_seal(?), '2026-03-05T01:00:00.000Z')`,
    )
    .run(done, JSON.stringify({ createdAt: '2026-03-04T15:30:00Z', level: 'dissatisfied' }));
  // As a version-18 hall left them: every case listed.
  old.db.prepare("UPDATE applications SET listed_at = '2026-03-05T00:00:00.000Z'").run();
  old.db.close();

  const r = openHallDatabase(path, { targetVersion: 19 });
  if (!r.ok) throw new Error(r.message);
  expect([r.migratedFrom, r.migratedTo]).toEqual([18, 19]);
  expect(
    r.db
      .prepare(
        'SELECT count(*) AS n, count(listed_at) AS listed, count(submitted_at) AS submitted, count(closed_at) AS closed FROM applications',
      )
      .get(),
  ).toEqual({ n: 3, listed: 0, submitted: 0, closed: 0 });
  expect(() => r.db.prepare('UPDATE applications SET in_time = 2').run()).toThrow(/CHECK/);
  // The evaluation's day is backfilled from its sealed payload, as a UTC instant.
  expect(r.db.prepare("SELECT given_at FROM evaluations WHERE id = 'ev-1'").pluck().get()).toBe(
    '2026-03-04T15:30:00.000Z',
  );
  r.db.close();

  const hall = await startHallServer(
    { host: '127.0.0.1', port: 0, dataDir: dir, timeZone: 'Asia/Shanghai' },
    { silent: true, clock: () => new Date('2026-03-10T02:00:00.000Z') },
  );
  try {
    const token = await hall.staff.createToken('督查', '610102');
    const s = (await staffCall(hall, token, 'GET', '/v1/staff/stats?from=2026-03-01&to=2026-03-10'))
      .body as unknown as StaffStats;
    // 3 working days from Monday 03-02: Thursday 03-05; 办结 Wednesday 03-04, 2 days after submission.
    expect(s.totals).toEqual({
      cases: 2,
      closed: 1,
      completed: 1,
      refused: 0,
      onTime: 1,
      late: 0,
      onTimeRate: 1,
      averageDays: 2,
    });
    expect(s.evaluations).toMatchObject({ total: 1, bad: 1 });
    // Given on 03-04 (Shanghai): not in a range that starts on 03-05.
    const later = (await staffCall(hall, token, 'GET', '/v1/staff/stats?from=2026-03-05&to=2026-03-10'))
      .body as unknown as StaffStats;
    expect(later.evaluations.total).toBe(0);
  } finally {
    await hall.close();
  }
  const after = openHallDatabase(path);
  if (!after.ok) throw new Error(after.message);
  try {
    expect(
      after.db
        .prepare('SELECT submitted_at, closed_at, in_time, open_ms FROM applications WHERE id = ?')
        .get(done),
    ).toEqual({
      submitted_at: '2026-03-02T01:00:00.000Z',
      closed_at: '2026-03-04T02:00:00.000Z',
      in_time: 1,
      open_ms: 2 * 86_400_000 + 3_600_000,
    });
  } finally {
    after.db.close();
  }
});
