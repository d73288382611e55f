/**
 * SQLite's triggers on PostgreSQL (docs/hall-store.md, "PostgreSQL schema"). The five that do not
 * open sealed data are the same there, in plpgsql (baseline.ts: the audit log append-only, a case
 * marked to be listed again). The two that fill columns from an opened payload (`zk_open`) cannot be:
 * sealing lives in the application (the key never reaches the database server), so the application
 * fills those columns at the insert on both engines — SQLite's hall migration 20 drops them there.
 *
 * pg-schema.test.ts checks that PostgreSQL has exactly SQLite's triggers but these.
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
