/**
 * Whose case, at the hall (docs/security.md, "Whose card, whose case"; docs/sync-protocol.md, "Push"):
 * pushed entries are range-checked and refused one by one with a shared code (ENTRY_REJECT_CODES)
 * while the rest of the batch is applied; a supplement or an evaluation is accepted only from the kiosk
 * that submitted the application; and a case with an impossible date already in the database (year
 * +275760) leaves its jurisdiction's supervision report answering.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enrolWithService } from './testing/enrol.js';
import { ENTRY_REJECT_CODES, type PushResult } from '../shared/wire/index.js';
import { startHallServer, type HallServer } from './server.js';
import {
  applicationPayload,
  enrolKiosk,
  fixtureId,
  sha,
  staffCall,
  storeBlob,
} from './testing/staff-fixture.js';

let dir: string;
let hall: HallServer;
const NOW = '2026-03-02T09:00:00Z';

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-ingest-'));
  hall = await startHallServer(
    { host: '127.0.0.1', port: 0, dataDir: dir },
    { silent: true, clock: () => new Date(NOW) },
  );
});
afterEach(async () => {
  await hall.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A kiosk that pushes whole batches (seq numbers continue across batches). */
async function batchKiosk(jurisdiction = '610102') {
  const { kioskId } = await enrolWithService(hall.service, jurisdiction);
  let seq = 0;
  return {
    id: kioskId,
    async push(entries: { kind: string; payload: unknown }[]) {
      const r = await hall.service.push(kioskId, {
        entries: entries.map((e) => {
          const text = JSON.stringify(e.payload);
          seq += 1;
          return { seq, kind: e.kind, payload: text, payloadHash: sha(text) };
        }),
      });
      return r as { status: number; body: { ackedThroughSeq: number; results: PushResult[] } };
    },
  };
}

const outcome = (r: PushResult) => (r.status === 'applied' ? 'applied' : `${r.status}:${r.code ?? '?'}`);

const supplement = (name: string, application: string, page: string) => ({
  id: fixtureId(name),
  applicationId: fixtureId(application),
  receiptNo: 'FD01-20260302-0001',
  submittedAt: '2026-03-03T02:00:00.000Z',
  attachments: [{ sha256: page, materialCode: 'm1', size: 4, position: 0, mime: 'image/jpeg' }],
});
const evaluation = (name: string, application: string) => ({
  id: fixtureId(name),
  targetKind: 'application',
  targetId: fixtureId(application),
  level: 'satisfied',
  contentItems: [],
  reason: null,
  comment: null,
  channel: 'self-service-terminal',
  itemsVersion: 'v1',
  createdAt: '2026-03-03T02:00:00.000Z',
});

describe('range checks, per entry', () => {
  it('refuses out-of-range dates and days one entry at a time; the rest of the batch is applied', async () => {
    const k = await batchKiosk();
    const r = await k.push([
      { kind: 'application', payload: applicationPayload('good-1') },
      {
        kind: 'application',
        payload: applicationPayload('far-future', { submittedAt: '9999-12-31T00:00:00.000Z' }),
      },
      {
        kind: 'application',
        payload: applicationPayload('long-ago', { submittedAt: '1970-01-01T00:00:00.000Z' }),
      },
      { kind: 'application', payload: applicationPayload('year-days', { promisedDays: 400 }) },
      { kind: 'application', payload: applicationPayload('no-such-day', { promisedDate: '2026-02-31' }) },
      { kind: 'application', payload: applicationPayload('before', { promisedDate: '2026-03-01' }) },
      {
        kind: 'queue-ticket',
        payload: {
          id: fixtureId('old-ticket'),
          idempotencyKey: 'ticket-old-1',
          window: 'zzlb',
          number: 'A900',
          serviceDate: '1999-12-31',
          issuedAt: '2026-03-02T01:00:00.000Z',
          source: 'offline',
        },
      },
      { kind: 'application', payload: applicationPayload('good-2') },
    ]);
    expect(r.status).toBe(200);
    expect(r.body.ackedThroughSeq).toBe(8);
    expect(r.body.results.map(outcome)).toEqual([
      'applied',
      'rejected:out-of-range',
      'rejected:out-of-range',
      'rejected:out-of-range',
      'rejected:out-of-range',
      'rejected:out-of-range',
      'rejected:out-of-range',
      'applied',
    ]);
    expect(r.body.results[1]?.reason).toContain('submittedAt: year 9999');
    expect(r.body.results[3]?.reason).toContain('promisedDays');
    expect(r.body.results[4]?.reason).toContain('promisedDate: not a real date');
  });

  it('answers every refusal with a code from the shared list, also when a batch is retried', async () => {
    const k = await batchKiosk();
    const first = await k.push([
      { kind: 'mystery', payload: { a: 1 } },
      { kind: 'evaluation', payload: { not: 'an evaluation' } },
      { kind: 'application', payload: applicationPayload('dup') },
      { kind: 'application', payload: applicationPayload('dup') },
    ]);
    expect(first.body.results.map(outcome)).toEqual([
      'rejected:unknown-kind',
      'rejected:invalid',
      'applied',
      'rejected:already-received',
    ]);
    for (const res of first.body.results)
      if (res.code !== undefined) expect(ENTRY_REJECT_CODES).toContain(res.code);
    // A retry of the batch under the same seqs is answered as the first time.
    const retried = (
      await hall.service.push(k.id, {
        entries: [
          { kind: 'mystery', payload: { a: 1 } },
          { kind: 'evaluation', payload: { not: 'an evaluation' } },
          { kind: 'application', payload: applicationPayload('dup') },
          { kind: 'application', payload: applicationPayload('dup') },
        ].map((e, i) => {
          const text = JSON.stringify(e.payload);
          return { seq: i + 1, kind: e.kind, payload: text, payloadHash: sha(text) };
        }),
      })
    ).body as { results: PushResult[] };
    expect(retried.results.map((x) => [x.duplicate, x.code])).toEqual(
      first.body.results.map((x) => [true, x.code]),
    );
  });
});

describe('supplements and evaluations only from the kiosk that submitted the case', () => {
  it('refuses kiosk B’s supplement and evaluation on kiosk A’s case, per entry; accepts A’s own', async () => {
    const a = await batchKiosk();
    const b = await batchKiosk();
    const page = await storeBlob(hall, Buffer.from('page'));
    expect(
      (await a.push([{ kind: 'application', payload: applicationPayload('a-case') }])).body.results.map(
        outcome,
      ),
    ).toEqual(['applied']);
    const fromB = await b.push([
      { kind: 'application', payload: applicationPayload('b-case') },
      { kind: 'supplement', payload: supplement('b-sup', 'a-case', page) },
      { kind: 'evaluation', payload: evaluation('b-eval', 'a-case') },
      { kind: 'supplement', payload: supplement('b-sup-unknown', 'nobody', page) },
      { kind: 'evaluation', payload: evaluation('b-eval-own', 'b-case') },
    ]);
    expect(fromB.body.ackedThroughSeq).toBe(5);
    expect(fromB.body.results.map(outcome)).toEqual([
      'applied',
      'rejected:not-owner',
      'rejected:not-owner',
      'rejected:unknown-application',
      'applied',
    ]);
    expect(fromB.body.results[1]?.reason).toContain('another kiosk');
    // Nothing of B's reached A's case.
    const db = new Database(join(dir, 'hall.db'), { readonly: true });
    const count = (sql: string, ...p: unknown[]) =>
      db
        .prepare(sql)
        .pluck()
        .get(...p) as number;
    expect(count('SELECT count(*) FROM supplements WHERE application_id = ?', fixtureId('a-case'))).toBe(0);
    expect(count('SELECT count(*) FROM evaluations WHERE target_id = ?', fixtureId('a-case'))).toBe(0);
    db.close();
    // A's own supplement and evaluation are accepted.
    const fromA = await a.push([
      { kind: 'supplement', payload: supplement('a-sup', 'a-case', page) },
      { kind: 'evaluation', payload: evaluation('a-eval', 'a-case') },
    ]);
    expect(fromA.body.results.map(outcome)).toEqual(['applied', 'applied']);
  });
});

describe('a bad date already stored', () => {
  it('does not break the jurisdiction’s supervision report (year +275760)', async () => {
    const k = await enrolKiosk(hall, '610102');
    expect((await k.push('application', applicationPayload('fine'))).status).toBe(200);
    expect((await k.push('application', applicationPayload('bad-later'))).status).toBe(200);
    expect((await k.push('application', applicationPayload('far'))).status).toBe(200);
    // Written before the range checks existed (or by another tool): an impossible submission time.
    const payload = JSON.stringify({
      ...applicationPayload('bad-later'),
      submittedAt: '+275760-09-14T00:00:00.000Z',
    });
    const db = new Database(join(dir, 'hall.db'));
    db.prepare('UPDATE applications SET payload = ? WHERE id = ?').run(payload, fixtureId('bad-later'));
    // And one whose very receipt time is unusable.
    db.prepare(
      "UPDATE applications SET received_at = '+275760-09-14T00:00:00.000Z', payload = ? WHERE id = ?",
    ).run(payload, fixtureId('fine'));
    // And one far in the future with the longest 承诺时限 the schema lets through.
    db.prepare('UPDATE applications SET payload = ? WHERE id = ?').run(
      JSON.stringify({
        ...applicationPayload('far'),
        submittedAt: '9999-12-31T23:00:00.000Z',
        promisedDays: 3650,
      }),
      fixtureId('far'),
    );
    db.close();
    expect((await k.push('application', applicationPayload('normal'))).status).toBe(200);
    const token = await hall.staff.createToken('王科员', '610102');
    const r = await staffCall(hall, token, 'GET', '/v1/staff/supervision');
    expect(r.status).toBe(200);
    const cases = r.body.cases as { id: string; level: string }[];
    const level = (name: string) => cases.find((c) => c.id === fixtureId(name))?.level;
    expect(level('normal')).toBe('reminder');
    // Listed, counted as unknown (no promised time can be worked out), the others unharmed.
    expect(level('bad-later')).toBe('unknown');
    expect(level('fine')).toBe('unknown');
    expect(level('far')).toBe('reminder');
    expect((r.body.summary as Record<string, number>).unknown).toBe(2);
    const detail = await staffCall(hall, token, 'GET', `/v1/staff/cases/${fixtureId('fine')}`);
    expect(detail.status).toBe(200);
  });
});
