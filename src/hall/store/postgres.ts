/**
 * Opening the hall's PostgreSQL database (`HALL_DATABASE_URL=postgres://…`, docs/hall-store.md,
 * "PostgreSQL"): the pool, the at-rest key (the same key file every node of the hall shares), the
 * schema migrated under an advisory lock (pg-migrate.ts: two nodes starting at once migrate once),
 * and the lookup key kept sealed in hall_meta — created by the first node, read by every other.
 *
 * Every expected failure is a value with a sentence for the operator, which never repeats the
 * connection string (it may hold a password).
 */
import pg from 'pg';
import { loadKeyFile, type SealAlgorithm, type Sealer } from '../../shared/at-rest/index.js';
import { lookupHashOf, newLookupKey, LOOKUP_KEY, type LookupKey } from './lookup-key.js';
import { migratePostgres, PgMigrationError } from './pg-migrate.js';
import type { HallSql } from './sql.js';
import { createPostgresSql, hallPgTypes } from './sql-postgres.js';

export type OpenPostgresResult =
  | { ok: true; sql: HallSql; pool: pg.Pool; migratedFrom: number; migratedTo: number }
  | { ok: false; error: 'cannot-open' | 'newer-version' | 'wrong-key'; message: string };

export type OpenPostgresOptions = {
  url: string;
  /** The at-rest key file and whether it may be created (only the default one in the data directory). */
  keyFile: { path: string; create: boolean };
  algorithm?: SealAlgorithm;
  /** Connections of this node (default 10). */
  poolSize?: number;
  targetVersion?: number;
};

/** The host and database of a URL, for messages (never its user or password). */
export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'the configured server';
  }
}

async function readLookupKey(pool: pg.Pool, sealer: Sealer): Promise<LookupKey> {
  const read = async () =>
    (await pool.query<{ value: string }>('SELECT value FROM hall_meta WHERE key = $1', [LOOKUP_KEY])).rows[0]
      ?.value;
  let stored = await read();
  if (stored === undefined) {
    // The first node creates it; a node starting at the same moment reads the winner's.
    await pool.query('INSERT INTO hall_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [
      LOOKUP_KEY,
      sealer.sealText(JSON.stringify(newLookupKey(sealer))),
    ]);
    stored = await read();
  }
  if (stored === undefined) throw new Error('the lookup key could not be stored in hall_meta');
  return JSON.parse(sealer.openText(stored)) as LookupKey;
}

export async function openPostgresHall(opts: OpenPostgresOptions): Promise<OpenPostgresResult> {
  const where = describePostgresUrl(opts.url);
  const loaded = loadKeyFile(opts.keyFile.path, {
    create: opts.keyFile.create,
    ...(opts.algorithm ? { algorithm: opts.algorithm } : {}),
  });
  if (!loaded.ok) return { ok: false, error: 'cannot-open', message: loaded.error.message };
  const sealer = loaded.value.sealer;
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize ?? 10,
    types: hallPgTypes,
    connectionTimeoutMillis: 10_000,
  });
  // An idle connection the server cut is dropped by the pool; without a listener it would crash us.
  pool.on('error', () => undefined);
  const fail = async (error: 'cannot-open' | 'newer-version' | 'wrong-key', message: string) => {
    await pool.end().catch(() => undefined);
    return { ok: false as const, error, message };
  };
  let migrated: { from: number; to: number };
  try {
    migrated = await migratePostgres(pool, {
      ...(opts.targetVersion !== undefined ? { targetVersion: opts.targetVersion } : {}),
    });
  } catch (e) {
    if (e instanceof PgMigrationError && e.reason === 'newer-version')
      return fail('newer-version', e.message);
    return fail('cannot-open', `cannot open the hall database on ${where}: ${(e as Error).message}`);
  }
  let lookup: LookupKey;
  try {
    lookup = await readLookupKey(pool, sealer);
  } catch (e) {
    return fail(
      'wrong-key',
      `the at-rest key ${opts.keyFile.path} does not open the hall database on ${where} (${(e as Error).message}); ` +
        'every hall node needs the same key file (HALL_KEY_FILE)',
    );
  }
  const sql = createPostgresSql({ pool, sealer, lookup: lookupHashOf(lookup) });
  return { ok: true, sql, pool, migratedFrom: migrated.from, migratedTo: migrated.to };
}
