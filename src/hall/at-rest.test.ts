/**
 * The hall's personal data at rest (docs/security.md, "Hall data at rest and key rotation"), through
 * the real pieces: a kiosk database and its sync client push applications, a 补正 supplement and
 * scanned pages over HTTP to a running hall; a help request with the resident's consented name and a
 * shared licence are recorded. Then every byte under the hall's data directory — hall.db, its WAL
 * and SHM, the blobs, the key — is scanned for the ID number, the name, the phone and the address,
 * as UTF-8 and UTF-16 (both byte orders), with a planted control proving the scanner finds them;
 * folders are 0700 and files 0600. The staff API still shows the case (masked) and serves each
 * document byte for byte as the kiosk sent it, and a licence is still found by the ID number.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../backend/index.js';
import { fixtureId } from '../shared/testing/wire-samples.js';
import { encodeEntry, type ApplicationEntry, type SupplementEntry } from '../shared/wire/index.js';
import { createSyncClient, enrollKiosk } from '../sync/index.js';
import { kioskRecords, seedCatalogRow, writeBlob } from '../sync/testing/kiosk-fixture.js';
import { startHallServer, type HallServer } from './server.js';
import { applicationPayload, sha, staffCall } from './testing/staff-fixture.js';

const ID = '610102199001011234';
const NAME = '张小三';
const PHONE = '13800138000';
const ADDRESS = '西安市沣东新城 1 号';
const JURISDICTION = '610102';
const AT = '2026-03-02T08:00:00.000Z';

let root: string;
let hallDir: string;
let kioskDir: string;
let db: Db;
let hall: HallServer;
const clock = () => new Date(Date.parse(AT) + 60_000);
const silent = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : [],
  );
}

/** The files under the hall's data directory whose bytes hold `text` as UTF-8 or UTF-16 (either order). */
function holding(text: string): string[] {
  const needles = [
    Buffer.from(text, 'utf8'),
    Buffer.from(text, 'utf16le'),
    Buffer.from(text, 'utf16le').swap16(),
  ];
  return filesUnder(hallDir).filter((f) => {
    const bytes = readFileSync(f);
    return needles.some((n) => bytes.includes(n));
  });
}

/** An application as the kiosk writes it: pages stored, then its rows and outbox entry. */
function kioskSubmits(name: string, pages: Buffer[]): ApplicationEntry {
  const shas = pages.map((p) => writeBlob(join(kioskDir, 'blobs'), p));
  const entry: ApplicationEntry = applicationPayload(name, {
    jurisdiction: JURISDICTION,
    submittedAt: AT,
    attachments: shas.map((s, i) => ({ materialCode: 'm1', sha256: s, size: pages[i]?.length ?? 0 })),
  });
  db.transaction(() => {
    db.prepare(
      `INSERT INTO applications (id, receipt_no, item_code, jurisdiction, applicant_name, applicant_id_number, applicant_masked, status, submitted_at, updated_at)
       VALUES (?, ?, 'X1', ?, zk_seal(?), zk_seal(?), '张*三', 'submitted', ?, ?)`,
    ).run(entry.id, entry.receiptNo, JURISDICTION, NAME, ID, AT, AT);
    shas.forEach((s, i) => {
      db.prepare(
        "INSERT OR IGNORE INTO attachments (sha256, size, mime, captured_at, device) VALUES (?, ?, 'image/jpeg', ?, 'test')",
      ).run(s, pages[i]?.length ?? 0, AT);
      db.prepare(
        "INSERT INTO application_attachments (application_id, material_code, sha256, position) VALUES (?, 'm1', ?, ?)",
      ).run(entry.id, s, i);
    });
    db.prepare(
      "INSERT INTO outbox (kind, entity_id, payload, created_at) VALUES ('application', ?, zk_seal(?), ?)",
    ).run(entry.id, encodeEntry('application', entry), AT);
  })();
  return entry;
}

/** A 补正 supplement of `app` with one page, as the kiosk queues it. */
function kioskSupplements(app: ApplicationEntry, page: Buffer): SupplementEntry {
  const s = writeBlob(join(kioskDir, 'blobs'), page);
  const entry: SupplementEntry = {
    id: fixtureId(`${app.id}-supplement`),
    applicationId: app.id,
    receiptNo: app.receiptNo,
    submittedAt: AT,
    attachments: [{ materialCode: 'm2', position: 0, sha256: s, size: page.length, mime: 'image/png' }],
  };
  db.prepare(
    "INSERT OR IGNORE INTO attachments (sha256, size, mime, captured_at, device) VALUES (?, ?, 'image/png', ?, 'test')",
  ).run(s, page.length, AT);
  db.prepare(
    "INSERT INTO outbox (kind, entity_id, payload, created_at) VALUES ('supplement', ?, zk_seal(?), ?)",
  ).run(entry.id, encodeEntry('supplement', entry), AT);
  return entry;
}

/** Scanned pages that carry the resident's details in clear, as a photographed ID card would. */
const page = (n: number): Buffer =>
  Buffer.concat([
    randomBytes(3000),
    Buffer.from(`page ${n}: ${NAME} ${ID} ${PHONE} ${ADDRESS}`, 'utf8'),
    Buffer.from(`${NAME} ${ID}`, 'utf16le'),
    randomBytes(40_000),
  ]);

let app: ApplicationEntry;
let supplement: SupplementEntry;
const pages = [page(1), page(2)];
const supplementPage = page(3);

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'zizhu-hall-at-rest-'));
  hallDir = join(root, 'hall');
  kioskDir = join(root, 'kiosk');
  const opened = openDatabase(join(kioskDir, 'kiosk.db'));
  if (!opened.ok) throw new Error(opened.message);
  db = opened.db;
  seedCatalogRow(db);
  hall = await startHallServer({ host: '127.0.0.1', port: 0, dataDir: hallDir }, { silent: true, clock });
  const enrolled = await enrollKiosk({
    db,
    hallUrl: hall.url,
    code: (await hall.service.createEnrollmentCode(JURISDICTION)).code,
    clock,
  });
  if (!enrolled.ok) throw new Error(JSON.stringify(enrolled.error));
  const client = createSyncClient({
    db,
    records: kioskRecords(db),
    hallUrl: hall.url,
    credentials: enrolled.enrollment,
    blobDir: join(kioskDir, 'blobs'),
    clock,
    logger: silent,
    random: () => 0.5,
    requestTimeoutMs: 5000,
  });
  app = kioskSubmits('at-rest-1', pages);
  expect(await client.runOnce()).toMatchObject({ ok: true, backlog: 0 });
  // Staff ask for a correction; the kiosk sends the missing page.
  const token = await hall.staff.createToken('王五', JURISDICTION);
  const asked = await staffCall(hall, token, 'POST', `/v1/staff/cases/${app.id}/actions`, {
    action: 'request-correction',
    note: '请补充材料',
    materials: ['m2'],
  });
  expect(asked.status).toBe(200);
  supplement = kioskSupplements(app, supplementPage);
  expect(await client.runOnce()).toMatchObject({ ok: true, backlog: 0 });
  // 呼叫帮助 with the resident's consent: their name goes to the desk.
  expect(
    (
      await hall.help.request(
        { id: enrolled.enrollment.kioskId, jurisdiction: JURISDICTION },
        { id: fixtureId('help-1'), step: 'apply', since: AT, consent: true, residentName: NAME },
      )
    ).status,
  ).toBe(200);
  await hall.service.addLicence(ID, 'm9', 'LIC-2026-0001');
}, 60_000);

afterAll(async () => {
  await hall?.close();
  db?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the hall keeps personal data sealed at rest', () => {
  it('holds no ID number, name, phone or address in clear anywhere under its data directory', () => {
    const files = filesUnder(hallDir).map((f) => f.slice(hallDir.length + 1));
    expect(files).toEqual(expect.arrayContaining(['hall.db', 'hall.db-wal', 'hall.db-shm', 'hall.key']));
    // The three scans came by batch sync (/v2): records of pack files (docs/blob-store.md), one pack
    // per sync cycle.
    expect(files.filter((f) => f.startsWith('blobs/')).length).toBe(2);
    expect(files.filter((f) => /^blobs\/packs\/[0-9a-f]{32}\.pack$/.test(f)).length).toBe(2);
    // The control: the scanner finds the number where it is in clear, in each encoding.
    for (const encoding of ['utf8', 'utf16le'] as const) {
      writeFileSync(join(hallDir, 'control.bin'), Buffer.from(`x${ID}x`, encoding));
      expect(holding(ID)).toEqual([join(hallDir, 'control.bin')]);
    }
    writeFileSync(join(hallDir, 'control.bin'), Buffer.from(`x${ID}x`, 'utf16le').swap16());
    expect(holding(ID)).toEqual([join(hallDir, 'control.bin')]);
    rmSync(join(hallDir, 'control.bin'));
    expect(statSync(join(hallDir, 'hall.db-wal')).size).toBeGreaterThan(0);
    for (const secret of [ID, NAME, PHONE, ADDRESS, 'LIC-2026-0001'])
      expect({ secret, files: holding(secret) }).toEqual({ secret, files: [] });
  });

  it('keeps the data directory 0700 and every file in it 0600', () => {
    if (process.platform === 'win32') return;
    const dirs = (d: string): string[] => [
      d,
      ...readdirSync(d, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .flatMap((e) => dirs(join(d, e.name))),
    ];
    for (const d of dirs(hallDir)) expect({ d, mode: statSync(d).mode & 0o777 }).toEqual({ d, mode: 0o700 });
    for (const f of filesUnder(hallDir))
      expect({ f, mode: statSync(f).mode & 0o777 }).toEqual({ f, mode: 0o600 });
  });

  it('still shows the case to staff, masked, and serves every document as the kiosk sent it', async () => {
    const token = await hall.staff.createToken('王五', JURISDICTION);
    const detail = await staffCall(hall, token, 'GET', `/v1/staff/cases/${app.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      id: app.id,
      status: 'supplement-received',
      applicant: { name: '张*三', idNumber: expect.stringMatching(/^6101\*+1234$/) as unknown },
      supplements: [{ id: supplement.id, materials: ['m2'] }],
    });
    expect(JSON.stringify(detail.body)).not.toContain(ID);
    const documents = [
      ...app.attachments.map((a, i) => ({ sha256: a.sha256, bytes: pages[i], mime: 'image/jpeg' })),
      { sha256: sha(supplementPage), bytes: supplementPage, mime: 'image/png' },
    ];
    for (const d of documents) {
      const res = await fetch(new URL(`v1/staff/cases/${app.id}/blobs/${d.sha256}`, hall.url), {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(d.mime);
      expect(Buffer.from(await res.arrayBuffer()).equals(d.bytes ?? Buffer.alloc(0))).toBe(true);
    }
    // Only staff of the case's jurisdiction, only the case's own documents.
    const other = await hall.staff.createToken('赵六', '610113');
    expect(
      (await staffCall(hall, other, 'GET', `/v1/staff/cases/${app.id}/blobs/${sha(pages[0] ?? '')}`)).status,
    ).toBe(404);
    expect(
      (await staffCall(hall, token, 'GET', `/v1/staff/cases/${app.id}/blobs/${'0'.repeat(64)}`)).status,
    ).toBe(404);
    expect(
      (await staffCall(hall, null, 'GET', `/v1/staff/cases/${app.id}/blobs/${sha(pages[0] ?? '')}`)).status,
    ).toBe(401);
  });

  it('finds a licence and shows the help request by the sealed values', async () => {
    expect(await hall.service.lookupLicences({ idNumber: ID, materials: ['m9', 'm1'] })).toEqual({
      status: 200,
      body: { held: ['m9'] },
    });
    expect(
      (await hall.service.lookupLicences({ idNumber: '11010519491231002X', materials: ['m9'] })).body,
    ).toEqual({
      held: [],
    });
    const token = await hall.staff.createToken('王五', JURISDICTION);
    const help = await staffCall(hall, token, 'GET', '/v1/staff/help');
    expect(JSON.stringify(help.body)).toContain(NAME);
  });

  it('refuses a document whose sealed bytes were changed on disk', async () => {
    const s = sha(pages[1] ?? '');
    // Its pack record: sha256 (32) ‖ plain size (4) ‖ sealed length (4) ‖ envelope (docs/blob-store.md).
    const name = Buffer.from(s, 'hex');
    const path =
      filesUnder(join(hallDir, 'blobs', 'packs')).find((f) => readFileSync(f).includes(name)) ?? '';
    const bytes = readFileSync(path);
    const at = bytes.indexOf(name);
    const end = at + 40 + bytes.readUInt32BE(at + 36);
    bytes[end - 5] = (bytes[end - 5] ?? 0) ^ 0x01;
    writeFileSync(path, bytes);
    const token = await hall.staff.createToken('王五', JURISDICTION);
    const res = await staffCall(hall, token, 'GET', `/v1/staff/cases/${app.id}/blobs/${s}`);
    expect(res.status).toBe(500);
    expect(await hall.service.readBlob(s)).toMatchObject({ ok: false, error: { kind: 'corrupt' } });
  });
});
