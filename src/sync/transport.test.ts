import { describe, expect, it } from 'vitest';
import { HEADERS, sign, signingString, waitResponse } from './protocol.js';
import { fakeFetch, jsonReply, neverAnswers, silentLogger, type FakeHall } from './testing/fake-fetch.js';
import { createTransport, parseReply } from './transport.js';

const credentials = { kioskId: 'K-0001', secret: 'a-secret-of-sixteen-or-more' };
const kioskNow = Date.parse('2026-03-02T08:00:00Z');
const SKEW_MS = 5 * 60 * 1000;

const transportFor = (hall: FakeHall, opts: { hallUrl?: string; timeoutMs?: number } = {}) => {
  const fake = fakeFetch(hall);
  const transport = createTransport({
    hallUrl: opts.hallUrl ?? 'http://hall.test',
    credentials,
    clock: () => new Date(kioskNow),
    logger: silentLogger,
    fetch: fake.fetch,
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
  });
  return { transport, requests: fake.requests };
};

describe('signed transport', () => {
  it('signs method, full path (with the hall URL prefix), timestamp, nonce and body', async () => {
    const { transport, requests } = transportFor(() => jsonReply(200, { changed: false }), {
      hallUrl: 'http://hall.test/gov/kiosk',
    });
    const body = Buffer.from('{"backlog":0}');
    const r = await transport.send('POST', 'v1/heartbeat?x=1', { body });
    expect(r).toMatchObject({ ok: true, value: { status: 200, body: { changed: false } } });
    const req = requests[0];
    if (!req) throw new Error('no request');
    expect(req.target).toBe('/gov/kiosk/v1/heartbeat?x=1');
    expect(req.headers.get(HEADERS.kioskId)).toBe('K-0001');
    expect(req.headers.get(HEADERS.timestamp)).toBe(String(kioskNow));
    expect(req.headers.get('content-type')).toBe('application/json');
    const nonce = req.headers.get(HEADERS.nonce) ?? '';
    expect(nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(req.headers.get(HEADERS.signature)).toBe(
      sign(credentials.secret, signingString('POST', req.target, String(kioskNow), nonce, body)),
    );
  });

  it('learns the hall clock from a stale-timestamp refusal, retries once and keeps the offset', async () => {
    const hallNow = kioskNow + 3 * 3600_000;
    // A hall three hours ahead of the kiosk's clock, refusing as docs/sync-protocol.md section 1 says.
    const { transport, requests } = transportFor((req) => {
      const ts = Number(req.headers.get(HEADERS.timestamp));
      return Math.abs(ts - hallNow) > SKEW_MS
        ? jsonReply(401, { error: 'stale-timestamp', message: 'clock', hallTime: hallNow })
        : jsonReply(200, { changed: true });
    });
    expect(await transport.send('GET', 'v1/wait')).toMatchObject({ ok: true, value: { status: 200 } });
    expect(requests.map((r) => Number(r.headers.get(HEADERS.timestamp)))).toEqual([kioskNow, hallNow]);
    // The nonce is fresh on the retry (the hall remembers nonces).
    expect(requests[0]?.headers.get(HEADERS.nonce)).not.toBe(requests[1]?.headers.get(HEADERS.nonce));
    // Later requests carry the corrected timestamp at once.
    expect(await transport.send('GET', 'v1/wait')).toMatchObject({ ok: true, value: { status: 200 } });
    expect(requests).toHaveLength(3);
    expect(Number(requests[2]?.headers.get(HEADERS.timestamp))).toBe(hallNow);
  });

  it('does not retry any other 401 (or a stale-timestamp without the hall time)', async () => {
    for (const body of [
      { error: 'bad-signature', message: 'no' },
      { error: 'stale-timestamp', message: 'no hall time' },
    ]) {
      const { transport, requests } = transportFor(() => jsonReply(401, body));
      const r = await transport.send('GET', 'v1/changes');
      expect(requests).toHaveLength(1);
      if (!r.ok) throw new Error('expected a reply');
      expect(transport.httpError(r.value)).toEqual({
        kind: 'http',
        status: 401,
        error: body.error,
        message: body.message,
        retryAfterMs: 0,
      });
    }
  });

  it('turns a hall that does not answer in time into a network error', async () => {
    const { transport } = transportFor(neverAnswers, { timeoutMs: 30 });
    const r = await transport.send('GET', 'v1/changes?cursor=');
    expect(r).toMatchObject({ ok: false, error: { kind: 'network' } });
    if (r.ok) return;
    expect(r.error.kind === 'network' && r.error.message.startsWith('GET /v1/changes?cursor=: ')).toBe(true);
  });

  it('aborts with the caller’s signal before its own timeout', async () => {
    const { transport } = transportFor(neverAnswers, { timeoutMs: 60_000 });
    const stop = new AbortController();
    const pending = transport.send('GET', 'v1/wait', { signal: stop.signal });
    stop.abort();
    expect(await pending).toMatchObject({ ok: false, error: { kind: 'network' } });
  });

  it('names the cause of a connection failure, and reports an answer that is not JSON', async () => {
    const refused = transportFor(() =>
      Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })),
    );
    expect(await refused.transport.send('POST', 'v1/push')).toEqual({
      ok: false,
      error: { kind: 'network', message: 'POST /v1/push: ECONNREFUSED' },
    });
    const html = transportFor(() => new Response('<html>proxy error</html>', { status: 502 }));
    expect(await html.transport.send('GET', 'v1/changes')).toEqual({
      ok: false,
      error: { kind: 'protocol', message: 'GET /v1/changes: answer is not JSON (502)' },
    });
  });

  it('reads a refusal’s code and Retry-After, and parses answers with the contract’s schemas', async () => {
    const { transport } = transportFor(() =>
      jsonReply(503, { error: 'unavailable', message: 'later' }, { 'retry-after': '7' }),
    );
    const r = await transport.send('GET', 'v1/changes');
    if (!r.ok) throw new Error('expected a reply');
    expect(transport.httpError(r.value)).toEqual({
      kind: 'http',
      status: 503,
      error: 'unavailable',
      message: 'later',
      retryAfterMs: 7000,
    });
    expect(parseReply(waitResponse, { ...r.value, body: { changed: 'yes' } }, 'wait')).toEqual({
      ok: false,
      error: { kind: 'protocol', message: 'malformed wait answer' },
    });
    expect(parseReply(waitResponse, { ...r.value, body: { changed: true } }, 'wait')).toEqual({
      ok: true,
      value: { changed: true },
    });
  });
});
