import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBlobStore, sha256Hex, type BlobStore } from './blob-store.js';
import { createPagePipeline } from './page-pipeline.js';
import { memoryLogger, silentLogger, testPicture } from './test-kit.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zizhu-pipeline-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function filesUnder(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const shard of await readdir(root).catch(() => [] as string[])) {
    for (const f of await readdir(join(root, shard))) out.push(f);
  }
  return out;
}

describe('page pipeline: normalise → blank check → store', () => {
  it('stores a scanned page as a JPEG under its hash and returns what the attachments table needs', async () => {
    const store = createBlobStore({ root: dir });
    const pipeline = createPagePipeline({ store, logger: silentLogger() });
    const r = await pipeline.processPage(testPicture('Grid', { format: 'pnm', resolution: 100 }), {
      pagesSoFar: 0,
    });
    if (!r.ok) throw new Error(r.error.message);
    if (r.value.kind !== 'stored') throw new Error('expected a stored page');
    const { page } = r.value;
    const bytes = await readFile(store.pathOf(page.sha256));
    expect(sha256Hex(bytes)).toBe(page.sha256);
    expect(page).toMatchObject({
      size: bytes.length,
      mime: 'image/jpeg',
      width: 314,
      height: 393,
      created: true,
    });
    expect((await sharp(bytes).metadata()).format).toBe('jpeg');
    const again = await pipeline.processPage(testPicture('Grid', { format: 'pnm', resolution: 100 }), {
      pagesSoFar: 1,
    });
    expect(again).toMatchObject({
      ok: true,
      value: { kind: 'stored', page: { sha256: page.sha256, created: false } },
    });
  });

  it('drops a blank page without storing it, or keeps it when asked', async () => {
    const white = testPicture('Solid white', { resolution: 100 });
    const dropping = createPagePipeline({
      store: createBlobStore({ root: join(dir, 'a') }),
      logger: silentLogger(),
    });
    const r = await dropping.processPage(white, { pagesSoFar: 0 });
    expect(r).toMatchObject({ ok: true, value: { kind: 'blank', blankCheck: { blank: true } } });
    expect(await filesUnder(join(dir, 'a'))).toEqual([]);
    const keeping = createPagePipeline({
      store: createBlobStore({ root: join(dir, 'b') }),
      logger: silentLogger(),
      options: { dropBlankPages: false },
    });
    const k = await keeping.processPage(white, { pagesSoFar: 0 });
    expect(k).toMatchObject({ ok: true, value: { kind: 'stored', blankCheck: { blank: true } } });
    expect(await filesUnder(join(dir, 'b'))).toHaveLength(1);
  });

  it('refuses a page beyond the material limit', async () => {
    const pipeline = createPagePipeline({
      store: createBlobStore({ root: dir }),
      logger: silentLogger(),
      options: { limits: { maxPagesPerMaterial: 2 } },
    });
    const r = await pipeline.processPage(testPicture('Grid'), { pagesSoFar: 2 });
    expect(r).toMatchObject({ ok: false, error: { kind: 'too-many-pages', limit: 2 } });
    expect(await filesUnder(dir)).toEqual([]);
  });

  it('lowers the JPEG quality to fit the byte limit, and refuses a page that cannot fit', async () => {
    const input = testPicture('Color pattern', { mode: 'Color', resolution: 200 });
    const free = createPagePipeline({
      store: createBlobStore({ root: join(dir, 'free') }),
      logger: silentLogger(),
      options: { dropBlankPages: false },
    });
    const full = await free.processPage(input, { pagesSoFar: 0 });
    if (!full.ok || full.value.kind !== 'stored') throw new Error('expected a stored page');
    const limit = Math.floor(full.value.page.size * 0.8);
    const tight = createPagePipeline({
      store: createBlobStore({ root: join(dir, 'tight') }),
      logger: silentLogger(),
      options: { dropBlankPages: false, limits: { maxBytesPerPage: limit, minQuality: 10 } },
    });
    const fitted = await tight.processPage(input, { pagesSoFar: 0 });
    if (!fitted.ok || fitted.value.kind !== 'stored') throw new Error('expected a stored page');
    expect(fitted.value.page.size).toBeLessThanOrEqual(limit);
    const impossible = createPagePipeline({
      store: createBlobStore({ root: join(dir, 'none') }),
      logger: silentLogger(),
      options: { limits: { maxBytesPerPage: 500 } },
    });
    const refused = await impossible.processPage(input, { pagesSoFar: 0 });
    expect(refused).toMatchObject({ ok: false, error: { kind: 'page-too-large', limit: 500 } });
    expect(await filesUnder(join(dir, 'none'))).toEqual([]);
  });

  it('processes a batch in order, stops at the first bad page and keeps the pages before it', async () => {
    const pipeline = createPagePipeline({ store: createBlobStore({ root: dir }), logger: silentLogger() });
    const out = await pipeline.processPages(
      [
        testPicture('Grid'),
        testPicture('Solid white'),
        testPicture('Color pattern', { mode: 'Color' }),
        Buffer.from('garbage'),
        testPicture('Grid', { resolution: 100 }),
      ],
      { pagesSoFar: 0 },
    );
    expect(out.stored).toHaveLength(2);
    expect(out.blankPages).toEqual([1]);
    expect(out.error).toMatchObject({ index: 3, error: { kind: 'unsupported-format' } });
    expect((await filesUnder(dir)).sort()).toEqual(out.stored.map((p) => p.sha256).sort());
  });

  it('counts the material limit across a batch', async () => {
    const pipeline = createPagePipeline({
      store: createBlobStore({ root: dir }),
      logger: silentLogger(),
      options: { limits: { maxPagesPerMaterial: 3 } },
    });
    const out = await pipeline.processPages(
      [testPicture('Grid'), testPicture('Color pattern', { mode: 'Color' })],
      { pagesSoFar: 2 },
    );
    expect(out.stored).toHaveLength(1);
    expect(out.error).toMatchObject({ index: 1, error: { kind: 'too-many-pages' } });
  });

  it('reports a store failure as a value', async () => {
    const file = join(dir, 'file');
    await writeFile(file, 'x');
    const pipeline = createPagePipeline({ store: createBlobStore({ root: file }), logger: silentLogger() });
    expect(await pipeline.processPage(testPicture('Grid'), { pagesSoFar: 0 })).toMatchObject({
      ok: false,
      error: { kind: 'storage-failed' },
    });
  });

  it('logs hashes and sizes, never the page', async () => {
    const { logger, lines } = memoryLogger();
    const pipeline = createPagePipeline({ store: createBlobStore({ root: dir }), logger });
    const input = testPicture('Grid');
    await pipeline.processPage(input, { pagesSoFar: 0 });
    const text = lines().join('');
    expect(text).toContain('page stored');
    expect(text.length).toBeLessThan(2000);
    expect(text).not.toContain(input.subarray(0, 12).toString('base64'));
  });
});

describe('page pipeline: a full disk', () => {
  /** The blob store as the file system answers it when the disk is full (ENOSPC / EDQUOT). */
  const fullStore = (code: string): BlobStore => ({
    ...createBlobStore({ root: dir }),
    put: () => Promise.resolve({ ok: false, error: { kind: 'io', message: `cannot store: ${code}`, code } }),
  });

  it('says storage-full for ENOSPC and EDQUOT, storage-failed for other I/O errors', async () => {
    for (const code of ['ENOSPC', 'EDQUOT']) {
      const pipeline = createPagePipeline({ store: fullStore(code), logger: silentLogger() });
      const r = await pipeline.processPage(testPicture('Grid'), { pagesSoFar: 0 });
      expect(r).toMatchObject({ ok: false, error: { kind: 'storage-full' } });
    }
    const broken = createPagePipeline({ store: fullStore('EIO'), logger: silentLogger() });
    expect(await broken.processPage(testPicture('Grid'), { pagesSoFar: 0 })).toMatchObject({
      ok: false,
      error: { kind: 'storage-failed' },
    });
  });

  it('keeps the pages stored before the disk filled up', async () => {
    const real = createBlobStore({ root: dir });
    let puts = 0;
    const fillsUp: BlobStore = {
      ...real,
      put: (data) =>
        ++puts > 1
          ? Promise.resolve({ ok: false, error: { kind: 'io', message: 'ENOSPC', code: 'ENOSPC' } })
          : real.put(data),
    };
    const pipeline = createPagePipeline({ store: fillsUp, logger: silentLogger() });
    const out = await pipeline.processPages([testPicture('Grid'), testPicture('Color pattern')], {
      pagesSoFar: 0,
    });
    expect(out.stored).toHaveLength(1);
    expect(out.error).toMatchObject({ index: 1, error: { kind: 'storage-full' } });
    expect(await real.has(out.stored[0]!.sha256)).toBe(true);
  });
});
