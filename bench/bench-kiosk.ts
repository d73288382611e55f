/**
 * The kiosk side of the sync benchmarks (suites `sync`, `pouch`, `fleet`): kiosk databases and
 * applications with one distinct 50 KB scan committed to the outbox the way the applications service
 * writes them (whole, valid entries typed by src/shared/wire: the hall applies them and the scans
 * travel). Kept apart from the hall's helpers (sync-fixture.ts) so a forked fleet worker loads only
 * what a kiosk needs: `openDatabase` comes from the store module, not the backend's barrel, which
 * loads the whole backend (≈ 1.5 s of CPU per process on this machine).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Db } from '../src/backend/store/db.js';
import {
  encodeEntry,
  type ApplicationEntry,
  type EvaluationEntry,
  type TicketEntry,
} from '../src/shared/wire/index.js';
import { applicationEntryOf, seedCatalogRow } from '../src/sync/testing/kiosk-fixture.js';

export const SCAN_BYTES = 50 * 1024;

export const silent = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

export function openKiosk(path: string): Db {
  const opened = openDatabase(path);
  if (!opened.ok) throw new Error(opened.message);
  return opened.db;
}

/** A scan file in the kiosk's content-addressed store (setup only: no fsync needed here). */
export function storeScan(blobDir: string, bytes: Buffer): string {
  const sha = createHash('sha256').update(bytes).digest('hex');
  mkdirSync(join(blobDir, sha.slice(0, 2)), { recursive: true });
  writeFileSync(join(blobDir, sha.slice(0, 2), sha), bytes);
  return sha;
}

/** A whole application entry with one scan, numbered `i` (src/sync/testing/kiosk-fixture.ts). */
export function applicationEntry(id: string, i: number, sha: string, at: string): ApplicationEntry {
  const receiptNo = `ZZ01-${at.slice(0, 10).replaceAll('-', '')}-${String(i % 1_000_000).padStart(6, '0')}`;
  return applicationEntryOf({ id, receiptNo, at, pages: [{ sha256: sha, size: SCAN_BYTES }] });
}

/** One application to commit: its id and its scan (already in the kiosk's blob store). */
export type BenchApplication = { id: string; sha256: string };

/** `n` applications, each with a distinct random 50 KB scan written to `blobDir`. */
export function makeApplications(blobDir: string, n: number): BenchApplication[] {
  return Array.from({ length: n }, () => ({
    id: randomUUID(),
    sha256: storeScan(blobDir, randomBytes(SCAN_BYTES)),
  }));
}

/**
 * Commits the applications (and with `extras` a queue ticket and an evaluation each), rows + outbox
 * as the applications service writes them, in one transaction for the lot: setup time is not what
 * is measured. Returns the outbox rows written.
 */
export function fillOutbox(db: Db, apps: readonly BenchApplication[], extras: boolean, first = 0): number {
  seedCatalogRow(db);
  const at = new Date().toISOString();
  const insApp = db.prepare(
    `INSERT INTO applications (id, receipt_no, item_code, jurisdiction, applicant_name, applicant_id_number, applicant_masked, status, submitted_at, updated_at)
     VALUES (?, ?, 'X1', '610102', '张三', '610102199001011234', '张*', 'submitted', ?, ?)`,
  );
  const insAtt = db.prepare(
    "INSERT OR IGNORE INTO attachments (sha256, size, mime, captured_at, device) VALUES (?, ?, 'image/jpeg', ?, 'bench')",
  );
  const insLink = db.prepare(
    "INSERT INTO application_attachments (application_id, material_code, sha256, position) VALUES (?, 'm1', ?, 0)",
  );
  const insOutbox = db.prepare(
    'INSERT INTO outbox (kind, entity_id, payload, created_at) VALUES (?, ?, ?, ?)',
  );
  let rows = 0;
  db.transaction(() => {
    apps.forEach(({ id, sha256: sha }, j) => {
      const i = first + j;
      insApp.run(id, `R-${id}`, at, at);
      insAtt.run(sha, SCAN_BYTES, at);
      insLink.run(id, sha);
      insOutbox.run('application', id, encodeEntry('application', applicationEntry(id, i, sha, at)), at);
      rows++;
      if (extras) {
        const t = randomUUID();
        const ticket: TicketEntry = {
          id: t,
          idempotencyKey: `k-${t}`,
          window: 'zzlb',
          number: `A${900 + (i % 99)}`,
          serviceDate: at.slice(0, 10),
          issuedAt: at,
          source: 'offline',
        };
        insOutbox.run('queue-ticket', t, encodeEntry('queue-ticket', ticket), at);
        const v = randomUUID();
        const evaluation: EvaluationEntry = {
          id: v,
          targetKind: 'application',
          targetId: id,
          level: 'satisfied',
          contentItems: [],
          reason: null,
          comment: null,
          channel: 'self-service-terminal',
          itemsVersion: 'bench',
          createdAt: at,
        };
        insOutbox.run('evaluation', v, encodeEntry('evaluation', evaluation), at);
        rows += 2;
      }
    });
  })();
  return rows;
}
