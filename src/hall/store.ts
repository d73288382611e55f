/**
 * The hall's own SQLite store, with the same durability rules as the kiosk's: WAL,
 * synchronous=FULL, foreign keys, busy timeout, STRICT tables, user_version migrations in
 * transactions, and a refusal to open a newer database.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export const HALL_MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: /* sql */ `
CREATE TABLE hall_meta (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
) STRICT;
CREATE TABLE kiosks (
  id             TEXT PRIMARY KEY,
  jurisdiction   TEXT NOT NULL,
  secret_hash    TEXT NOT NULL,
  enrolled_at    TEXT NOT NULL,
  last_contact_at TEXT,
  last_applied_seq INTEGER NOT NULL DEFAULT 0
) STRICT;
`,
  },
];

export type HallDb = Database.Database;

export function openHallDatabase(path: string): { ok: true; db: HallDb } | { ok: false; error: string } {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const found = db.pragma('user_version', { simple: true }) as number;
    if (found > HALL_MIGRATIONS.length) {
      db.close();
      return { ok: false, error: `hall database ${path} has schema ${found}, newer than this hall (${HALL_MIGRATIONS.length})` };
    }
    for (const m of HALL_MIGRATIONS.slice(found)) {
      db.transaction(() => {
        db.exec(m.sql);
        db.pragma(`user_version = ${m.version}`);
      }).immediate();
    }
    return { ok: true, db };
  } catch (e) {
    return { ok: false, error: `cannot open hall database ${path}: ${(e as Error).message}` };
  }
}
