/**
 * The hall's store on the engine its configuration names (open.ts, config.ts): the embedded SQLite
 * database by default, PostgreSQL with HALL_DATABASE_URL (a real throwaway cluster), and the
 * settings refused with a sentence that never repeats a password.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresCluster, type PostgresCluster } from '../../testing/postgres-cluster.js';
import { loadHallConfig } from '../config.js';
import { HALL_LATEST_VERSION } from './db.js';
import { openHallStore } from './open.js';

let cluster: PostgresCluster;
let dir: string;
beforeAll(async () => {
  cluster = await startPostgresCluster();
  dir = mkdtempSync(join(tmpdir(), 'zk-hall-store-'));
}, 60_000);
afterAll(async () => {
  await cluster?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const config = (env: Record<string, string>) => {
  const r = loadHallConfig({ HALL_DATA_DIR: join(dir, 'data'), ...env });
  if (!r.ok) throw new Error(r.error);
  return r.config;
};

describe('openHallStore', () => {
  it('opens <dataDir>/hall.db when no database URL is set', async () => {
    const c = config({});
    expect(c.databaseUrl).toBeUndefined();
    const r = await openHallStore(c);
    if (!r.ok) throw new Error(r.message);
    expect(r.store.sql.engine).toBe('sqlite');
    expect(r.store.sqlite).not.toBeNull();
    expect(r.store.where).toBe(join(dir, 'data', 'hall.db'));
    await r.store.close();
  });

  it('opens PostgreSQL with HALL_DATABASE_URL, which the notifier then uses too', async () => {
    const c = config({ HALL_DATABASE_URL: cluster.url, HALL_DATABASE_POOL: '3' });
    expect(c).toMatchObject({ databaseUrl: cluster.url, notifyUrl: cluster.url, databasePoolSize: 3 });
    const r = await openHallStore(c);
    if (!r.ok) throw new Error(r.message);
    expect(r.store.sql.engine).toBe('postgres');
    expect(r.store.sqlite).toBeNull();
    expect(r.store.where).toBe(`PostgreSQL 127.0.0.1:${cluster.port}/postgres`);
    expect(await r.store.sql.value('SELECT version FROM hall_schema')).toBe(HALL_LATEST_VERSION);
    await r.store.close();
  });

  it('refuses a database URL that is not PostgreSQL, and a pool size out of range, without echoing them', () => {
    const bad = loadHallConfig({ HALL_DATA_DIR: dir, HALL_DATABASE_URL: 'mysql://hall:pw-secret@db/hall' });
    expect(bad).toEqual({
      ok: false,
      error:
        'HALL_DATABASE_URL must be a postgres:// or postgresql:// connection URL (or unset for the embedded SQLite database)',
    });
    const pool = loadHallConfig({
      HALL_DATA_DIR: dir,
      HALL_DATABASE_URL: cluster.url,
      HALL_DATABASE_POOL: '0',
    });
    expect(pool.ok).toBe(false);
    if (!pool.ok)
      expect(pool.error).toMatch(/HALL_DATABASE_POOL must be a whole number of connections 1–200/);
    // A notifier of its own stays its own.
    expect(config({ HALL_DATABASE_URL: cluster.url, HALL_NOTIFY_URL: 'postgres://other/x' }).notifyUrl).toBe(
      'postgres://other/x',
    );
  });
});
