/**
 * Change-log epochs over HTTP (docs/sync-protocol.md, 5.1): cursors carry the epoch; a cursor of
 * another epoch gets 410 history-changed (mustRefetch); a bare position of the format before epochs
 * keeps working while the hall has had one epoch only; pull answers carry the epoch and the asking
 * kiosk's own lastAppliedSeq; a long-poll with another history's cursor answers at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase, type Db } from '../backend/index.js';
import { createTransport, enrollKiosk } from '../sync/index.js';
import { startHallServer, type HallServer } from './index.js';

const silent = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};
let dir: string;
let hall: HallServer;
let kioskDbs: Db[] = [];
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-epochs-'));
  hall = await startHallServer({ host: '127.0.0.1', port: 0, dataDir: join(dir, 'hall') }, { silent: true });
});
afterEach(async () => {
  for (const d of kioskDbs) d.close();
  kioskDbs = [];
  await hall.close();
  rmSync(dir, { recursive: true, force: true });
});

async function kiosk(name: string, before?: (db: Db) => void) {
  const opened = openDatabase(join(dir, `${name}.db`));
  if (!opened.ok) throw new Error(opened.message);
  kioskDbs.push(opened.db);
  before?.(opened.db);
  const { code } = await hall.service.createEnrollmentCode('610113');
  const e = await enrollKiosk({ db: opened.db, hallUrl: hall.url, code, clock: () => new Date() });
  if (!e.ok) throw new Error(JSON.stringify(e.error));
  const t = createTransport({
    hallUrl: hall.url,
    credentials: e.enrollment,
    clock: () => new Date(),
    logger: silent,
  });
  return async (path: string) => {
    const r = await t.send('GET', path);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return { status: r.value.status, body: r.value.body as Record<string, unknown> };
  };
}

it('carries the epoch in cursors and answers another history with 410 history-changed', async () => {
  const get = await kiosk('a');
  const publish = (key: string) =>
    hall.service.appendChange({ kioskId: null, stream: 'holidays', key, op: 'del', data: null });
  await publish('x');
  await publish('y');
  const epoch1 = (await hall.service.currentEpoch()).id;

  const first = await get('v1/changes?cursor=');
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({ epoch: epoch1, lastAppliedSeq: 0, hasMore: false });
  const cursor1 = String(first.body.nextCursor);
  expect(cursor1).toMatch(new RegExp(`^${epoch1}\\.2\\.[0-9a-f]{16}$`));
  // The tag is the hall's: a cursor it did not issue is refused, and cannot start an epoch.
  for (const forged of [`${epoch1}.2`, `${epoch1}.999.${'0'.repeat(16)}`, `${cursor1.slice(0, -1)}x`])
    expect((await get(`v1/changes?cursor=${forged}`)).status).toBe(400);
  expect(await hall.service.epochs()).toHaveLength(1);
  // The format before epochs (a bare position) works while the hall has had one epoch.
  const legacy = await get('v1/changes?cursor=1');
  expect(legacy.body).toMatchObject({ nextCursor: cursor1 });
  expect((legacy.body.changes as unknown[]).length).toBe(1);
  const snap = await get('v1/snapshot?after=');
  expect(snap.body).toMatchObject({ cursor: cursor1, epoch: epoch1, lastAppliedSeq: 0 });
  // A bare position beyond the log (old format, no tag) makes that kiosk refetch, nothing more.
  expect((await get('v1/changes?cursor=999')).status).toBe(410);
  expect(await hall.service.epochs()).toHaveLength(1);

  // A new epoch (an operator's, or a restore): every cursor of the old one must refetch.
  const epoch2 = (await hall.service.startEpoch('operator')).id;
  expect(epoch2).not.toBe(epoch1);
  for (const cursor of [cursor1, '2', '0', `${'ab'.repeat(8)}.1.${'0'.repeat(16)}`]) {
    const r = await get(`v1/changes?cursor=${cursor}`);
    expect([r.status, r.body.error, r.body.mustRefetch, r.body.reason, r.body.epoch]).toEqual([
      410,
      'history-changed',
      true,
      'history-changed',
      epoch2,
    ]);
  }
  // A long-poll with a cursor of another history answers at once.
  const t0 = Date.now();
  expect((await get(`v1/wait?cursor=${cursor1}&timeoutMs=5000`)).body).toEqual({ changed: true });
  expect(Date.now() - t0).toBeLessThan(2000);
  // The new epoch continues after the positions already given out.
  const snap2 = await get('v1/snapshot?after=');
  const cursor2 = String(snap2.body.cursor);
  expect(cursor2).toMatch(new RegExp(`^${epoch2}\\.2\\.[0-9a-f]{16}$`));
  const now = await get(`v1/changes?cursor=${cursor2}`);
  expect(now.body).toMatchObject({ changes: [], nextCursor: cursor2 });
  expect((await get('v1/changes?cursor=nonsense')).status).toBe(400);
  expect((await get(`v1/changes?cursor=${epoch2}.x`)).status).toBe(400);
});

it("tells each kiosk its own lastAppliedSeq, never another kiosk's", async () => {
  const a = await kiosk('a');
  // Kiosk b had three rows acknowledged by an earlier hall: this hall starts it after seq 3.
  const b = await kiosk('b', (db) => {
    const row = db.prepare(
      "INSERT INTO outbox (kind, entity_id, payload, created_at, acked_at) VALUES ('queue-ticket', ?, '{}', 'then', 'then')",
    );
    for (const id of ['t1', 't2', 't3']) row.run(id);
  });
  expect((await a('v1/changes?cursor=')).body.lastAppliedSeq).toBe(0);
  expect((await b('v1/changes?cursor=')).body.lastAppliedSeq).toBe(3);
  expect((await b('v1/snapshot?after=')).body.lastAppliedSeq).toBe(3);
});
