/**
 * Versioned migrations through `user_version`: migration n sets user_version = n, and each runs in
 * one IMMEDIATE transaction together with its version bump, so a crash or a failing statement
 * leaves the database at the previous whole version. Released migrations are never edited.
 */
import type { SqliteDb } from './pragmas.js';

export type Migration = {
  /** Its position in the list + 1. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  /**
   * The migration rebuilds a table other tables reference (create the new table, copy, drop the
   * old one, rename: https://www.sqlite.org/lang_altertable.html, "Making Other Kinds Of Table
   * Schema Changes"). Foreign keys are then switched off around its transaction — SQLite ignores
   * `PRAGMA foreign_keys` inside one, and with them on the DROP deletes or refuses the children —
   * and `PRAGMA foreign_key_check` must find nothing before it commits. (`PRAGMA
   * defer_foreign_keys` inside the transaction is not enough: the DROP's implicit DELETE counts
   * every child row as a pending violation that the RENAME does not undo, so the commit fails.)
   */
  readonly rebuildsTables?: boolean;
  /**
   * Runs inside the transaction before `sql`: a returned sentence refuses the migration (the
   * database stays at the previous version), for data the new schema cannot hold.
   */
  readonly refuseIf?: (db: SqliteDb) => string | null;
};

export function schemaVersion(db: SqliteDb): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** A migration that could not be applied; its message names the migration and why. */
export class MigrationError extends Error {
  constructor(
    readonly migration: Migration,
    reason: string,
  ) {
    super(`migration ${migration.version} (${migration.name}) failed: ${reason}`);
    this.name = 'MigrationError';
  }
}

/** A list whose versions are not 1, 2, 3 … is a bug in the code, not a state of the database. */
export function assertMigrationList(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`migration "${m.name}" has version ${m.version}, expected ${i + 1} (its position)`);
  });
}

type ForeignKeyProblem = { table: string; rowid: number | null; parent: string; fkid: number };

function applyOne(db: SqliteDb, migration: Migration): void {
  const foreignKeysOn = db.pragma('foreign_keys', { simple: true }) === 1;
  const switchOff = migration.rebuildsTables === true && foreignKeysOn;
  if (switchOff) db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      const refusal = migration.refuseIf?.(db) ?? null;
      if (refusal !== null) throw new MigrationError(migration, refusal);
      db.exec(migration.sql);
      if (switchOff) {
        const problems = db.pragma('foreign_key_check') as ForeignKeyProblem[];
        if (problems.length > 0) {
          const first = problems
            .slice(0, 5)
            .map((p) => `${p.table} rowid ${String(p.rowid)} → ${p.parent}`)
            .join('; ');
          throw new MigrationError(
            migration,
            `${problems.length} row(s) would break a foreign key (${first})`,
          );
        }
      }
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  } catch (e) {
    if (e instanceof MigrationError) throw e;
    throw new MigrationError(migration, (e as Error).message);
  } finally {
    if (switchOff) db.pragma('foreign_keys = ON');
  }
}

/**
 * Runs every migration above the database's user_version up to `target` (all by default), each
 * in its own transaction. Returns the version it started from.
 */
export function migrate(db: SqliteDb, migrations: readonly Migration[], target = migrations.length): number {
  assertMigrationList(migrations);
  const from = schemaVersion(db);
  for (const migration of migrations.slice(from, target)) applyOne(db, migration);
  return from;
}
