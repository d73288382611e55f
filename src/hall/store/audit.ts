/** The staff audit log (migration 13): append-only rows, read newest first. */
import type { StaffAuditEntry } from '../../shared/wire/index.js';
import type { HallSql } from './sql.js';

type Row = Omit<StaffAuditEntry, 'detail'> & { detail: string };

const INSERT = `INSERT INTO staff_audit (at, actor, action, jurisdiction, case_id, address, detail)
  VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`;

export function createAuditStore(sql: HallSql) {
  // Newest first, keyset-paged by id; NULL filters match everything (typed for PostgreSQL).
  const page = `SELECT id, at, actor, action, jurisdiction, case_id AS caseId, address, detail FROM staff_audit
    WHERE (CAST(@before AS BIGINT) IS NULL OR id < @before)
      AND (CAST(@caseId AS TEXT) IS NULL OR case_id = @caseId)
      AND (@all = 1 OR jurisdiction IN (${sql.dialect({
        sqlite: 'SELECT value FROM json_each(@jurisdictions)',
        postgres: 'SELECT jsonb_array_elements_text(CAST(@jurisdictions AS jsonb))',
      })}))
    ORDER BY id DESC LIMIT @limit`;
  return {
    async insert(e: Omit<StaffAuditEntry, 'id'>): Promise<number> {
      const id = await sql.value<number>(INSERT, [
        e.at,
        e.actor,
        e.action,
        e.jurisdiction,
        e.caseId,
        e.address,
        JSON.stringify(e.detail),
      ]);
      return Number(id);
    },
    async page(f: {
      /** null: every jurisdiction (and entries with none, such as logins). */
      jurisdictions: readonly string[] | null;
      caseId?: string;
      before?: number;
      limit: number;
    }): Promise<StaffAuditEntry[]> {
      const rows = await sql.all<Row>(page, {
        before: f.before ?? null,
        caseId: f.caseId ?? null,
        all: f.jurisdictions === null ? 1 : 0,
        jurisdictions: JSON.stringify(f.jurisdictions ?? []),
        limit: f.limit,
      });
      return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as StaffAuditEntry['detail'] }));
    },
  };
}

export type AuditStore = ReturnType<typeof createAuditStore>;
