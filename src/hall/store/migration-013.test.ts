/**
 * Migration 13 (the staff audit log): a version-12 hall upgrades with its kiosks kept and gains an
 * empty, append-only audit table whose detail must be JSON, and the staff accounts and sessions tables.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openHallDatabase } from './index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-m13-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('adds the append-only staff audit log, accounts and sessions to a version-12 hall', () => {
  const path = join(dir, 'hall.db');
  const old = openHallDatabase(path, { targetVersion: 12 });
  if (!old.ok) throw new Error(old.message);
  old.db
    .prepare(
      "INSERT INTO kiosks (id, jurisdiction, secret_hash, secret, enrolled_at) VALUES ('K-1', '610113', 'h', 's', '2026-03-01T00:00:00Z')",
    )
    .run();
  old.db.close();

  const r = openHallDatabase(path, { targetVersion: 13 });
  if (!r.ok) throw new Error(r.message);
  const { db } = r;
  try {
    expect([r.migratedFrom, r.migratedTo]).toEqual([12, 13]);
    expect(db.prepare('SELECT count(*) FROM kiosks').pluck().get()).toBe(1);
    expect(db.prepare('SELECT count(*) FROM staff_audit').pluck().get()).toBe(0);
    const insert = db.prepare(
      "INSERT INTO staff_audit (at, actor, action, detail) VALUES ('2026-03-02T00:00:00Z', '王科员', 'case.accept', ?)",
    );
    insert.run('{"from":"received"}');
    expect(() => insert.run('not json')).toThrow(/CHECK/);
    expect(() => db.prepare('DELETE FROM staff_audit').run()).toThrow(/append-only/);

    // Staff accounts: at least one role and one jurisdiction, login names unique; sessions by hash.
    const account = db.prepare(
      `INSERT INTO staff_accounts (login, display_name, password_hash, roles, jurisdictions, created_at, updated_at)
       VALUES (?, '王科员', 'scrypt$16384$8$1$s$h', ?, ?, 't', 't')`,
    );
    const id = Number(account.run('wang', '["clerk"]', '["610113"]').lastInsertRowid);
    expect(() => account.run('wang', '["clerk"]', '["610113"]')).toThrow(/UNIQUE/);
    expect(() => account.run('li', '[]', '["610113"]')).toThrow(/CHECK/);
    expect(() => account.run('li', '["clerk"]', '[]')).toThrow(/CHECK/);
    expect(() => account.run('li', 'clerk', '["610113"]')).toThrow(/CHECK|JSON/);
    db.prepare(
      "INSERT INTO staff_sessions (id_hash, account_id, created_at, last_seen_at) VALUES ('h1', ?, 't', 't')",
    ).run(id);
    expect(() =>
      db
        .prepare(
          "INSERT INTO staff_sessions (id_hash, account_id, created_at, last_seen_at) VALUES ('h1', ?, 't', 't')",
        )
        .run(id),
    ).toThrow(/UNIQUE|PRIMARY/);
  } finally {
    db.close();
  }
});
