import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../backend/index.js';
import { enrollKiosk } from './enroll.js';
import { HEADERS, SCHEMA_VERSION } from './protocol.js';
import { readEnrollment } from './store.js';
import { fakeFetch, jsonReply, type FakeHall } from './testing/fake-fetch.js';

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

describe('enrolment', () => {
  it('sends the trimmed code unsigned and stores the identity under the hall URL as a base', async () => {
    const { result, requests } = enrolAt(() =>
      jsonReply(200, { kioskId: 'K-0007', secret: 'a-secret-of-sixteen-or-more', jurisdiction: '610113' }),
    );
    expect(await result).toMatchObject({ ok: true, enrollment: { kioskId: 'K-0007' } });
    expect(requests[0]?.target).toBe('/gov/v1/enroll');
    expect(JSON.parse(requests[0]?.body.toString() ?? '')).toEqual({ code: 'AB12CD' });
    expect(requests[0]?.headers.get(HEADERS.schema)).toBe(String(SCHEMA_VERSION));
    expect(requests[0]?.headers.get(HEADERS.signature)).toBeNull();
    expect(readEnrollment(db)).toEqual({
      kioskId: 'K-0007',
      secret: 'a-secret-of-sixteen-or-more',
      jurisdiction: '610113',
      hallUrl: 'http://hall.test/gov/',
      enrolledAt: '2026-03-02T08:00:00.000Z',
    });
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
