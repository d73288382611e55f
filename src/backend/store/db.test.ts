import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { createSealer, registerSealer } from '../../shared/at-rest/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkUpgradeFrom, earlierVersions } from '../../sqlite/testing/upgrades.js';
import { countRows, KIOSK_TABLES, openDatabase, schemaVersion, type KioskTable } from './db.js';
import { LATEST_VERSION, MIGRATIONS } from './migrations/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-db-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const tables = (db: Database.Database): string[] =>
  db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];

describe('openDatabase', () => {
  it('applies the durability pragmas', () => {
    const r = openDatabase(join(dir, 'k.db'));
    if (!r.ok) throw new Error(r.message);
    expect(r.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(r.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(r.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(r.db.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(1000);
    r.db.close();
  });

  it('creates every table STRICT at the latest version', () => {
    const r = openDatabase(join(dir, 'k.db'));
    if (!r.ok) throw new Error(r.message);
    expect(r.migratedFrom).toBe(0);
    expect(schemaVersion(r.db)).toBe(LATEST_VERSION);
    const names = tables(r.db);
    for (const t of [
      'window_categories',
      'service_items',
      'service_materials',
      'bundles',
      'bundle_items',
      'applications',
      'application_status_history',
      'attachments',
      'application_attachments',
      'outbox',
      'queue_tickets',
      'evaluations',
      'audit_log',
      'device_config',
      'kiosk_config',
      'sync_cursors',
      'catalog_meta',
    ]) {
      expect(names).toContain(t);
    }
    const list = r.db.prepare('PRAGMA table_list').all() as {
      name: string;
      strict: number;
      schema: string;
    }[];
    const ours = list.filter((t) => t.schema === 'main' && !t.name.startsWith('sqlite_'));
    expect(ours.length).toBe(names.length);
    for (const t of ours) expect({ table: t.name, strict: t.strict }).toEqual({ table: t.name, strict: 1 });
    r.db.close();
  });

  it('enforces STRICT types and foreign keys', () => {
    const r = openDatabase(join(dir, 'k.db'));
    if (!r.ok) throw new Error(r.message);
    expect(() =>
      r.db.prepare("INSERT INTO audit_log (id, at, actor, action) VALUES ('x', 'now', 'a', 'b')").run(),
    ).toThrow(/datatype/i);
    expect(() =>
      r.db
        .prepare("INSERT INTO bundle_items (bundle_code, item_code, position) VALUES ('nope', 'nope', 0)")
        .run(),
    ).toThrow(/FOREIGN KEY/);
    r.db.close();
  });

  it.each(earlierVersions(MIGRATIONS))(
    'upgrades a database created at version %i to the same schema as a fresh one',
    (from) => {
      // The shared check (src/sqlite/testing): every object's DDL and every table's columns.
      const r = checkUpgradeFrom(from, {
        migrations: MIGRATIONS,
        label: 'kiosk',
        dir,
        prepare: (db) => registerSealer(db, createSealer({ key: randomBytes(32) })),
        seed: (db, version) => {
          expect(schemaVersion(db)).toBe(version);
          // Leave a row behind in the oldest tables so the upgrade has to keep data.
          if (version >= 1)
            db.prepare("INSERT INTO kiosk_config (key, value, updated_at) VALUES ('probe', '42', 't')").run();
        },
        read: (db) => db.prepare("SELECT value FROM kiosk_config WHERE key = 'probe'").pluck().get(),
      });
      expect(r.migratedFrom).toBe(from);
      expect(r.migratedTo).toBe(LATEST_VERSION);
      expect(r.upgraded).toEqual(r.fresh);
      expect(r.read).toBe(from >= 1 ? '42' : undefined);
    },
  );

  it('rolls a failing migration back as a whole, leaving the previous version', () => {
    const r = openDatabase(join(dir, 'k.db'), { targetVersion: 1 });
    if (!r.ok) throw new Error(r.message);
    // Make migration 2 fail halfway: its first table already exists.
    r.db.exec('CREATE TABLE catalog_meta (x INTEGER) STRICT');
    r.db.close();
    const again = openDatabase(join(dir, 'k.db'));
    expect(again.ok).toBe(false);
    const raw = new Database(join(dir, 'k.db'));
    expect(schemaVersion(raw)).toBe(1);
    expect(tables(raw)).not.toContain('sync_cursors');
    raw.close();
  });

  it('refuses a database written by a newer kiosk and leaves it untouched', () => {
    const raw = new Database(join(dir, 'k.db'));
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`);
    raw.close();
    const r = openDatabase(join(dir, 'k.db'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toBe('newer-version');
    expect(r.message).toMatch(/newer kiosk/);
    const check = new Database(join(dir, 'k.db'));
    expect(schemaVersion(check)).toBe(LATEST_VERSION + 1);
    expect(tables(check)).toEqual([]);
    check.close();
  });

  it('reports an unopenable path as a value', () => {
    const fileInTheWay = join(dir, 'plain');
    new Database(fileInTheWay).close();
    const bad = openDatabase(join(fileInTheWay, 'x.db'));
    expect(bad).toMatchObject({ ok: false, error: 'cannot-open' });
  });

  it('every migration has a name and the expected version', () => {
    MIGRATIONS.forEach((m, i) => {
      expect(m.version).toBe(i + 1);
      expect(m.name.length).toBeGreaterThan(0);
    });
  });
});

describe('countRows', () => {
  it('knows every table of the latest schema, and only those', () => {
    const r = openDatabase(join(dir, 'k.db'));
    if (!r.ok) throw new Error(r.message);
    expect([...KIOSK_TABLES].sort()).toEqual(tables(r.db));
    r.db.close();
  });

  it('counts the rows of a kiosk table and refuses any other name', () => {
    const r = openDatabase(join(dir, 'k.db'));
    if (!r.ok) throw new Error(r.message);
    expect(countRows(r.db, 'kiosk_config')).toBe(0);
    const put = r.db.prepare("INSERT INTO kiosk_config (key, value, updated_at) VALUES (?, '1', 't')");
    put.run('a');
    put.run('b');
    expect(countRows(r.db, 'kiosk_config')).toBe(2);
    // A caller without the type (e.g. a name read at run time) cannot splice SQL into the statement.
    const smuggled: string = 'kiosk_config; DROP TABLE outbox';
    expect(() => countRows(r.db, smuggled as KioskTable)).toThrow(/not a kiosk table/);
    expect(tables(r.db)).toContain('outbox');
    r.db.close();
  });
});
