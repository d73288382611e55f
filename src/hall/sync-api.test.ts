/**
 * The hall's sync endpoints, driven over loopback with a signer written from docs/sync-protocol.md
 * alone (not the kiosk's code): enrolment, authentication and replay, every seq rule of push,
 * resumable blobs, the change log with retention and must-refetch, the long-poll wake-up.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  fixtureId,
  sampleApplication,
  sampleAttachment,
  sampleTicket,
} from '../shared/testing/wire-samples.js';
import { startHallServer, type HallServer } from './server.js';
import { enrolRequest, openEnrolAnswer } from './testing/enrol.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

let dir: string;
let hall: HallServer;
let now: number;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-sync-'));
  now = Date.parse('2026-03-02T08:00:00Z');
  hall = await startHallServer(
    { host: '127.0.0.1', port: 0, dataDir: dir },
    { silent: true, clock: () => new Date(now), retentionMs: 3600_000 },
  );
});
afterEach(async () => {
  await hall.close();
  rmSync(dir, { recursive: true, force: true });
});

type Kiosk = { kioskId: string; secret: string };
type Opts = {
  body?: Buffer;
  headers?: Record<string, string>;
  nonce?: string;
  timestamp?: number;
  secret?: string;
  schema?: string;
};

async function call(k: Kiosk, method: string, path: string, o: Opts = {}) {
  const body = o.body ?? Buffer.alloc(0);
  const ts = String(o.timestamp ?? now);
  const nonce = o.nonce ?? randomBytes(16).toString('hex');
  const text = `${method}\n${path}\n${ts}\n${nonce}\n${sha(body)}`;
  const sig = createHmac('sha256', o.secret ?? k.secret)
    .update(text)
    .digest('hex');
  const res = await fetch(new URL(path.slice(1), hall.url), {
    method,
    headers: {
      'x-zizhu-kiosk-id': k.kioskId,
      'x-zizhu-timestamp': ts,
      'x-zizhu-nonce': nonce,
      'x-zizhu-schema-version': o.schema ?? '2',
      'x-zizhu-signature': sig,
      ...(o.body ? { 'content-type': 'application/json' } : {}),
      ...(o.headers ?? {}),
    },
    ...(o.body ? { body: new Uint8Array(body) } : {}),
  });
  const text2 = method === 'HEAD' ? '' : await res.text();
  // docs/sync-protocol.md 1.1: HMAC over "zizhu-answer-v2 \n nonce \n status \n sha256(body)".
  const expected = createHmac('sha256', o.secret ?? k.secret)
    .update(`zizhu-answer-v2\n${nonce}\n${res.status}\n${sha(text2)}`)
    .digest('hex');
  return {
    status: res.status,
    headers: res.headers,
    body: (text2 ? JSON.parse(text2) : null) as Record<string, unknown>,
    signed: res.headers.get('x-zizhu-answer-signature') === expected,
    signature: res.headers.get('x-zizhu-answer-signature'),
  };
}

const enrolHeaders = { 'content-type': 'application/json', 'x-zizhu-schema-version': '2' };

async function enroll(jurisdiction = '610113', firstSeq = 1): Promise<Kiosk> {
  const { code } = await hall.service.createEnrollmentCode(jurisdiction);
  const { request, keyPair } = enrolRequest(code, firstSeq);
  const res = await fetch(new URL('v1/enroll', hall.url), {
    method: 'POST',
    headers: enrolHeaders,
    body: JSON.stringify(request),
  });
  expect(res.status).toBe(200);
  return openEnrolAnswer(code, keyPair, await res.json());
}

const entry = (seq: number, kind: string, payload: unknown) => {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return { seq, kind, payload: text, payloadHash: sha(text) };
};
/** A deterministic id per name, so a re-sent entry has the same payload hash. */
const uuidOf = fixtureId;
const ticket = (name: string) =>
  sampleTicket({ id: uuidOf(name), idempotencyKey: `ticket-key-${name}`, number: 'A901' });
const push = (k: Kiosk, entries: unknown[]) =>
  call(k, 'POST', '/v1/push', { body: Buffer.from(JSON.stringify({ entries })) });

describe('hall sync API', () => {
  it('enrols once per code, with the secret sealed and the code never sent', async () => {
    const { code } = await hall.service.createEnrollmentCode('610113');
    const { request, keyPair } = enrolRequest(code.toLowerCase());
    const body = JSON.stringify(request);
    expect(body).not.toContain(code);
    const h = enrolHeaders;
    const first = await fetch(new URL('v1/enroll', hall.url), { method: 'POST', headers: h, body });
    expect(first.status).toBe(200);
    const text = await first.text();
    const enrolled = openEnrolAnswer(code, keyPair, JSON.parse(text));
    expect(enrolled.kioskId).toMatch(/^K-/);
    expect(enrolled.jurisdiction).toBe('610113');
    expect(enrolled.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(text).not.toContain(enrolled.secret);
    // The new kiosk works with the opened secret.
    expect((await call(enrolled, 'GET', '/v1/changes?cursor=')).status).toBe(200);
    // The same request again (its answer was lost): the same identity, sealed anew for the same
    // key — no second kiosk, and only the holder of the key's private half can open it.
    const again = await fetch(new URL('v1/enroll', hall.url), { method: 'POST', headers: h, body });
    expect(again.status).toBe(200);
    const againText = await again.text();
    expect(againText).not.toBe(text);
    expect(openEnrolAnswer(code, keyPair, JSON.parse(againText))).toEqual(enrolled);
    // Another key with the same code: the code is used.
    const other = enrolRequest(code);
    const stranger = await fetch(new URL('v1/enroll', hall.url), {
      method: 'POST',
      headers: h,
      body: JSON.stringify(other.request),
    });
    expect(stranger.status).toBe(403);
    expect(((await stranger.json()) as { error: string }).error).toBe('code-used');
    const bad = await fetch(new URL('v1/enroll', hall.url), {
      method: 'POST',
      headers: h,
      body: JSON.stringify(enrolRequest('NOPENOPENOPE').request),
    });
    expect([bad.status, ((await bad.json()) as { error: string }).error]).toEqual([403, 'invalid-code']);
    // Version 1 (the code in clear, the secret in the answer) is refused with a clear code.
    const v1 = await fetch(new URL('v1/enroll', hall.url), {
      method: 'POST',
      headers: { ...h, 'x-zizhu-schema-version': '1' },
      body: JSON.stringify({ code }),
    });
    expect(v1.status).toBe(426);
    expect(await v1.json()).toMatchObject({ error: 'schema-version-unsupported', supported: [2] });
    const malformed = await fetch(new URL('v1/enroll', hall.url), { method: 'POST', headers: h, body: '{}' });
    expect(malformed.status).toBe(400);
  });

  it('starts a re-enrolled kiosk after the seq its earlier hall acknowledged', async () => {
    const k = await enroll('610113', 41);
    const gap = await push(k, [entry(1, 'queue-ticket', ticket('old'))]);
    // Seq 1 is taken as already acknowledged: never applied here, whatever it holds.
    expect(gap.status).toBe(200);
    expect(gap.body).toMatchObject({ ackedThroughSeq: 40 });
    const r = await push(k, [entry(41, 'queue-ticket', ticket('t41'))]);
    expect(r.body).toMatchObject({ ackedThroughSeq: 41, results: [{ seq: 41, status: 'applied' }] });
  });

  it('refuses unauthenticated, stale, forged, replayed and unknown-version requests', async () => {
    const k = await enroll();
    const ok = await call(k, 'GET', '/v1/changes?cursor=');
    expect(ok.status).toBe(200);
    // Every answer to an authenticated request is signed over its nonce, status and body (1.1).
    expect(ok.signed).toBe(true);
    expect((await call(k, 'POST', '/v1/push', { body: Buffer.from('{"entries":"x"}') })).signed).toBe(true);
    expect((await call(k, 'HEAD', `/v1/blobs/${'0'.repeat(64)}`)).signed).toBe(true);
    const nonce = 'a'.repeat(32);
    expect((await call(k, 'GET', '/v1/changes?cursor=', { nonce })).status).toBe(200);
    const replay = await call(k, 'GET', '/v1/changes?cursor=', { nonce });
    expect([replay.status, replay.body.error]).toEqual([401, 'replayed']);
    const stale = await call(k, 'GET', '/v1/changes?cursor=', { timestamp: now - 6 * 60_000 });
    expect([stale.status, stale.body.error]).toEqual([401, 'stale-timestamp']);
    const forged = await call(k, 'GET', '/v1/changes?cursor=', { secret: 'x'.repeat(64) });
    expect([forged.status, forged.body.error]).toEqual([401, 'bad-signature']);
    // The hall never signs for a key the caller did not prove.
    expect([replay.signature, stale.signature, forged.signature]).toEqual([null, null, null]);
    const unknown = await call({ kioskId: 'K-nobody', secret: k.secret }, 'GET', '/v1/changes?cursor=');
    expect([unknown.status, unknown.body.error]).toEqual([401, 'unknown-kiosk']);
    const v9 = await call(k, 'GET', '/v1/changes?cursor=', { schema: '9' });
    expect([v9.status, v9.body.error]).toEqual([426, 'schema-version-unsupported']);
    expect(v9.body.supported).toEqual([2]);
    const v1 = await call(k, 'GET', '/v1/changes?cursor=', { schema: '1' });
    expect([v1.status, v1.body.error]).toEqual([426, 'schema-version-unsupported']);
    const none = await fetch(new URL('v1/changes', hall.url));
    expect(none.status).toBe(400);
    const noAuth = await fetch(new URL('v1/changes', hall.url), {
      headers: { 'x-zizhu-schema-version': '2' },
    });
    expect(noAuth.status).toBe(401);
    // The signature covers the path with its query: changing the cursor breaks it.
    const tampered = await (async () => {
      const ts = String(now);
      const n = randomBytes(16).toString('hex');
      const sig = createHmac('sha256', k.secret)
        .update(`GET\n/v1/changes?cursor=\n${ts}\n${n}\n${sha('')}`)
        .digest('hex');
      return fetch(new URL('v1/changes?cursor=5', hall.url), {
        headers: {
          'x-zizhu-kiosk-id': k.kioskId,
          'x-zizhu-timestamp': ts,
          'x-zizhu-nonce': n,
          'x-zizhu-schema-version': '2',
          'x-zizhu-signature': sig,
        },
      });
    })();
    expect(tampered.status).toBe(401);
  });

  it('applies in seq order: duplicates acked, conflicts alerted, gaps refused, bad payloads rejected without blocking', async () => {
    const k = await enroll();
    const r1 = await push(k, [
      entry(1, 'queue-ticket', ticket('t1')),
      entry(2, 'queue-ticket', '{"not":"a ticket"}'),
      entry(3, 'queue-ticket', ticket('t3')),
    ]);
    expect(r1.status).toBe(200);
    expect(r1.body.ackedThroughSeq).toBe(3);
    const results = r1.body.results as {
      seq: number;
      status: string;
      reason?: string;
      hallReference: string | null;
    }[];
    expect(results.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied']);
    expect(results[1]?.reason).toMatch(/invalid queue-ticket/);
    expect(results[0]?.hallReference).toMatch(/^T-/);

    // The same batch again (a retry after a lost answer): duplicates, same references, no effect.
    const again = await push(k, [
      entry(1, 'queue-ticket', ticket('t1')),
      entry(2, 'queue-ticket', '{"not":"a ticket"}'),
      entry(3, 'queue-ticket', ticket('t3')),
    ]);
    expect(again.status).toBe(200);
    expect(
      (again.body.results as { duplicate: boolean; hallReference: string | null }[]).map((r) => [
        r.duplicate,
        r.hallReference,
      ]),
    ).toEqual(results.map((r) => [true, r.hallReference]));
    // Same seq, different payload: conflict and an alert.
    const conflict = await push(k, [entry(3, 'queue-ticket', ticket('other'))]);
    expect((conflict.body.results as { status: string }[])[0]?.status).toBe('conflict');
    // A gap.
    const gap = await push(k, [
      entry(4, 'queue-ticket', ticket('t4')),
      entry(6, 'queue-ticket', ticket('t6')),
    ]);
    expect(gap.status).toBe(409);
    expect(gap.body).toMatchObject({ error: 'gap', expectedSeq: 5, ackedThroughSeq: 4 });
    // Unknown kinds and non-JSON are rejected with reasons; the seq still advances.
    const odd = await push(k, [entry(5, 'mystery', { a: 1 }), entry(6, 'evaluation', 'not json')]);
    expect(odd.body.ackedThroughSeq).toBe(6);
    expect((odd.body.results as { reason: string }[]).map((r) => r.reason)).toEqual([
      'unknown entry kind "mystery"',
      'payload is not JSON',
    ]);
    // A payload hash that does not match is a bad request, nothing applied.
    const badHash = await push(k, [
      { ...entry(7, 'queue-ticket', ticket('t7')), payloadHash: 'f'.repeat(64) },
    ]);
    expect([badHash.status, badHash.body.error]).toEqual([400, 'payload-hash-mismatch']);
  });

  it('needs every referenced blob first; stores blobs resumably and verified', async () => {
    const k = await enroll();
    const bytes = randomBytes(100_000);
    const h = sha(bytes);
    const app = sampleApplication({
      jurisdiction: '610102',
      attachments: [sampleAttachment({ sha256: h, size: bytes.length })],
    });
    const blocked = await push(k, [entry(1, 'application', app)]);
    expect(blocked.status).toBe(409);
    expect(blocked.body).toMatchObject({ error: 'missing-blobs', hashes: [h] });

    const head0 = await call(k, 'HEAD', `/v1/blobs/${h}`);
    expect([head0.status, head0.headers.get('x-zizhu-blob-offset')]).toEqual([404, '0']);
    const put = (offset: number, chunk: Buffer) =>
      call(k, 'PUT', `/v1/blobs/${h}`, {
        body: chunk,
        headers: {
          'content-type': 'application/octet-stream',
          'x-zizhu-blob-offset': String(offset),
          'x-zizhu-blob-size': String(bytes.length),
        },
      });
    expect((await put(0, bytes.subarray(0, 40_000))).status).toBe(202);
    const head1 = await call(k, 'HEAD', `/v1/blobs/${h}`);
    expect(head1.headers.get('x-zizhu-blob-offset')).toBe('40000');
    const wrongOffset = await put(10, bytes.subarray(10, 20));
    expect([wrongOffset.status, wrongOffset.body.offset]).toEqual([409, 40_000]);
    expect((await put(40_000, bytes.subarray(40_000))).status).toBe(201);
    const head2 = await call(k, 'HEAD', `/v1/blobs/${h}`);
    expect([head2.status, head2.headers.get('x-zizhu-blob-size')]).toEqual([200, '100000']);
    expect((await put(0, bytes)).status).toBe(200); // known hash = done

    // Bytes that do not hash to the name are discarded.
    const other = sha('other');
    const bad = await call(k, 'PUT', `/v1/blobs/${other}`, {
      body: Buffer.from('wrong'),
      headers: {
        'content-type': 'application/octet-stream',
        'x-zizhu-blob-offset': '0',
        'x-zizhu-blob-size': '5',
      },
    });
    expect(bad.status).toBe(422);
    expect((await call(k, 'HEAD', `/v1/blobs/${other}`)).headers.get('x-zizhu-blob-offset')).toBe('0');

    const ok = await push(k, [entry(1, 'application', app)]);
    expect(ok.status).toBe(200);
    expect((ok.body.results as { hallReference: string }[])[0]?.hallReference).toMatch(/^610102-/);
  });

  it('serves the change log with cursors, tombstones, retention and a wake-up', async () => {
    const a = await enroll();
    const b = await enroll();
    const appA = uuidOf('app-a');
    await push(a, [entry(1, 'application', sampleApplication({ id: appA, jurisdiction: '610113' }))]);
    await hall.service.appendChange({
      kioskId: null,
      stream: 'holidays',
      key: '2026',
      op: 'put',
      data: { days: ['2026-10-01'] },
    });
    const set = await hall.service.setCaseStatus(appA, {
      status: 'correction-requested',
      at: new Date(now).toISOString(),
      materials: ['m2'],
    });
    expect(set.ok).toBe(true);
    await hall.service.appendChange({
      kioskId: null,
      stream: 'holidays',
      key: '2026',
      op: 'del',
      data: null,
    });

    const pageA = await call(a, 'GET', '/v1/changes?cursor=&limit=2');
    expect(pageA.body).toMatchObject({
      hasMore: true,
      changes: [
        { stream: 'holidays', op: 'put', version: 1 },
        { stream: 'case-status', key: appA, data: { status: 'correction-requested', materials: ['m2'] } },
      ],
    });
    const rest = await call(a, 'GET', `/v1/changes?cursor=${String(pageA.body.nextCursor)}&limit=2`);
    expect(rest.body).toMatchObject({
      hasMore: false,
      changes: [{ stream: 'holidays', op: 'del', version: 2, data: null }],
    });
    // Kiosk b does not see a's case.
    const pageB = await call(b, 'GET', '/v1/changes?cursor=');
    expect((pageB.body.changes as { stream: string }[]).map((c) => c.stream)).toEqual([
      'holidays',
      'holidays',
    ]);
    expect(
      await hall.service.setCaseStatus(uuidOf('nope'), {
        status: 'completed',
        at: new Date(now).toISOString(),
        result: 'x',
      }),
    ).toEqual({
      ok: false,
      error: 'unknown-application',
    });

    // Wake-up: returns at once when something is newer than the cursor, else waits for it.
    const cursorNow = String(rest.body.nextCursor);
    expect((await call(a, 'GET', `/v1/wait?cursor=0&timeoutMs=5000`)).body).toEqual({ changed: true });
    const t0 = Date.now();
    expect((await call(a, 'GET', `/v1/wait?cursor=${cursorNow}&timeoutMs=200`)).body).toEqual({
      changed: false,
    });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    const waiting = call(a, 'GET', `/v1/wait?cursor=${cursorNow}&timeoutMs=10000`);
    setTimeout(
      () =>
        void hall.service.setCaseStatus(appA, {
          status: 'completed',
          at: new Date(now).toISOString(),
          result: 'approved',
        }),
      50,
    );
    expect((await waiting).body).toEqual({ changed: true });

    // Retention: past the window the old changes are purged; an old cursor must refetch.
    now += 2 * 3600_000;
    expect(await hall.service.purgeChanges()).toBe(4);
    const expired = await call(a, 'GET', '/v1/changes?cursor=0');
    expect([expired.status, expired.body]).toEqual([410, { mustRefetch: true, reason: 'cursor-expired' }]);
    const snap = await call(a, 'GET', '/v1/snapshot?after=');
    expect(snap.body).toMatchObject({ hasMore: false });
    expect(snap.body.cursor).toMatch(
      new RegExp(
        `^${(await hall.service.currentEpoch()).id}\\.${await hall.service.maxPosition()}\\.[0-9a-f]{16}$`,
      ),
    );
    expect(
      (snap.body.records as { stream: string; op: string; version: number }[]).map((r) => [
        r.stream,
        r.op,
        r.version,
      ]),
    ).toEqual([
      ['holidays', 'del', 2],
      ['case-status', 'put', 2],
    ]);
    // A cursor beyond anything the log wrote: the hall was restored under it — a new epoch.
    const future = await call(a, 'GET', '/v1/changes?cursor=999');
    expect([future.status, future.body.error, future.body.reason]).toEqual([
      410,
      'history-changed',
      'history-changed',
    ]);
  });
});
