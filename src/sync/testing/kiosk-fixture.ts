/**
 * Writes kiosk-side business rows the way the backend services do — rows, outbox entry and scanned
 * file in one go, the file fsynced and renamed into the content-addressed store before the
 * transaction — for the sync tests. Entries are built with the contract's types
 * (src/shared/wire), so they are exactly what the kiosk writes and the hall reads; the handlers the
 * sync client calls back are the backend's own (`kioskRecords`).
 *
 * Names like 'app-1' become stable UUIDs (`fixtureId`), as the contract wants UUIDs.
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createRecordHandlers } from '../../backend/services/kiosk-records.js';
import type { EvaluationLevel } from '../../shared/evaluation.js';
import { fixtureId } from '../../shared/testing/wire-samples.js';
import {
  encodeEntry,
  type ApplicationEntry,
  type EvaluationEntry,
  type TicketEntry,
} from '../../shared/wire/index.js';
import type { SyncDb } from '../store.js';
import type { RecordHandlers } from '../streams.js';

const AT = '2026-03-02T08:00:00.000Z';

export { fixtureId };

/** The backend's record handlers over this database (what the sync client calls back). */
export function kioskRecords(db: SyncDb): RecordHandlers {
  return createRecordHandlers({ db });
}

export function seedCatalogRow(db: SyncDb): void {
  db.prepare(
    `INSERT OR IGNORE INTO window_categories (code, name_zh, name_en, sort_order, data) VALUES ('zzlb', '证照联办', 'Licences', 0, '{"queuePrefix":"A"}')`,
  ).run();
  db.prepare(
    `INSERT OR IGNORE INTO service_items (code, window_code, name_zh, name_en, case_type, legal_days, promised_days, search_text, data, catalog_version)
     VALUES ('X1', 'zzlb', '测试事项', 'Test item', 'promised', 20, 5, 'x1', '{}', 'test')`,
  ).run();
}

export function writeBlob(blobDir: string, bytes: Buffer): string {
  const sha = createHash('sha256').update(bytes).digest('hex');
  const dir = join(blobDir, sha.slice(0, 2));
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.tmp-${sha}`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, sha));
  return sha;
}

const outbox = (db: SyncDb, kind: string, entityId: string, payload: string, at: string) =>
  Number(
    db
      .prepare('INSERT INTO outbox (kind, entity_id, payload, created_at) VALUES (?, ?, ?, ?)')
      .run(kind, entityId, payload, at).lastInsertRowid,
  );

/** A receipt number for a fixture name, of the kiosk's pattern. */
const receiptNoOf = (name: string) =>
  `ZZ01-20260302-${String(parseInt(createHash('sha256').update(name).digest('hex').slice(0, 8), 16) % 1_000_000).padStart(6, '0')}`;

/**
 * A whole application entry as the kiosk writes it (src/shared/wire/entries.ts): item X1 of
 * 610102, 张三, pickup, promised seven days after `at`, its pages as material m1 (JPEG).
 */
export function applicationEntryOf(a: {
  id: string;
  receiptNo: string;
  at: string;
  pages: readonly { sha256: string; size: number }[];
}): ApplicationEntry {
  return {
    id: a.id,
    receiptNo: a.receiptNo,
    itemCode: 'X1',
    caseType: 'promised',
    jurisdiction: '610102',
    submittedAt: a.at,
    promisedDays: 5,
    promisedDate: new Date(Date.parse(a.at) + 7 * 86400_000).toISOString().slice(0, 10),
    bundle: null,
    applicant: { name: '张三', idNumber: '11010519491231002X', cardType: 'resident' },
    helper: null,
    form: {},
    delivery: { method: 'pickup' },
    licences: [],
    integrityAcknowledgedAt: a.at,
    attachments: a.pages.map((p, position) => ({
      materialCode: 'm1',
      position,
      sha256: p.sha256,
      size: p.size,
      mime: 'image/jpeg',
    })),
  };
}

/** An application with scanned pages: files first, then rows + outbox in one transaction. */
export function submitApplication(
  db: SyncDb,
  blobDir: string,
  name: string,
  pages: Buffer[],
  at = AT,
): number {
  const id = fixtureId(name);
  const receiptNo = receiptNoOf(name);
  const shas = pages.map((p) => writeBlob(blobDir, p));
  return db.transaction(() => {
    db.prepare(
      `INSERT INTO applications (id, receipt_no, item_code, jurisdiction, applicant_name, applicant_id_number, applicant_masked, status, submitted_at, updated_at)
       VALUES (?, ?, 'X1', '610102', '张三', '11010519491231002X', '张*', 'submitted', ?, ?)`,
    ).run(id, receiptNo, at, at);
    shas.forEach((sha, i) => {
      db.prepare(
        "INSERT OR IGNORE INTO attachments (sha256, size, mime, captured_at, device) VALUES (?, ?, 'image/jpeg', ?, 'test')",
      ).run(sha, pages[i]?.length ?? 0, at);
      db.prepare(
        "INSERT INTO application_attachments (application_id, material_code, sha256, position) VALUES (?, 'm1', ?, ?)",
      ).run(id, sha, i);
    });
    const entry = applicationEntryOf({
      id,
      receiptNo,
      at,
      pages: shas.map((sha256, i) => ({ sha256, size: pages[i]?.length ?? 0 })),
    });
    return outbox(db, 'application', id, encodeEntry('application', entry), at);
  })();
}

export function issueTicket(db: SyncDb, name: string, number: string, at = AT): number {
  const id = fixtureId(name);
  const entry: TicketEntry = {
    id,
    idempotencyKey: `ticket-key-${name}`,
    window: 'zzlb',
    number,
    serviceDate: at.slice(0, 10),
    issuedAt: at,
    source: 'offline',
  };
  return outbox(db, 'queue-ticket', id, encodeEntry('queue-ticket', entry), at);
}

export function evaluate(
  db: SyncDb,
  name: string,
  target: string,
  level: EvaluationLevel = 'very-satisfied',
  at = AT,
): number {
  const id = fixtureId(name);
  const entry: EvaluationEntry = {
    id,
    targetKind: 'application',
    targetId: fixtureId(target),
    level,
    contentItems: [],
    reason: null,
    comment: null,
    channel: 'self-service-terminal',
    itemsVersion: 'test',
    createdAt: at,
  };
  return outbox(db, 'evaluation', id, encodeEntry('evaluation', entry), at);
}

/** An entry the hall must reject (a level outside the enumeration). */
export function malformed(db: SyncDb, name: string): number {
  const id = fixtureId(name);
  return outbox(
    db,
    'evaluation',
    id,
    JSON.stringify({ id, targetKind: 'application', targetId: id, level: 'great!!', createdAt: 'now' }),
    AT,
  );
}
