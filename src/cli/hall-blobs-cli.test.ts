/**
 * `hall blobs verify` and `hall blobs gc` through the CLI's entry (buildCli) against a hall data
 * directory (docs/blob-store.md): verify reads back packed and single-file blobs and exits 1 naming
 * a corrupt or missing one; gc removes unreferenced blobs past the retention (a dry run changes
 * nothing), deletes a pack left with no live blob, compacts one that is mostly garbage, keeps every
 * blob a case references readable; `hall db reseal` rewrites packs under the new key.
 */
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHallService, openHallDatabase } from '../hall/index.js';
import { enrolWithService } from '../hall/testing/enrol.js';
import { applicationPayload, sha } from '../hall/testing/staff-fixture.js';
import { sealedKeyId } from '../shared/at-rest/index.js';
import { buildCli } from './main.js';

let dir: string;
let out: string[];
let err: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-cli-blobs-'));
  out = [];
  err = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const cli = () => buildCli({ out: (l) => out.push(l), err: (l) => err.push(l) }, { HALL_DATA_DIR: dir });
const lastJson = <T>() => JSON.parse(out[out.length - 1] ?? 'null') as T;
const packDir = () => join(dir, 'blobs', 'packs');
const packs = () => readdirSync(packDir()).sort();
const blob = (i: number) => {
  const bytes = Buffer.concat([Buffer.from(`scan ${i} `), randomBytes(3000)]);
  return { sha256: sha(bytes), bytes };
};
/** Makes every pack look older than GC's grace (a running hall may be committing a young one). */
const agePacks = () => {
  const old = new Date(Date.now() - 3 * 3600_000);
  for (const p of packs()) utimesSync(join(packDir(), p), old, old);
};

type Verify = {
  ok: boolean;
  checked: number;
  readable: number;
  packed: number;
  files: number;
  missing: string[];
  corrupt: { sha256: string }[];
};
type Gc = {
  ok: boolean;
  retentionDays: number;
  removedBlobs: number;
  packsDeleted: number;
  packsCompacted: number;
  dryRun: boolean;
};

/**
 * A hall (received in March 2026: long past a 30-day retention) holding a pack of 10 blobs of which
 * a case references 2, a pack of 10 nothing references, and a single-file blob the case references.
 */
async function seed() {
  const r = openHallDatabase(join(dir, 'hall.db'));
  if (!r.ok) throw new Error(r.message);
  const service = await createHallService({
    db: r.db,
    dataDir: dir,
    clock: () => new Date('2026-03-02T08:00:00Z'),
  });
  try {
    const a = Array.from({ length: 10 }, (_, i) => blob(i));
    const b = Array.from({ length: 10 }, (_, i) => blob(100 + i));
    expect((await service.putBlobs(a)).ok).toBe(true);
    expect((await service.putBlobs(b)).ok).toBe(true);
    const single = blob(200);
    expect((await service.putBlob(single.sha256, 0, single.bytes.length, single.bytes)).status).toBe(201);
    const { kioskId } = await enrolWithService(service, '610102');
    const referenced = [a[0]!, a[1]!, single];
    const payload = applicationPayload('case-1', {
      attachments: referenced.map((x, i) => ({
        materialCode: `m${i}`,
        sha256: x.sha256,
        size: x.bytes.length,
      })),
    });
    const text = JSON.stringify(payload);
    const push = await service.push(kioskId, {
      entries: [{ seq: 1, kind: 'application', payload: text, payloadHash: sha(text) }],
    });
    expect(push).toMatchObject({ status: 200 });
    return { referenced, garbage: [...a.slice(2), ...b] };
  } finally {
    r.db.close();
  }
}

describe('hall blobs', { timeout: 60_000 }, () => {
  it('verify reads back every blob, and names a corrupt and a missing one with exit 1', async () => {
    await seed();
    expect(await cli().run(['hall', 'blobs', 'verify', '--json'])).toBe(0);
    expect(lastJson<Verify>()).toMatchObject({ ok: true, checked: 21, readable: 21, packed: 20, files: 1 });
    expect(await cli().run(['hall', 'blobs', 'verify'])).toBe(0);
    expect(out.at(-1)).toBe('all indexed blobs read back and hash right');

    const [first, second] = packs();
    const file = join(packDir(), first ?? '');
    const bytes = readFileSync(file);
    bytes[bytes.length - 5] = (bytes[bytes.length - 5] ?? 0) ^ 0x55;
    writeFileSync(file, bytes);
    expect(await cli().run(['hall', 'blobs', 'verify', '--json'])).toBe(1);
    const v = lastJson<Verify>();
    expect(v).toMatchObject({ ok: false, checked: 21, readable: 20, missing: [] });
    expect(v.corrupt).toHaveLength(1);

    rmSync(join(packDir(), second ?? ''));
    expect(await cli().run(['hall', 'blobs', 'verify'])).toBe(1);
    expect(out.filter((l) => l.startsWith('missing  '))).toHaveLength(10);
    expect(out.at(-1)).toBe('11 blob(s) missing or corrupt');
  });

  it('gc removes unreferenced blobs past the retention, deletes and compacts packs, keeps referenced ones', async () => {
    const { referenced, garbage } = await seed();
    agePacks();
    const before = packs();
    expect(await cli().run(['hall', 'blobs', 'gc', '--dry-run', '--json'])).toBe(0);
    expect(lastJson<Gc>()).toMatchObject({
      ok: true,
      dryRun: true,
      removedBlobs: 18,
      packsDeleted: 1,
      packsCompacted: 1,
    });
    expect(packs()).toEqual(before);
    expect(await cli().run(['hall', 'blobs', 'verify', '--json'])).toBe(0);
    expect(lastJson<Verify>()).toMatchObject({ checked: 21 });

    // A retention longer than their age keeps them all.
    expect(await cli().run(['hall', 'blobs', 'gc', '--retention-days', '3650', '--json'])).toBe(0);
    expect(lastJson<Gc>()).toMatchObject({ removedBlobs: 0, packsDeleted: 0, packsCompacted: 0 });
    // The running hall's retention (HALL_BLOB_RETENTION_DAYS) is the command's default too.
    const withEnv = buildCli(
      { out: (l) => out.push(l), err: (l) => err.push(l) },
      { HALL_DATA_DIR: dir, HALL_BLOB_RETENTION_DAYS: '3650' },
    );
    expect(await withEnv.run(['hall', 'blobs', 'gc', '--json'])).toBe(0);
    expect(lastJson<Gc>()).toMatchObject({ removedBlobs: 0, retentionDays: 3650 });

    expect(await cli().run(['hall', 'blobs', 'gc', '--json'])).toBe(0);
    expect(lastJson<Gc>()).toMatchObject({
      ok: true,
      dryRun: false,
      removedBlobs: 18,
      packsDeleted: 1,
      packsCompacted: 1,
    });
    const after = packs();
    expect(after).toHaveLength(1);
    expect(before).not.toContain(after[0]);
    expect(await cli().run(['hall', 'blobs', 'verify', '--json'])).toBe(0);
    expect(lastJson<Verify>()).toMatchObject({ ok: true, checked: 3, readable: 3, packed: 2, files: 1 });

    const r = openHallDatabase(join(dir, 'hall.db'));
    if (!r.ok) throw new Error(r.message);
    try {
      const service = await createHallService({ db: r.db, dataDir: dir, clock: () => new Date() });
      for (const x of referenced) {
        const read = await service.readBlob(x.sha256);
        expect(read.ok && read.value.equals(x.bytes)).toBe(true);
      }
      for (const x of garbage) expect((await service.blobState(x.sha256)).complete).toBe(false);
    } finally {
      r.db.close();
    }
    // Nothing left to do.
    expect(await cli().run(['hall', 'blobs', 'gc', '--retention-days', '0', '--json'])).toBe(0);
    expect(lastJson<Gc>()).toMatchObject({ removedBlobs: 0, packsDeleted: 0, packsCompacted: 0 });
    expect(await cli().run(['hall', 'blobs', 'gc', '--retention-days', 'soon'])).toBe(2);
  });

  it('hall db reseal rewrites packs under the new key, and they still verify', async () => {
    await seed();
    const keyOf = () => {
      const bytes = readFileSync(join(packDir(), packs()[0] ?? ''));
      // The first record's envelope starts after the pack header (8) and record head (40).
      return sealedKeyId(bytes.subarray(48));
    };
    const old = keyOf();
    expect(await cli().run(['hall', 'db', 'reseal', '--json'])).toBe(0);
    expect(packs()).toHaveLength(2);
    expect(keyOf()).not.toBe(old);
    expect(await cli().run(['hall', 'blobs', 'verify', '--json'])).toBe(0);
    expect(lastJson<Verify>()).toMatchObject({ ok: true, checked: 21, readable: 21 });
  });
});

type Reindex = {
  ok: boolean;
  packs: number;
  files: number;
  found: number;
  indexed: number;
  alreadyIndexed: number;
  corrupt: { where: string; sha256: string | null; message: string }[];
};

/** The index lost (a database restored without it): every row of `blobs` gone. */
function wipeIndex(): void {
  const r = openHallDatabase(join(dir, 'hall.db'));
  if (!r.ok) throw new Error(r.message);
  try {
    // application_blobs points at these rows: the loss is simulated below the foreign keys.
    r.db.pragma('foreign_keys = OFF');
    r.db.prepare('DELETE FROM blobs').run();
  } finally {
    r.db.close();
  }
}

describe('hall blobs reindex and the maintenance lock', { timeout: 60_000 }, () => {
  it('reindex rebuilds a wiped index from the packs and files: every blob reads again, verify exits 0', async () => {
    const { referenced, garbage } = await seed();
    wipeIndex();
    expect(await cli().run(['hall', 'blobs', 'verify', '--json'])).toBe(0);
    expect(lastJson<Verify>()).toMatchObject({ checked: 0 });

    expect(await cli().run(['hall', 'blobs', 'reindex', '--json'])).toBe(0);
    expect(lastJson<Reindex>()).toMatchObject({
      ok: true,
      packs: 2,
      files: 1,
      found: 21,
      indexed: 21,
      alreadyIndexed: 0,
      corrupt: [],
    });
    expect(await cli().run(['hall', 'blobs', 'verify', '--json'])).toBe(0);
    expect(lastJson<Verify>()).toMatchObject({ ok: true, checked: 21, readable: 21, packed: 20, files: 1 });
    const r = openHallDatabase(join(dir, 'hall.db'));
    if (!r.ok) throw new Error(r.message);
    try {
      const service = await createHallService({ db: r.db, dataDir: dir, clock: () => new Date() });
      for (const x of [...referenced, ...garbage]) {
        const read = await service.readBlob(x.sha256);
        expect(read.ok && read.value.equals(x.bytes)).toBe(true);
      }
      // The foreign keys hold again: every blob a case links is indexed.
      expect(r.db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      r.db.close();
    }
    // Run again: nothing new, all already indexed.
    expect(await cli().run(['hall', 'blobs', 'reindex'])).toBe(0);
    expect(out.at(-2)).toContain('21 blob(s) verify, 0 indexed, 21 already indexed');
  });

  it('reindex names a corrupt record and a torn pack, indexes the rest, and exits 1', async () => {
    await seed();
    wipeIndex();
    const [first, second] = packs();
    const a = join(packDir(), first ?? '');
    const bytes = readFileSync(a);
    // The last record's envelope: one bit flipped (it no longer opens).
    bytes[bytes.length - 5] = (bytes[bytes.length - 5] ?? 0) ^ 0x55;
    writeFileSync(a, bytes);
    // The other pack torn in its last record (a crash mid-write of a pack never indexed).
    const b = join(packDir(), second ?? '');
    writeFileSync(b, readFileSync(b).subarray(0, readFileSync(b).length - 100));

    expect(await cli().run(['hall', 'blobs', 'reindex', '--json'])).toBe(1);
    const r = lastJson<Reindex>();
    expect(r).toMatchObject({ ok: false, packs: 2, files: 1, found: 19, indexed: 19 });
    expect(r.corrupt).toHaveLength(2);
    expect(r.corrupt.map((c) => c.message).sort()).toEqual([
      'does not open with the hall keys',
      'the pack ends inside this record',
    ]);
    expect(await cli().run(['hall', 'blobs', 'reindex'])).toBe(1);
    expect(out.filter((l) => l.startsWith('corrupt  '))).toHaveLength(2);
    // What was indexed reads back.
    expect(await cli().run(['hall', 'blobs', 'verify', '--json'])).toBe(0);
    expect(lastJson<Verify>()).toMatchObject({ ok: true, checked: 19, readable: 19 });
  });

  it('gc and reindex wait for nobody: a live lock makes them exit 3; a stale one is taken over', async () => {
    await seed();
    agePacks();
    const lock = join(dir, 'blobs', '.maintenance.lock');
    const holder = {
      token: 'other-node',
      host: 'another-host',
      pid: 1,
      node: 'hall-b',
      what: 'gc',
      at: new Date().toISOString(),
    };
    writeFileSync(lock, JSON.stringify(holder));
    expect(await cli().run(['hall', 'blobs', 'gc', '--json'])).toBe(3);
    expect(lastJson<{ ok: boolean; error: string; holder: { node: string } }>()).toMatchObject({
      ok: false,
      error: 'locked',
      holder: { node: 'hall-b' },
    });
    expect(await cli().run(['hall', 'blobs', 'reindex'])).toBe(3);
    expect(err.at(-1)).toContain('hall-b (gc since');
    expect(packs()).toHaveLength(2);
    // Untouched for longer than the stale limit (10 minutes): taken over, and released after.
    const old = new Date(Date.now() - 11 * 60_000);
    utimesSync(lock, old, old);
    expect(await cli().run(['hall', 'blobs', 'gc', '--json'])).toBe(0);
    expect(lastJson<Gc>()).toMatchObject({ removedBlobs: 18, packsDeleted: 1, packsCompacted: 1 });
    expect(existsSync(lock)).toBe(false);
  });
});
