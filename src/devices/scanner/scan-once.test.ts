import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from './blob-store.js';
import { scanOnce } from './scan-once.js';
import { silentLogger } from './test-kit.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zizhu-scan-once-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});
const logger = silentLogger();

describe('scanOnce (CLI: scan a page)', () => {
  it('scans from the built-in simulator and writes one normalised JPEG', async () => {
    const out = join(dir, 'page.jpg');
    const r = await scanOnce({ uri: 'sim:', mode: 'development', logger, out, resolution: 100 });
    if (!r.ok) throw new Error(r.error.message);
    const bytes = await readFile(out);
    expect(r.value).toEqual({
      out,
      sha256: sha256Hex(bytes),
      size: bytes.length,
      width: 827,
      height: 1169,
      blank: false,
      driver: 'escl',
    });
    expect((await sharp(bytes).metadata()).format).toBe('jpeg');
    expect(await readdir(dir)).toEqual(['page.jpg']);
  });

  it('scans from the SANE test backend and says when the page is blank', async () => {
    const grid = join(dir, 'grid.jpg');
    const g = await scanOnce({
      uri: 'sane:test',
      mode: 'production',
      logger,
      out: grid,
      resolution: 75,
      colorMode: 'grayscale',
      drivers: { sane: { extraArgs: ['--test-picture=Grid'] } },
    });
    expect(g).toMatchObject({ ok: true, value: { width: 236, height: 295, blank: false, driver: 'sane' } });
    expect((await sharp(await readFile(grid)).metadata()).channels).toBe(1);
    const white = await scanOnce({
      uri: 'sane:test',
      mode: 'production',
      logger,
      out: join(dir, 'white.jpg'),
      resolution: 75,
      drivers: { sane: { extraArgs: ['--test-picture=Solid white'] } },
    });
    expect(white).toMatchObject({ ok: true, value: { blank: true } });
  });

  it('returns faults and configuration errors as values and writes nothing', async () => {
    const out = join(dir, 'none.jpg');
    expect(await scanOnce({ uri: 'sim:', mode: 'production', logger, out })).toMatchObject({
      ok: false,
      error: { kind: 'config' },
    });
    expect(await scanOnce({ uri: 'sane:no-such-device', mode: 'production', logger, out })).toMatchObject({
      ok: false,
      error: { kind: 'device-gone' },
    });
    expect(
      await scanOnce({ uri: 'sim:?pages=0', mode: 'development', logger, out, source: 'feeder' }),
    ).toMatchObject({ ok: false, error: { kind: 'feeder-empty' } });
    expect(await readdir(dir)).toEqual([]);
  });

  it('reports an unwritable destination as an io error', async () => {
    const r = await scanOnce({
      uri: 'sane:test',
      mode: 'production',
      logger,
      out: join(dir, 'missing-dir', 'page.jpg'),
      resolution: 50,
    });
    expect(r).toMatchObject({ ok: false, error: { kind: 'io' } });
  });
});
