/**
 * The PostgreSQL tools' connection and where they are found (pg-backup.ts): the URL given to
 * `--dbname` never holds the password — in the user part or as a `password=` option — and the
 * password goes to PGPASSWORD, decoded; PG_BIN_DIR alone is searched when set.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { findPgTools, libpqConnection } from './pg-backup.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-pg-tools-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it.each([
  [
    'postgres://hall:s%40cr%3At@db.example:5432/hall?sslmode=require',
    'postgres://hall@db.example:5432/hall?sslmode=require',
    's@cr:t',
  ],
  ['postgresql://hall@db.example/hall?password=qs-secret', 'postgresql://hall@db.example/hall', 'qs-secret'],
  ['postgres://hall@db.example/hall', 'postgres://hall@db.example/hall', ''],
])('libpqConnection(%s): the password out of the URL, in PGPASSWORD', (url, dbname, secret) => {
  const c = libpqConnection(url);
  expect(c.dbname).toBe(dbname);
  expect(c.secret).toBe(secret);
  expect(c.env).toEqual(secret === '' ? {} : { PGPASSWORD: secret });
});

it('findPgTools: PG_BIN_DIR alone when set (all the tools or none), else PATH after /usr/lib/postgresql', () => {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const t of ['pg_dump', 'pg_restore']) {
    writeFileSync(join(bin, t), '#!/bin/sh\n');
    chmodSync(join(bin, t), 0o755);
  }
  expect(findPgTools(['pg_dump', 'pg_restore'], { binDir: bin })).toBe(bin);
  expect(findPgTools(['pg_dump', 'psql'], { binDir: bin })).toBeNull();
  expect(findPgTools(['pg_dump'], { binDir: join(dir, 'nowhere'), path: bin })).toBeNull();
  const found = findPgTools(['pg_dump', 'pg_restore'], { path: `${join(dir, 'nowhere')}:${bin}` });
  // Debian's /usr/lib/postgresql/N/bin comes first where it is installed; else the PATH entry.
  expect(found === bin || (found ?? '').startsWith('/usr/lib/postgresql/')).toBe(true);
});
