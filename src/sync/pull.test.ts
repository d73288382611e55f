import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../backend/index.js';
import { createPuller } from './pull.js';
import { readCursor } from './store.js';
import { fakeFetch, jsonReply, neverAnswers, silentLogger, type FakeHall } from './testing/fake-fetch.js';
import { createTransport } from './transport.js';

let root: string;
let db: Db;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'zizhu-pull-'));
  const opened = openDatabase(join(root, 'kiosk.db'));
  if (!opened.ok) throw new Error(opened.message);
  db = opened.db;
});
afterEach(() => {
  db.close();
  rmSync(root, { recursive: true, force: true });
});

function pullerOver(hall: FakeHall, waitMs?: number) {
  const fake = fakeFetch(hall);
  const applied: string[] = [];
  const puller = createPuller({
    db,
    transport: createTransport({
      hallUrl: 'http://hall.test/',
      credentials: { kioskId: 'K-0001', secret: 'a-secret-of-sixteen-or-more' },
      clock: () => new Date('2026-03-02T08:00:00Z'),
      logger: silentLogger,
      fetch: fake.fetch,
      timeoutMs: 200,
    }),
    clock: () => new Date('2026-03-02T08:00:00Z'),
    logger: silentLogger,
    applier: (change) => void applied.push(`${change.stream}/${change.key}@${change.version}`),
    ...(waitMs !== undefined ? { waitMs } : {}),
  });
  return { puller, requests: fake.requests, applied };
}

const change = (key: string, version: number) => ({
  stream: 'future-stream',
  key,
  op: 'put',
  version,
  data: {},
});

describe('pull', () => {
  it('follows the change log page by page from the stored cursor', async () => {
    const { puller, requests, applied } = pullerOver((req) =>
      req.url.searchParams.get('cursor') === ''
        ? jsonReply(200, { changes: [change('a', 1)], nextCursor: '5', hasMore: true })
        : jsonReply(200, { changes: [change('b', 1)], nextCursor: '9', hasMore: false }),
    );
    expect(await puller.pullAll()).toEqual({ ok: true, value: 2 });
    expect(requests.map((r) => r.url.searchParams.get('cursor'))).toEqual(['', '5']);
    expect(applied).toEqual(['future-stream/a@1', 'future-stream/b@1']);
    expect(readCursor(db)).toBe('9');
  });

  it('answers "must refetch" with a snapshot, once per pull', async () => {
    const { puller, requests, applied } = pullerOver((req) => {
      if (req.url.pathname === '/v1/changes') return jsonReply(410, { mustRefetch: true, reason: 'purged' });
      return req.url.searchParams.get('after') === ''
        ? jsonReply(200, { records: [change('a', 3)], nextAfter: 'a', hasMore: true, cursor: '40' })
        : jsonReply(200, { records: [change('b', 2)], nextAfter: 'b', hasMore: false, cursor: '41' });
    });
    // A hall that asks again right after the snapshot is refusing, not to be followed forever.
    expect(await puller.pullAll()).toMatchObject({ ok: false, error: { kind: 'http', status: 410 } });
    expect(requests.map((r) => `${r.url.pathname}?${r.url.searchParams.toString()}`)).toEqual([
      '/v1/changes?cursor=&limit=500',
      '/v1/snapshot?after=&limit=500',
      '/v1/snapshot?after=a&limit=500',
      '/v1/changes?cursor=40&limit=500',
    ]);
    // The snapshot's cursor is the one of its first page, stored with the last page.
    expect(readCursor(db)).toBe('40');
    expect(applied).toEqual(['future-stream/a@3', 'future-stream/b@2']);
  });

  it('reports a malformed page as a protocol failure without moving the cursor', async () => {
    const { puller } = pullerOver(() => jsonReply(200, { changes: 'none' }));
    expect(await puller.pullAll()).toEqual({
      ok: false,
      error: { kind: 'protocol', message: 'malformed changes answer' },
    });
    expect(readCursor(db)).toBe('');
  });
});

describe('long-poll wake-up', () => {
  const never = new AbortController().signal;

  it('asks for at most the hall’s 25 s and reads its answer', async () => {
    const quiet = pullerOver(() => jsonReply(200, { changed: false }), 60_000);
    expect(await quiet.puller.waitForChanges(never)).toBe('quiet');
    expect(quiet.requests[0]?.url.searchParams.get('timeoutMs')).toBe('25000');
    const changed = pullerOver(() => jsonReply(200, { changed: true }), 500);
    expect(await changed.puller.waitForChanges(never)).toBe('changed');
    expect(changed.requests[0]?.url.searchParams.get('timeoutMs')).toBe('500');
  });

  it('is "failed" when the hall refuses, answers nonsense, or is unreachable', async () => {
    for (const hall of [
      () => jsonReply(404, { error: 'not-found', message: 'no wait here' }),
      () => jsonReply(200, { changed: 'maybe' }),
      () => Promise.reject(new TypeError('fetch failed')),
    ] satisfies FakeHall[]) {
      expect(await pullerOver(hall).puller.waitForChanges(never)).toBe('failed');
    }
  });

  it('is "changed" when cut short by its signal (a nudge)', async () => {
    const { puller } = pullerOver(neverAnswers, 25_000);
    const wake = new AbortController();
    const pending = puller.waitForChanges(wake.signal);
    wake.abort();
    expect(await pending).toBe('changed');
  });
});
