/**
 * Opening the hall on PostgreSQL (postgres.ts) against a real throwaway cluster: migrated once, the
 * lookup key created by the first node and the same for the next, a node with another key file
 * refused, a server that is not there said without repeating the password.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresCluster, type PostgresCluster } from '../../testing/postgres-cluster.js';
import { freeLoopbackPort } from '../../testing/free-port.js';
import { loadKeyFile } from '../../shared/at-rest/index.js';
import { HALL_LATEST_VERSION } from './db.js';
import { openPostgresHall } from './postgres.js';

let cluster: PostgresCluster;
let dir: string;
beforeAll(async () => {
  cluster = await startPostgresCluster();
  dir = mkdtempSync(join(tmpdir(), 'zk-pg-open-'));
}, 60_000);
afterAll(async () => {
  await cluster?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('openPostgresHall', () => {
  it('two nodes starting at once: migrated once, one lookup key, the same hash on both', async () => {
    const keyFile = { path: join(dir, 'hall.key'), create: true };
    const made = loadKeyFile(keyFile.path, { create: true });
    expect(made.ok).toBe(true);
    const [a, b] = await Promise.all([
      openPostgresHall({ url: cluster.url, keyFile, poolSize: 2 }),
      openPostgresHall({ url: cluster.url, keyFile, poolSize: 2 }),
    ]);
    if (!a.ok) throw new Error(a.message);
    if (!b.ok) throw new Error(b.message);
    expect([a.migratedTo, b.migratedTo]).toEqual([HALL_LATEST_VERSION, HALL_LATEST_VERSION]);
    expect([a.migratedFrom, b.migratedFrom].sort((x, y) => x - y)).toEqual([0, HALL_LATEST_VERSION]);
    expect(a.sql.engine).toBe('postgres');
    expect(b.sql.lookup('610102199001011234')).toBe(a.sql.lookup('610102199001011234'));
    expect(await a.sql.value('SELECT count(*) FROM hall_meta WHERE key = ?', ['at-rest.lookupKey'])).toBe(1);
    const stored = await a.sql.value<string>('SELECT value FROM hall_meta WHERE key = ?', [
      'at-rest.lookupKey',
    ]);
    expect(stored).not.toContain('"key"'); // sealed
    // A new hall's change log starts with its first epoch, as SQLite's migration 16 makes it.
    const epochs = await a.sql.all<{ id: string; reason: string; position: number; at: string }>(
      'SELECT id, reason, first_position AS position, started_at AS at FROM log_epochs',
    );
    expect(epochs).toHaveLength(1);
    expect(epochs[0]).toMatchObject({ reason: 'created', position: 0 });
    expect(epochs[0]?.id).toMatch(/^[0-9a-f]{16}$/);
    expect(epochs[0]?.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    await a.sql.close();
    await b.sql.close();
  });

  it('refuses a node whose key file does not open the database, naming the key file', async () => {
    const other = await openPostgresHall({
      url: cluster.url,
      keyFile: { path: join(dir, 'other.key'), create: true },
      poolSize: 1,
    });
    expect(other.ok).toBe(false);
    if (other.ok) return;
    expect(other.error).toBe('wrong-key');
    expect(other.message).toContain('other.key');
    expect(other.message).toMatch(/same key file/);
  });

  it('says a server that is not there without repeating the password', async () => {
    const port = await freeLoopbackPort();
    const r = await openPostgresHall({
      url: `postgres://hall:s3cret-pw@127.0.0.1:${port}/hall`,
      keyFile: { path: join(dir, 'hall.key'), create: false },
      poolSize: 1,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toBe('cannot-open');
    expect(r.message).toContain(`127.0.0.1:${port}/hall`);
    expect(r.message).not.toContain('s3cret-pw');
  });
});
