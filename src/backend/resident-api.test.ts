/**
 * The resident's journey through the real backend API with the built-in simulators (ID-card reader
 * on a pty, receipt printer on TCP, eSCL scanner): identify, plan, scan, submit (durable, outbox),
 * print the receipt, idempotent retry, paper-out and reprint, progress, 补正, evaluation, wipe.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idcard } from '../devices/index.js';
import { startKioskBackend, type KioskBackend } from './app.js';
import { loadKioskConfig } from './config.js';
import { expectOk } from './expect-ok.js';
import { createLogger } from './logger.js';
import type { AppRouter } from './rpc/router.js';
import { TOKEN_COOKIE } from './server.js';
import { placeCard } from './testing/place-card.js';

const UNEMPLOYMENT = '610000-RSJ-JF-05005-000';
const RETIREMENT_BUNDLE = 'YJS-TX';

let dir: string;
let kiosk: KioskBackend;
let api: ReturnType<typeof createTRPCClient<AppRouter>>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-resident-'));
  const cfg = loadKioskConfig({ argv: [], env: { KIOSK_DATA_DIR: dir, KIOSK_PORT: '0' } });
  if (!cfg.ok) throw new Error(cfg.error);
  kiosk = await startKioskBackend({ config: cfg.config, logger: createLogger('silent') });
  const res = await fetch(kiosk.url);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect(cookie.startsWith(`${TOKEN_COOKIE}=`)).toBe(true);
  api = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${kiosk.url}api`, headers: () => ({ cookie }) })],
  });
  // Devices open after listen; wait until the simulated reader and printer are up.
  for (let i = 0; i < 100; i++) {
    const s = await api.system.status.query();
    if (
      s.devices.every((d) => d.state === 'ready' || d.state === 'simulated' || d.state === 'warning') &&
      kiosk.devices.idcardReader()
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
}, 60_000);

afterAll(async () => {
  await kiosk?.close();
  rmSync(dir, { recursive: true, force: true });
});

const one = <T>(rows: unknown[]): T => rows[0] as T;

async function identified(sample: 'resident' | 'helper' = 'resident') {
  const session = await api.session.start.mutate({ trigger: 'touch' });
  // Placed after the session started (one lying there before is never used); the previous test's
  // card leaves the reader first.
  await placeCard(kiosk.devices, idcard.SAMPLE_CARDS[sample]);
  const id = await api.session.identify.mutate({
    sessionId: session.id,
    role: 'applicant',
    timeoutMs: 10_000,
  });
  return expectOk(id).session;
}

const FORM = {
  contactPhone: '13800138000',
  address: '陕西省西安市雁塔区示例路1号',
  lastEmployer: '西安示例有限公司',
  separationDate: '2026-10-31',
  separationReason: 'contract-end',
  jobIntention: '仓储管理',
};

describe('resident journey through the API', () => {
  it('identifies from the card with the identity masked, and pre-fills the form', async () => {
    const s = await identified();
    expect(s.applicant).toEqual({
      cardType: 'resident',
      nameMasked: '李*英',
      idMasked: '1101**********002X',
    });
    expect(s.prefill.locked).toEqual(['name', 'idNumber']);
    expect(s.prefill.values.name).toBe('李*英');
    expect(JSON.stringify(s)).not.toContain('李秀英');
    expect(JSON.stringify(s)).not.toContain('11010519491231002X');
    await api.sim.removeCard.mutate();
  });

  it('submits durably, prints the receipt, and a retry returns the same application', async () => {
    const s = await identified();
    const plan = expectOk(
      await api.application.plan.query({ sessionId: s.id, target: { kind: 'item', code: UNEMPLOYMENT } }),
    );
    const reasonField = plan.fields.find((f) => f.key === 'separationReason');
    const form = { ...FORM, separationReason: reasonField?.options?.[0]?.value ?? '' };
    // Offline: the shared licences cannot be confirmed, so they are asked for.
    expect(plan.materials.find((m) => m.code === 'sfz')?.licence).toBe('unconfirmed');
    const submitNothing = await api.application.submit.mutate({
      sessionId: s.id,
      target: { kind: 'item', code: UNEMPLOYMENT },
      form,
      delivery: { method: 'pickup' },
      integrityAcknowledged: true,
      idempotencyKey: 'key-test-missing-1',
      lang: 'zh',
    });
    expect(submitNothing).toMatchObject({ ok: false, error: { kind: 'missing-materials' } });

    for (const m of plan.materials.filter((x) => x.required)) {
      const r = await api.session.scan.mutate({ sessionId: s.id, material: m.code });
      expect(r.ok, JSON.stringify(r)).toBe(true);
    }
    const bad = await api.application.submit.mutate({
      sessionId: s.id,
      target: { kind: 'item', code: UNEMPLOYMENT },
      form: { ...form, contactPhone: '12345' },
      delivery: {
        method: 'ems',
        recipient: '李秀英',
        phone: '13800138000',
        address: '陕西省西安市雁塔区示例路1号',
        postcode: '710061',
      },
      integrityAcknowledged: true,
      idempotencyKey: 'key-test-bad-1',
      lang: 'zh',
    });
    expect(bad).toEqual({
      ok: false,
      error: { kind: 'invalid-form', errors: [{ key: 'contactPhone', problem: 'phone' }] },
    });

    const input = {
      sessionId: s.id,
      target: { kind: 'item' as const, code: UNEMPLOYMENT },
      form,
      delivery: {
        method: 'ems' as const,
        recipient: '李秀英',
        phone: '13800138000',
        address: '陕西省西安市雁塔区示例路1号',
        postcode: '710061',
      },
      integrityAcknowledged: true,
      idempotencyKey: 'key-test-submit-1',
      lang: 'zh' as const,
    };
    const r = expectOk(await api.application.submit.mutate(input));
    expect(r.applications).toHaveLength(1);
    const app = r.applications[0]!;
    expect(app.receiptNo).toMatch(/^ZZ01-\d{8}-0001$/);
    expect(app.applicantMasked).toBe('李*英');
    // Durable: the row, its pages and its outbox entry are in the database before the answer —
    // sealed at rest (docs/security.md), so read through zk_open.
    const sealed = kiosk.db
      .prepare('SELECT applicant_name FROM applications WHERE id = ?')
      .pluck()
      .get(app.id) as string;
    expect(sealed).not.toContain('李秀英');
    const row = one<{ applicant_name: string; applicant_id_number: string; status: string }>(
      kiosk.db
        .prepare(
          'SELECT zk_open(applicant_name) AS applicant_name, zk_open(applicant_id_number) AS applicant_id_number, status FROM applications WHERE id = ?',
        )
        .all(app.id),
    );
    expect(row).toEqual({
      applicant_name: '李秀英',
      applicant_id_number: '11010519491231002X',
      status: 'submitted',
    });
    const outbox = kiosk.db
      .prepare("SELECT zk_open(payload) FROM outbox WHERE kind = 'application' AND entity_id = ?")
      .pluck()
      .all(app.id) as string[];
    expect(outbox).toHaveLength(1);
    const payload = JSON.parse(outbox[0]!) as {
      attachments: { sha256: string }[];
      form: Record<string, string>;
    };
    expect(payload.attachments.length).toBeGreaterThanOrEqual(
      plan.materials.filter((m) => m.required).length,
    );
    expect(payload.form.applicantName).toBe('李秀英');
    for (const a of payload.attachments)
      expect(existsSync(join(dir, 'blobs', a.sha256.slice(0, 2), a.sha256))).toBe(true);

    const retry = await api.application.submit.mutate(input);
    expect(retry).toMatchObject({ ok: true, value: { reused: true, submissionId: r.submissionId } });
    expect(kiosk.db.prepare('SELECT count(*) FROM applications').pluck().get()).toBe(1);

    const printed = await api.application.print.mutate({
      submissionId: r.submissionId,
      sessionId: s.id,
      lang: 'zh',
    });
    expect(printed[0]?.printState).toBe('printed');
    const receipt = kiosk.devices.simulators().printer?.receipts().at(-1);
    expect(receipt?.text).toContain('收件材料接收凭证');
    expect(receipt?.text).toContain(app.receiptNo);
    expect(receipt?.text).toContain('李*英');
    expect(receipt?.text).not.toContain('李秀英');

    // The applicant's own session (her card): the application in full (case-access-api.test.ts has the rest).
    const found = expectOk(
      await api.progress.byReceipt.query({ sessionId: s.id, receiptNo: app.receiptNo.toLowerCase() }),
    );
    if (found.access !== 'full') throw new Error('expected the application');
    const progress = found.application;
    expect(progress.history.map((h) => h.status)).toEqual(['submitted']);
    expect(progress.promisedDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // A receipt number typed or scanned that is not one of this kiosk's: said as a value.
    expect(await api.progress.byReceipt.query({ sessionId: s.id, receiptNo: 'ZZ01-20000101-9999' })).toEqual({
      ok: false,
      error: { kind: 'not-found' },
    });

    const audit = kiosk.db.prepare("SELECT action, detail FROM audit_log WHERE actor = 'resident'").all() as {
      action: string;
      detail: string | null;
    }[];
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['session-start', 'identify', 'submit', 'receipt-printed']),
    );
    expect(JSON.stringify(audit)).not.toContain('李秀英');
    await api.session.end.mutate({ sessionId: s.id, reason: 'finished' });
    await api.sim.removeCard.mutate();
  });

  it('keeps the application when the printer is out of paper, and reprints it later', async () => {
    const s = await identified();
    const plan = expectOk(
      await api.application.plan.query({
        sessionId: s.id,
        target: { kind: 'bundle', code: RETIREMENT_BUNDLE },
      }),
    );
    expect(plan.items).toHaveLength(3);
    // One de-duplicated set: 身份证 is asked for once although all three items need it.
    expect(plan.materials.filter((m) => m.code === 'sfz')).toHaveLength(1);
    for (const m of plan.materials.filter((x) => x.required))
      await api.session.scan.mutate({ sessionId: s.id, material: m.code });
    const form: Record<string, string> = {};
    for (const f of plan.fields) {
      if (f.prefill === 'name' || f.prefill === 'idNumber') continue;
      form[f.key] =
        f.type === 'select'
          ? (f.options?.[0]?.value ?? '')
          : f.type === 'phone'
            ? '13800138000'
            : f.type === 'date'
              ? '2026-10-01'
              : f.type === 'number'
                ? '1'
                : f.type === 'address'
                  ? '陕西省西安市雁塔区示例路1号'
                  : '示例';
    }
    await api.sim.setPrinterStatus.mutate({ which: 'printer', status: 'paper-out' });
    const r = expectOk(
      await api.application.submit.mutate({
        sessionId: s.id,
        target: { kind: 'bundle', code: RETIREMENT_BUNDLE },
        form,
        delivery: { method: 'pickup' },
        integrityAcknowledged: true,
        idempotencyKey: 'key-test-bundle-1',
        lang: 'en',
      }),
    );
    expect(r.applications).toHaveLength(3);
    expect(new Set(r.applications.map((a) => a.bundleSubmissionId))).toEqual(new Set([r.submissionId]));
    const printed = await api.application.print.mutate({ submissionId: r.submissionId, lang: 'en' });
    expect(printed.every((a) => a.printState === 'failed')).toBe(true);
    // The printer's own words (paper out, or not answering under load): never empty.
    expect(printed[0]?.printDetail).toBeTruthy();
    expect(kiosk.db.prepare("SELECT count(*) FROM outbox WHERE kind = 'application'").pluck().get()).toBe(4);

    await api.sim.setPrinterStatus.mutate({ which: 'printer', status: 'ready' });
    await kiosk.devices.receiptPrinter()?.status();
    const again = expectOk(
      await api.progress.reprint.mutate({ sessionId: s.id, id: r.applications[0]!.id, lang: 'zh' }),
    );
    expect(again.printState).toBe('printed');
    // An application that is not there (any more): a value, as for a receipt number.
    expect(
      await api.progress.reprint.mutate({
        sessionId: s.id,
        id: '00000000-0000-4000-8000-000000000000',
        lang: 'zh',
      }),
    ).toEqual({ ok: false, error: { kind: 'not-found' } });
    await api.session.end.mutate({ sessionId: s.id, reason: 'finished' });
    await api.sim.removeCard.mutate();
  });

  it('lists the applicant’s applications by ID card, takes a 补正 supplement and an evaluation once', async () => {
    const s = await identified();
    const mine = expectOk(await api.progress.mine.query({ sessionId: s.id }));
    expect(mine.length).toBe(4);
    const app = mine.find((a) => a.itemCode === UNEMPLOYMENT)!;
    // The hall asks for a correction (as the sync pull would record it).
    kiosk.db.prepare("UPDATE applications SET status = 'correction-requested' WHERE id = ?").run(app.id);
    kiosk.db
      .prepare(
        "INSERT INTO application_status_history (application_id, status, at, source, note, detail) VALUES (?, 'correction-requested', ?, 'hall', '解除合同证明不清晰', ?)",
      )
      .run(app.id, new Date().toISOString(), JSON.stringify({ materials: ['jczm'] }));
    const d = expectOk(await api.progress.detail.query({ sessionId: s.id, id: app.id }));
    expect(
      await api.progress.detail.query({ sessionId: s.id, id: '00000000-0000-4000-8000-000000000000' }),
    ).toEqual({
      ok: false,
      error: { kind: 'not-found' },
    });
    expect(d.correction?.materials.map((m) => m.code)).toEqual(['jczm']);
    expect(
      await api.progress.supplement.mutate({
        sessionId: s.id,
        applicationId: app.id,
        idempotencyKey: 'key-test-supp-1',
      }),
    ).toMatchObject({ ok: false, error: { kind: 'missing-materials' } });
    await api.session.scan.mutate({ sessionId: s.id, material: 'jczm' });
    const sup = await api.progress.supplement.mutate({
      sessionId: s.id,
      applicationId: app.id,
      idempotencyKey: 'key-test-supp-1',
    });
    expect(sup).toMatchObject({ ok: true, value: { application: { status: 'supplement-submitted' } } });
    expect(kiosk.db.prepare("SELECT count(*) FROM outbox WHERE kind = 'supplement'").pluck().get()).toBe(1);

    const items = await api.evaluation.items.query();
    const bad = await api.evaluation.submit.mutate({
      sessionId: s.id,
      target: { kind: 'application', id: app.id },
      level: 'dissatisfied',
      contentItems: [],
      idempotencyKey: 'key-test-eval-0',
    });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid' } });
    const first = items.items['very-satisfied'];
    const ok = await api.evaluation.submit.mutate({
      sessionId: s.id,
      target: { kind: 'application', id: app.id },
      level: 'very-satisfied',
      contentItems: [first.efficiency[0]!.code],
      idempotencyKey: 'key-test-eval-1',
    });
    expect(ok).toMatchObject({ ok: true, value: { reused: false } });
    expect(
      await api.evaluation.submit.mutate({
        sessionId: s.id,
        target: { kind: 'application', id: app.id },
        level: 'very-satisfied',
        contentItems: [],
        idempotencyKey: 'key-test-eval-1',
      }),
    ).toMatchObject({ ok: true, value: { reused: true } });
    // A matter that does not exist cannot be rated: a value, like every not-found.
    expect(
      await api.evaluation.submit.mutate({
        sessionId: s.id,
        target: { kind: 'ticket', id: '00000000-0000-4000-8000-000000000000' },
        level: 'very-satisfied',
        contentItems: [],
        idempotencyKey: 'key-test-eval-2',
      }),
    ).toEqual({ ok: false, error: { kind: 'not-found' } });
    expect(kiosk.db.prepare('SELECT channel FROM evaluations').pluck().all()).toEqual([
      'self-service-terminal',
    ]);
    await api.session.end.mutate({ sessionId: s.id, reason: 'finished' });
    await api.sim.removeCard.mutate();
  });

  it('wipes unsubmitted pages and identity when the session ends', async () => {
    const s = await identified();
    const r = expectOk(await api.session.scan.mutate({ sessionId: s.id, material: 'sfz' }));
    const sha = r.session.captured.sfz?.[0]?.sha256 ?? '';
    const file = join(dir, 'blobs', sha.slice(0, 2), sha);
    const referenced = kiosk.db
      .prepare('SELECT count(*) FROM application_attachments WHERE sha256 = ?')
      .pluck()
      .get(sha) as number;
    await api.session.end.mutate({ sessionId: s.id, reason: 'timeout' });
    expect(await api.session.get.query({ sessionId: s.id })).toEqual({
      ok: false,
      error: { kind: 'session-expired' },
    });
    // A page another application holds stays; an unsubmitted one is deleted.
    expect(existsSync(file)).toBe(referenced > 0);
    await api.sim.removeCard.mutate();
  });

  it('a jammed feeder stops the scan and says so: no page from the glass, the audit records it', async () => {
    const s = await identified();
    const sim = kiosk.devices.simulators().scanner;
    if (!sim) throw new Error('no scanner simulator');
    // Something lies on the glass: a kiosk that fell back to the flatbed would add it as a page.
    sim.setPlatenPage('generated');
    await api.sim.scanner.mutate({ adfState: 'jam' });
    const jammed = await api.session.scan.mutate({ sessionId: s.id, material: 'sfz' });
    expect(jammed).toMatchObject({ ok: false, error: { kind: 'scanner', code: 'jam' } });
    if (jammed.ok || jammed.error.kind !== 'scanner') throw new Error('expected a scanner fault');
    expect(jammed.error.session.captured.sfz ?? []).toEqual([]);
    // An open door the same way.
    await api.sim.scanner.mutate({ adfState: 'door-open' });
    expect(await api.session.scan.mutate({ sessionId: s.id, material: 'sfz' })).toMatchObject({
      ok: false,
      error: { kind: 'scanner', code: 'door-open' },
    });
    const failed = kiosk.db
      .prepare("SELECT detail FROM audit_log WHERE action = 'capture-failed' AND subject = ? ORDER BY id")
      .pluck()
      .all(s.id) as string[];
    expect(failed.map((d) => JSON.parse(d) as unknown)).toEqual([
      { material: 'sfz', fault: 'jam', pagesKept: 0 },
      { material: 'sfz', fault: 'door-open', pagesKept: 0 },
    ]);
    // Cleared: the scan goes on and adds the page.
    await api.sim.scanner.mutate({ adfState: 'empty' });
    const r = expectOk(await api.session.scan.mutate({ sessionId: s.id, material: 'sfz' }));
    expect(r.added).toBe(1);
    await api.session.end.mutate({ sessionId: s.id, reason: 'home' });
    await api.sim.removeCard.mutate();
  });

  it('answers 即办件 offline at once: it becomes an ordinary application', async () => {
    const s = await identified();
    const code = '610000-RSJ-GG-05004-000';
    const plan = expectOk(
      await api.application.plan.query({ sessionId: s.id, target: { kind: 'item', code } }),
    );
    expect(plan.immediate).toBe(true);
    await api.session.scan.mutate({ sessionId: s.id, material: 'sfz' });
    const r = expectOk(
      await api.application.submit.mutate({
        sessionId: s.id,
        target: { kind: 'item', code },
        form: {
          contactPhone: '13800138000',
          insuranceType: plan.fields.find((f) => f.key === 'insuranceType')?.options?.[0]?.value ?? '',
          periodStart: '2020-01-01',
          periodEnd: '2025-12-31',
        },
        delivery: { method: 'pickup' },
        integrityAcknowledged: true,
        idempotencyKey: 'key-test-imm-1',
        lang: 'zh',
      }),
    );
    expect(
      await api.application.awaitDecision.mutate({
        sessionId: s.id,
        applicationId: r.applications[0]!.id,
        lang: 'zh',
      }),
    ).toEqual({ ok: true, value: { kind: 'offline' } });
    await api.session.end.mutate({ sessionId: s.id, reason: 'finished' });
    await api.sim.removeCard.mutate();
  });

  it('prints a guide summary on the receipt printer; A4 only when a system printer is configured', async () => {
    expect(await api.guide.print.mutate({ code: UNEMPLOYMENT, lang: 'zh', format: 'receipt' })).toEqual({
      ok: true,
      value: { via: 'receipt' },
    });
    const printed = kiosk.devices.simulators().printer?.receipts().at(-1);
    expect(printed?.text).toContain('办事指南（摘要）');
    expect(printed?.text).toContain('失业保险金申领');
    expect(await api.guide.print.mutate({ code: UNEMPLOYMENT, lang: 'zh', format: 'a4' })).toMatchObject({
      ok: false,
      error: { kind: 'no-printer' },
    });
    expect(await api.guide.print.mutate({ code: 'NO-SUCH-ITEM', lang: 'zh', format: 'receipt' })).toEqual({
      ok: false,
      error: { kind: 'not-found' },
    });
    expect((await api.system.status.query()).a4Printer).toBe(false);
  });
});
