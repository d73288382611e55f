/**
 * The hall's own SQLite store (`<HALL_DATA_DIR>/hall.db`, docs/hall-store.md), opened with the kit
 * the kiosk uses too (src/sqlite): WAL, synchronous=FULL, foreign keys, busy timeout, STRICT
 * tables, user_version migrations in transactions, and a refusal to open a newer database.
 *
 * Personal data at rest (docs/security.md, "Hall data at rest and key rotation"): the connection
 * carries the hall's sealer (the kiosk's scheme, src/shared/at-rest: AES-256-GCM or SM4 + SM3) as
 * `zk_seal` / `zk_open` / `zk_reseal`, and `zk_lookup(x)` — a keyed hash (HMAC) for the columns the
 * hall finds rows by (a licence holder's ID number), keyed by a random lookup key kept sealed in
 * hall_meta so that a key rotation re-seals it and leaves every hash valid. `secure_delete` is on.
 */
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import {
  createSealer,
  loadKeyFile,
  registerSealer,
  type SealAlgorithm,
  type Sealer,
} from '../../shared/at-rest/index.js';
import { openSqlite, type OpenDbResult, type SqliteDb } from '../../sqlite/index.js';
import { HALL_LATEST_VERSION, HALL_MIGRATIONS } from './migrations/index.js';
import { LOOKUP_KEY, lookupHashOf, newLookupKey, type LookupKey } from './lookup-key.js';
import type { HallSql } from './sql.js';
import { createSqliteSql } from './sql-sqlite.js';

export type HallDb = SqliteDb;
export type { OpenDbResult };

/** The migration that sealed the hall's personal data (its WAL is truncated after it runs). */
const SEALING_VERSION = 10;

export type HallAtRestOptions = {
  /** The key file (`HALL_KEY_FILE`); default `<db folder>/hall.key`, created on first start. */
  keyFile?: string;
  /** `HALL_SEAL_ALGORITHM`; default aes-256-gcm. */
  algorithm?: SealAlgorithm;
};

/** The at-rest options of the hall's configuration (HALL_KEY_FILE, HALL_SEAL_ALGORITHM). */
export function hallAtRestOptions(c: { keyFile?: string; algorithm?: SealAlgorithm }): HallAtRestOptions {
  return { ...(c.keyFile ? { keyFile: c.keyFile } : {}), ...(c.algorithm ? { algorithm: c.algorithm } : {}) };
}

/** The key file a hall database at `path` uses, and whether it may be created (only the default one). */
export function hallKeyFileFor(path: string, keyFile?: string): { path: string; create: boolean } {
  return keyFile !== undefined
    ? { path: keyFile, create: false }
    : { path: join(dirname(path), 'hall.key'), create: true };
}

/** The query layer (sql.ts) of each open hall database. */
const sqls = new WeakMap<SqliteDb, HallSql>();

const sqliteOf = new WeakMap<HallSql, SqliteDb>();

/**
 * A hall database as services take it: the embedded SQLite connection (openHallDatabase) or a
 * `HallSql` on either engine (openHallStore) — what the services use of it is the `HallSql`.
 */
export type HallDatabase = SqliteDb | HallSql;

/** The `HallSql` of a hall database: itself, or the one of a connection opened by openHallDatabase. */
export function hallSqlOf(db: HallDatabase): HallSql {
  if ('engine' in db) return db;
  const sql = sqls.get(db);
  if (sql === undefined)
    throw new Error('this database was not opened as a hall database (openHallDatabase)');
  return sql;
}

/** The SQLite connection behind a hall database, or null on PostgreSQL (backup, reseal: SQLite's own). */
export function hallSqliteOf(db: HallDatabase): SqliteDb | null {
  if (!('engine' in db)) return db;
  return sqliteOf.get(db) ?? null;
}

/**
 * Registers the sealer and `zk_lookup` on a connection. The lookup key is read from hall_meta (or
 * created there) as soon as the table exists: before the migrations when it does, else after them.
 */
export function prepareHallConnection(sealer: Sealer) {
  let lookup: LookupKey | null = null;
  const ensureLookupKey = (db: SqliteDb, create = true): void => {
    const hasMeta = db
      .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'hall_meta'")
      .get();
    if (hasMeta === undefined) return;
    const stored = db
      .prepare('SELECT zk_open(value) FROM hall_meta WHERE key = ?')
      .pluck()
      .get(LOOKUP_KEY) as string | undefined;
    if (stored !== undefined) {
      lookup = JSON.parse(stored) as LookupKey;
      return;
    }
    if (!create) return;
    const fresh = newLookupKey(sealer);
    db.prepare('INSERT INTO hall_meta (key, value) VALUES (?, zk_seal(?))').run(
      LOOKUP_KEY,
      JSON.stringify(fresh),
    );
    lookup = fresh;
  };
  const hash = (v: string): string => {
    if (lookup === null) throw new Error('zk_lookup before the hall lookup key was loaded');
    return lookupHashOf(lookup)(v);
  };
  return {
    prepare: (db: SqliteDb): void => {
      db.pragma('secure_delete = ON');
      registerSealer(db, sealer);
      db.function('zk_lookup', { deterministic: true }, (v: unknown) => {
        if (v === null || v === undefined) return null;
        if (typeof v !== 'string') throw new TypeError(`zk_lookup takes text, not ${typeof v}`);
        return hash(v);
      });
      const sql = createSqliteSql({ db, sealer, lookup: hash });
      sqls.set(db, sql);
      sqliteOf.set(sql, db);
      // Created before the migrations (migration 10 hashes existing licences with it), but never in
      // a database of a newer hall, which is refused untouched.
      ensureLookupKey(db, (db.pragma('user_version', { simple: true }) as number) <= HALL_MIGRATIONS.length);
    },
    ensureLookupKey,
  };
}

export function openHallDatabase(
  path: string,
  options: { targetVersion?: number } & HallAtRestOptions = {},
): OpenDbResult {
  let sealer: Sealer;
  if (path === ':memory:') sealer = createSealer({ key: randomBytes(32) });
  else {
    const where = hallKeyFileFor(path, options.keyFile);
    const loaded = loadKeyFile(where.path, {
      create: where.create,
      ...(options.algorithm ? { algorithm: options.algorithm } : {}),
    });
    if (!loaded.ok) return { ok: false, error: 'cannot-open', message: loaded.error.message };
    sealer = loaded.value.sealer;
  }
  const connection = prepareHallConnection(sealer);
  const opened = openSqlite(path, {
    migrations: HALL_MIGRATIONS,
    label: 'hall',
    prepare: connection.prepare,
    ...(options.targetVersion !== undefined ? { targetVersion: options.targetVersion } : {}),
  });
  if (!opened.ok) return opened;
  connection.ensureLookupKey(opened.db);
  // Migration 10 sealed what an older hall kept in clear: the WAL holds the clear pages until it is
  // checkpointed and truncated.
  if (opened.migratedFrom < SEALING_VERSION && opened.migratedTo >= SEALING_VERSION)
    opened.db.pragma('wal_checkpoint(TRUNCATE)');
  return opened;
}

export { HALL_LATEST_VERSION, HALL_MIGRATIONS };
