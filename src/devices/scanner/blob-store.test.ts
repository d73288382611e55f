import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBlobStore, sha256Hex } from './blob-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zizhu-blobs-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createBlobStore', () => {
  it('stores bytes at <root>/<sha256[0..2]>/<sha256>, creating the root', async () => {
    const root = join(dir, 'data', 'blobs');
    const store = createBlobStore({ root });
    const data = Buffer.from('第一页 page one');
    const r = await store.put(data);
    if (!r.ok) throw new Error(r.error.message);
    const sha = sha256Hex(data);
    expect(r.value).toEqual({ sha256: sha, size: data.length, created: true });
    expect(store.pathOf(sha)).toBe(join(root, sha.slice(0, 2), sha));
    expect(await readFile(join(root, sha.slice(0, 2), sha))).toEqual(data);
    expect(await store.has(sha)).toBe(true);
    const back = await store.read(sha);
    expect(back.ok && back.value.equals(data)).toBe(true);
  });

  it('treats a known hash as a no-op and leaves no temp files', async () => {
    const store = createBlobStore({ root: dir });
    const data = Buffer.alloc(10_000, 7);
    const first = await store.put(data);
    if (!first.ok) throw new Error(first.error.message);
    const path = store.pathOf(first.value.sha256);
    const old = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    await utimes(path, old, old);
    const second = await store.put(data);
    expect(second).toEqual({ ok: true, value: { ...first.value, created: false } });
    expect(Math.round((await stat(path)).mtimeMs)).toBe(old.getTime());
    expect(await readdir(join(dir, first.value.sha256.slice(0, 2)))).toEqual([first.value.sha256]);
  });

  it('writes the same bytes once when stored concurrently', async () => {
    const store = createBlobStore({ root: dir });
    const data = Buffer.from('same page twice');
    const rs = await Promise.all([store.put(data), store.put(data), store.put(data)]);
    expect(rs.every((r) => r.ok)).toBe(true);
    const sha = sha256Hex(data);
    expect(await readdir(join(dir, sha.slice(0, 2)))).toEqual([sha]);
  });

  it('rewrites a file whose length does not match its name', async () => {
    const store = createBlobStore({ root: dir });
    const data = Buffer.from('complete page bytes');
    const sha = sha256Hex(data);
    await mkdir(join(dir, sha.slice(0, 2)), { recursive: true });
    await writeFile(store.pathOf(sha), data.subarray(0, 5));
    const r = await store.put(data);
    expect(r).toMatchObject({ ok: true, value: { created: true } });
    expect(await readFile(store.pathOf(sha))).toEqual(data);
  });

  it('reports an unwritable root as a value', async () => {
    const file = join(dir, 'not-a-dir');
    await writeFile(file, 'x');
    const store = createBlobStore({ root: file });
    const r = await store.put(Buffer.from('page'));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('io');
      expect(r.error.code).toBe('ENOTDIR');
    }
    expect((await store.read('0'.repeat(64))).ok).toBe(false);
  });

  it('sweeps temp files older than the given age only', async () => {
    const store = createBlobStore({ root: dir });
    await mkdir(join(dir, 'ab'));
    await writeFile(join(dir, 'ab', '.tmp-old'), 'x');
    await writeFile(join(dir, 'ab', '.tmp-new'), 'x');
    await writeFile(join(dir, 'ab', 'ab'.padEnd(64, '0')), 'kept');
    const old = new Date(Date.now() - 3_600_000);
    await utimes(join(dir, 'ab', '.tmp-old'), old, old);
    expect(await store.sweepTemp(600_000)).toBe(1);
    expect((await readdir(join(dir, 'ab'))).sort()).toEqual(['.tmp-new', 'ab'.padEnd(64, '0')]);
  });

  it('refuses a malformed hash as a bug', () => {
    expect(() => createBlobStore({ root: dir }).pathOf('../../etc/passwd')).toThrow();
  });
});
