import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../backend/index.js';
import { enrollKiosk } from './enroll.js';
import { HEADERS, SCHEMA_VERSION } from './protocol.js';
import { readEnrollment } from './store.js';
import { sealEnrolSecret, verifyEnrolProof } from '../shared/wire/enrolment.js';
import { enrollRequestSchema } from '../shared/wire/index.js';
import { fakeFetch, jsonReply, type FakeHall, type FakeRequest } from './testing/fake-fetch.js';

let root: string;
let db: Db;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'zizhu-enrol-'));
  const opened = openDatabase(join(root, 'kiosk.db'));
  if (!opened.ok) throw new Error(opened.message);
  db = opened.db;
});
afterEach(() => {
  db.close();
  rmSync(root, { recursive: true, force: true });
});

const clock = () => new Date('2026-03-02T08:00:00Z');
const enrolAt = (hall: FakeHall, hallUrl = 'http://hall.test/gov') => {
  const fake = fakeFetch(hall);
  return {
    result: enrollKiosk({ db, hallUrl, code: '  AB12CD  ', clock, fetch: fake.fetch }),
    requests: fake.requests,
  };
};

/** A hall that knows the code: checks the proof and seals the secret as the reference hall does. */
const sealingHall =
  (code: string, secret = 'a-secret-of-sixteen-or-more') =>
  (req: FakeRequest): Response => {
    const r = enrollRequestSchema.parse(JSON.parse(req.body.toString()));
    if (!verifyEnrolProof(code, r.kioskPublicKey, r.firstSeq, r.proof))
      return jsonReply(403, { error: 'invalid-code', message: 'unknown enrolment code' });
    const ids = { kioskId: 'K-0007', jurisdiction: '610113' };
    const sealed = sealEnrolSecret({ code, kioskPublicKey: r.kioskPublicKey, secret, ...ids });
    return jsonReply(200, { ...ids, ...sealed });
  };

describe('enrolment', () => {
  it('proves the code without sending it, opens the sealed secret and stores the identity', async () => {
    const { result, requests } = enrolAt(sealingHall('AB12CD'));
    expect(await result).toMatchObject({ ok: true, enrollment: { kioskId: 'K-0007' } });
    expect(requests[0]?.target).toBe('/gov/v1/enroll');
    const sent = requests[0]?.body.toString() ?? '';
    expect(sent).not.toMatch(/AB12CD/i);
    expect(JSON.parse(sent)).toMatchObject({ firstSeq: 1 });
    expect(requests[0]?.headers.get(HEADERS.schema)).toBe(String(SCHEMA_VERSION));
    expect(requests[0]?.headers.get(HEADERS.signature)).toBeNull();
    expect(readEnrollment(db)).toEqual({
      kioskId: 'K-0007',
      secret: 'a-secret-of-sixteen-or-more',
      jurisdiction: '610113',
      hallUrl: 'http://hall.test/gov/',
      enrolledAt: '2026-03-02T08:00:00.000Z',
      firstSeq: 1,
    });
  });

  it('refuses an answer not sealed for its key and code (an impostor hall), storing nothing', async () => {
    expect(await enrolAt(sealingHall('OTHERCODE')).result).toMatchObject({
      ok: false,
      error: { kind: 'http', status: 403, error: 'invalid-code' },
    });
    // An impostor that knows nothing of the code can still answer 200: it cannot seal for this kiosk.
    const impostor = (req: FakeRequest): Response => {
      const r = enrollRequestSchema.parse(JSON.parse(req.body.toString()));
      const sealed = sealEnrolSecret({
        code: 'GUESSED',
        kioskPublicKey: r.kioskPublicKey,
        secret: 'an-impostors-secret-000',
        kioskId: 'K-9',
        jurisdiction: '610113',
      });
      return jsonReply(200, { kioskId: 'K-9', jurisdiction: '610113', ...sealed });
    };
    expect(await enrolAt(impostor).result).toMatchObject({ ok: false, error: { kind: 'untrusted-answer' } });
    expect(readEnrollment(db)).toBeNull();
  });

  it('stores nothing when the hall refuses, answers nonsense or cannot be reached', async () => {
    expect(
      await enrolAt(() => jsonReply(410, { error: 'code-expired', message: 'ask again' })).result,
    ).toEqual({
      ok: false,
      error: { kind: 'http', status: 410, error: 'code-expired', message: 'ask again', retryAfterMs: 0 },
    });
    expect(
      await enrolAt(() => new Response('<html>bad gateway</html>', { status: 502 })).result,
    ).toMatchObject({
      ok: false,
      error: { kind: 'http', status: 502, error: 'error' },
    });
    expect(await enrolAt(() => jsonReply(200, { kioskId: 'K-0007' })).result).toEqual({
      ok: false,
      error: { kind: 'protocol', message: 'malformed enrolment answer' },
    });
    expect(await enrolAt(() => Promise.reject(new TypeError('fetch failed'))).result).toEqual({
      ok: false,
      error: { kind: 'network', message: 'fetch failed' },
    });
    expect(readEnrollment(db)).toBeNull();
  });
});
