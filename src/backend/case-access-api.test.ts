/**
 * Whose case is it (issue 13; docs/security.md, "Receipt access codes"), through the real API with the
 * simulators: the finding first — a session holding only another resident's (sequential) receipt
 * number could supplement, rate, reprint and read the hall's notes — then what now holds: the status
 * only without the card or the code; everything with the code (typed or from the QR) or the
 * applicant's card; a wrong code refused with nothing changed; failed look-ups throttled per session
 * and per kiosk, and audited.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idcard } from '../devices/index.js';
import { formatAccessCode, receiptFromCode } from '../shared/index.js';
import { startKioskBackend, type KioskBackend } from './app.js';
import { loadKioskConfig } from './config.js';
import { expectOk } from './expect-ok.js';
import { createLogger } from './logger.js';
import type { AppRouter } from './rpc/router.js';
import { placeCard } from './testing/place-card.js';

const UNEMPLOYMENT = '610000-RSJ-JF-05005-000';
const HALL_NOTE = '解除合同证明不清晰，请补正';

let dir: string;
let kiosk: KioskBackend;
let api: ReturnType<typeof createTRPCClient<AppRouter>>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-access-'));
  const cfg = loadKioskConfig({ argv: [], env: { KIOSK_DATA_DIR: dir, KIOSK_PORT: '0' } });
  if (!cfg.ok) throw new Error(cfg.error);
  kiosk = await startKioskBackend({ config: cfg.config, logger: createLogger('silent') });
  const res = await fetch(kiosk.url);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  api = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${kiosk.url}api`, headers: () => ({ cookie }) })],
  });
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

/** A fresh session with nobody identified: a stranger at the kiosk. */
async function stranger() {
  await api.sim.removeCard.mutate();
  return (await api.session.start.mutate({ trigger: 'touch' })).id;
}

/** A fresh session identified by a sample card. */
async function withCard(sample: 'resident' | 'helper') {
  await api.sim.removeCard.mutate();
  const session = await api.session.start.mutate({ trigger: 'touch' });
  await placeCard(kiosk.devices, idcard.SAMPLE_CARDS[sample]);
  expectOk(
    await api.session.identify.mutate({ sessionId: session.id, role: 'applicant', timeoutMs: 10_000 }),
  );
  return session.id;
}

const receipts = () => kiosk.devices.simulators().printer?.receipts() ?? [];

/** 李秀英 submits an application and takes the printed receipt; her session ends. */
async function submitted() {
  const sessionId = await withCard('resident');
  const plan = expectOk(
    await api.application.plan.query({ sessionId, target: { kind: 'item', code: UNEMPLOYMENT } }),
  );
  for (const m of plan.materials.filter((x) => x.required))
    expectOk(await api.session.scan.mutate({ sessionId, material: m.code }));
  const form: Record<string, string> = {
    contactPhone: '13800138000',
    address: '陕西省西安市雁塔区示例路1号',
    lastEmployer: '西安示例有限公司',
    separationDate: '2026-10-31',
    separationReason: plan.fields.find((f) => f.key === 'separationReason')?.options?.[0]?.value ?? '',
    jobIntention: '仓储管理',
  };
  const r = expectOk(
    await api.application.submit.mutate({
      sessionId,
      target: { kind: 'item', code: UNEMPLOYMENT },
      form,
      delivery: { method: 'pickup' },
      integrityAcknowledged: true,
      idempotencyKey: `key-access-${Date.now()}`,
      lang: 'zh',
    }),
  );
  const before = receipts().length;
  const printed = await api.application.print.mutate({ submissionId: r.submissionId, sessionId, lang: 'zh' });
  expect(printed[0]?.printState).toBe('printed');
  const receipt = receipts()[before];
  if (!receipt) throw new Error('no receipt printed');
  await api.session.end.mutate({ sessionId, reason: 'finished' });
  await api.sim.removeCard.mutate();
  const qr = /\[QR:([^\]]+)\]/.exec(receipt.text)?.[1] ?? '';
  const code = receiptFromCode(qr)?.accessCode ?? '';
  return { app: r.applications[0]!, receipt, qr, code };
}

/** The hall asks for a correction with a note (as the sync pull records it). */
function askForCorrection(id: string) {
  kiosk.db.prepare("UPDATE applications SET status = 'correction-requested' WHERE id = ?").run(id);
  kiosk.db
    .prepare(
      "INSERT INTO application_status_history (application_id, status, at, source, note, detail) VALUES (?, 'correction-requested', ?, 'hall', ?, ?)",
    )
    .run(id, new Date().toISOString(), HALL_NOTE, JSON.stringify({ materials: ['jczm'] }));
}

const count = (sql: string, ...args: unknown[]) =>
  kiosk.db
    .prepare(sql)
    .pluck()
    .get(...args) as number;

describe('receipt access codes', () => {
  let first: Awaited<ReturnType<typeof submitted>>;

  it('prints an unguessable code on the receipt and in its QR code, and keeps only its salted hash', async () => {
    first = await submitted();
    expect(first.code).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
    expect(first.receipt.text).toContain('查询码');
    expect(first.receipt.text).toContain(formatAccessCode(first.code));
    expect(first.qr).toContain(`?r=${first.app.receiptNo}#c=${first.code}`);
    const stored = kiosk.db
      .prepare('SELECT access_code_hash FROM applications WHERE id = ?')
      .pluck()
      .get(first.app.id) as string;
    expect(stored).toMatch(/^s1\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    expect(stored).not.toContain(first.code);
    // Nowhere else in the database either (the audit log, the outbox).
    const dump = JSON.stringify(kiosk.db.prepare('SELECT * FROM audit_log').all());
    expect(dump).not.toContain(first.code);
    // A second application gets a different code.
    const second = await submitted();
    expect(second.code).not.toBe(first.code);
    expect(second.app.receiptNo > first.app.receiptNo).toBe(true);
  }, 60_000);

  it('the finding: a session with only the receipt number sees the status and cannot act on the case', async () => {
    askForCorrection(first.app.id);
    const s = await stranger();
    const looked = expectOk(
      await api.progress.byReceipt.query({ sessionId: s, receiptNo: first.app.receiptNo }),
    );
    expect(looked).toEqual({
      access: 'status',
      status: {
        receiptNo: first.app.receiptNo,
        itemName: first.app.itemName,
        status: 'correction-requested',
        submittedAt: first.app.submittedAt,
        promisedDate: first.app.promisedDate,
        hasAccessCode: true,
      },
    });
    // No masked name, no hall notes, no id to act with.
    const text = JSON.stringify(looked);
    expect(text).not.toContain('李*英');
    expect(text).not.toContain(HALL_NOTE);
    expect(text).not.toContain(first.app.id);

    const denied = { ok: false, error: { kind: 'access-denied' } };
    expect(await api.progress.detail.query({ sessionId: s, id: first.app.id })).toMatchObject(denied);
    const printedBefore = receipts().length;
    expect(await api.progress.reprint.mutate({ sessionId: s, id: first.app.id, lang: 'zh' })).toMatchObject(
      denied,
    );
    expectOk(await api.session.scan.mutate({ sessionId: s, material: 'jczm' }));
    expect(
      await api.progress.supplement.mutate({
        sessionId: s,
        applicationId: first.app.id,
        idempotencyKey: 'key-x-sup-1',
      }),
    ).toMatchObject(denied);
    expect(
      await api.evaluation.submit.mutate({
        sessionId: s,
        target: { kind: 'application', id: first.app.id },
        level: 'very-dissatisfied',
        contentItems: [],
        reason: 'attitude',
        idempotencyKey: 'key-x-eval-1',
      }),
    ).toMatchObject(denied);
    expect(
      await api.application.awaitDecision.mutate({ sessionId: s, applicationId: first.app.id, lang: 'zh' }),
    ).toMatchObject(denied);
    // A wrong code: refused in words, counted, nothing changed.
    expect(
      await api.progress.byReceipt.query({
        sessionId: s,
        receiptNo: first.app.receiptNo,
        accessCode: 'ABCD-EFGH',
      }),
    ).toEqual({ ok: false, error: { kind: 'access-denied', attemptsLeft: 4 } });

    expect(receipts().length).toBe(printedBefore);
    expect(count('SELECT count(*) FROM evaluations')).toBe(0);
    expect(count('SELECT count(*) FROM supplements')).toBe(0);
    expect(count("SELECT count(*) FROM outbox WHERE kind IN ('supplement', 'evaluation')")).toBe(0);
    expect(
      count(
        'SELECT count(*) FROM applications WHERE id = ? AND status = ?',
        first.app.id,
        'correction-requested',
      ),
    ).toBe(1);
    expect(
      count("SELECT count(*) FROM audit_log WHERE action = 'access-denied' AND subject = ?", s),
    ).toBeGreaterThanOrEqual(5);

    // Another resident's card is no key to this case either.
    const other = await withCard('helper');
    expect(
      expectOk(await api.progress.byReceipt.query({ sessionId: other, receiptNo: first.app.receiptNo })),
    ).toMatchObject({
      access: 'status',
    });
    expect(await api.progress.detail.query({ sessionId: other, id: first.app.id })).toMatchObject(denied);
    await api.sim.removeCard.mutate();
  }, 60_000);

  it('with the code (typed, or read from the QR) the resident sees the details, reprints, supplements and rates', async () => {
    const s = await stranger();
    const typed = first.code.toLowerCase().replace(/^(.{4})/, '$1-');
    const opened = expectOk(
      await api.progress.byReceipt.query({ sessionId: s, receiptNo: first.app.receiptNo, accessCode: typed }),
    );
    if (opened.access !== 'full') throw new Error('expected the application');
    expect(opened.application.applicantMasked).toBe('李*英');
    expect(opened.application.correction?.note).toBe(HALL_NOTE);
    // The session now holds the case: the acts need no code again.
    expectOk(await api.progress.detail.query({ sessionId: s, id: first.app.id }));
    const before = receipts().length;
    const again = expectOk(await api.progress.reprint.mutate({ sessionId: s, id: first.app.id, lang: 'en' }));
    expect(again.printState).toBe('printed');
    // The reprint carries the same code (it was entered in this session).
    expect(receipts()[before]?.text).toContain(formatAccessCode(first.code));
    expectOk(await api.session.scan.mutate({ sessionId: s, material: 'jczm' }));
    expect(
      await api.progress.supplement.mutate({
        sessionId: s,
        applicationId: first.app.id,
        idempotencyKey: 'key-ok-sup-1',
      }),
    ).toMatchObject({ ok: true, value: { application: { status: 'supplement-submitted' } } });
    const items = await api.evaluation.items.query();
    expect(
      await api.evaluation.submit.mutate({
        sessionId: s,
        target: { kind: 'application', id: first.app.id },
        level: 'very-satisfied',
        contentItems: [items.items['very-satisfied'].efficiency[0]!.code],
        idempotencyKey: 'key-ok-eval-1',
      }),
    ).toMatchObject({ ok: true, value: { reused: false } });
    // The grant ends with the session: the next stranger is back to the status.
    await api.session.end.mutate({ sessionId: s, reason: 'finished' });
    const next = await stranger();
    expect(await api.progress.detail.query({ sessionId: next, id: first.app.id })).toMatchObject({
      ok: false,
      error: { kind: 'access-denied' },
    });
    // The code may also come with the act itself.
    expectOk(await api.progress.detail.query({ sessionId: next, id: first.app.id, accessCode: first.code }));
  }, 60_000);

  it('the applicant’s own card opens the case without a code; a reprint by card issues a new code', async () => {
    const s = await withCard('resident');
    const opened = expectOk(
      await api.progress.byReceipt.query({ sessionId: s, receiptNo: first.app.receiptNo }),
    );
    expect(opened.access).toBe('full');
    const before = receipts().length;
    expectOk(await api.progress.reprint.mutate({ sessionId: s, id: first.app.id, lang: 'zh' }));
    const reprinted = receipts()[before];
    const qr = /\[QR:([^\]]+)\]/.exec(reprinted?.text ?? '')?.[1] ?? '';
    const newCode = receiptFromCode(qr)?.accessCode ?? '';
    expect(newCode).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
    expect(newCode).not.toBe(first.code);
    expect(
      count(
        "SELECT count(*) FROM audit_log WHERE action = 'access-code-reissued' AND subject = ?",
        first.app.receiptNo,
      ),
    ).toBe(1);
    await api.session.end.mutate({ sessionId: s, reason: 'finished' });
    // The lost receipt's code no longer opens the case; the new one does.
    const t = await stranger();
    expect(
      await api.progress.byReceipt.query({
        sessionId: t,
        receiptNo: first.app.receiptNo,
        accessCode: first.code,
      }),
    ).toMatchObject({ ok: false, error: { kind: 'access-denied' } });
    expect(
      expectOk(
        await api.progress.byReceipt.query({
          sessionId: t,
          receiptNo: first.app.receiptNo,
          accessCode: newCode,
        }),
      ).access,
    ).toBe('full');
    first = { ...first, code: newCode };
  }, 60_000);

  it('an application from before access codes opens with the card only', async () => {
    kiosk.db.prepare('UPDATE applications SET access_code_hash = NULL WHERE id = ?').run(first.app.id);
    const s = await stranger();
    expect(
      expectOk(await api.progress.byReceipt.query({ sessionId: s, receiptNo: first.app.receiptNo })),
    ).toMatchObject({
      access: 'status',
      status: { hasAccessCode: false },
    });
    expect(
      await api.progress.byReceipt.query({
        sessionId: s,
        receiptNo: first.app.receiptNo,
        accessCode: first.code,
      }),
    ).toMatchObject({ ok: false, error: { kind: 'access-denied' } });
    const c = await withCard('resident');
    expect(
      expectOk(await api.progress.byReceipt.query({ sessionId: c, receiptNo: first.app.receiptNo })).access,
    ).toBe('full');
    await api.sim.removeCard.mutate();
  }, 60_000);

  it('throttles failed look-ups per session, then per kiosk across new sessions, and audits them', async () => {
    const second = await submitted();
    const s = await stranger();
    const tries = [];
    for (let i = 0; i < 5; i++)
      tries.push(
        await api.progress.byReceipt.query({
          sessionId: s,
          receiptNo: second.app.receiptNo,
          accessCode: 'WXYZ2345',
        }),
      );
    expect(
      tries.map((r) =>
        r.ok ? 'ok' : r.error.kind === 'access-denied' ? r.error.attemptsLeft : r.error.kind,
      ),
    ).toEqual([4, 3, 2, 1, 0]);
    // Cooling down: even the right code waits now, and so does a status look-up.
    const blocked = await api.progress.byReceipt.query({
      sessionId: s,
      receiptNo: second.app.receiptNo,
      accessCode: second.code,
    });
    expect(blocked).toMatchObject({ ok: false, error: { kind: 'too-many-attempts' } });
    if (blocked.ok || blocked.error.kind !== 'too-many-attempts') throw new Error('expected a cool-down');
    expect(blocked.error.retryAfterSeconds).toBeGreaterThan(50);
    expect(blocked.error.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(count("SELECT count(*) FROM audit_log WHERE action = 'access-throttled' AND subject = ?", s)).toBe(
      1,
    );

    // A new session starts afresh, but the kiosk counts every failure: unknown receipt numbers from
    // new sessions are refused once the kiosk's ceiling (20 in 15 minutes) is reached.
    const failures = () =>
      count(
        "SELECT count(*) FROM audit_log WHERE action = 'access-denied' AND json_extract(detail, '$.what') IN ('unknown-receipt', 'wrong-code')",
      );
    let refusedAfter = -1;
    for (let session = 0; session < 10 && refusedAfter < 0; session++) {
      const n = await stranger();
      for (let i = 0; i < 5; i++) {
        const r = await api.progress.byReceipt.query({
          sessionId: n,
          receiptNo: `ZZ01-20000101-${9000 + session * 5 + i}`,
        });
        if (!r.ok && r.error.kind === 'too-many-attempts') {
          refusedAfter = failures();
          break;
        }
        expect(r).toEqual({ ok: false, error: { kind: 'not-found' } });
      }
    }
    expect(refusedAfter).toBe(20);
    // The applicant's card still works: it is not a guess.
    const c = await withCard('resident');
    expect(expectOk(await api.progress.detail.query({ sessionId: c, id: second.app.id })).receiptNo).toBe(
      second.app.receiptNo,
    );
    await api.sim.removeCard.mutate();
  }, 90_000);
});
