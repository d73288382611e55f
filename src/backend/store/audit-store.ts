/**
 * The audit log's one writer (and its readers: the technician console's recent errors, the CLI's
 * `audit` query). An action comes from the declared table
 * (audit-events.ts), which also gives its actor and masks its detail; what is left of an ID or phone
 * number in any string is masked here as well, so a careless caller cannot put personal data in the
 * log. Call it inside the transaction of the change it records: both commit together, with one
 * fsync of the WAL.
 */
import { maskIdNumber, maskPhone } from '../../shared/mask.js';
import {
  AUDIT_EVENTS,
  CONSOLE_ACTIONS,
  type AuditAction,
  type AuditDetail,
  type AuditEventSpec,
} from '../audit-events.js';
import type { Db } from './db.js';

export type AuditEntry = {
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  detail: unknown;
};

/** The CLI's `audit` filter: each null criterion matches every entry. */
export type AuditQuery = {
  /** ISO 8601 instant (as stored): entries at or after it. */
  since: string | null;
  action: string | null;
  subject: string | null;
  limit: number;
};

/** One stored entry as it is in the table: `detail` is the stored JSON text. */
export type AuditLogRow = {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  detail: string | null;
};

// 18-character ID numbers (GB 11643) and 11-digit mobile numbers, not inside a longer token.
const ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
const PHONE = /(?<![0-9A-Za-z])1\d{10}(?![0-9A-Za-z])/g;

/** Masks ID and phone numbers in every string of a JSON-like value. */
export function scrubPersonalData(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(ID_NUMBER, maskIdNumber).replace(PHONE, maskPhone);
  if (Array.isArray(value)) return value.map(scrubPersonalData);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubPersonalData(v)]));
  return value;
}

export function createAuditStore(db: Db) {
  const q = {
    insert: db.prepare('INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)'),
    recent: db.prepare(
      `SELECT at, actor, action, subject, detail FROM audit_log
       WHERE action IN (SELECT value FROM json_each(?)) ORDER BY id DESC LIMIT ?`,
    ),
    query: db.prepare(
      `SELECT id, at, actor, action, subject, detail FROM audit_log
       WHERE (@since IS NULL OR at >= @since) AND (@action IS NULL OR action = @action)
         AND (@subject IS NULL OR subject = @subject)
       ORDER BY id DESC LIMIT @limit`,
    ),
  };
  const consoleActions = JSON.stringify(CONSOLE_ACTIONS);

  return {
    /** Writes one entry of a declared action, its detail masked. */
    record<A extends AuditAction>(
      action: A,
      subject: string | null,
      detail: AuditDetail<A>,
      at: string,
    ): void {
      // The table's entry for this action takes exactly this detail (one action, one spec).
      const spec = AUDIT_EVENTS[action] as AuditEventSpec<AuditDetail<A>>;
      const stored = spec.detail(detail);
      q.insert.run(
        at,
        spec.actor,
        action,
        subject,
        stored === null ? null : JSON.stringify(scrubPersonalData(stored)),
      );
    },

    /** The technician console's recent errors (device events and failures), newest first. */
    recentErrors(limit: number): AuditEntry[] {
      return (
        q.recent.all(consoleActions, limit) as {
          at: string;
          actor: string;
          action: string;
          subject: string | null;
          detail: string | null;
        }[]
      ).map((r) => ({ ...r, detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown) }));
    },

    /** Entries matching every given criterion, newest first (`npm run cli -- audit`). */
    query(filter: AuditQuery): AuditLogRow[] {
      return q.query.all(filter) as AuditLogRow[];
    },
  };
}
export type AuditStore = ReturnType<typeof createAuditStore>;
