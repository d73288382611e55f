/**
 * Personal data sealed at rest (migration 6, docs/security.md "Personal data at rest"): what the
 * kiosk's stores write is unreadable in the file, what they read is plain, an older database is
 * sealed on upgrade, and a damaged database is refused at open.
 */
import Database from 'better-sqlite3';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSealedText, sealerFor } from '../../shared/at-rest/index.js';
import { createApplicationsStore } from './applications-store.js';
import { createConfigStore } from './config-store.js';
import { openDatabase, type Db } from './db.js';
import { resourcesDir } from '../paths.js';
import { ensureCatalog } from '../services/catalog.js';

const ID = '11010519491231002X';
const NAME = '李秀英';
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-sealed-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const must = (r: ReturnType<typeof openDatabase>): Db => {
  if (!r.ok) throw new Error(r.message);
  return r.db;
};

describe('sealed at rest', () => {
  it('the applications store seals the personal columns and reads them plain', () => {
    const db = must(openDatabase(join(dir, 'kiosk.db')));
    ensureCatalog(db, join(resourcesDir(), 'catalog'), new Date());
    const itemCode = db.prepare('SELECT code FROM service_items LIMIT 1').pluck().get() as string;
    const store = createApplicationsStore(db);
    store.insert({
      id: 'a1',
      receiptNo: 'ZZ01-20261205-0001',
      itemCode,
      bundleCode: null,
      submissionId: 's1',
      jurisdiction: '611100',
      applicantName: NAME,
      applicantId: ID,
      applicantMasked: '李*英',
      helperName: null,
      helperId: null,
      form: JSON.stringify({ values: { address: '陕西省西安市雁塔区' } }),
      delivery: JSON.stringify({ method: 'pickup' }),
      at: '2026-12-05T00:00:00.000Z',
      promisedDate: '2026-12-10',
      idHash: 'h',
      caseType: 'promised',
      accessCodeHash: 's1$00$00',
    });
    const raw = db
      .prepare('SELECT applicant_name, applicant_id_number, form, helper_name FROM applications')
      .get() as Record<string, string | null>;
    expect(isSealedText(raw.applicant_name ?? '')).toBe(true);
    expect(JSON.stringify(raw)).not.toContain(ID);
    expect(JSON.stringify(raw)).not.toContain(NAME);
    expect(raw.helper_name).toBeNull();
    expect(store.byId('a1')).toMatchObject({
      applicant_name: NAME,
      applicant_id_number: ID,
      helper_name: null,
    });
    expect(JSON.parse(store.byReceipt('ZZ01-20261205-0001')?.form ?? '{}')).toEqual({
      values: { address: '陕西省西安市雁塔区' },
    });
    // Nothing of it in clear in the files, the WAL included (read while the database is open).
    for (const f of ['kiosk.db', 'kiosk.db-wal']) {
      const bytes = readFileSync(join(dir, f));
      expect(bytes.includes(Buffer.from(ID))).toBe(false);
      expect(bytes.includes(Buffer.from(NAME))).toBe(false);
    }
    db.close();
    if (process.platform !== 'win32') {
      expect(statSync(join(dir, 'kiosk.db')).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'kiosk.key')).mode & 0o777).toBe(0o600);
    }
  });

  it('migration 6 seals what an older kiosk left in clear, and the stores read it back', () => {
    const old = must(openDatabase(join(dir, 'kiosk.db'), { targetVersion: 5 }));
    old
      .prepare(
        "INSERT INTO kiosk_config (key, value, updated_at) VALUES ('resident.idSalt', '\"salt-1234567890\"', 't')",
      )
      .run();
    old
      .prepare(
        `INSERT INTO kiosk_config (key, value, updated_at) VALUES ('sync.enrollment', '{"secret":"s3cr3t-s3cr3t-s3cr3t"}', 't')`,
      )
      .run();
    old
      .prepare(
        `INSERT INTO outbox (kind, entity_id, payload, created_at) VALUES ('application', 'a1', '{"idNumber":"${ID}"}', 't'),
        ('application', 'a2', '{"purged":true,"id":"a2"}', 't')`,
      )
      .run();
    old.close();
    const db = must(openDatabase(join(dir, 'kiosk.db')));
    const rows = db.prepare('SELECT key, value FROM kiosk_config ORDER BY key').all() as {
      key: string;
      value: string;
    }[];
    for (const r of rows) expect(isSealedText(r.value)).toBe(true);
    expect(createConfigStore(db).read<string>('resident.idSalt')).toBe('salt-1234567890');
    const payloads = db.prepare('SELECT payload FROM outbox ORDER BY seq').pluck().all() as string[];
    expect(isSealedText(payloads[0] ?? '')).toBe(true);
    expect(payloads[1]).toBe('{"purged":true,"id":"a2"}');
    expect(sealerFor(db).openText(payloads[0] ?? '')).toContain(ID);
    db.close();
  });

  it('refuses another key: a sealed value read with the wrong key is an error, not garbage', () => {
    const db = must(openDatabase(join(dir, 'kiosk.db')));
    createConfigStore(db).writeSealed('resident.idSalt', 'x', 't');
    db.close();
    rmSync(join(dir, 'kiosk.key'));
    const again = must(openDatabase(join(dir, 'kiosk.db')));
    expect(() => createConfigStore(again).read('resident.idSalt')).toThrow(/does not open/);
    again.close();
  });

  it('refuses a configured key file that is missing, naming it', () => {
    const r = openDatabase(join(dir, 'kiosk.db'), { keyFile: join(dir, 'elsewhere', 'kiosk.key') });
    expect(r).toMatchObject({ ok: false, error: 'cannot-open' });
    if (!r.ok) expect(r.message).toMatch(/elsewhere\/kiosk\.key does not exist/);
  });

  it('refuses a damaged database at open (quick_check), leaving the file as it was', () => {
    const db = must(openDatabase(join(dir, 'kiosk.db')));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const path = join(dir, 'kiosk.db');
    const size = statSync(path).size;
    const page = 4096;
    expect(size).toBeGreaterThan(page * 4);
    // Garbage over the middle of the file: b-tree pages of the schema's tables.
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(page * 2, 0xa5), 0, page * 2, page * 2);
    closeSync(fd);
    const before = readFileSync(path);
    const r = openDatabase(path);
    expect(r).toMatchObject({ ok: false, error: 'corrupt' });
    if (!r.ok) expect(r.message).toMatch(/kiosk database .* is damaged/);
    expect(readFileSync(path).equals(before)).toBe(true);
    // A raw open still works: the technician can copy the data out.
    new Database(path).close();
  });
});
