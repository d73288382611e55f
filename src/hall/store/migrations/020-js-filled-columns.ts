/**
 * Migration 20: the columns the hall works out from a sealed payload at ingest are filled by the
 * store, no longer by triggers (docs/hall-store.md, "Migration 20"). The triggers opened the payload
 * with `zk_open`; on PostgreSQL the key never reaches the database server, so the store works the
 * values out from the plain payload in JavaScript (src/hall/store/filled-columns.ts), the same way
 * on both engines:
 *
 * - `case_keys_at_ingest` (migration 14): the keys a case is found by — cases.ts `insert`;
 * - `evaluations_given_at_ingest` (migration 19): `given_at` — evaluations.ts `insert`;
 * - `case_list_status`, `case_list_event`, `case_list_supplement` (migration 14): a case the case
 *   list must work out again (`listed_at = NULL`) — cases.ts `setStatus`, `addEvent` and
 *   `addSupplement`, in the same statement or transaction.
 *
 * Nothing else changes: the rows stored before stay as they are (migration-020.test.ts shows the
 * store writes the same rows the triggers wrote).
 */
import type { Migration } from '../../../sqlite/index.js';

export const migration020: Migration = {
  version: 20,
  name: 'columns filled by the store',
  sql: /* sql */ `
DROP TRIGGER case_keys_at_ingest;
DROP TRIGGER evaluations_given_at_ingest;
DROP TRIGGER case_list_status;
DROP TRIGGER case_list_event;
DROP TRIGGER case_list_supplement;
`,
};
