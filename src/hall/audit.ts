/**
 * The staff desk's audit log (docs/security.md, "The staff desk"): every staff action on a case and
 * every view of a case's full personal data is written here — who, when, what, from where — in the
 * same transaction as the action where there is one, and read by 督查 (permission `audit.read`) for
 * their jurisdictions. Personal data never goes in: `detail` carries codes, ids and counts.
 */
import type { StaffAuditEntry } from '../shared/wire/index.js';
import { createAuditStore, hallSqlOf, type HallDatabase } from './store/index.js';

export type AuditRecord = {
  /** The staff member's name (an account's login name, or a token's holder). */
  actor: string;
  /** What was done, as a dotted code: `case.accept`, `case.reveal`, `staff.login` … */
  action: string;
  jurisdiction?: string | null;
  caseId?: string | null;
  /** The request's remote address. */
  address?: string | null;
  detail?: StaffAuditEntry['detail'];
};

export const AUDIT_PAGE_MAX = 500;

export function createAudit(deps: { db: HallDatabase; clock: () => Date }) {
  const store = createAuditStore(hallSqlOf(deps.db));
  return {
    /** Appends one entry; call inside the action's transaction so both or neither are kept. */
    record(r: AuditRecord): Promise<number> {
      return store.insert({
        at: deps.clock().toISOString(),
        actor: r.actor,
        action: r.action,
        jurisdiction: r.jurisdiction ?? null,
        caseId: r.caseId ?? null,
        address: r.address ?? null,
        detail: r.detail ?? {},
      });
    },
    /** Newest first; `jurisdictions` null reads every entry (a hall-wide reader). */
    page(f: {
      jurisdictions: readonly string[] | null;
      caseId?: string;
      before?: number;
      limit?: number;
    }): Promise<StaffAuditEntry[]> {
      const limit = Math.min(Math.max(1, f.limit ?? 100), AUDIT_PAGE_MAX);
      return store.page({ ...f, limit });
    },
  };
}

export type Audit = ReturnType<typeof createAudit>;
