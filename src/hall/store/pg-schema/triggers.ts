/**
 * The SQLite triggers the PostgreSQL baseline leaves out, and what the application does instead on
 * PostgreSQL (docs/hall-store.md, "PostgreSQL schema"). The baseline has no triggers at all: the two
 * that fill columns open sealed payloads (`zk_open`), and sealing lives in the application on
 * PostgreSQL (the key never reaches the database server); the others are kept out too so that every
 * write the hall makes is visible in its store code, the same on both engines.
 *
 * pg-schema.test.ts checks that this list names exactly the triggers SQLite has at the latest
 * version: a new SQLite trigger fails it until its PostgreSQL side is decided here.
 */
export type DroppedTrigger = {
  readonly name: string;
  /** The SQLite migration that created it. */
  readonly migration: number;
  readonly table: string;
  /** What it does on SQLite. */
  readonly does: string;
  /** What the store code must do itself on PostgreSQL. */
  readonly instead: string;
};

export const PG_DROPPED_TRIGGERS: readonly DroppedTrigger[] = [
  {
    name: 'staff_audit_no_update',
    migration: 13,
    table: 'staff_audit',
    does: "BEFORE UPDATE: RAISE(ABORT, 'the audit log is append-only')",
    instead:
      'Never UPDATE staff_audit (the store has no such statement). To enforce it in the database, run the ' +
      'hall as a role without UPDATE/DELETE on staff_audit (REVOKE UPDATE, DELETE ON staff_audit FROM <role>).',
  },
  {
    name: 'staff_audit_no_delete',
    migration: 13,
    table: 'staff_audit',
    does: "BEFORE DELETE: RAISE(ABORT, 'the audit log is append-only')",
    instead: 'Never DELETE from staff_audit; the same REVOKE as staff_audit_no_update.',
  },
  {
    name: 'case_keys_at_ingest',
    migration: 14,
    table: 'applications',
    does:
      'AFTER INSERT: opens the payload (zk_open) and inserts OR IGNOREs into case_keys, each hashed with ' +
      'zk_lookup: receipt = upper(trim($.receiptNo)), name = trim($.applicant.name), id = ' +
      'upper(trim($.applicant.idNumber)), phone = trim($.delivery.phone) (each only when a non-empty ' +
      'string), and phone = trim(v) for every string value v of $.form matching 1[3-9] + 9 digits.',
    instead:
      'In the transaction that inserts the application: work out the same keys from the plain payload ' +
      '(caseKeyValue in src/hall/case-list.ts), hash them with the hall lookup key and INSERT … ON ' +
      'CONFLICT DO NOTHING into case_keys.',
  },
  {
    name: 'case_list_status',
    migration: 14,
    table: 'applications',
    does: 'AFTER UPDATE OF status, updated_at WHEN listed_at IS NOT NULL: SET listed_at = NULL.',
    instead:
      'Every UPDATE of applications.status or updated_at also sets listed_at = NULL (in the same statement).',
  },
  {
    name: 'case_list_event',
    migration: 14,
    table: 'case_events',
    does: 'AFTER INSERT: UPDATE applications SET listed_at = NULL WHERE id = NEW.application_id.',
    instead: 'Inserting a case_events row also clears that application’s listed_at, in the same transaction.',
  },
  {
    name: 'case_list_supplement',
    migration: 14,
    table: 'supplements',
    does: 'AFTER INSERT: UPDATE applications SET listed_at = NULL WHERE id = NEW.application_id.',
    instead: 'Inserting a supplements row also clears that application’s listed_at, in the same transaction.',
  },
  {
    name: 'evaluations_given_at_ingest',
    migration: 19,
    table: 'evaluations',
    does:
      "AFTER INSERT: given_at = coalesce(strftime('%Y-%m-%dT%H:%M:%fZ', zk_open(payload).createdAt), " +
      "strftime('%Y-%m-%dT%H:%M:%fZ', received_at), received_at).",
    instead:
      'Insert given_at with the row: the plain payload’s createdAt as a UTC instant YYYY-MM-DDTHH:MM:SS.sssZ, ' +
      'else received_at as that instant, else received_at as it is.',
  },
];
