/**
 * Test support for a migration list: a database created at every earlier version and upgraded must
 * end with exactly the schema of a fresh one (every object's DDL in sqlite_master and every
 * table's columns from `PRAGMA table_info`), keeping the rows it had. Framework-free: it returns
 * what it saw and the test asserts on it.
 */
import { join } from 'node:path';
import { openSqlite } from '../open.js';
import type { Migration } from '../migrate.js';
import type { SqliteDb } from '../pragmas.js';

export type ColumnInfo = {
  cid: number;
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
};

export type SchemaSnapshot = {
  /** "type name on table: sql" of every object but SQLite's own, sorted. */
  objects: string[];
  /** Every table's columns, by table name. */
  columns: Record<string, ColumnInfo[]>;
};

export function schemaSnapshot(db: SqliteDb): SchemaSnapshot {
  const objects = db
    .prepare(
      `SELECT type || ' ' || name || ' on ' || tbl_name || ': ' || coalesce(sql, '') FROM sqlite_schema
       WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`,
    )
    .pluck()
    .all() as string[];
  const tables = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  const columns: Record<string, ColumnInfo[]> = {};
  for (const t of tables) columns[t] = db.pragma(`table_info(${JSON.stringify(t)})`) as ColumnInfo[];
  return { objects, columns };
}

/** 0, 1, … latest − 1: every version a database of this list can be upgraded from. */
export const earlierVersions = (migrations: readonly Migration[]): number[] =>
  Array.from({ length: migrations.length }, (_, v) => v);

export type UpgradeCheck<T> = {
  from: number;
  migratedFrom: number;
  migratedTo: number;
  upgraded: SchemaSnapshot;
  fresh: SchemaSnapshot;
  /** What `read` returned from the upgraded database (e.g. the rows `seed` left). */
  read: T | undefined;
};

/**
 * Creates `<dir>/upgrade-<from>.db` at version `from` (then `seed` may leave rows in it), reopens
 * it at the latest version, and snapshots it and a fresh `<dir>/fresh-<from>.db`. Throws when a
 * database cannot be opened (a failing migration fails the test with its message).
 */
export function checkUpgradeFrom<T = undefined>(
  from: number,
  options: {
    migrations: readonly Migration[];
    label: string;
    dir: string;
    seed?: (db: SqliteDb, version: number) => void;
    read?: (db: SqliteDb) => T;
    /** As openSqlite's `prepare` (SQL functions the migrations use). */
    prepare?: (db: SqliteDb) => void;
  },
): UpgradeCheck<T> {
  const { dir } = options;
  const base = {
    migrations: options.migrations,
    label: options.label,
    ...(options.prepare ? { prepare: options.prepare } : {}),
  };
  const path = join(dir, `upgrade-${from}.db`);
  const old = openSqlite(path, { ...base, targetVersion: from });
  if (!old.ok) throw new Error(old.message);
  try {
    options.seed?.(old.db, from);
  } finally {
    old.db.close();
  }
  const upgraded = openSqlite(path, base);
  if (!upgraded.ok) throw new Error(upgraded.message);
  const fresh = openSqlite(join(dir, `fresh-${from}.db`), base);
  if (!fresh.ok) {
    upgraded.db.close();
    throw new Error(fresh.message);
  }
  try {
    return {
      from,
      migratedFrom: upgraded.migratedFrom,
      migratedTo: upgraded.migratedTo,
      upgraded: schemaSnapshot(upgraded.db),
      fresh: schemaSnapshot(fresh.db),
      read: options.read?.(upgraded.db),
    };
  } finally {
    upgraded.db.close();
    fresh.db.close();
  }
}
