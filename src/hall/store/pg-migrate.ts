/**
 * Migrations of a PostgreSQL hall database (issue #11; docs/hall-store.md, "PostgreSQL schema").
 *
 * `hall_schema` holds the version (one row). An empty database gets the baseline — the schema of
 * SQLite version 19 (pg-schema/baseline.ts) — then PG_MIGRATIONS 20, 21, … up to the target. All of it
 * is one transaction under a transaction-level advisory lock, so hall nodes starting at once migrate
 * once: the second waits for the first's commit, then finds the database up to date. A database
 * whose version is newer than this code knows is refused and left as it was (the transaction is
 * rolled back, hall_schema included), as is one that has hall tables but no hall_schema.
 */
import type pg from 'pg';
import {
  assertPgMigrationList,
  PG_BASELINE_SQL,
  PG_BASELINE_VERSION,
  PG_LATEST_VERSION,
  PG_MIGRATIONS,
} from './pg-schema/index.js';

export { PG_LATEST_VERSION, PG_MIGRATIONS };

/**
 * The key of the advisory lock migrations hold ("zkhallmg" in ASCII): any number, but the same for
 * every hall node, and not one the hall uses for anything else.
 */
export const HALL_SCHEMA_LOCK_KEY = '8821259062775410023';

export type PgMigrationFailure = 'newer-version' | 'not-a-hall-database' | 'migration-failed';

/** A database this code will not migrate, or a migration that failed (rolled back: nothing changed). */
export class PgMigrationError extends Error {
  constructor(
    readonly reason: PgMigrationFailure,
    message: string,
  ) {
    super(message);
    this.name = 'PgMigrationError';
  }
}

const CREATE_SCHEMA_TABLE = /* sql */ `
CREATE TABLE IF NOT EXISTS hall_schema (
  singleton    BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
  version      INTEGER NOT NULL CHECK (version > 0),
  migrated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
)`;

type Queryable = Pick<pg.PoolClient, 'query'>;

async function readVersion(db: Queryable): Promise<number> {
  const exists = await db.query<{ t: string | null }>("SELECT to_regclass('hall_schema')::text AS t");
  if (exists.rows[0]?.t == null) return 0;
  const r = await db.query<{ version: number }>('SELECT version FROM hall_schema');
  return r.rows[0]?.version ?? 0;
}

/** The database's hall schema version: 0 for a database the hall never migrated. */
export async function postgresSchemaVersion(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    return await readVersion(client);
  } finally {
    client.release();
  }
}

/**
 * Brings the database to `targetVersion` (default: the latest this code knows; at least the
 * baseline). Returns the version it found (0 = empty) and the one it left.
 */
export async function migratePostgres(
  pool: pg.Pool,
  opts: { targetVersion?: number } = {},
): Promise<{ from: number; to: number }> {
  assertPgMigrationList(PG_MIGRATIONS);
  const target = opts.targetVersion ?? PG_LATEST_VERSION;
  if (!Number.isInteger(target) || target < PG_BASELINE_VERSION || target > PG_LATEST_VERSION)
    throw new RangeError(
      `PostgreSQL target version ${target}: this hall migrates to ${PG_BASELINE_VERSION}…${PG_LATEST_VERSION}`,
    );

  const client = await pool.connect();
  // Set when the connection cannot be trusted any more: then it is closed, not given back to the pool.
  let broken: Error | undefined;
  try {
    await client.query('BEGIN').catch((e: Error) => {
      broken = e;
      throw e;
    });
    try {
      const result = await migrateLocked(client, target);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch((r: Error) => (broken = r));
      throw e;
    }
  } finally {
    client.release(broken);
  }
}

/** Inside the transaction: the lock, the checks, the baseline and migrations, the version bump. */
async function migrateLocked(client: Queryable, target: number): Promise<{ from: number; to: number }> {
  await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [HALL_SCHEMA_LOCK_KEY]);
  const from = await readVersion(client);
  if (from > PG_LATEST_VERSION)
    throw new PgMigrationError(
      'newer-version',
      `PostgreSQL hall database is at version ${from}, written by a newer hall (this one knows up to ${PG_LATEST_VERSION}); left untouched`,
    );
  if (from === 0) {
    // No version but hall tables: something half-made or not ours — not for us to build over.
    const kiosks = await client.query<{ t: string | null }>("SELECT to_regclass('kiosks')::text AS t");
    if (kiosks.rows[0]?.t != null)
      throw new PgMigrationError(
        'not-a-hall-database',
        'PostgreSQL database has hall tables (kiosks) but no hall_schema version; left untouched',
      );
  }
  let version = from;
  if (version >= target) return { from, to: version };
  await client.query(CREATE_SCHEMA_TABLE);
  if (version === 0) {
    await run(client, PG_BASELINE_SQL, `baseline ${PG_BASELINE_VERSION}`);
    version = PG_BASELINE_VERSION;
  }
  for (const m of PG_MIGRATIONS) {
    if (m.version <= version || m.version > target) continue;
    await run(client, m.sql, `migration ${m.version} (${m.name})`);
    version = m.version;
  }
  await client.query(
    `INSERT INTO hall_schema (singleton, version) VALUES (true, $1)
     ON CONFLICT (singleton) DO UPDATE SET version = excluded.version, migrated_at = now()`,
    [version],
  );
  return { from, to: version };
}

async function run(client: Queryable, sql: string, what: string): Promise<void> {
  try {
    await client.query(sql);
  } catch (e) {
    throw new PgMigrationError('migration-failed', `PostgreSQL ${what} failed: ${(e as Error).message}`);
  }
}
