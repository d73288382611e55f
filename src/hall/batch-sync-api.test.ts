/**
 * The hall's batch-sync routes (docs/sync-protocol.md, 5e) on a listening hall, with a signer written
 * from the document (not the kiosk's code): the missing-blobs question, one framed request with
 * entries, blobs, heartbeat and pull, replay refused (also after a restart), torn / lying / oversized
 * bodies refused with nothing stored, another kiosk and an unsigned caller refused, group commit, and
 * the routes absent when switched off.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleApplication, sampleAttachment } from '../shared/testing/wire-samples.js';
import { encodeSyncBody, SYNC_V2_MAX_BODY_BYTES, type SyncV2Head } from '../shared/wire/index.js';
import { startHallServer, type HallServer } from './server.js';
import { enrolRequest, openEnrolAnswer } from './testing/enrol.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

let dir: string;
let hall: HallServer;
const now = Date.parse('2026-03-02T08:00:00Z');
const start = async (syncV2 = true) => {
  hall = await startHallServer(
    { host: '127.0.0.1', port: 0, dataDir: dir, ...(syncV2 ? {} : { syncV2: false }) },
    { silent: true, clock: () => new Date(now) },
  );
};
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-batch-'));
  await start();
});
afterEach(async () => {
  await hall.close();
  rmSync(dir, { recursive: true, force: true });
});

type Kiosk = { kioskId: string; secret: string };

async function enroll(): Promise<Kiosk> {
  const { code } = await hall.service.createEnrollmentCode('610113');
  const { request: body, keyPair } = enrolRequest(code);
  const res = await fetch(new URL('v1/enroll', hall.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-zizhu-schema-version': '2' },
    body: JSON.stringify(body),
  });
  return openEnrolAnswer(code, keyPair, await res.json());
}

/** A signed request as docs/sync-protocol.md section 1 describes it; `nonce` to replay one. */
async function call(k: Kiosk, path: string, body: Buffer, nonce = randomBytes(16).toString('hex'), at = now) {
  const ts = String(at);
  const sig = createHmac('sha256', k.secret)
    .update(`POST\n${path}\n${ts}\n${nonce}\n${sha(body)}`)
    .digest('hex');
  const res = await fetch(new URL(path.slice(1), hall.url), {
    method: 'POST',
    headers: {
      'x-zizhu-kiosk-id': k.kioskId,
      'x-zizhu-timestamp': ts,
      'x-zizhu-nonce': nonce,
      'x-zizhu-schema-version': '2',
      'x-zizhu-signature': sig,
      'content-type': 'application/x-zizhu-sync-v2',
    },
    body: new Uint8Array(body),
  });
  const text = await res.text();
  const expected = createHmac('sha256', k.secret)
    .update(`zizhu-answer-v2\n${nonce}\n${res.status}\n${sha(text)}`)
    .digest('hex');
  return {
    status: res.status,
    body: (text ? JSON.parse(text) : null) as Record<string, unknown>,
    signed: res.headers.get('x-zizhu-answer-signature') === expected,
    nonce,
  };
}

const missing = (k: Kiosk, hashes: string[]) =>
  call(k, '/v2/blobs/missing', Buffer.from(JSON.stringify({ hashes })));

/** One application with its scans as entry `seq`. */
function application(seq: number, scans: Buffer[]) {
  const payload = JSON.stringify(
    sampleApplication({
      attachments: scans.map((s, i) => sampleAttachment({ sha256: sha(s), size: s.length, position: i })),
    }),
  );
  return { seq, kind: 'application', payload, payloadHash: sha(payload) };
}

const head = (entries: SyncV2Head['entries'], extra: Partial<SyncV2Head> = {}): SyncV2Head => ({
  entries,
  blobs: 0,
  ...extra,
});

describe('batch sync at the hall', () => {
  it('answers missing blobs, then takes entries, blobs, heartbeat and pull in one request', async () => {
    const k = await enroll();
    const scans = [randomBytes(50 * 1024), randomBytes(50 * 1024)];
    const q = await missing(
      k,
      scans.map((s) => sha(s)),
    );
    expect(q).toMatchObject({ status: 200, signed: true, body: { missing: scans.map((s) => sha(s)) } });

    const body = encodeSyncBody(
      head([application(1, scans)], {
        heartbeat: { backlog: 0, devices: [], appVersion: '0.1.0' },
        pull: { cursor: '', limit: 100 },
      }),
      scans.map((s) => ({ sha256: sha(s), bytes: s })),
    );
    const r = await call(k, '/v2/sync', body);
    expect(r.status).toBe(200);
    expect(r.signed).toBe(true);
    expect(r.body).toMatchObject({
      blobsStored: 2,
      heartbeat: true,
      push: { status: 200, body: { ackedThroughSeq: 1, results: [{ seq: 1, status: 'applied' }] } },
      pull: { status: 200, body: { hasMore: false, lastAppliedSeq: 1 } },
    });
    for (const s of scans) {
      const b = await hall.service.readBlob(sha(s));
      expect(b.ok && b.value.equals(s)).toBe(true);
    }
    expect(
      (
        await missing(
          k,
          scans.map((s) => sha(s)),
        )
      ).body,
    ).toEqual({ missing: [] });
  });

  it('refuses a replayed request — also after the hall restarted — and applies nothing twice', async () => {
    const k = await enroll();
    const scan = randomBytes(1024);
    const body = encodeSyncBody(head([application(1, [scan])]), [{ sha256: sha(scan), bytes: scan }]);
    const first = await call(k, '/v2/sync', body);
    expect(first.status).toBe(200);
    const again = await call(k, '/v2/sync', body, first.nonce);
    expect(again).toMatchObject({ status: 401, body: { error: 'replayed' } });
    // The nonce was committed with the request's writes: a restart does not forget it.
    await hall.close();
    await start();
    const afterRestart = await call(k, '/v2/sync', body, first.nonce);
    expect(afterRestart).toMatchObject({ status: 401, body: { error: 'replayed' } });
    // A fresh request with the same body is an idempotent retry (section 4.1): a duplicate.
    const retry = await call(k, '/v2/sync', body);
    expect(retry.body).toMatchObject({ push: { body: { results: [{ seq: 1, duplicate: true }] } } });
    // The missing question's nonce is kept the same way.
    const q = await missing(k, []);
    expect((await missing(k, [])).status).toBe(200);
    expect((await call(k, '/v2/blobs/missing', Buffer.from('{"hashes":[]}'), q.nonce)).body).toMatchObject({
      error: 'replayed',
    });
  });

  it('refuses a torn, lying or oversized body with a clear error and stores nothing', async () => {
    const k = await enroll();
    const scan = randomBytes(20_000);
    const whole = encodeSyncBody(head([application(1, [scan])]), [{ sha256: sha(scan), bytes: scan }]);
    // Torn inside the frame (the kiosk signed what it sent: the framing, not the signature, catches it).
    const torn = await call(k, '/v2/sync', whole.subarray(0, whole.length - 100));
    expect(torn).toMatchObject({ status: 400, body: { error: 'bad-frame' } });
    expect(String(torn.body.message)).toMatch(/ends inside frame 1 of 1/);
    // A whole frame missing: the head says one follows.
    const noFrame = encodeSyncBody(head([application(1, [scan])]), []);
    const lying = Buffer.from(noFrame);
    const headLen = lying.readUInt32BE(4);
    const json = JSON.parse(lying.subarray(8, 8 + headLen).toString()) as { blobs: number };
    json.blobs = 1;
    const j = Buffer.from(JSON.stringify(json));
    const lead = Buffer.alloc(8);
    lead.write('ZZS2');
    lead.writeUInt32BE(j.length, 4);
    expect((await call(k, '/v2/sync', Buffer.concat([lead, j]))).body).toMatchObject({ error: 'bad-frame' });
    // A frame whose bytes do not hash to its name.
    const wrong = encodeSyncBody(head([application(1, [scan])]), [
      { sha256: sha(scan), bytes: randomBytes(20_000) },
    ]);
    const mismatch = await call(k, '/v2/sync', wrong);
    expect(mismatch).toMatchObject({ status: 422, signed: true, body: { error: 'hash-mismatch' } });
    // A frame declaring more than a frame may hold.
    const big = Buffer.from(whole);
    big.writeUInt32BE(9 * 1024 * 1024, 8 + whole.readUInt32BE(4) + 32);
    expect((await call(k, '/v2/sync', big)).body).toMatchObject({ error: 'bad-frame' });
    // Nothing of any of them was kept.
    expect((await missing(k, [sha(scan)])).body).toEqual({ missing: [sha(scan)] });
    expect((await hall.service.readBlob(sha(scan))).ok).toBe(false);
    // A body over the route's limit is refused from its Content-Length, before it is read.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(new URL('v2/sync', hall.url), {
        method: 'POST',
        headers: {
          'content-length': String(SYNC_V2_MAX_BODY_BYTES + 1),
          'x-zizhu-kiosk-id': k.kioskId,
          'x-zizhu-timestamp': String(now),
          'x-zizhu-nonce': randomBytes(16).toString('hex'),
          'x-zizhu-schema-version': '2',
          'x-zizhu-signature': '0'.repeat(64),
        },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(status).toBe(413);
    // And the good body still goes in afterwards.
    expect((await call(k, '/v2/sync', whole)).status).toBe(200);
  });

  it('refuses another kiosk’s signature, an unknown kiosk and a wrong signature', async () => {
    const a = await enroll();
    const b = await enroll();
    const body = encodeSyncBody(head([]), []);
    expect((await call({ kioskId: a.kioskId, secret: b.secret }, '/v2/sync', body)).body).toMatchObject({
      error: 'bad-signature',
    });
    expect((await call({ kioskId: 'K-nobody', secret: a.secret }, '/v2/sync', body)).body).toMatchObject({
      error: 'unknown-kiosk',
    });
    const anon = await fetch(new URL('v2/blobs/missing', hall.url), {
      method: 'POST',
      body: '{"hashes":[]}',
    });
    expect(anon.status).toBe(400); // no schema header: refused before anything is read
  });

  it('acknowledges requests arriving together with one transaction (group commit)', async () => {
    const kiosks = await Promise.all(Array.from({ length: 8 }, () => enroll()));
    const before = hall.groupCommits();
    const packsBefore = hall.service.blobWriteStats();
    const answers = await Promise.all(
      kiosks.map((k) => {
        const scan = randomBytes(4096);
        return call(
          k,
          '/v2/sync',
          encodeSyncBody(head([application(1, [scan])]), [{ sha256: sha(scan), bytes: scan }]),
        );
      }),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    const after = hall.groupCommits();
    expect(after && before).toBeTruthy();
    const requests = (after?.requests ?? 0) - (before?.requests ?? 0);
    const commits = (after?.commits ?? 0) - (before?.commits ?? 0);
    expect(requests).toBe(8);
    expect(commits).toBeLessThan(8);
    // Their scans share pack files too (docs/blob-store.md): one file fsync and one directory
    // fsync per pack, fewer packs than requests, every scan in one.
    const packs = hall.service.blobWriteStats();
    expect(packs.blobs - packsBefore.blobs).toBe(8);
    expect(packs.batches - packsBefore.batches).toBe(8);
    expect(packs.packs - packsBefore.packs).toBeLessThan(8);
    expect(packs.fileFsyncs - packsBefore.fileFsyncs).toBe(packs.packs - packsBefore.packs);
    expect(packs.dirFsyncs - packsBefore.dirFsyncs).toBe(packs.packs - packsBefore.packs);
  });

  it('forgets nonces past twice the skew window on its own timer, never a fresh one', async () => {
    // The hall's clock moves; requests are signed at their own time.
    let t = now;
    await hall.close();
    hall = await startHallServer(
      { host: '127.0.0.1', port: 0, dataDir: dir },
      { silent: true, clock: () => new Date(t), noncePurgeEveryMs: 50 },
    );
    const k = await enroll();
    const nonces = () => {
      const db = new Database(join(dir, 'hall.db'), { readonly: true });
      try {
        return (db.prepare('SELECT nonce FROM nonces ORDER BY seen_ms').all() as { nonce: string }[]).map(
          (r) => r.nonce,
        );
      } finally {
        db.close();
      }
    };
    const old = await missing(k, []);
    expect(old.status).toBe(200);
    t = now + 11 * 60_000; // past 2 × CLOCK_SKEW_MS (10 minutes)
    const fresh = await call(k, '/v2/blobs/missing', Buffer.from('{"hashes":[]}'), undefined, t);
    expect(fresh.status).toBe(200);
    const deadline = Date.now() + 5_000;
    while (nonces().includes(old.nonce) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(nonces()).toEqual([fresh.nonce]);
    // The forgotten nonce's request, replayed now, is stale: still refused.
    const replay = await call(k, '/v2/blobs/missing', Buffer.from('{"hashes":[]}'), old.nonce);
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ error: 'stale-timestamp' });
  });

  it('has no /v2 routes when switched off (HALL_SYNC_V2=0): 404, as a hall that predates them', async () => {
    await hall.close();
    await start(false);
    const k = await enroll();
    const r = await call(k, '/v2/sync', encodeSyncBody(head([]), []));
    expect(r.status).toBe(404);
    expect(hall.groupCommits()).toBeNull();
  });
});
