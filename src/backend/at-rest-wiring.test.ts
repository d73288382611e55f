/**
 * Personal data at rest through the real backend (docs/security.md, "Personal data at rest"):
 * a submission through the API leaves no ID number in clear under the data directory; after the
 * retention purge not even its sealed copies, scans or archived form remain (every byte of the
 * database, WAL, SHM and files scanned, as UTF-8 and UTF-16); start-up repairs re-create a lost
 * archive and remove leftovers; a damaged database refuses to start with the technician's way back.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeAcknowledged } from '../sync/index.js';
import { BackendStartError, EXIT_CORRUPT_DATABASE, startKioskBackend, type KioskBackend } from './app.js';
import { loadKioskConfig, type KioskConfig } from './config.js';
import { expectOk } from './expect-ok.js';
import { placeCard } from './testing/place-card.js';
import { createLogger } from './logger.js';
import type { AppRouter } from './rpc/router.js';
import { createRecordHandlers } from './services/kiosk-records.js';

const UNEMPLOYMENT = '610000-RSJ-JF-05005-000';
const ID = '11010519491231002X';
const FORM = {
  contactPhone: '13800138000',
  address: '陕西省西安市雁塔区示例路1号',
  lastEmployer: '西安示例有限公司',
  separationDate: '2026-10-31',
  separationReason: 'contract-end',
  jobIntention: '仓储管理',
};

let dir: string;
let config: KioskConfig;
let kiosk: KioskBackend;
let api: ReturnType<typeof createTRPCClient<AppRouter>>;

async function start(): Promise<void> {
  kiosk = await startKioskBackend({ config, logger: createLogger('silent') });
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
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-at-rest-'));
  const cfg = loadKioskConfig({ argv: [], env: { KIOSK_DATA_DIR: dir, KIOSK_PORT: '0' } });
  if (!cfg.ok) throw new Error(cfg.error);
  config = cfg.config;
  await start();
}, 60_000);

afterAll(async () => {
  await kiosk?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every file under `root`, recursively. */
function filesUnder(root: string): string[] {
  return readdirSync(root, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(root, e.name)) : e.isFile() ? [join(root, e.name)] : [],
  );
}

/** The files under the data directory whose bytes hold `text` as UTF-8 or as UTF-16 (either order). */
function holding(text: string): string[] {
  const needles = [
    Buffer.from(text, 'utf8'),
    Buffer.from(text, 'utf16le'),
    Buffer.from(text, 'utf16le').swap16(),
  ];
  return filesUnder(dir).filter((f) => {
    const bytes = readFileSync(f);
    return needles.some((n) => bytes.includes(n));
  });
}

async function waitFor(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  for (const until = Date.now() + ms; Date.now() < until;) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A session identified and scanned, and the submit input for it. */
async function readyToSubmit(key: string) {
  const session = await api.session.start.mutate({ trigger: 'touch' });
  // Placed after the session started, and placed again should a read fail on a loaded machine (the
  // reader then waits for the card to leave: identify would wait for nothing).
  await placeCard(kiosk.devices);
  expectOk(
    await api.session.identify.mutate({ sessionId: session.id, role: 'applicant', timeoutMs: 10_000 }),
  );
  const plan = expectOk(
    await api.application.plan.query({ sessionId: session.id, target: { kind: 'item', code: UNEMPLOYMENT } }),
  );
  for (const m of plan.materials.filter((x) => x.required))
    expect((await api.session.scan.mutate({ sessionId: session.id, material: m.code })).ok).toBe(true);
  const reason = plan.fields.find((f) => f.key === 'separationReason')?.options?.[0]?.value ?? '';
  const input = {
    sessionId: session.id,
    target: { kind: 'item' as const, code: UNEMPLOYMENT },
    // The ID number typed into the form too, as a careless resident might.
    form: { ...FORM, separationReason: reason, jobIntention: `仓储 ${ID}` },
    delivery: { method: 'pickup' as const },
    integrityAcknowledged: true,
    idempotencyKey: key,
    lang: 'zh' as const,
  };
  const done = async () => {
    await api.session.end.mutate({ sessionId: session.id, reason: 'finished' });
    await api.sim.removeCard.mutate();
  };
  return { input, done };
}

async function submit(key: string): Promise<{ id: string; receiptNo: string }> {
  const { input, done } = await readyToSubmit(key);
  const r = expectOk(await api.application.submit.mutate(input));
  await done();
  const app = r.applications[0];
  if (!app) throw new Error('no application');
  return { id: app.id, receiptNo: app.receiptNo };
}

const archiveOf = (receiptNo: string) => join(dir, 'archive', `${receiptNo}.pdf`);

describe('personal data at rest', () => {
  let first: { id: string; receiptNo: string };

  it('keeps nothing in clear: database, WAL, scans and archived form are sealed, modes private', async () => {
    first = await submit('at-rest-1');
    await waitFor('the archived form', () => existsSync(archiveOf(first.receiptNo)));
    // The control: the scan finds the number where it is in clear.
    writeFileSync(join(dir, 'control.txt'), Buffer.from(`x${ID}x`, 'utf16le'));
    expect(holding(ID)).toEqual([join(dir, 'control.txt')]);
    rmSync(join(dir, 'control.txt'));
    expect(holding(ID)).toEqual([]);
    expect(holding('李秀英')).toEqual([]);
    expect(readFileSync(archiveOf(first.receiptNo)).subarray(0, 4).toString()).toBe('ZKS1');
    if (process.platform !== 'win32') {
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      for (const f of filesUnder(dir))
        expect({ f, mode: statSync(f).mode & 0o777 }).toEqual({ f, mode: 0o600 });
    }
  }, 60_000);

  it('after the retention purge, no byte under the data directory holds the ID number, sealed or not', async () => {
    const records = createRecordHandlers({ db: kiosk.db });
    const acked = new Date('2026-01-01T00:00:00Z');
    records.acknowledged(
      [{ kind: 'application', entityId: first.id, status: 'applied' }],
      acked.toISOString(),
    );
    const blobsBefore = filesUnder(join(dir, 'blobs')).length;
    expect(blobsBefore).toBeGreaterThan(0);
    // Sealed copies before: the personal columns and the payload are there, only unreadable.
    const sealedCopies = () =>
      kiosk.db
        .prepare(
          `SELECT count(*) FROM applications WHERE id = ? AND (applicant_id_number IS NOT NULL OR form IS NOT NULL)`,
        )
        .pluck()
        .get(first.id) as number;
    expect(sealedCopies()).toBe(1);
    const r = purgeAcknowledged({
      db: kiosk.db,
      blobDir: join(dir, 'blobs'),
      clock: () => new Date('2026-03-01T00:00:00Z'),
      records,
    });
    expect(r).toMatchObject({ applications: 1, archives: 1 });
    expect(sealedCopies()).toBe(0);
    expect(existsSync(archiveOf(first.receiptNo))).toBe(false);
    expect(filesUnder(join(dir, 'blobs'))).toEqual([]);
    expect(statSync(join(dir, 'kiosk.db-wal')).size).toBe(0);
    expect(holding(ID)).toEqual([]);
    expect(holding('李秀英')).toEqual([]);
    // 进度查询 still knows the receipt.
    const lookup = await api.session.start.mutate({ trigger: 'touch' });
    expect(
      expectOk(await api.progress.byReceipt.query({ sessionId: lookup.id, receiptNo: first.receiptNo })),
    ).toMatchObject({ access: 'status', status: { receiptNo: first.receiptNo } });
  }, 60_000);

  it('re-creates a lost archive at start and removes what interrupted writes left', async () => {
    const second = await submit('at-rest-2');
    await waitFor('the archived form', () => existsSync(archiveOf(second.receiptNo)));
    await kiosk.close();
    // What a SIGKILL leaves: the form never written, half-written temp files.
    rmSync(archiveOf(second.receiptNo));
    const tmpArchive = `${archiveOf(second.receiptNo)}.tmp-99999`;
    writeFileSync(tmpArchive, `%PDF partial ${ID}`);
    const shard = join(dir, 'blobs', 'ab');
    const stale = join(shard, '.tmp-abcdef-99999-00');
    mkdirSync(shard, { recursive: true });
    writeFileSync(stale, `partial scan ${ID}`);
    await start();
    await waitFor('the re-created archive', () => existsSync(archiveOf(second.receiptNo)));
    expect(existsSync(tmpArchive)).toBe(false);
    expect(existsSync(stale)).toBe(false);
    expect(holding(ID)).toEqual([]);
  }, 90_000);

  it('answers a full disk as storage-full, storing nothing, and takes the same submission once there is room', async () => {
    const { input, done } = await readyToSubmit('at-rest-full');
    const count = () => kiosk.db.prepare('SELECT count(*) FROM applications').pluck().get() as number;
    const before = count();
    // SQLITE_FULL: the database may not grow by a single page.
    const pages = kiosk.db.pragma('page_count', { simple: true }) as number;
    kiosk.db.pragma(`max_page_count = ${pages}`);
    const full = await api.application.submit.mutate(input);
    expect(full).toEqual({ ok: false, error: { kind: 'storage-full' } });
    expect(count()).toBe(before);
    kiosk.db.pragma('max_page_count = 1073741823');
    const retried = expectOk(await api.application.submit.mutate(input));
    expect(retried.reused).toBe(false);
    expect(count()).toBe(before + 1);
    await done();
  }, 60_000);

  it('refuses to start on a damaged database, with its own exit code and the technician path', async () => {
    await kiosk.close();
    const path = join(dir, 'kiosk.db');
    const page = 4096;
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(page * 2, 0xa5), 0, page * 2, page * 2);
    closeSync(fd);
    const e = await startKioskBackend({ config, logger: createLogger('silent') }).then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(BackendStartError);
    expect((e as BackendStartError).exitCode).toBe(EXIT_CORRUPT_DATABASE);
    expect((e as Error).message).toMatch(/damaged.*Technician: move kiosk\.db.*re-enrol/s);
  }, 30_000);
});
