/**
 * The throwaway PostgreSQL cluster (postgres-cluster.ts) for real: it starts on a loopback port and
 * answers queries, restarts on the same port, and is gone — process and directory — after destroy;
 * without the binaries it fails loudly with what to do instead of skipping.
 */
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster.js';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgresCluster();
});
afterAll(async () => {
  await cluster.destroy();
});

async function query(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await c.connect();
  try {
    return (await c.query<Record<string, unknown>>(sql)).rows;
  } finally {
    await c.end();
  }
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => (s.destroy(), resolve(false)));
  });

it('runs a real PostgreSQL server on a loopback port, restartable on the same port', async () => {
  expect(cluster.url).toBe(`postgres://postgres@127.0.0.1:${cluster.port}/postgres`);
  const [row] = await query(cluster.url, 'SHOW server_version_num');
  expect(Number(row?.server_version_num)).toBeGreaterThanOrEqual(150000);
  const [addr] = await query(cluster.url, 'SHOW listen_addresses');
  expect(addr?.listen_addresses).toBe('127.0.0.1');
  await query(cluster.url, 'CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)');

  await cluster.restart();
  const [kept] = await query(cluster.url, 'SELECT n FROM kept');
  expect(kept?.n).toBe(7);

  await cluster.stopServer();
  expect(await listening(cluster.port)).toBe(false);
  await cluster.startServer();
  expect(await listening(cluster.port)).toBe(true);
});

it('is gone after destroy: no server on the port, no directory', async () => {
  const other = await startPostgresCluster();
  expect(await listening(other.port)).toBe(true);
  expect(existsSync(other.dir)).toBe(true);
  await other.destroy();
  await other.destroy(); // twice is harmless (afterAll after a failed test)
  expect(await listening(other.port)).toBe(false);
  expect(existsSync(other.dir)).toBe(false);
});

it('fails loudly, naming the install step, when the server binaries are missing', async () => {
  await expect(startPostgresCluster({ binDir: '/nonexistent/pg/bin' })).rejects.toThrow(
    /\/nonexistent\/pg\/bin\/initdb not found.*scripts\/install\.sh/,
  );
});
