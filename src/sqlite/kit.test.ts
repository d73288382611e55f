/**
 * The shared SQLite kit: durability pragmas, refusal of a newer database, migrations as whole
 * versions (a failing or refused one leaves the previous version), table rebuilds with foreign keys
 * switched off around the transaction and checked before commit, and the upgrade test helper.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, openSqlite, schemaVersion, type Migration, type SqliteDb } from './index.js';
import { checkUpgradeFrom, earlierVersions, schemaSnapshot } from './testing/upgrades.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-sqlite-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const PARENT_CHILD: Migration[] = [
  {
    version: 1,
    name: 'parents and children',
    sql: `CREATE TABLE parent (id TEXT PRIMARY KEY, kind TEXT NOT NULL) STRICT;
          CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES parent(id)) STRICT;
          CREATE INDEX parent_kind ON parent(kind);`,
  },
  { version: 2, name: 'notes', sql: 'ALTER TABLE parent ADD COLUMN note TEXT' },
];

/** Rebuilds `parent` with a CHECK on kind (the documented 12-step way, inside one migration). */
const REBUILD: Migration = {
  version: 3,
  name: 'check parent kind',
  rebuildsTables: true,
  sql: `CREATE TABLE parent_new (id TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('a', 'b')), note TEXT) STRICT;
        INSERT INTO parent_new (id, kind, note) SELECT id, kind, note FROM parent;
        DROP TABLE parent;
        ALTER TABLE parent_new RENAME TO parent;
        CREATE INDEX parent_kind ON parent(kind);`,
};

const open = (migrations: readonly Migration[], targetVersion?: number, name = 'k.db') =>
  openSqlite(join(dir, name), {
    migrations,
    label: 'test',
    ...(targetVersion !== undefined ? { targetVersion } : {}),
  });

const must = (r: ReturnType<typeof open>): SqliteDb => {
  if (!r.ok) throw new Error(r.message);
  return r.db;
};

describe('openSqlite', () => {
  it('applies the durability pragmas and migrates to the latest version', () => {
    const r = open(PARENT_CHILD);
    if (!r.ok) throw new Error(r.message);
    expect([r.migratedFrom, r.migratedTo]).toEqual([0, 2]);
    expect(r.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(r.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(r.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(r.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    r.db.close();
  });

  it('stops at targetVersion and carries on from there later', () => {
    const db = must(open(PARENT_CHILD, 1));
    expect(schemaVersion(db)).toBe(1);
    db.close();
    const again = open(PARENT_CHILD);
    expect(again).toMatchObject({ ok: true, migratedFrom: 1, migratedTo: 2 });
    if (again.ok) again.db.close();
  });

  it('refuses a newer database, names the label, and leaves it untouched', () => {
    const raw = new Database(join(dir, 'k.db'));
    raw.pragma('user_version = 9');
    raw.close();
    const r = open(PARENT_CHILD);
    expect(r).toMatchObject({ ok: false, error: 'newer-version', found: 9, supported: 2 });
    if (!r.ok) expect(r.message).toMatch(/newer test \(schema 9, this test knows up to 2\)/);
    const check = new Database(join(dir, 'k.db'));
    expect(schemaVersion(check)).toBe(9);
    expect(check.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").pluck().get()).toBe(0);
    check.close();
  });

  it('reports an unopenable path as a value', () => {
    new Database(join(dir, 'plain')).close();
    const r = openSqlite(join(dir, 'plain', 'x.db'), { migrations: PARENT_CHILD, label: 'test' });
    expect(r).toMatchObject({ ok: false, error: 'cannot-open' });
    if (!r.ok) expect(r.message).toContain('cannot open test database');
  });

  it('refuses a migration list out of order (a bug, reported as cannot-open)', () => {
    const r = open([{ version: 2, name: 'misnumbered', sql: 'SELECT 1' }]);
    expect(r).toMatchObject({ ok: false, error: 'cannot-open' });
    if (!r.ok) expect(r.message).toMatch(/version 2, expected 1/);
  });
});

describe('migrate', () => {
  it('rolls a failing migration back as a whole and names it', () => {
    must(open(PARENT_CHILD, 1)).close();
    const broken: Migration[] = [
      PARENT_CHILD[0] as Migration,
      {
        version: 2,
        name: 'half done',
        sql: 'CREATE TABLE extra (x INTEGER) STRICT; CREATE TABLE parent (x INTEGER)',
      },
    ];
    const r = open(broken);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/migration 2 \(half done\) failed: .*already exists/);
    const raw = new Database(join(dir, 'k.db'));
    expect(schemaVersion(raw)).toBe(1);
    expect(raw.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'extra'").pluck().get()).toBe(0);
    raw.close();
  });

  it('lets refuseIf stop a migration before its SQL, leaving the previous version', () => {
    const db = must(open(PARENT_CHILD, 1));
    db.prepare("INSERT INTO parent (id, kind) VALUES ('p1', 'zzz')").run();
    db.close();
    const guarded: Migration[] = [
      PARENT_CHILD[0] as Migration,
      {
        ...(PARENT_CHILD[1] as Migration),
        refuseIf: (d) =>
          (d.prepare("SELECT count(*) FROM parent WHERE kind = 'zzz'").pluck().get() as number) > 0
            ? 'parent p1 has kind zzz'
            : null,
      },
    ];
    const r = open(guarded);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/migration 2 \(notes\) failed: parent p1 has kind zzz/);
    const raw = new Database(join(dir, 'k.db'));
    expect(schemaVersion(raw)).toBe(1);
    raw.close();
  });

  it('rebuilds a referenced table with foreign keys off around the transaction, then on again', () => {
    const db = must(open(PARENT_CHILD));
    db.prepare("INSERT INTO parent (id, kind, note) VALUES ('p1', 'a', 'kept'), ('p2', 'b', NULL)").run();
    db.prepare("INSERT INTO child (parent_id) VALUES ('p1'), ('p1'), ('p2')").run();
    expect(migrate(db, [...PARENT_CHILD, REBUILD])).toBe(2);
    expect(schemaVersion(db)).toBe(3);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.prepare('SELECT id, kind, note FROM parent ORDER BY id').all()).toEqual([
      { id: 'p1', kind: 'a', note: 'kept' },
      { id: 'p2', kind: 'b', note: null },
    ]);
    expect(db.prepare('SELECT count(*) FROM child').pluck().get()).toBe(3);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // The children now reference the rebuilt table, enforced.
    expect(() => db.prepare("INSERT INTO child (parent_id) VALUES ('nobody')").run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("INSERT INTO parent (id, kind) VALUES ('p3', 'c')").run()).toThrow(/CHECK/);
    db.close();
  });

  it('needs rebuildsTables: with foreign keys on, dropping the referenced table fails the migration', () => {
    const db = must(open(PARENT_CHILD));
    db.prepare("INSERT INTO parent (id, kind) VALUES ('p1', 'a')").run();
    db.prepare("INSERT INTO child (parent_id) VALUES ('p1')").run();
    const { rebuildsTables: _, ...plain } = REBUILD;
    expect(() => migrate(db, [...PARENT_CHILD, plain])).toThrow(/migration 3 .*FOREIGN KEY/);
    expect(schemaVersion(db)).toBe(2);
    db.close();
  });

  it('refuses a rebuild that would leave broken foreign keys, and switches them back on', () => {
    const db = must(open(PARENT_CHILD));
    db.prepare("INSERT INTO parent (id, kind) VALUES ('p1', 'a'), ('p2', 'b')").run();
    db.prepare("INSERT INTO child (parent_id) VALUES ('p2')").run();
    const lossy: Migration = {
      ...REBUILD,
      sql: REBUILD.sql.replace('FROM parent;', "FROM parent WHERE id = 'p1';"),
    };
    expect(() => migrate(db, [...PARENT_CHILD, lossy])).toThrow(
      /migration 3 \(check parent kind\) failed: 1 row\(s\) would break a foreign key \(child rowid 1 → parent\)/,
    );
    expect(schemaVersion(db)).toBe(2);
    expect(db.prepare('SELECT count(*) FROM parent').pluck().get()).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });
});

describe('checkUpgradeFrom (test helper)', () => {
  const migrations = [...PARENT_CHILD, REBUILD];

  it.each(earlierVersions(migrations))(
    'upgrades from version %i to the fresh schema, keeping rows',
    (from) => {
      const r = checkUpgradeFrom(from, {
        migrations,
        label: 'test',
        dir,
        seed: (db, v) => {
          if (v >= 1) db.prepare("INSERT INTO parent (id, kind) VALUES ('p1', 'a')").run();
        },
        read: (db) => db.prepare('SELECT id FROM parent').pluck().all(),
      });
      expect([r.migratedFrom, r.migratedTo]).toEqual([from, 3]);
      expect(r.upgraded).toEqual(r.fresh);
      expect(r.read).toEqual(from >= 1 ? ['p1'] : []);
    },
  );

  it('sees a difference in DDL and in columns', () => {
    const r = checkUpgradeFrom(1, {
      migrations,
      label: 'test',
      dir,
      seed: (db) => db.exec('CREATE TABLE stray (x INTEGER) STRICT'),
    });
    expect(r.upgraded.objects).not.toEqual(r.fresh.objects);
    expect(Object.keys(r.upgraded.columns)).toContain('stray');
    expect(r.fresh.columns.parent?.map((c) => c.name)).toEqual(['id', 'kind', 'note']);
    const db = must(open(migrations, undefined, 'snap.db'));
    expect(schemaSnapshot(db).objects).toEqual(r.fresh.objects);
    db.close();
  });
});
