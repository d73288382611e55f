import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../backend/index.js';
import { pushRequestSchema } from '../shared/wire/index.js';
import { createBlobUploader } from './blobs.js';
import { sha256Hex } from './protocol.js';
import { createPusher } from './push.js';
import type { AcknowledgedEntry } from './streams.js';
import { fakeFetch, jsonReply, silentLogger, type FakeHall, type FakeRequest } from './testing/fake-fetch.js';
import { issueTicket, seedCatalogRow, submitApplication } from './testing/kiosk-fixture.js';
import { createTransport } from './transport.js';

let root: string;
let db: Db;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'zizhu-push-'));
  const opened = openDatabase(join(root, 'kiosk.db'));
  if (!opened.ok) throw new Error(opened.message);
  db = opened.db;
  seedCatalogRow(db);
});
afterEach(() => {
  db.close();
  rmSync(root, { recursive: true, force: true });
});

const blobDir = () => join(root, 'blobs');
const pushed = (req: FakeRequest) => pushRequestSchema.parse(JSON.parse(req.body.toString('utf8')));
const pushes = (requests: FakeRequest[]) => requests.filter((r) => r.url.pathname === '/v1/push');

/** A pusher over a fake hall; what the backend hears of acknowledgements is recorded. */
function pusherOver(hall: FakeHall, batchSize = 2) {
  const fake = fakeFetch(hall);
  const acknowledged: AcknowledgedEntry[][] = [];
  const transport = createTransport({
    hallUrl: 'http://hall.test/',
    credentials: { kioskId: 'K-0001', secret: 'a-secret-of-sixteen-or-more' },
    clock: () => new Date('2026-03-02T08:00:00Z'),
    logger: silentLogger,
    fetch: fake.fetch,
  });
  const pusher = createPusher({
    db,
    transport,
    blobs: createBlobUploader({ transport, blobDir: blobDir() }),
    clock: () => new Date('2026-03-02T08:00:00Z'),
    logger: silentLogger,
    records: { acknowledged: (entries) => void acknowledged.push([...entries]) },
    batchSize,
  });
  return { pusher, requests: fake.requests, acknowledged };
}

/** A hall that applies every batch it is sent. */
const applying: FakeHall = (req) => {
  const { entries } = pushed(req);
  return jsonReply(200, {
    ackedThroughSeq: entries.at(-1)?.seq ?? 0,
    results: entries.map((e) => ({ seq: e.seq, status: 'applied', hallReference: `H-${e.seq}` })),
  });
};

describe('push', () => {
  it('sends the outbox in seq order and batches, and tells the backend what the hall acknowledged', async () => {
    for (let i = 1; i <= 3; i++) issueTicket(db, `t-${i}`, `A90${i}`);
    const { pusher, requests, acknowledged } = pusherOver(applying);
    expect(await pusher.pushAll()).toEqual({ ok: true, value: 3 });
    const batches = pushes(requests).map(pushed);
    expect(batches.map((b) => b.entries.map((e) => e.seq))).toEqual([[1, 2], [3]]);
    expect(batches.flatMap((b) => b.entries).every((e) => e.payloadHash === sha256Hex(e.payload))).toBe(true);
    expect(acknowledged.map((a) => a.map((e) => [e.kind, e.status]))).toEqual([
      [
        ['queue-ticket', 'applied'],
        ['queue-ticket', 'applied'],
      ],
      [['queue-ticket', 'applied']],
    ]);
    expect(db.prepare('SELECT hall_reference FROM outbox ORDER BY seq').pluck().all()).toEqual([
      'H-1',
      'H-2',
      'H-3',
    ]);
  });

  it('uploads the blobs the hall says it misses, then resends; a third refusal is reported', async () => {
    submitApplication(db, blobDir(), 'app-1', [Buffer.from('page one')]);
    const sha = sha256Hex(Buffer.from('page one'));
    let refusals = 0;
    // The hall answers HEAD "complete" (so the kiosk caches the blob) yet misses it at push time.
    const forgetful = (limit: number): FakeHall => {
      refusals = 0;
      return (req) => {
        if (req.method === 'HEAD') return new Response(null, { status: 200 });
        if (refusals++ < limit)
          return jsonReply(409, { error: 'missing-blobs', message: 'first', hashes: [sha] });
        return applying(req);
      };
    };
    const recovers = pusherOver(forgetful(2));
    expect(await recovers.pusher.pushAll()).toEqual({ ok: true, value: 1 });
    expect(recovers.requests.map((r) => r.method)).toEqual(['HEAD', 'POST', 'HEAD', 'POST', 'HEAD', 'POST']);

    db.prepare('UPDATE outbox SET acked_at = NULL').run();
    const refuses = pusherOver(forgetful(3));
    expect(await refuses.pusher.pushAll()).toMatchObject({
      ok: false,
      error: { kind: 'http', status: 409, error: 'missing-blobs' },
    });
    expect(db.prepare('SELECT attempts, last_error AS e FROM outbox').get()).toMatchObject({
      attempts: 1,
      e: expect.stringContaining('missing-blobs') as unknown,
    });
  });

  it('is stuck, not looping, when the hall acknowledges before the batch or repeats a gap', async () => {
    issueTicket(db, 't-1', 'A901');
    const behind = pusherOver(() => jsonReply(200, { ackedThroughSeq: 0, results: [] }));
    expect(await behind.pusher.pushAll()).toEqual({
      ok: false,
      error: { kind: 'stuck', message: 'hall acknowledged through 0, before seq 1' },
    });
    const gap = pusherOver(() =>
      jsonReply(409, { error: 'gap', message: 'gap', expectedSeq: 1, ackedThroughSeq: 0, results: [] }),
    );
    expect(await gap.pusher.pushAll()).toEqual({
      ok: false,
      error: { kind: 'stuck', message: 'the hall expects seq 1, which this kiosk no longer holds' },
    });
    expect(pushes(gap.requests)).toHaveLength(2);
  });

  it('reports a malformed acknowledgement as a protocol failure and keeps the rows', async () => {
    issueTicket(db, 't-1', 'A901');
    const { pusher } = pusherOver(() => jsonReply(200, { ackedThroughSeq: 'all' }));
    expect(await pusher.pushAll()).toEqual({
      ok: false,
      error: { kind: 'protocol', message: 'malformed push answer' },
    });
    expect(db.prepare('SELECT count(*) FROM outbox WHERE acked_at IS NULL').pluck().get()).toBe(1);
  });
});
