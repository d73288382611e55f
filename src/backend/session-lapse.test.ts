/**
 * A lapsed resident session has one answer, from every procedure that takes one: the returned
 * value `{ ok: false, error: { kind: 'session-expired' } }` — never a thrown error, never `null`,
 * never another kind. Asserted through the real API (HTTP, the kiosk's cookie) for a session that
 * ended and for one that never existed.
 *
 * The table is keyed by every procedure whose input names a `sessionId` (derived from the router's
 * types): a new session procedure without a row here does not compile, and neither does one whose
 * error union lacks `SessionExpired`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { SessionExpired } from '../shared/result.js';
import { startKioskBackend, type KioskBackend } from './app.js';
import { loadKioskConfig } from './config.js';
import { createLogger } from './logger.js';
import type { AppRouter } from './rpc/router.js';

type Api = ReturnType<typeof createTRPCClient<AppRouter>>;
type Inputs = inferRouterInputs<AppRouter>;
type Outputs = inferRouterOutputs<AppRouter>;

/** `router.procedure` of every procedure whose input takes a resident session (not a nullable one). */
type SessionProcedure = {
  [R in Extract<keyof Inputs, string>]: {
    [P in Extract<keyof Inputs[R], string>]: Inputs[R][P] extends { sessionId: string } ? `${R}.${P}` : never;
  }[Extract<keyof Inputs[R], string>];
}[Extract<keyof Inputs, string>];

type OutputOf<K extends SessionProcedure> = K extends `${infer R}.${infer P}`
  ? R extends keyof Outputs
    ? P extends keyof Outputs[R]
      ? Outputs[R][P]
      : never
    : never
  : never;

/** True when the procedure's answer can be the lapsed-session error (checked without distributing). */
type AnswersLapse<O> = [Extract<O, { ok: false }>] extends [{ ok: false; error: infer E }]
  ? [SessionExpired] extends [E]
    ? true
    : false
  : false;

const UNEMPLOYMENT = '610000-RSJ-JF-05005-000';
const SHA = '0'.repeat(64);
const PNG = 'data:image/png;base64,iVBORw0KGgo=';

/** One call per session procedure, with input that is valid in every other respect. */
const CALLS: { [K in SessionProcedure]: (api: Api, sessionId: string) => Promise<OutputOf<K>> } = {
  'session.get': (api, sessionId) => api.session.get.query({ sessionId }),
  'session.setMode': (api, sessionId) => api.session.setMode.mutate({ sessionId, mode: 'assisted' }),
  'session.identify': (api, sessionId) =>
    api.session.identify.mutate({ sessionId, role: 'applicant', timeoutMs: 500 }),
  'session.scan': (api, sessionId) => api.session.scan.mutate({ sessionId, material: 'sfz' }),
  'session.camera': (api, sessionId) => api.session.camera.mutate({ sessionId, material: 'sfz', image: PNG }),
  'session.removePage': (api, sessionId) =>
    api.session.removePage.mutate({ sessionId, material: 'sfz', sha256: SHA }),
  'application.plan': (api, sessionId) =>
    api.application.plan.query({ sessionId, target: { kind: 'item', code: UNEMPLOYMENT } }),
  'application.submit': (api, sessionId) =>
    api.application.submit.mutate({
      sessionId,
      target: { kind: 'item', code: UNEMPLOYMENT },
      form: {},
      delivery: { method: 'pickup' },
      integrityAcknowledged: true,
      // A fresh key: an answered key would return its submission before the session is looked at.
      idempotencyKey: `lapse-${randomUUID()}`,
      lang: 'zh',
    }),
  'application.awaitDecision': (api, sessionId) =>
    api.application.awaitDecision.mutate({ sessionId, applicationId: randomUUID(), lang: 'zh' }),
  'progress.mine': (api, sessionId) => api.progress.mine.query({ sessionId }),
  'progress.byReceipt': (api, sessionId) =>
    api.progress.byReceipt.query({ sessionId, receiptNo: 'ZZ01-20261126-0001', accessCode: 'K7QMX3RD' }),
  'progress.detail': (api, sessionId) => api.progress.detail.query({ sessionId, id: randomUUID() }),
  'progress.reprint': (api, sessionId) =>
    api.progress.reprint.mutate({ sessionId, id: randomUUID(), lang: 'zh' }),
  'evaluation.submit': (api, sessionId) =>
    api.evaluation.submit.mutate({
      sessionId,
      target: { kind: 'application', id: randomUUID() },
      level: 'satisfied',
      contentItems: [],
      idempotencyKey: `lapse-${randomUUID()}`,
    }),
  'queue.priorityOffer': (api, sessionId) => api.queue.priorityOffer.query({ sessionId }),
  'progress.supplement': (api, sessionId) =>
    api.progress.supplement.mutate({
      sessionId,
      applicationId: randomUUID(),
      idempotencyKey: `lapse-${randomUUID()}`,
    }),
};

let dir: string;
let kiosk: KioskBackend;
let api: Api;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-lapse-'));
  const cfg = loadKioskConfig({ argv: [], env: { KIOSK_DATA_DIR: dir, KIOSK_PORT: '0' } });
  if (!cfg.ok) throw new Error(cfg.error);
  kiosk = await startKioskBackend({ config: cfg.config, logger: createLogger('silent') });
  const cookie = ((await fetch(kiosk.url)).headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  api = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${kiosk.url}api`, headers: () => ({ cookie }) })],
  });
}, 60_000);

afterAll(async () => {
  await kiosk?.close();
  rmSync(dir, { recursive: true, force: true });
});

const rows = Object.entries(CALLS) as [SessionProcedure, (api: Api, sessionId: string) => Promise<unknown>][];

describe('a lapsed session', () => {
  it('is in the error union of every session procedure (checked by the compiler)', () => {
    expectTypeOf<{ [K in SessionProcedure]: AnswersLapse<OutputOf<K>> }>().toEqualTypeOf<
      Record<SessionProcedure, true>
    >();
    // The table covers the router's session procedures and nothing else (session.end takes null).
    expect(rows.map(([name]) => name).sort()).toEqual([
      'application.awaitDecision',
      'application.plan',
      'application.submit',
      'evaluation.submit',
      'progress.byReceipt',
      'progress.detail',
      'progress.mine',
      'progress.reprint',
      'progress.supplement',
      'queue.priorityOffer',
      'session.camera',
      'session.get',
      'session.identify',
      'session.removePage',
      'session.scan',
      'session.setMode',
    ]);
  });

  it.each(rows)('%s answers session-expired for a session that ended', async (_, call) => {
    const s = await api.session.start.mutate({ trigger: 'touch' });
    await api.session.end.mutate({ sessionId: s.id, reason: 'timeout' });
    expect(await call(api, s.id)).toEqual({ ok: false, error: { kind: 'session-expired' } });
  });

  it.each(rows)('%s answers session-expired for a session that never was', async (_, call) => {
    // Another session is live: the unknown id is still no session of this kiosk's.
    await api.session.start.mutate({ trigger: 'touch' });
    expect(await call(api, randomUUID())).toEqual({ ok: false, error: { kind: 'session-expired' } });
  });

  it('and ending a session that already ended is no failure', async () => {
    const s = await api.session.start.mutate({ trigger: 'touch' });
    await api.session.end.mutate({ sessionId: s.id, reason: 'home' });
    expect(await api.session.end.mutate({ sessionId: s.id, reason: 'home' })).toBeNull();
  });
});
