/**
 * The PostgreSQL migrations after the baseline (docs/hall-store.md, "PostgreSQL schema"). A change to
 * the hall's schema from version 20 on is two bodies with one number: SQLite's in
 * src/hall/store/migrations/NNN-name.ts (HALL_MIGRATIONS) and PostgreSQL's here, version for version,
 * so both engines are at the same version after the same code. Released ones are never edited.
 */
import { PG_BASELINE_VERSION } from './baseline.js';

export type PgMigration = {
  /** PG_BASELINE_VERSION + its position + 1: 20, 21, … */
  readonly version: number;
  readonly name: string;
  /** Run in the migration transaction (under the advisory lock), with the version bump. */
  readonly sql: string;
};

/** In order, continuing the baseline. */
export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    // SQLite's 020-js-filled-columns.ts: the store clears listed_at itself (cases.ts setStatus,
    // addEvent, addSupplement); the two triggers that opened payloads never existed here.
    version: 20,
    name: 'columns filled by the store',
    sql: /* sql */ `
DROP TRIGGER case_list_status ON applications;
DROP TRIGGER case_list_event ON case_events;
DROP TRIGGER case_list_supplement ON supplements;
DROP FUNCTION zk_case_relist();
DROP FUNCTION zk_case_relist_self();
`,
  },
];

/** A list whose versions are not 20, 21, … is a bug in the code, not a state of the database. */
export function assertPgMigrationList(migrations: readonly PgMigration[]): void {
  migrations.forEach((m, i) => {
    const expected = PG_BASELINE_VERSION + i + 1;
    if (m.version !== expected)
      throw new Error(`PostgreSQL migration "${m.name}" has version ${m.version}, expected ${expected}`);
  });
}

/** The version a fully migrated PostgreSQL hall database is at. */
export const PG_LATEST_VERSION = PG_BASELINE_VERSION + PG_MIGRATIONS.length;
