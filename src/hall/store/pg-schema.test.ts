/**
 * The PostgreSQL schema (pg-schema/) and its migration runner (pg-migrate.ts) against a real
 * throwaway cluster (initdb --locale=C -E UTF8, so text orders as SQLite's binary collation):
 * the baseline has exactly the tables, columns, NOT NULLs, defaults, keys, foreign keys and indexes
 * of a SQLite hall database at the latest version; two hall nodes migrating one empty database at
 * once build it once; a database of a newer hall is refused untouched; translated CHECKs refuse what
 * SQLite's refuse; the change log's last position survives a purge.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresCluster, type PostgresCluster } from '../../testing/postgres-cluster.js';
import { HALL_LATEST_VERSION, openHallDatabase, type HallDb } from './db.js';
import {
  HALL_SCHEMA_LOCK_KEY,
  migratePostgres,
  PgMigrationError,
  postgresSchemaVersion,
} from './pg-migrate.js';
import {
  PG_BASELINE_VERSION,
  PG_DROPPED_TRIGGERS,
  PG_LAST_CHANGE_POSITION_SQL,
  PG_LATEST_VERSION,
  PG_MIGRATIONS,
} from './pg-schema/index.js';

let cluster: PostgresCluster;
let admin: pg.Client;
const pools: pg.Pool[] = [];
let sqlite: HallDb;

beforeAll(async () => {
  cluster = await startPostgresCluster();
  admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  const opened = openHallDatabase(':memory:');
  if (!opened.ok) throw new Error(opened.message);
  sqlite = opened.db;
}, 60_000);

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await admin?.end();
  await cluster?.destroy();
  sqlite?.close();
});

/** A new empty database in the cluster and a pool on it. */
async function freshDatabase(): Promise<pg.Pool> {
  const { url } = await cluster.createDatabase('hall');
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pools.push(pool);
  return pool;
}

// ---- the two catalogs, read into one shape -------------------------------------------------------

type Column = { name: string; type: string; notNull: boolean; default: string | null; identity: boolean };
type Index = { name: string; unique: boolean; partial: boolean; columns: string[] };
type ForeignKey = { from: string[]; table: string; to: string[]; onDelete: string };
type Table = {
  columns: Column[];
  primaryKey: string[];
  unique: string[][];
  indexes: Index[];
  foreignKeys: ForeignKey[];
};
type Schema = Record<string, Table>;

const PG_TYPE_OF_SQLITE: Record<string, string> = {
  INTEGER: 'bigint',
  TEXT: 'text',
  BLOB: 'bytea',
  REAL: 'double precision',
};

/** A default as written, without PostgreSQL's casts: `''::text` → `''`. */
const bareDefault = (d: string | null): string | null => (d === null ? null : d.replace(/::[a-z ]+$/, ''));

const byName = <T extends { name: string }>(xs: T[]): T[] =>
  [...xs].sort((a, b) => (a.name < b.name ? -1 : 1));
const sortedKeys = (keys: string[][]): string[][] =>
  [...keys].sort((a, b) => (a.join(',') < b.join(',') ? -1 : 1));
const sortedFks = (fks: ForeignKey[]): ForeignKey[] =>
  [...fks].sort((a, b) => (a.from.join(',') < b.from.join(',') ? -1 : 1));

function sqliteSchema(db: HallDb): Schema {
  const tables = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  const schema: Schema = {};
  for (const t of tables) {
    const info = db.pragma(`table_info(${t})`) as {
      name: string;
      type: string;
      notnull: number;
      dflt_value: string | null;
      pk: number;
    }[];
    const pkCols = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
    // A lone INTEGER PRIMARY KEY is the rowid: numbered by SQLite, an identity on PostgreSQL.
    const rowid = pkCols.length === 1 && pkCols[0]?.type === 'INTEGER' ? pkCols[0].name : null;
    const list = db.pragma(`index_list(${t})`) as {
      name: string;
      unique: number;
      origin: string;
      partial: number;
    }[];
    const indexColumns = (name: string): string[] =>
      (db.pragma(`index_info(${name})`) as { seqno: number; name: string | null }[])
        .sort((a, b) => a.seqno - b.seqno)
        .map((c) => c.name ?? '<expression>');
    const fkRows = db.pragma(`foreign_key_list(${t})`) as {
      id: number;
      seq: number;
      table: string;
      from: string;
      to: string;
      on_delete: string;
    }[];
    const fks = new Map<number, ForeignKey>();
    for (const r of [...fkRows].sort((a, b) => a.id - b.id || a.seq - b.seq)) {
      const fk = fks.get(r.id) ?? { from: [], table: r.table, to: [], onDelete: r.on_delete };
      fk.from.push(r.from);
      fk.to.push(r.to);
      fks.set(r.id, fk);
    }
    schema[t] = {
      columns: info.map((c) => ({
        name: c.name,
        type: PG_TYPE_OF_SQLITE[c.type] ?? `unmapped SQLite type ${c.type}`,
        // STRICT tables make primary-key columns NOT NULL, which table_info does not show.
        notNull: c.notnull === 1 || c.pk > 0,
        default: c.dflt_value,
        identity: c.name === rowid,
      })),
      primaryKey: pkCols.map((c) => c.name),
      unique: sortedKeys(list.filter((i) => i.origin === 'u').map((i) => indexColumns(i.name))),
      indexes: byName(
        list
          .filter((i) => i.origin === 'c')
          .map((i) => ({
            name: i.name,
            unique: i.unique === 1,
            partial: i.partial === 1,
            columns: indexColumns(i.name),
          })),
      ),
      foreignKeys: sortedFks([...fks.values()]),
    };
  }
  return schema;
}

const PG_ON_DELETE: Record<string, string> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

async function postgresSchema(db: pg.Pool): Promise<Schema> {
  const tables = (
    await db.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'hall_schema'
       ORDER BY table_name`,
    )
  ).rows.map((r) => r.name);
  const schema: Schema = {};
  for (const t of tables) {
    const columns = (
      await db.query<{
        name: string;
        type: string;
        nullable: string;
        dflt: string | null;
        identity: string;
      }>(
        `SELECT column_name AS name, data_type AS type, is_nullable AS nullable, column_default AS dflt,
                is_identity AS identity
         FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1
         ORDER BY ordinal_position`,
        [t],
      )
    ).rows;
    // Constraints with their columns in key order.
    const constraints = (
      await db.query<{
        type: string;
        columns: string[];
        ref_table: string | null;
        ref_columns: string[] | null;
        on_delete: string;
      }>(
        `SELECT c.contype AS type,
                ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i)::text[] AS columns,
                c.confrelid::regclass::text AS ref_table,
                ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
                      JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i)::text[] AS ref_columns,
                c.confdeltype AS on_delete
         FROM pg_constraint c WHERE c.conrelid = $1::regclass`,
        [t],
      )
    ).rows;
    // Indexes that are not a constraint's (SQLite's named CREATE INDEX ones).
    const indexes = (
      await db.query<{ name: string; unique: boolean; partial: boolean; columns: string[] }>(
        `SELECT ic.relname AS name, ix.indisunique AS unique, ix.indpred IS NOT NULL AS partial,
                ARRAY(SELECT coalesce(a.attname, '<expression>') FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(n, i)
                      LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.n AND k.n > 0
                      ORDER BY k.i)::text[] AS columns
         FROM pg_index ix JOIN pg_class ic ON ic.oid = ix.indexrelid
         WHERE ix.indrelid = $1::regclass
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid)`,
        [t],
      )
    ).rows;
    schema[t] = {
      columns: columns.map((c) => ({
        name: c.name,
        type: c.type,
        notNull: c.nullable === 'NO',
        default: bareDefault(c.dflt),
        identity: c.identity === 'YES',
      })),
      primaryKey: constraints.find((c) => c.type === 'p')?.columns ?? [],
      unique: sortedKeys(constraints.filter((c) => c.type === 'u').map((c) => c.columns)),
      indexes: byName(indexes),
      foreignKeys: sortedFks(
        constraints
          .filter((c) => c.type === 'f')
          .map((c) => ({
            from: c.columns,
            table: c.ref_table ?? '',
            to: c.ref_columns ?? [],
            onDelete: PG_ON_DELETE[c.on_delete] ?? c.on_delete,
          })),
      ),
    };
  }
  return schema;
}

const PARITY_HINT =
  'the PostgreSQL schema must equal SQLite’s at the latest version: a SQLite migration without its ' +
  'PostgreSQL side? Add the same change as a PG_MIGRATIONS entry (src/hall/store/pg-schema/migrations.ts)';

describe('schema parity with SQLite', () => {
  let pgPool: pg.Pool;
  let sqliteSide: Schema;
  let pgSide: Schema;
  beforeAll(async () => {
    pgPool = await freshDatabase();
    expect(await migratePostgres(pgPool)).toEqual({ from: 0, to: PG_LATEST_VERSION });
    sqliteSide = sqliteSchema(sqlite);
    pgSide = await postgresSchema(pgPool);
  });

  it('both engines are at the same version, the PostgreSQL migrations continuing the baseline', () => {
    expect(PG_BASELINE_VERSION).toBe(19);
    expect(PG_MIGRATIONS.map((m) => m.version)).toEqual(
      PG_MIGRATIONS.map((_, i) => PG_BASELINE_VERSION + i + 1),
    );
    expect(PG_LATEST_VERSION, PARITY_HINT).toBe(HALL_LATEST_VERSION);
  });

  it('the same tables', () => {
    expect(Object.keys(pgSide).sort(), PARITY_HINT).toEqual(Object.keys(sqliteSide).sort());
    expect(Object.keys(pgSide)).toHaveLength(30);
  });

  it('every table: the same columns in the same order, types mapped, NOT NULL, defaults, identities', () => {
    for (const [t, s] of Object.entries(sqliteSide))
      expect(pgSide[t]?.columns, `${t}: ${PARITY_HINT}`).toEqual(s.columns);
  });

  it('every table: the same primary key, unique constraints and foreign keys (with ON DELETE)', () => {
    for (const [t, s] of Object.entries(sqliteSide)) {
      expect(pgSide[t]?.primaryKey, `${t} primary key: ${PARITY_HINT}`).toEqual(s.primaryKey);
      expect(pgSide[t]?.unique, `${t} unique: ${PARITY_HINT}`).toEqual(s.unique);
      expect(pgSide[t]?.foreignKeys, `${t} foreign keys: ${PARITY_HINT}`).toEqual(s.foreignKeys);
    }
    expect(pgSide.case_keys?.foreignKeys).toEqual([
      { from: ['application_id'], table: 'applications', to: ['id'], onDelete: 'CASCADE' },
    ]);
  });

  it('every table: as many CHECK constraints as its SQLite CREATE TABLE has', async () => {
    const sql = new Map(
      (
        sqlite.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table'").all() as {
          name: string;
          sql: string;
        }[]
      ).map((r) => [r.name, r.sql]),
    );
    const pgChecks = await pgPool.query<{ t: string; n: string }>(
      `SELECT conrelid::regclass::text AS t, count(*) AS n FROM pg_constraint
       WHERE contype = 'c' AND connamespace = current_schema()::regnamespace GROUP BY 1`,
    );
    const pgCount = new Map(pgChecks.rows.map((r) => [r.t, Number(r.n)]));
    for (const t of Object.keys(sqliteSide))
      expect(pgCount.get(t) ?? 0, `${t} CHECKs: ${PARITY_HINT}`).toBe(
        (sql.get(t)?.match(/\bCHECK\s*\(/gi) ?? []).length,
      );
    expect(pgCount.get('applications')).toBe(3);
  });

  it('every table: the same named indexes, unique and partial alike, on the same columns', () => {
    for (const [t, s] of Object.entries(sqliteSide))
      expect(pgSide[t]?.indexes, `${t} indexes: ${PARITY_HINT}`).toEqual(s.indexes);
    const partial = Object.values(pgSide)
      .flatMap((t) => t.indexes)
      .filter((i) => i.partial)
      .map((i) => i.name)
      .sort();
    expect(partial).toEqual([
      'applications_list_stale',
      'blobs_pack',
      'staff_audit_case',
      'staff_sessions_account',
    ]);
  });

  it('PostgreSQL has SQLite’s triggers but the ones that open sealed data (filled by the application)', async () => {
    const sqliteTriggers = sqlite
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name")
      .pluck()
      .all() as string[];
    const dropped = new Set(PG_DROPPED_TRIGGERS.map((d) => d.name));
    const pgTriggers = (
      await pgPool.query<{ tgname: string }>(
        'SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname',
      )
    ).rows.map((r) => r.tgname);
    expect(
      pgTriggers,
      'a SQLite trigger without its PostgreSQL side: add it to the baseline in plpgsql, or list it in ' +
        'PG_DROPPED_TRIGGERS (src/hall/store/pg-schema/triggers.ts) with what the application does instead',
    ).toEqual(sqliteTriggers.filter((t) => !dropped.has(t)));
    expect(pgTriggers).toContain('staff_audit_no_update');
  });

  it('the audit log is append-only, as on SQLite', async () => {
    const client = await pgPool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        "INSERT INTO staff_audit (at, actor, action, detail) VALUES ('2026-01-01T00:00:00Z', 'a', 'x', '{}')",
      );
      await expect(client.query('UPDATE staff_audit SET actor = actor')).rejects.toThrow(/append-only/);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('text compares byte-wise, as in SQLite (the cluster and its databases use the C collation)', async () => {
    const r = await pgPool.query<{ collate: string; lt: boolean }>(
      "SELECT datcollate AS collate, 'B' < 'a' AND 'Z' < '_' AND 'a' < 'é' AS lt FROM pg_database WHERE datname = current_database()",
    );
    expect(r.rows[0]).toEqual({ collate: 'C', lt: true });
  });
});

describe('migratePostgres', () => {
  it('an empty database is at 0; two nodes migrating it at once: one baseline, both end at the latest', async () => {
    const pool = await freshDatabase();
    expect(await postgresSchemaVersion(pool)).toBe(0);
    const other = await secondNode(pool);
    const results = await Promise.all([migratePostgres(pool), migratePostgres(other)]);
    expect(results.map((r) => r.to)).toEqual([PG_LATEST_VERSION, PG_LATEST_VERSION]);
    // One found it empty and built it; the other waited on the lock and found it done.
    expect(results.map((r) => r.from).sort()).toEqual([0, PG_LATEST_VERSION]);
    expect(await postgresSchemaVersion(pool)).toBe(PG_LATEST_VERSION);
    const rows = await pool.query<{ version: number }>('SELECT version FROM hall_schema');
    expect(rows.rows).toEqual([{ version: PG_LATEST_VERSION }]);
    // Again later: nothing to do.
    expect(await migratePostgres(other)).toEqual({ from: PG_LATEST_VERSION, to: PG_LATEST_VERSION });
  });

  it('a database of a newer hall (version 99) is refused with a clear error and left as it was', async () => {
    const pool = await freshDatabase();
    await pool.query(
      `CREATE TABLE hall_schema (singleton BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
         version INTEGER NOT NULL, migrated_at TIMESTAMPTZ NOT NULL DEFAULT now());
       INSERT INTO hall_schema (version, migrated_at) VALUES (99, '2030-01-01T00:00:00Z');
       CREATE TABLE from_the_future (x TEXT)`,
    );
    const before = await tableNames(pool);
    const refused = await migratePostgres(pool).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PgMigrationError);
    expect((refused as PgMigrationError).reason).toBe('newer-version');
    expect((refused as PgMigrationError).message).toMatch(/version 99, written by a newer hall/);
    expect(await tableNames(pool)).toEqual(before);
    const rows = await pool.query<{ version: number; at: string }>(
      "SELECT version, to_char(migrated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS at FROM hall_schema",
    );
    expect(rows.rows).toEqual([{ version: 99, at: '2030-01-01' }]);
    expect(await postgresSchemaVersion(pool)).toBe(99);
  });

  it('hall tables without a hall_schema version are refused, untouched', async () => {
    const pool = await freshDatabase();
    await pool.query('CREATE TABLE kiosks (id TEXT PRIMARY KEY)');
    const refused = await migratePostgres(pool).catch((e: unknown) => e);
    expect((refused as PgMigrationError).reason).toBe('not-a-hall-database');
    expect(await tableNames(pool)).toEqual(['kiosks']);
  });

  it('a baseline that fails is rolled back whole: no hall_schema, no tables, a clear error', async () => {
    const pool = await freshDatabase();
    // Someone else's function of the same name: the baseline's CREATE FUNCTION fails on it.
    await pool.query(
      'CREATE FUNCTION zk_json_valid(t text) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$',
    );
    const failed = await migratePostgres(pool).catch((e: unknown) => e);
    expect((failed as PgMigrationError).reason).toBe('migration-failed');
    expect((failed as PgMigrationError).message).toMatch(/^PostgreSQL baseline 19 failed: .*already exists/);
    expect(await tableNames(pool)).toEqual([]);
    expect(await postgresSchemaVersion(pool)).toBe(0);
    // The pool's connections are still good.
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('a target below the baseline or above what this hall knows is a caller bug', async () => {
    const pool = await freshDatabase();
    await expect(migratePostgres(pool, { targetVersion: 18 })).rejects.toThrow(RangeError);
    await expect(migratePostgres(pool, { targetVersion: PG_LATEST_VERSION + 1 })).rejects.toThrow(RangeError);
    expect(await tableNames(pool)).toEqual([]);
  });

  it('holds its advisory lock for the whole transaction: a migration waits while another holds it', async () => {
    const pool = await freshDatabase();
    const holder = await pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1::bigint)', [HALL_SCHEMA_LOCK_KEY]);
      let done = false;
      const migrating = migratePostgres(pool).then((r) => ((done = true), r));
      await new Promise((r) => setTimeout(r, 300));
      expect(done).toBe(false);
      expect(await tableNames(pool)).toEqual([]);
      await holder.query('COMMIT');
      expect(await migrating).toEqual({ from: 0, to: PG_LATEST_VERSION });
    } finally {
      holder.release();
    }
  });
});

/** A second pool on the same database as `pool` (a second hall node). */
async function secondNode(pool: pg.Pool): Promise<pg.Pool> {
  const r = await pool.query<{ db: string }>('SELECT current_database() AS db');
  const url = new URL(cluster.url);
  url.pathname = `/${r.rows[0]?.db ?? ''}`;
  const other = new pg.Pool({ connectionString: url.toString(), max: 4 });
  pools.push(other);
  return other;
}

async function tableNames(pool: pg.Pool): Promise<string[]> {
  const r = await pool.query<{ name: string }>(
    'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1',
  );
  return r.rows.map((x) => x.name);
}

describe('CHECKs bite on PostgreSQL as on SQLite', () => {
  let pgPool: pg.Pool;
  beforeAll(async () => {
    pgPool = await freshDatabase();
    await migratePostgres(pgPool);
    const kiosk = ['k1', '110000', 'h', '2026-01-01T00:00:00.000Z'];
    await pgPool.query(
      'INSERT INTO kiosks (id, jurisdiction, secret_hash, enrolled_at) VALUES ($1, $2, $3, $4)',
      kiosk,
    );
    sqlite
      .prepare('INSERT INTO kiosks (id, jurisdiction, secret_hash, enrolled_at) VALUES (?, ?, ?, ?)')
      .run(...kiosk);
  });

  type Case = { what: string; table: string; row: Record<string, string | number | null>; ok: boolean };
  const T = '2026-01-01T00:00:00.000Z';
  const entry = (status: string) => ({
    kiosk_id: 'k1',
    seq: Math.floor(Math.random() * 1e9),
    kind: 'application',
    payload: '{}',
    payload_hash: 'x',
    status,
    received_at: T,
  });
  const alert = (detail: string | null) => ({ at: T, kind: 'k', detail });
  const account = (login: string, roles: string) => ({
    login,
    display_name: 'D',
    password_hash: 'p',
    roles,
    jurisdictions: '["110000"]',
    created_at: T,
    updated_at: T,
  });
  const blob = (sha: string, pack: string | null, offset: number | null, length: number | null) => ({
    sha256: sha,
    size: 1,
    received_at: T,
    pack,
    pack_offset: offset,
    stored_length: length,
  });
  const epoch = (id: string) => ({ id, started_at: T, first_position: 0, reason: 'created' });
  const help = (id: string, consent: number, name: string | null, state: string) => ({
    id,
    kiosk_id: 'k1',
    jurisdiction: '110000',
    step: 's',
    since: T,
    consent,
    resident_name: name,
    state,
    created_at: T,
  });
  const sha = (c: string) => c.repeat(64);
  const cases: Case[] = [
    { what: 'a known entry status', table: 'entries', row: entry('applied'), ok: true },
    { what: 'an invalid entry status', table: 'entries', row: entry('bogus'), ok: false },
    { what: 'JSON detail', table: 'alerts', row: alert('{"a":[1,2]}'), ok: true },
    { what: 'a JSON string with \\u0000', table: 'alerts', row: alert('"a\\u0000b"'), ok: true },
    { what: 'invalid JSON', table: 'alerts', row: alert('{"a":'), ok: false },
    { what: 'JSON5', table: 'alerts', row: alert('{a:1}'), ok: false },
    { what: 'empty text as JSON', table: 'alerts', row: alert(''), ok: false },
    { what: 'roles a non-empty array', table: 'staff_accounts', row: account('a1', '["admin"]'), ok: true },
    { what: 'roles an empty array', table: 'staff_accounts', row: account('a2', '[]'), ok: false },
    { what: 'roles an object', table: 'staff_accounts', row: account('a3', '{"a":1}'), ok: false },
    { what: 'roles not JSON', table: 'staff_accounts', row: account('a4', '[admin'), ok: false },
    { what: 'a one-letter login', table: 'staff_accounts', row: account('a', '["admin"]'), ok: false },
    { what: 'a blob in its own file', table: 'blobs', row: blob(sha('a'), null, null, null), ok: true },
    { what: 'a packed blob', table: 'blobs', row: blob(sha('b'), 'f'.repeat(32), 0, 10), ok: true },
    {
      what: 'a pack name in upper case',
      table: 'blobs',
      row: blob(sha('c'), 'F'.repeat(32), 0, 10),
      ok: false,
    },
    {
      what: 'a pack without offset',
      table: 'blobs',
      row: blob(sha('d'), 'f'.repeat(32), null, 10),
      ok: false,
    },
    { what: 'a short sha256', table: 'blobs', row: blob('abc', null, null, null), ok: false },
    { what: 'a hex epoch id', table: 'log_epochs', row: epoch('0123456789abcdef'), ok: true },
    { what: 'a non-hex epoch id', table: 'log_epochs', row: epoch('0123456789abcdeg'), ok: false },
    { what: 'a name with consent', table: 'help_requests', row: help('h1', 1, 'N', 'waiting'), ok: true },
    { what: 'a name without consent', table: 'help_requests', row: help('h2', 0, 'N', 'waiting'), ok: false },
    { what: 'an invalid help state', table: 'help_requests', row: help('h3', 0, null, 'lost'), ok: false },
  ];

  it.each(cases)('$table: $what ($ok)', async ({ table, row, ok }) => {
    const cols = Object.keys(row);
    const values = Object.values(row);
    let sqliteError: unknown = null;
    try {
      sqlite
        .prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`)
        .run(...values);
    } catch (e) {
      sqliteError = e;
    }
    let pgError: unknown = null;
    try {
      await pgPool.query(
        `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
        values,
      );
    } catch (e) {
      pgError = e;
    }
    if (ok) {
      expect(sqliteError).toBeNull();
      expect(pgError).toBeNull();
    } else {
      expect((sqliteError as { code?: string } | null)?.code).toBe('SQLITE_CONSTRAINT_CHECK');
      // 23514 check_violation, the constraint named after its table.
      expect((pgError as { code?: string } | null)?.code).toBe('23514');
      expect((pgError as { constraint?: string }).constraint).toMatch(new RegExp(`^${table}_`));
    }
  });
});

describe('the change log position', () => {
  it('is the last one ever given out, purged ones included, and copies keep their positions', async () => {
    const pool = await freshDatabase();
    await migratePostgres(pool);
    const last = async () =>
      Number((await pool.query<{ position: string }>(PG_LAST_CHANGE_POSITION_SQL)).rows[0]?.position);
    expect(await last()).toBe(0);
    const add = (position?: number) =>
      pool.query<{ position: string }>(
        `INSERT INTO changes (${position === undefined ? '' : 'position, '}stream, key, op, version, created_at)
         VALUES (${position === undefined ? '' : `${position}, `}'cases', 'a', 'put', 1, '2026-01-01T00:00:00.000Z')
         RETURNING position`,
      );
    for (let i = 0; i < 3; i++) await add();
    expect(await last()).toBe(3);
    await pool.query('DELETE FROM changes');
    expect(await last()).toBe(3);
    expect((await add()).rows[0]?.position).toBe('4');
    // A copy from SQLite inserts its positions, then moves the sequence to sqlite_sequence's value.
    await add(40);
    await pool.query("SELECT setval(pg_get_serial_sequence('changes', 'position'), 57)");
    expect(await last()).toBe(57);
    expect((await add()).rows[0]?.position).toBe('58');
  });
});
