/**
 * Migration 7 (receipt access codes, docs/security.md "Receipt access codes"): an application
 * submitted before codes keeps its row and gets no code (NULL): only the applicant's card opens it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createApplicationsStore } from './applications-store.js';
import { openDatabase } from './db.js';
import { LATEST_VERSION } from './migrations/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-m007-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('adds access_code_hash, NULL for the applications already there', () => {
  const file = join(dir, 'kiosk.db');
  const old = openDatabase(file, { targetVersion: 6 });
  if (!old.ok) throw new Error(old.message);
  const at = '2026-11-26T02:00:00.000Z';
  // No catalog in this database: the row is what matters here, not its item.
  old.db.pragma('foreign_keys = OFF');
  old.db
    .prepare(
      `INSERT INTO applications (id, receipt_no, item_code, jurisdiction, applicant_name, applicant_id_number, applicant_masked,
         status, submitted_at, promised_date, updated_at, case_type, integrity_ack_at)
       VALUES ('a1', 'ZZ01-20261126-0001', '610000-RSJ-JF-05005-000', '611100', zk_seal('李秀英'),
         zk_seal('11010519491231002X'), '李*英', 'submitted', ?, '2026-12-01', ?, 'promised', ?)`,
    )
    .run(at, at, at);
  old.db.close();
  const opened = openDatabase(file);
  if (!opened.ok) throw new Error(opened.message);
  expect(opened.migratedTo).toBe(LATEST_VERSION);
  const store = createApplicationsStore(opened.db);
  const row = store.byReceipt('ZZ01-20261126-0001');
  expect(row?.access_code_hash).toBeNull();
  expect(row?.applicant_name).toBe('李秀英');
  store.setAccessCodeHash('a1', 's1$00$11');
  expect(store.byId('a1')?.access_code_hash).toBe('s1$00$11');
  opened.db.close();
});
