import { describe, expect, it } from 'vitest';
import { heartbeatSchema, licenceLookupRequestSchema } from '../shared/wire/index.js';
import { createHallCalls } from './hall-calls.js';
import { fakeFetch, jsonReply, neverAnswers, silentLogger, type FakeHall } from './testing/fake-fetch.js';
import { createTransport, type SyncLogger } from './transport.js';

function callsOver(hall: FakeHall, extra: Partial<Parameters<typeof createHallCalls>[0]> = {}) {
  const fake = fakeFetch(hall);
  const calls = createHallCalls({
    transport: createTransport({
      hallUrl: 'http://hall.test/',
      credentials: { kioskId: 'K-0001', secret: 'a-secret-of-sixteen-or-more' },
      clock: () => new Date('2026-03-02T08:00:00Z'),
      logger: silentLogger,
      fetch: fake.fetch,
    }),
    logger: silentLogger,
    ...extra,
  });
  return { calls, requests: fake.requests };
}

const ticket = {
  id: '6f1c1c2e-8a4b-4f5e-9c1d-2b3a4c5d6e7f',
  idempotencyKey: 'ticket-key-1',
  window: 'zzlb',
  prefix: 'A',
  serviceDate: '2026-03-02',
} as const;

describe('the hall’s other calls', () => {
  it('looks licences up with the contract’s request and keeps only the materials asked for', async () => {
    const { calls, requests } = callsOver(() => jsonReply(200, { held: ['m1', 'm9'] }));
    expect(await calls.lookupLicences('11010519491231002X', ['m1', 'm2'])).toEqual(new Set(['m1']));
    expect(licenceLookupRequestSchema.parse(JSON.parse(requests[0]?.body.toString() ?? ''))).toEqual({
      idNumber: '11010519491231002X',
      materials: ['m1', 'm2'],
    });
  });

  it('answers null, quickly, when the hall cannot answer: refused, malformed, or too slow', async () => {
    for (const hall of [
      () => jsonReply(503, { error: 'unavailable', message: 'later' }),
      () => jsonReply(200, { held: 'm1', number: 7, waiting: [] }),
    ] satisfies FakeHall[]) {
      const { calls } = callsOver(hall);
      expect(await calls.lookupLicences('11010519491231002X', ['m1'])).toBeNull();
      expect(await calls.takeTicket(ticket)).toBeNull();
      expect(await calls.queueStatus('2026-03-02')).toBeNull();
    }
    const { calls } = callsOver(neverAnswers);
    const t0 = Date.now();
    expect(await calls.takeTicket(ticket, 50)).toBeNull();
    expect(await calls.queueStatus('2026-03-02', 50)).toBeNull();
    expect(await calls.lookupLicences('11010519491231002X', ['m1'], 50)).toBeNull();
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('reads a ticket and the queue with the contract’s schemas', async () => {
    const { calls, requests } = callsOver((req) =>
      req.url.pathname === '/v1/queue/tickets'
        ? jsonReply(200, { number: 'A007', peopleWaiting: 3, issuedAt: '2026-03-02T08:00:00.000Z' })
        : jsonReply(200, { waiting: { zzlb: 3 } }),
    );
    expect(await calls.takeTicket(ticket)).toEqual({
      number: 'A007',
      peopleWaiting: 3,
      issuedAt: '2026-03-02T08:00:00.000Z',
    });
    expect(await calls.queueStatus('2026-03-02')).toEqual({ zzlb: 3 });
    expect(requests.map((r) => r.target)).toEqual([
      '/v1/queue/tickets',
      '/v1/queue/status?serviceDate=2026-03-02',
    ]);
  });

  it('sends a heartbeat the contract accepts, and never fails its caller', async () => {
    const { calls, requests } = callsOver(() => jsonReply(200, { ok: true }), {
      health: () => [{ kind: 'printer', state: 'paper-out', detail: null }],
      appVersion: '1.2.3',
    });
    await calls.heartbeat(4);
    expect(heartbeatSchema.parse(JSON.parse(requests[0]?.body.toString() ?? ''))).toEqual({
      backlog: 4,
      devices: [{ kind: 'printer', state: 'paper-out', detail: null }],
      appVersion: '1.2.3',
    });
    const warnings: object[] = [];
    const logger: SyncLogger = { ...silentLogger, warn: (obj) => warnings.push(obj) };
    const broken = callsOver(() => jsonReply(500, { error: 'unavailable' }), {
      logger,
      health: () => {
        throw new Error('device manager gone');
      },
    });
    await expect(broken.calls.heartbeat(0)).resolves.toBeUndefined();
    expect(warnings).toHaveLength(1);
    await expect(callsOver(() => jsonReply(500, {})).calls.heartbeat(0)).resolves.toBeUndefined();
  });
});
