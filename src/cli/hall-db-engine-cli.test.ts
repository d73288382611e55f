/**
 * `hall db backup / restore / new-epoch / reseal` are the embedded SQLite database's: with
 * HALL_DATABASE_URL (the hall on PostgreSQL) they refuse, say what to use instead, never repeat the
 * URL's password, and write nothing (no hall.db is created in the data directory).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildCli } from './main.js';

let dir: string;
let out: string[];
let err: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-db-engine-'));
  out = [];
  err = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const cli = () =>
  buildCli(
    { out: (l) => out.push(l), err: (l) => err.push(l) },
    { HALL_DATA_DIR: dir, HALL_DATABASE_URL: 'postgres://hall:pw-secret@127.0.0.1:1/hall' },
  );

it.each([
  [['hall', 'db', 'backup', join(tmpdir(), 'never-written.db')], /pg_dump/],
  [['hall', 'db', 'restore', join(tmpdir(), 'never-read.db')], /pg_restore/],
  [['hall', 'db', 'new-epoch'], /HALL_DATABASE_URL/],
  [['hall', 'db', 'reseal'], /not available yet/],
])('refuses %j on PostgreSQL', async (args, says) => {
  expect(await cli().run(args)).not.toBe(0);
  const text = [...out, ...err].join('\n');
  expect(text).toMatch(says);
  expect(text).not.toContain('pw-secret');
  expect(existsSync(join(dir, 'hall.db'))).toBe(false);
  expect(readdirSync(dir)).toEqual([]);
});
