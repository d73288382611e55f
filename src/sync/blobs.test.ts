import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blobFile, createBlobUploader } from './blobs.js';
import { HEADERS } from './protocol.js';
import { fakeFetch, jsonReply, silentLogger, type FakeHall } from './testing/fake-fetch.js';
import { createTransport } from './transport.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let blobDir: string;
beforeEach(() => {
  blobDir = mkdtempSync(join(tmpdir(), 'zizhu-blobs-'));
});
afterEach(() => rmSync(blobDir, { recursive: true, force: true }));

/** Stores a file where the kiosk keeps it; `name` defaults to its hash. */
function kioskFile(bytes: Buffer, name = sha256(bytes)): string {
  const file = blobFile(blobDir, name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  return name;
}

/**
 * The hall's blob endpoints as docs/sync-protocol.md ("Blobs") describes them, in memory: HEAD 200
 * when complete, else 404 with the offset held; PUT appends at exactly that offset (409
 * offset-mismatch otherwise), 202 until the last byte, then 201 — or 422 and start over when the
 * bytes do not hash to the name.
 */
function blobHall(held: Map<string, Buffer> = new Map()) {
  const complete = new Set<string>();
  const puts: number[] = [];
  const handle: FakeHall = (req) => {
    const sha = req.url.pathname.split('/').pop() ?? '';
    const have = held.get(sha) ?? Buffer.alloc(0);
    if (req.method === 'HEAD')
      return complete.has(sha)
        ? new Response(null, { status: 200 })
        : new Response(null, { status: 404, headers: { [HEADERS.blobOffset]: String(have.length) } });
    const offset = Number(req.headers.get(HEADERS.blobOffset));
    const size = Number(req.headers.get(HEADERS.blobSize));
    puts.push(offset);
    if (complete.has(sha)) return jsonReply(200, { complete: true, size });
    if (offset !== have.length)
      return jsonReply(409, { error: 'offset-mismatch', message: 'offset', offset: have.length });
    const now = Buffer.concat([have, req.body]);
    if (now.length < size) {
      held.set(sha, now);
      return jsonReply(202, { complete: false, offset: now.length });
    }
    held.delete(sha);
    if (sha256(now) !== sha) return jsonReply(422, { error: 'hash-mismatch', message: 'again from 0' });
    complete.add(sha);
    return jsonReply(201, { complete: true, size });
  };
  return { handle, complete, puts };
}

/** An uploader whose requests go to `hall` (in 256-byte chunks). */
function uploaderOver(hall: FakeHall) {
  const fake = fakeFetch(hall);
  const transport = createTransport({
    hallUrl: 'http://hall.test/',
    credentials: { kioskId: 'K-0001', secret: 'a-secret-of-sixteen-or-more' },
    clock: () => new Date(),
    logger: silentLogger,
    fetch: fake.fetch,
  });
  return { uploader: createBlobUploader({ transport, blobDir, chunkSize: 256 }), requests: fake.requests };
}

describe('blob uploader', () => {
  it('resumes from the offset the hall holds and remembers what the hall confirmed', async () => {
    const bytes = randomBytes(1000);
    const sha = kioskFile(bytes);
    const hall = blobHall(new Map([[sha, bytes.subarray(0, 300)]]));
    const { uploader, requests } = uploaderOver(hall.handle);
    expect(await uploader.upload(sha)).toEqual({ ok: true, value: undefined });
    expect(hall.puts).toEqual([300, 556, 812]);
    expect(requests.filter((r) => r.method === 'PUT').map((r) => r.body.length)).toEqual([256, 256, 188]);
    expect(hall.complete.has(sha)).toBe(true);
    // Confirmed: a second entry naming the same file costs no request…
    const before = requests.length;
    expect((await uploader.upload(sha)).ok).toBe(true);
    expect(requests).toHaveLength(before);
    // …unless the hall said it is missing (force): then one HEAD finds it complete.
    expect((await uploader.upload(sha, true)).ok).toBe(true);
    expect(requests.slice(before).map((r) => r.method)).toEqual(['HEAD']);
  });

  it('re-learns the offset from an offset-mismatch refusal', async () => {
    const bytes = randomBytes(600);
    const sha = kioskFile(bytes);
    const hall = blobHall(new Map([[sha, bytes.subarray(0, 512)]]));
    // The HEAD answer is out of date by the time of the PUT (another connection progressed).
    const { uploader } = uploaderOver((req) =>
      req.method === 'HEAD'
        ? new Response(null, { status: 404, headers: { [HEADERS.blobOffset]: '0' } })
        : hall.handle(req),
    );
    expect((await uploader.upload(sha)).ok).toBe(true);
    expect(hall.puts).toEqual([0, 512]);
    expect(hall.complete.has(sha)).toBe(true);
  });

  it('starts again from 0 when the hall’s bytes do not hash to the name', async () => {
    const bytes = randomBytes(700);
    const sha = kioskFile(bytes);
    // A partial upload the hall holds that is not a prefix of the file (corrupted in transit).
    const hall = blobHall(new Map([[sha, randomBytes(300)]]));
    expect((await uploaderOver(hall.handle).uploader.upload(sha)).ok).toBe(true);
    expect(hall.puts).toEqual([300, 556, 0, 256, 512]);
    expect(hall.complete.has(sha)).toBe(true);
  });

  it('reports a file missing or damaged on the kiosk as a value', async () => {
    const hall = blobHall();
    const { uploader, requests } = uploaderOver(hall.handle);
    const absent = sha256(Buffer.from('never scanned'));
    expect(await uploader.upload(absent)).toEqual({
      ok: false,
      error: { kind: 'blob-missing-locally', sha256: absent },
    });
    expect(requests).toHaveLength(0);
    const damaged = kioskFile(Buffer.from('not what the name says'), sha256(Buffer.from('original')));
    expect(await uploader.upload(damaged)).toEqual({
      ok: false,
      error: { kind: 'blob-missing-locally', sha256: damaged },
    });
    expect(hall.puts).toEqual([]);
  });

  it('gives up as stuck when the hall never advances, and passes a refusal on', async () => {
    const bytes = randomBytes(512);
    const sha = kioskFile(bytes);
    let puts = 0;
    const stalled = uploaderOver((req) => {
      if (req.method === 'HEAD') return new Response(null, { status: 404 });
      puts++;
      return jsonReply(202, { complete: false, offset: 0 });
    });
    expect(await stalled.uploader.upload(sha)).toEqual({
      ok: false,
      error: { kind: 'stuck', message: `upload of blob ${sha} made no progress` },
    });
    // Bounded: the chunks of the file plus a few rounds of re-learning.
    expect(puts).toBe(2 + 4);

    const busy = uploaderOver(() =>
      jsonReply(503, { error: 'unavailable', message: 'later' }, { 'retry-after': '3' }),
    );
    expect(await busy.uploader.upload(sha)).toMatchObject({
      ok: false,
      // A HEAD answer has no body to read the code from; status and Retry-After are what count.
      error: { kind: 'http', status: 503, retryAfterMs: 3000 },
    });
  });
});
