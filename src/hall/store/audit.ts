/** The staff audit log (migration 13): append-only rows, read newest first. */
import type { StaffAuditEntry } from '../../shared/wire/index.js';
import type { HallDb } from './db.js';

type Row = Omit<StaffAuditEntry, 'detail'> & { detail: string };

export function createAuditStore(db: HallDb) {
  const q = {
    insert: db.prepare(
      `INSERT INTO staff_audit (at, actor, action, jurisdiction, case_id, address, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    // Newest first, keyset-paged by id; NULL filters match everything.
    page: db.prepare(
      `SELECT id, at, actor, action, jurisdiction, case_id AS caseId, address, detail FROM staff_audit
       WHERE (:before IS NULL OR id < :before)
         AND (:caseId IS NULL OR case_id = :caseId)
         AND (:all = 1 OR jurisdiction IN (SELECT value FROM json_each(:jurisdictions)))
       ORDER BY id DESC LIMIT :limit`,
    ),
  };
  return {
    insert(e: Omit<StaffAuditEntry, 'id'>): number {
      return Number(
        q.insert.run(e.at, e.actor, e.action, e.jurisdiction, e.caseId, e.address, JSON.stringify(e.detail))
          .lastInsertRowid,
      );
    },
    page(f: {
      /** null: every jurisdiction (and entries with none, such as logins). */
      jurisdictions: readonly string[] | null;
      caseId?: string;
      before?: number;
      limit: number;
    }): StaffAuditEntry[] {
      const rows = q.page.all({
        before: f.before ?? null,
        caseId: f.caseId ?? null,
        all: f.jurisdictions === null ? 1 : 0,
        jurisdictions: JSON.stringify(f.jurisdictions ?? []),
        limit: f.limit,
      }) as Row[];
      return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as StaffAuditEntry['detail'] }));
    },
  };
}

export type AuditStore = ReturnType<typeof createAuditStore>;
