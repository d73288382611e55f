/**
 * The sealed blob store (docs/security.md, "Hall data at rest and key rotation"): unfinished uploads
 * hold sealed frames, never the plain chunks, and resume from the plain offset; a frame torn by a
 * crash is cut off; a clear partial from an older hall restarts from 0; blobs an older hall stored
 * in clear are sealed at start; the SM4 algorithm and a configured key file are honoured.
 */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileKeyId } from '../shared/at-rest/index.js';
import { loadHallConfig } from './config.js';
import { createHallService, type HallService } from './service.js';
import { sha } from './testing/staff-fixture.js';
import { openHallDatabase, type HallDb } from './store/index.js';

const ID = '11010519491231002X';
let dir: string;
let db: HallDb;
let service: HallService;

async function open(options: Parameters<typeof openHallDatabase>[1] = {}): Promise<void> {
  const r = openHallDatabase(join(dir, 'hall.db'), options);
  if (!r.ok) throw new Error(r.message);
  db = r.db;
  service = await createHallService({ db, dataDir: dir, clock: () => new Date('2026-03-02T08:00:00Z') });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-blobs-'));
});
afterEach(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const bytes = Buffer.concat([Buffer.from(`证件 ${ID} `.repeat(50)), randomBytes(3000)]);
const h = sha(bytes);
const partial = () => join(dir, 'blobs', '.partial', 'local', h);

describe('unfinished uploads', () => {
  it('hold sealed frames, resume at the plain offset, and cut off a torn frame', async () => {
    await open();
    expect((await service.putBlob(h, 0, bytes.length, bytes.subarray(0, 1000))).status).toBe(202);
    expect((await service.putBlob(h, 1000, bytes.length, bytes.subarray(1000, 2000))).status).toBe(202);
    expect(readFileSync(partial()).includes(Buffer.from(ID))).toBe(false);
    expect(await service.blobState(h)).toEqual({ complete: false, offset: 2000 });
    // A crash in the middle of the third frame's write.
    appendFileSync(partial(), Buffer.from([0, 0, 3, 232, 0, 0, 4, 0, 1, 2, 3]));
    expect(await service.blobState(h)).toEqual({ complete: false, offset: 2000 });
    expect((await service.putBlob(h, 2000, bytes.length, bytes.subarray(2000))).status).toBe(201);
    expect(existsSync(partial())).toBe(false);
    const stored = await service.readBlob(h);
    expect(stored.ok && stored.value.equals(bytes)).toBe(true);
  });

  it('restart from 0 when an older hall left a partial upload in clear', async () => {
    await open();
    mkdirSync(join(dir, 'blobs', '.partial', 'local'), { recursive: true });
    writeFileSync(partial(), bytes.subarray(0, 1500));
    expect(await service.blobState(h)).toEqual({ complete: false, offset: 0 });
    expect(existsSync(partial())).toBe(false);
  });
});

it('seals at start the blobs an older hall stored in clear', async () => {
  await open();
  // What an older hall did: the plain bytes under their hash, indexed.
  await service.putBlob(h, 0, bytes.length, bytes);
  const path = join(dir, 'blobs', h.slice(0, 2), h);
  writeFileSync(path, bytes);
  expect(fileKeyId(path)).toBeNull();
  expect(service.sealClearBlobs()).toBe(1);
  expect(fileKeyId(path)).not.toBeNull();
  expect(readFileSync(path).includes(Buffer.from(ID))).toBe(false);
  const stored = await service.readBlob(h);
  expect(stored.ok && stored.value.equals(bytes)).toBe(true);
  expect(service.sealClearBlobs()).toBe(0);
});

describe('hall key options', () => {
  it('seal with SM4 when HALL_SEAL_ALGORITHM asks for it, and refuse an unknown one', async () => {
    const c = loadHallConfig({ HALL_DATA_DIR: dir, HALL_SEAL_ALGORITHM: 'sm4-cbc-hmac-sm3' });
    if (!c.ok) throw new Error(c.error);
    expect(c.config.algorithm).toBe('sm4-cbc-hmac-sm3');
    await open({ algorithm: 'sm4-cbc-hmac-sm3' });
    await service.putBlob(h, 0, bytes.length, bytes);
    // The envelope's algorithm byte (after the 4-byte magic): 2 = sm4-cbc-hmac-sm3.
    expect(readFileSync(join(dir, 'blobs', h.slice(0, 2), h))[4]).toBe(2);
    expect(loadHallConfig({ HALL_SEAL_ALGORITHM: 'des' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/HALL_SEAL_ALGORITHM/) as unknown,
    });
  });

  it('use a configured key file, and never create one that is missing', async () => {
    const keyFile = join(dir, 'etc', 'hall.key');
    const c = loadHallConfig({ HALL_DATA_DIR: dir, HALL_KEY_FILE: keyFile });
    if (!c.ok) throw new Error(c.error);
    expect(c.config.keyFile).toBe(keyFile);
    const missing = openHallDatabase(join(dir, 'hall.db'), { keyFile });
    expect(missing).toMatchObject({ ok: false, error: 'cannot-open' });
    if (!missing.ok) expect(missing.message).toMatch(/does not exist/);
    mkdirSync(join(dir, 'etc'));
    writeFileSync(keyFile, randomBytes(32), { mode: 0o600 });
    await open({ keyFile });
    expect(existsSync(join(dir, 'hall.key'))).toBe(false);
  });
});
