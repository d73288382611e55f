/**
 * Writes kiosk-side business rows the way the backend services do — rows, outbox entry and scanned
 * file in one go, the file fsynced and renamed into the content-addressed store before the
 * transaction — for the sync tests, without depending on the backend (folder wall).
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { SyncDb } from '../store.js';

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

const outbox = (db: SyncDb, kind: string, entityId: string, payload: unknown, at: string) =>
  Number(
    db
      .prepare('INSERT INTO outbox (kind, entity_id, payload, created_at) VALUES (?, ?, ?, ?)')
      .run(kind, entityId, typeof payload === 'string' ? payload : JSON.stringify(payload), at)
      .lastInsertRowid,
  );

/** An application with scanned pages: files first, then rows + outbox in one transaction. */
export function submitApplication(
  db: SyncDb,
  blobDir: string,
  id: string,
  pages: Buffer[],
  at = '2026-03-02T08:00:00.000Z',
): number {
  const shas = pages.map((p) => writeBlob(blobDir, p));
  return db.transaction(() => {
    db.prepare(
      `INSERT INTO applications (id, receipt_no, item_code, jurisdiction, applicant_name, applicant_id_number, applicant_masked, status, submitted_at, updated_at)
       VALUES (?, ?, 'X1', '610102', '张三', '610102199001011234', '张*', 'submitted', ?, ?)`,
    ).run(id, `R-${id}`, at, at);
    shas.forEach((sha, i) => {
      db.prepare(
        "INSERT OR IGNORE INTO attachments (sha256, size, mime, captured_at, device) VALUES (?, ?, 'image/jpeg', ?, 'test')",
      ).run(sha, pages[i]?.length ?? 0, at);
      db.prepare(
        "INSERT INTO application_attachments (application_id, material_code, sha256, position) VALUES (?, 'm1', ?, ?)",
      ).run(id, sha, i);
    });
    return outbox(
      db,
      'application',
      id,
      {
        id,
        receiptNo: `R-${id}`,
        itemCode: 'X1',
        jurisdiction: '610102',
        submittedAt: at,
        applicant: { masked: '张*' },
        attachments: shas.map((sha256, i) => ({
          material: 'm1',
          position: i,
          sha256,
          size: pages[i]?.length ?? 0,
        })),
      },
      at,
    );
  })();
}

export function issueTicket(db: SyncDb, id: string, number: string, at = '2026-03-02T08:00:00.000Z'): number {
  return outbox(
    db,
    'queue-ticket',
    id,
    {
      id,
      idempotencyKey: `key-${id}`,
      window: 'zzlb',
      number,
      serviceDate: '2026-03-02',
      issuedAt: at,
      source: 'offline',
    },
    at,
  );
}

export function evaluate(
  db: SyncDb,
  id: string,
  targetId: string,
  level = 'very-satisfied',
  at = '2026-03-02T08:00:00.000Z',
): number {
  return outbox(
    db,
    'evaluation',
    id,
    { id, targetKind: 'application', targetId, level, contentItems: [], createdAt: at },
    at,
  );
}

/** An entry the hall must reject (a level outside the enumeration). */
export function malformed(db: SyncDb, id: string): number {
  return outbox(
    db,
    'evaluation',
    id,
    { id, targetKind: 'application', targetId: 'x', level: 'great!!', createdAt: 'now' },
    '2026-03-02T08:00:00.000Z',
  );
}
