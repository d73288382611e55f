/**
 * 收件人 "同申请人" through the real API (docs/resident-journey.md, "Delivery"): the screen sends
 * `recipientIsApplicant` and never the name; the backend fills the full name it holds from the
 * session's card. A name outside the BMP (张𠮷明, 𠮷 = U+20BB7) survives end to end: the stored
 * delivery, the outbox entry the hall receives (parsed with the wire schema the hall uses) and the
 * archived form (PDF, read back with pdftotext) — while every answer to the screen holds only 张*明.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idcard } from '../devices/index.js';
import { applicationEntrySchema } from '../shared/wire/index.js';
import { startKioskBackend, type KioskBackend } from './app.js';
import { loadKioskConfig } from './config.js';
import { expectOk } from './expect-ok.js';
import { createLogger } from './logger.js';
import type { AppRouter } from './rpc/router.js';
import { TOKEN_COOKIE } from './server.js';
import { readArchivedForm } from './services/application-archive.js';
import { placeCard } from './testing/place-card.js';

const UNEMPLOYMENT = '610000-RSJ-JF-05005-000';
const RARE: idcard.SimCard = { ...idcard.SAMPLE_CARDS['resident-rare-name'], name: '张𠮷明' };

let dir: string;
let kiosk: KioskBackend;
let api: ReturnType<typeof createTRPCClient<AppRouter>>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-recipient-'));
  const cfg = loadKioskConfig({ argv: [], env: { KIOSK_DATA_DIR: dir, KIOSK_PORT: '0' } });
  if (!cfg.ok) throw new Error(cfg.error);
  kiosk = await startKioskBackend({ config: cfg.config, logger: createLogger('silent') });
  const res = await fetch(kiosk.url);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect(cookie.startsWith(`${TOKEN_COOKIE}=`)).toBe(true);
  api = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${kiosk.url}api`, headers: () => ({ cookie }) })],
  });
  for (let i = 0; i < 100 && !kiosk.devices.idcardReader(); i++) await new Promise((r) => setTimeout(r, 100));
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
  jobIntention: '仓储管理',
};
const EMS = { phone: '13800138000', address: '陕西省西安市雁塔区示例路1号', postcode: '710061' };

async function identifiedWithRareName() {
  const session = await api.session.start.mutate({ trigger: 'touch' });
  await placeCard(kiosk.devices, RARE);
  const id = expectOk(
    await api.session.identify.mutate({ sessionId: session.id, role: 'applicant', timeoutMs: 10_000 }),
  );
  return id.session;
}

describe('收件人 同申请人', () => {
  it('stores the full name from the card while the screen only ever receives 张*明', async () => {
    const s = await identifiedWithRareName();
    expect(s.applicant?.nameMasked).toBe('张*明');
    expect(JSON.stringify(s)).not.toContain('𠮷');
    const target = { kind: 'item' as const, code: UNEMPLOYMENT };
    const plan = expectOk(await api.application.plan.query({ sessionId: s.id, target }));
    for (const m of plan.materials.filter((x) => x.required))
      expect((await api.session.scan.mutate({ sessionId: s.id, material: m.code })).ok).toBe(true);
    const reason = plan.fields.find((f) => f.key === 'separationReason')?.options?.[0]?.value ?? '';

    // Whatever the screen might put into `recipient` is ignored when the flag is set.
    const answer = await api.application.submit.mutate({
      sessionId: s.id,
      target,
      form: { ...FORM, separationReason: reason },
      delivery: { method: 'ems', recipientIsApplicant: true, recipient: '', ...EMS },
      integrityAcknowledged: true,
      idempotencyKey: 'key-recipient-same-1',
      lang: 'zh',
    });
    const submitted = expectOk(answer);
    const app = submitted.applications[0]!;
    expect(app.applicantMasked).toBe('张*明');
    expect(JSON.stringify(answer)).not.toContain('𠮷');

    // Stored (sealed at rest) with the full name, 𠮷 whole.
    const stored = kiosk.db
      .prepare('SELECT zk_open(delivery) FROM applications WHERE id = ?')
      .pluck()
      .get(app.id) as string;
    expect(JSON.parse(stored)).toEqual({ method: 'ems', recipient: '张𠮷明', ...EMS });

    // What the hall receives: the outbox entry passes the wire schema with the full name.
    const payload = kiosk.db
      .prepare("SELECT zk_open(payload) FROM outbox WHERE kind = 'application' AND entity_id = ?")
      .pluck()
      .get(app.id) as string;
    const entry = applicationEntrySchema.parse(JSON.parse(payload));
    expect(entry.delivery).toEqual({ method: 'ems', recipient: '张𠮷明', ...EMS });

    // The progress detail the screen reads holds no full name either.
    // (the applicant's own session: the full detail, access code not needed).
    const detail = await api.progress.byReceipt.query({ sessionId: s.id, receiptNo: app.receiptNo });
    expect(detail).toMatchObject({ ok: true, value: { access: 'full' } });
    expect(JSON.stringify(detail)).not.toContain('𠮷');

    // The archived form (the EMS recipient as the hall's archive prints it) carries 𠮷.
    const file = join(dir, 'archive', `${app.receiptNo}.pdf`);
    for (let i = 0; i < 300 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 100));
    const pdf = await readArchivedForm(kiosk.db, file);
    expect(pdf).not.toBeNull();
    const plainFile = join(dir, 'plain.pdf');
    writeFileSync(plainFile, pdf!);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', plainFile, '-'], { encoding: 'utf8' });
    expect(text.replace(/\s+/g, '')).toContain('张𠮷明');
    await api.session.end.mutate({ sessionId: s.id, reason: 'finished' });
  }, 60_000);

  it('without the flag the typed recipient is kept and still checked', async () => {
    const s = await identifiedWithRareName();
    const target = { kind: 'item' as const, code: UNEMPLOYMENT };
    const plan = expectOk(await api.application.plan.query({ sessionId: s.id, target }));
    for (const m of plan.materials.filter((x) => x.required))
      expect((await api.session.scan.mutate({ sessionId: s.id, material: m.code })).ok).toBe(true);
    const reason = plan.fields.find((f) => f.key === 'separationReason')?.options?.[0]?.value ?? '';
    const base = {
      sessionId: s.id,
      target,
      form: { ...FORM, separationReason: reason },
      integrityAcknowledged: true,
      lang: 'zh' as const,
    };
    const empty = await api.application.submit.mutate({
      ...base,
      delivery: { method: 'ems', recipientIsApplicant: false, recipient: '', ...EMS },
      idempotencyKey: 'key-recipient-other-0',
    });
    expect(empty).toMatchObject({ ok: false, error: { kind: 'invalid-delivery' } });
    const r = expectOk(
      await api.application.submit.mutate({
        ...base,
        delivery: { method: 'ems', recipient: '李𠮷英', ...EMS },
        idempotencyKey: 'key-recipient-other-1',
      }),
    );
    const stored = kiosk.db
      .prepare('SELECT zk_open(delivery) FROM applications WHERE id = ?')
      .pluck()
      .get(r.applications[0]!.id) as string;
    expect(JSON.parse(stored)).toMatchObject({ recipient: '李𠮷英' });
    await api.session.end.mutate({ sessionId: s.id, reason: 'finished' });
  }, 60_000);
});
