/**
 * The key rotation's database half on PostgreSQL (pg-reseal-values.ts, `hall db reseal`) against a
 * real throwaway cluster: values read through a cursor a page at a time and sealed again in batches —
 * more rows than a page, two sealed columns in one row (the second column's rows have moved once the
 * first is done), values already under the new key left alone, nothing left under the old key.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPostgresCluster, type PostgresCluster } from '../../testing/postgres-cluster.js';
import { beginKeyRotation, retirePreviousKey } from '../../shared/at-rest/key-file.js';
import { sealedKeyId } from '../../shared/at-rest/index.js';
import { openHallStore, type HallStore } from './open.js';
import { postgresValuesNotSealedWithCurrentKey, resealPostgresValues } from './pg-reseal-values.js';

let cluster: PostgresCluster;
let dir: string;
beforeAll(async () => {
  cluster = await startPostgresCluster();
  dir = mkdtempSync(join(tmpdir(), 'zk-pg-reseal-'));
}, 60_000);
afterAll(async () => {
  await cluster?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const open = async (): Promise<HallStore> => {
  const opened = await openHallStore({ dataDir: dir, databaseUrl: cluster.url, databasePoolSize: 2 });
  if (!opened.ok) throw new Error(opened.message);
  return opened.store;
};

it('seals again 1,234 rows × two columns under the new key, a page at a time, and only those', async () => {
  const N = 1234;
  let store = await open();
  const oldKey = store.sql.sealer.keyId;
  const rows = Array.from({ length: N }, (_, i) => [
    store.sql.seal(`id-${i}`),
    'sfz',
    store.sql.seal(`LIC-${i}`),
    't',
  ]);
  for (let i = 0; i < N; i += 200) {
    const part = rows.slice(i, i + 200);
    await store.sql.run(
      `INSERT INTO licences (id_hash, material_code, licence_no, added_at) VALUES ${part.map(() => '(?, ?, ?, ?)').join(', ')}`,
      part.flat(),
    );
  }
  await store.close();

  const key = join(dir, 'hall.key');
  expect(beginKeyRotation(key).ok).toBe(true);
  store = await open();
  const newKey = store.sql.sealer.keyId;
  expect(newKey).not.toBe(oldKey);
  // One row already under the new key: not counted, not touched.
  await store.sql.run(
    "INSERT INTO licences (id_hash, material_code, licence_no, added_at) VALUES (?, 'sfz', ?, 't')",
    [store.sql.seal('id-new'), store.sql.seal('LIC-new')],
  );
  const before = await postgresValuesNotSealedWithCurrentKey(store.sql);
  // The licences' two columns, and whatever else the hall sealed with the old key (its lookup key).
  expect(before).toBeGreaterThanOrEqual(2 * N);

  const counts = await resealPostgresValues(store.sql);
  expect(counts['licences.licence_no']).toBe(N);
  expect(counts['licences.id_hash']).toBe(N);
  expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(before);
  expect(await postgresValuesNotSealedWithCurrentKey(store.sql)).toBe(0);
  await store.close();

  // The old key gone, every value opens with the new one to what it was.
  retirePreviousKey(key);
  store = await open();
  try {
    const all = await store.sql.all<{ id: string; no: string }>(
      'SELECT id_hash AS id, licence_no AS no FROM licences',
    );
    expect(all).toHaveLength(N + 1);
    expect(all.every((r) => sealedKeyId(r.id) === newKey && sealedKeyId(r.no) === newKey)).toBe(true);
    const plain = new Map(all.map((r) => [store.sql.open(r.id), store.sql.open(r.no)]));
    expect(plain.size).toBe(N + 1);
    expect(plain.get('id-0')).toBe('LIC-0');
    expect(plain.get(`id-${N - 1}`)).toBe(`LIC-${N - 1}`);
    expect(plain.get('id-new')).toBe('LIC-new');
    expect([...plain].every(([id, no]) => no === `LIC-${id.slice(3)}`)).toBe(true);
  } finally {
    await store.close();
  }
});
