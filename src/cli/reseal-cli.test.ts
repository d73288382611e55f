/**
 * Key rotation through the CLI entry point (docs/security.md, "Hall data at rest and key rotation"):
 * `db reseal` on the kiosk and `hall db reseal` on the hall seal every sealed value and file again
 * under a new key, written atomically, the old one kept until nothing needs it; a rotation a crash
 * interrupted — before the new key was in place, or halfway through the values and files — is
 * rolled back or finished by the next open and the next run.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../backend/index.js';
import { startHallServer } from '../hall/index.js';
import { applicationPayload, enrolKiosk, staffCall, storeBlob } from '../hall/testing/staff-fixture.js';
import { beginKeyRotation, createSealer, fileKeyId, keyIdOf, sealerFor } from '../shared/at-rest/index.js';
import { resealDatabase, type KeyRotation, type SqliteDb } from '../sqlite/index.js';
import { seedCatalogRow } from '../sync/testing/kiosk-fixture.js';
import { buildCli } from './main.js';

const ID = '11010519491231002X';
const NAME = '李秀英';
let dir: string;
let out: string[];
let err: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-reseal-'));
  out = [];
  err = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const cli = (env: NodeJS.ProcessEnv) => buildCli({ out: (l) => out.push(l), err: (l) => err.push(l) }, env);
const rotation = (): KeyRotation & { ok: true } => JSON.parse(out.join('\n')) as KeyRotation & { ok: true };
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('db reseal (kiosk)', () => {
  const env = () => ({ KIOSK_DATA_DIR: dir });
  const keyPath = () => join(dir, 'kiosk.key');
  const scan = randomBytes(5000);
  const archive = Buffer.from(`%PDF ${NAME} ${ID}`);

  const open = (): SqliteDb => {
    const r = openDatabase(join(dir, 'kiosk.db'));
    if (!r.ok) throw new Error(r.message);
    return r.db;
  };
  /** A kiosk holding a sealed application, outbox entry, scan and archived form. */
  function seedKiosk(): void {
    const db = open();
    seedCatalogRow(db);
    db.prepare(
      `INSERT INTO applications (id, receipt_no, item_code, jurisdiction, applicant_name, applicant_id_number, applicant_masked, status, submitted_at, updated_at)
       VALUES ('a-1', 'ZZ01-20260302-0001', 'X1', '610102', zk_seal(?), zk_seal(?), '李*英', 'submitted', 't', 't')`,
    ).run(NAME, ID);
    db.prepare(
      "INSERT INTO outbox (kind, entity_id, payload, created_at) VALUES ('application', 'a-1', zk_seal(?), 't')",
    ).run(JSON.stringify({ applicant: { name: NAME, idNumber: ID } }));
    const sealer = sealerFor(db);
    mkdirSync(join(dir, 'blobs', sha(scan).slice(0, 2)), { recursive: true });
    writeFileSync(join(dir, 'blobs', sha(scan).slice(0, 2), sha(scan)), sealer.seal(scan), { mode: 0o600 });
    mkdirSync(join(dir, 'archive'), { recursive: true });
    writeFileSync(join(dir, 'archive', 'ZZ01-20260302-0001.pdf'), sealer.seal(archive), { mode: 0o600 });
    db.close();
  }
  const keyIds = () => {
    const db = open();
    try {
      return {
        values: db
          .prepare(
            `SELECT zk_key_id(applicant_name) FROM applications UNION
             SELECT zk_key_id(applicant_id_number) FROM applications UNION SELECT zk_key_id(payload) FROM outbox`,
          )
          .pluck()
          .all(),
        read: db.prepare('SELECT zk_open(applicant_id_number) FROM applications').pluck().get(),
        files: [
          fileKeyId(join(dir, 'blobs', sha(scan).slice(0, 2), sha(scan))),
          fileKeyId(join(dir, 'archive', 'ZZ01-20260302-0001.pdf')),
        ],
      };
    } finally {
      db.close();
    }
  };
  const currentKeyId = () => keyIdOf(readFileSync(keyPath()));

  it('seals every value and file again under a new key and retires the old one', async () => {
    seedKiosk();
    const oldKey = readFileSync(keyPath());
    const before = keyIdOf(oldKey);
    expect(keyIds()).toEqual({ values: [before], read: ID, files: [before, before] });

    expect(await cli(env()).run(['db', 'reseal', '--json'])).toBe(0);
    const r = rotation();
    expect(r).toMatchObject({ ok: true, previousKeyId: before, resumed: false, files: { resealed: 2 } });
    expect(r.keyId).not.toBe(before);
    expect(r.values).toMatchObject({ 'applications.applicant_id_number': 1, 'outbox.payload': 1 });
    expect(currentKeyId()).toBe(r.keyId);
    expect(existsSync(`${keyPath()}.previous`)).toBe(false);
    if (process.platform !== 'win32') expect(statSync(keyPath()).mode & 0o777).toBe(0o600);
    expect(keyIds()).toEqual({ values: [r.keyId], read: ID, files: [r.keyId, r.keyId] });
    // The old key opens nothing any more; the new one opens the files as they were.
    const file = readFileSync(join(dir, 'archive', 'ZZ01-20260302-0001.pdf'));
    expect(createSealer({ key: oldKey }).open(file)).toMatchObject({
      ok: false,
      error: { kind: 'unknown-key' },
    });
    const opened = createSealer({ key: readFileSync(keyPath()) }).open(file);
    expect(opened.ok && opened.value.equals(archive)).toBe(true);
  });

  it('finishes a rotation interrupted halfway (values done, files not) on the next run', async () => {
    seedKiosk();
    const before = currentKeyId();
    // The crash: the new key in place, the database sealed again, the files not yet.
    const begun = beginKeyRotation(keyPath());
    expect(begun).toMatchObject({ ok: true, value: { previousKeyId: before } });
    const db = open();
    resealDatabase(db);
    db.close();
    const next = currentKeyId();
    expect(keyIds()).toEqual({ values: [next], read: ID, files: [before, before] });

    expect(await cli(env()).run(['db', 'reseal', '--json'])).toBe(0);
    expect(rotation()).toMatchObject({ ok: true, keyId: next, resumed: true, files: { resealed: 2 } });
    expect(existsSync(`${keyPath()}.previous`)).toBe(false);
    expect(keyIds()).toEqual({ values: [next], read: ID, files: [next, next] });
  });

  it('rolls back a new key a crash left before the old one was kept, and puts it in place after', async () => {
    seedKiosk();
    const before = currentKeyId();
    // Crashed after writing `.new` only: nothing was sealed with it, it is dropped.
    writeFileSync(`${keyPath()}.new`, randomBytes(32), { mode: 0o600 });
    expect(await cli(env()).run(['db', 'status', '--json'])).toBe(0);
    expect(existsSync(`${keyPath()}.new`)).toBe(false);
    expect(currentKeyId()).toBe(before);
    // Crashed after keeping the old key as `.previous`: the new key is put in place.
    const next = randomBytes(32);
    writeFileSync(`${keyPath()}.new`, next, { mode: 0o600 });
    writeFileSync(`${keyPath()}.previous`, readFileSync(keyPath()), { mode: 0o600 });
    expect(await cli(env()).run(['db', 'status', '--json'])).toBe(0);
    expect(currentKeyId()).toBe(keyIdOf(next));
    expect(keyIds()).toEqual({ values: [before], read: ID, files: [before, before] });
    out.length = 0;
    expect(await cli(env()).run(['db', 'reseal', '--json'])).toBe(0);
    expect(rotation()).toMatchObject({ keyId: keyIdOf(next), resumed: true });
    expect(keyIds()).toEqual({ values: [keyIdOf(next)], read: ID, files: [keyIdOf(next), keyIdOf(next)] });
  });

  it('refuses when the key that sealed the data is gone, keeping everything', async () => {
    seedKiosk();
    rmSync(keyPath());
    writeFileSync(keyPath(), randomBytes(32));
    expect(await cli(env()).run(['db', 'reseal'])).toBe(1);
    expect(err.join('\n')).toMatch(/does not open|rotation stopped/);
    expect(existsSync(`${keyPath()}.previous`)).toBe(true);
  });
});

describe('hall db reseal', () => {
  const env = () => ({ HALL_DATA_DIR: dir, KIOSK_DATA_DIR: join(dir, 'kiosk') });
  const keyPath = () => join(dir, 'hall.key');
  const page = randomBytes(20_000);

  it('seals the hall database and blobs again under a new key; the hall serves them after', async () => {
    let hall = await startHallServer({ host: '127.0.0.1', port: 0, dataDir: dir }, { silent: true });
    const kiosk = await enrolKiosk(hall, '610102');
    const blob = await storeBlob(hall, page);
    const app = applicationPayload('reseal-1', {
      attachments: [{ materialCode: 'm1', sha256: blob, size: page.length }],
    });
    expect((await kiosk.push('application', app)).status).toBe(200);
    await hall.service.addLicence(ID, 'm9', 'LIC-1');
    await hall.close();
    const before = keyIdOf(readFileSync(keyPath()));
    const blobPath = join(dir, 'blobs', blob.slice(0, 2), blob);
    expect(fileKeyId(blobPath)).toBe(before);

    expect(await cli(env()).run(['hall', 'db', 'reseal', '--json'])).toBe(0);
    const r = rotation();
    expect(r).toMatchObject({ ok: true, previousKeyId: before, resumed: false, files: { resealed: 1 } });
    expect(r.values).toMatchObject({ 'applications.payload': 1, 'entries.payload': 1, 'kiosks.secret': 1 });
    expect(keyIdOf(readFileSync(keyPath()))).toBe(r.keyId);
    expect(existsSync(`${keyPath()}.previous`)).toBe(false);
    expect(fileKeyId(blobPath)).toBe(r.keyId);

    hall = await startHallServer({ host: '127.0.0.1', port: 0, dataDir: dir }, { silent: true });
    try {
      const token = await hall.staff.createToken('王五', '610102');
      const detail = await staffCall(hall, token, 'GET', `/v1/staff/cases/${app.id}`);
      expect(detail.body).toMatchObject({ applicant: { name: '张*三' } });
      const doc = await fetch(new URL(`v1/staff/cases/${app.id}/blobs/${blob}`, hall.url), {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(Buffer.from(await doc.arrayBuffer()).equals(page)).toBe(true);
      expect((await hall.service.lookupLicences({ idNumber: ID, materials: ['m9'] })).body).toEqual({
        held: ['m9'],
      });
      // The kiosk's next push is taken (its entries sealed with the new key).
      const text = JSON.stringify(applicationPayload('reseal-2'));
      const pushed = await hall.service.push(kiosk.id, {
        entries: [{ seq: 2, kind: 'application', payload: text, payloadHash: sha(Buffer.from(text)) }],
      });
      expect(pushed.status).toBe(200);
    } finally {
      await hall.close();
    }
  });

  it('finishes a hall rotation a crash interrupted after the database', async () => {
    const hall = await startHallServer({ host: '127.0.0.1', port: 0, dataDir: dir }, { silent: true });
    const blob = await storeBlob(hall, page);
    await hall.close();
    const before = keyIdOf(readFileSync(keyPath()));
    expect(beginKeyRotation(keyPath()).ok).toBe(true);
    const next = keyIdOf(readFileSync(keyPath()));
    const blobPath = join(dir, 'blobs', blob.slice(0, 2), blob);
    expect(fileKeyId(blobPath)).toBe(before);
    expect(await cli(env()).run(['hall', 'db', 'reseal', '--json'])).toBe(0);
    expect(rotation()).toMatchObject({ keyId: next, resumed: true, files: { resealed: 1 } });
    expect(fileKeyId(blobPath)).toBe(next);
    expect(existsSync(`${keyPath()}.previous`)).toBe(false);
  });
});
