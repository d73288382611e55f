/**
 * Every way `application.submit` refuses (SubmitError), each through the real API on the real
 * backend (stores, session, the simulated card reader with the card placed after each session starts, the document-camera path) —
 * and that a refused submit writes nothing: no application, no outbox entry, no audit entry.
 */
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanner } from '../devices/index.js';
import { placeCard } from './testing/place-card.js';
import { startKioskBackend, type KioskBackend } from './app.js';
import { loadKioskConfig } from './config.js';
import { expectOk } from './expect-ok.js';
import { createLogger } from './logger.js';
import type { AppRouter } from './rpc/router.js';

const UNEMPLOYMENT = '610000-RSJ-JF-05005-000'; // EMS or pickup; sfz, jczm, sbk required
const RECORD = '610000-RSJ-GG-05004-000'; // pickup only; sfz required

let dir: string;
let kiosk: KioskBackend;
let api: ReturnType<typeof createTRPCClient<AppRouter>>;
let page: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-submit-errors-'));
  const cfg = loadKioskConfig({
    argv: [],
    env: {
      KIOSK_DATA_DIR: dir,
      KIOSK_PORT: '0',
      KIOSK_IDCARD: 'sim:?timing=fast',
      KIOSK_SCANNER: 'none',
    },
  });
  if (!cfg.ok) throw new Error(cfg.error);
  kiosk = await startKioskBackend({ config: cfg.config, logger: createLogger('silent') });
  const cookie = ((await fetch(kiosk.url)).headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  api = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${kiosk.url}api`, headers: () => ({ cookie }) })],
  });
  for (let i = 0; i < 100 && !kiosk.devices.idcardReader(); i++) await new Promise((r) => setTimeout(r, 50));
  const s = await api.session.start.mutate({ trigger: 'touch' });
  const plan = expectOk(
    await api.application.plan.query({ sessionId: s.id, target: { kind: 'item', code: UNEMPLOYMENT } }),
  );
  FORM.separationReason = plan.fields.find((f) => f.key === 'separationReason')?.options?.[0]?.value ?? '';
  await api.session.end.mutate({ sessionId: s.id, reason: 'home' });
  page = `data:image/jpeg;base64,${(await scanner.renderSamplePage({ pageNumber: 1, resolution: 72, colorMode: 'color', content: 'document' })).toString('base64')}`;
}, 60_000);

afterAll(async () => {
  await kiosk?.close();
  rmSync(dir, { recursive: true, force: true });
});

const FORM = {
  contactPhone: '13800138000',
  address: '陕西省西安市雁塔区示例路1号',
  lastEmployer: '西安示例有限公司',
  separationDate: '2026-10-31',
  separationReason: '', // the catalog's first option, read in beforeAll
  jobIntention: '仓储管理',
};
const EMS = {
  method: 'ems' as const,
  recipient: '李秀英',
  phone: '13800138000',
  address: '陕西省西安市雁塔区示例路1号',
  postcode: '710061',
};

/** A session with the card's holder identified (the card placed after the session started). */
async function identified(mode: 'self' | 'assisted' = 'self'): Promise<string> {
  const s = await api.session.start.mutate({ trigger: 'touch' });
  if (mode === 'assisted') await api.session.setMode.mutate({ sessionId: s.id, mode });
  await placeCard(kiosk.devices);
  const id = await api.session.identify.mutate({ sessionId: s.id, role: 'applicant', timeoutMs: 10_000 });
  if (!id.ok) throw new Error(JSON.stringify(id.error));
  return s.id;
}

async function capture(sessionId: string, materials: readonly string[]): Promise<string[]> {
  const shas: string[] = [];
  for (const material of materials) {
    const r = await api.session.camera.mutate({ sessionId, material, image: page });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    shas.push(...(r.value.session.captured[material] ?? []).map((p) => p.sha256));
  }
  return shas;
}

const submit = (sessionId: string, over: Partial<Parameters<typeof api.application.submit.mutate>[0]> = {}) =>
  api.application.submit.mutate({
    sessionId,
    target: { kind: 'item', code: UNEMPLOYMENT },
    form: FORM,
    delivery: { method: 'pickup' },
    integrityAcknowledged: true,
    idempotencyKey: `submit-errors-${randomUUID()}`,
    lang: 'zh',
    ...over,
  });

const count = (sql: string) => kiosk.db.prepare(sql).pluck().get() as number;
const written = () => ({
  applications: count('SELECT count(*) FROM applications'),
  outbox: count('SELECT count(*) FROM outbox'),
  submits: count("SELECT count(*) FROM audit_log WHERE action = 'submit'"),
});

describe('application.submit refuses', () => {
  it('session-expired: an unknown or ended session', async () => {
    const before = written();
    expect(await submit(randomUUID())).toEqual({ ok: false, error: { kind: 'session-expired' } });
    const s = await identified();
    await api.session.end.mutate({ sessionId: s, reason: 'home' });
    expect(await submit(s)).toEqual({ ok: false, error: { kind: 'session-expired' } });
    expect(written()).toEqual(before);
  });

  it('no-identity: nobody identified, or 帮办代办 without the helper’s card', async () => {
    const s = await api.session.start.mutate({ trigger: 'touch' });
    expect(await submit(s.id)).toEqual({ ok: false, error: { kind: 'no-identity' } });
    const assisted = await identified('assisted');
    expect(await submit(assisted)).toEqual({ ok: false, error: { kind: 'no-identity' } });
  });

  it('integrity-not-acknowledged: the 承诺 notice was not accepted', async () => {
    const s = await identified();
    expect(await submit(s, { integrityAcknowledged: false })).toEqual({
      ok: false,
      error: { kind: 'integrity-not-acknowledged' },
    });
  });

  it('not-found: no such item or bundle in the catalog', async () => {
    const s = await identified();
    expect(await submit(s, { target: { kind: 'item', code: 'NO-SUCH-ITEM' } })).toEqual({
      ok: false,
      error: { kind: 'not-found' },
    });
    expect(await submit(s, { target: { kind: 'bundle', code: 'NO-SUCH-BUNDLE' } })).toEqual({
      ok: false,
      error: { kind: 'not-found' },
    });
  });

  it('invalid-form: a field fails its check (locked fields come from the card, not the screen)', async () => {
    const s = await identified();
    const r = await submit(s, { form: { ...FORM, contactPhone: '12345', applicantName: '别人' } });
    expect(r).toEqual({
      ok: false,
      error: { kind: 'invalid-form', errors: [{ key: 'contactPhone', problem: 'phone' }] },
    });
  });

  it('delivery-not-offered: EMS for an item handed over at the window only', async () => {
    const s = await identified();
    const plan = expectOk(
      await api.application.plan.query({ sessionId: s, target: { kind: 'item', code: RECORD } }),
    );
    expect(plan.delivery).toEqual({ ems: false, pickup: true });
    const r = await submit(s, {
      target: { kind: 'item', code: RECORD },
      form: {
        contactPhone: '13800138000',
        insuranceType: plan.fields.find((f) => f.key === 'insuranceType')?.options?.[0]?.value ?? '',
        periodStart: '2020-01-01',
        periodEnd: '2025-12-31',
      },
      delivery: EMS,
    });
    expect(r).toEqual({ ok: false, error: { kind: 'delivery-not-offered', method: 'ems' } });
  });

  it('invalid-delivery: an EMS address the courier cannot use', async () => {
    const s = await identified();
    const r = await submit(s, { delivery: { ...EMS, postcode: '12', address: '西安' } });
    expect(r).toEqual({
      ok: false,
      error: {
        kind: 'invalid-delivery',
        errors: [
          { key: 'address', problem: 'too-short' },
          { key: 'postcode', problem: 'postcode' },
        ],
      },
    });
  });

  it('missing-materials: a required material neither scanned nor confirmed as an e-licence', async () => {
    const s = await identified();
    await capture(s, ['sfz']);
    // Offline: the hall cannot confirm 社保卡 and 身份证 as shared licences, so papers are needed.
    expect(await submit(s)).toEqual({
      ok: false,
      error: { kind: 'missing-materials', materials: ['jczm', 'sbk'] },
    });
  });

  it('storage: a captured page’s file is gone from the disk', async () => {
    const before = written();
    const s = await identified();
    const [first] = await capture(s, ['sfz', 'jczm', 'sbk']);
    unlinkSync(join(dir, 'blobs', first!.slice(0, 2), first!));
    const r = await submit(s);
    expect(r).toEqual({
      ok: false,
      error: { kind: 'storage', message: `scanned page ${first!.slice(0, 12)} is missing` },
    });
    expect(written()).toEqual(before);
  });

  it('and accepts the same submission once everything is there: rows, outbox and audit in one commit', async () => {
    const before = written();
    const s = await identified();
    await capture(s, ['sfz', 'jczm', 'sbk']);
    const r = await submit(s, { delivery: EMS });
    expect(r).toMatchObject({ ok: true, value: { reused: false } });
    expect(written()).toEqual({
      applications: before.applications + 1,
      outbox: before.outbox + 1,
      submits: before.submits + 1,
    });
    const audit = kiosk.db
      .prepare(
        "SELECT actor, subject, detail FROM audit_log WHERE action = 'submit' ORDER BY id DESC LIMIT 1",
      )
      .get() as { actor: string; subject: string; detail: string };
    expect(audit.actor).toBe('resident');
    expect(r.ok && audit.subject === r.value.submissionId).toBe(true);
    expect(JSON.parse(audit.detail)).toMatchObject({
      applicant: '李*英',
      assisted: false,
      items: [UNEMPLOYMENT],
    });
    expect(audit.detail).not.toContain('李秀英');
  });
});
