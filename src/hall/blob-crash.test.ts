/**
 * A batch is acknowledged only when durable, and a crash never leaves the index pointing at missing
 * bytes (docs/blob-store.md, "Crash safety"): a child process stores batches with `putBlobs`
 * (src/hall/testing/blob-batch-child.ts) and is killed with SIGKILL in the middle of a batch, at
 * varied moments, three times over the same data directory. After each kill every acknowledged blob
 * reads back, the batch in flight is indexed whole or not at all, and `hall blobs verify` passes;
 * the pack a killed batch left unindexed is reported and removed by `hall blobs gc`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildCli } from '../cli/main.js';
import { createHallService } from './service.js';
import { openHallDatabase } from './store/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-blob-crash-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

type Line = { writing: number; hashes: string[] } | { acked: number };

/** Runs the child until it has acknowledged `acks` batches and started the next, then kills it `delayMs` later. */
async function runAndKill(acks: number, delayMs: number) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'src', 'hall', 'testing', 'blob-batch-child.ts'),
      dir,
      '100',
      '40',
      '65536',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  const acked: string[] = [];
  let inFlight: string[] = [];
  let buffer = '';
  let stderr = '';
  let armed = false;
  // The batch finished before the delay ran out: kill at the next batch's start instead, so the kill
  // lands in a batch rather than between two.
  let atNextBatch = false;
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    let nl = buffer.indexOf('\n');
    while (nl >= 0) {
      const line = JSON.parse(buffer.slice(0, nl)) as Line;
      buffer = buffer.slice(nl + 1);
      nl = buffer.indexOf('\n');
      if ('writing' in line) {
        inFlight = line.hashes;
        if (atNextBatch) {
          atNextBatch = false;
          child.kill('SIGKILL');
        } else if (line.writing >= acks && !armed) {
          armed = true;
          setTimeout(() => {
            if (inFlight.length > 0) child.kill('SIGKILL');
            else atNextBatch = true;
          }, delayMs);
        }
      } else {
        // Printed after putBlobs resolved: acknowledged.
        acked.push(...inFlight);
        inFlight = [];
      }
    }
  });
  const how = await exited;
  expect(how, stderr).toBe('SIGKILL');
  return { acked, inFlight };
}

it(
  'acknowledges only durable batches and never indexes missing bytes when killed mid-batch',
  { timeout: 120_000 },
  async () => {
    const allAcked: string[] = [];
    let midBatch = 0;
    for (const [acks, delayMs] of [
      [2, 0],
      [1, 5],
      [3, 15],
    ] as const) {
      const { acked, inFlight } = await runAndKill(acks, delayMs);
      expect(acked.length).toBeGreaterThanOrEqual(acks * 40);
      // Killed with a batch started and not acknowledged — or, when the child finished that batch
      // in the moment between the parent's kill and the signal landing, right after an
      // acknowledgement (then nothing is in flight, and every check below still holds).
      expect([0, 40]).toContain(inFlight.length);
      if (inFlight.length === 40) midBatch += 1;
      allAcked.push(...acked);
      const r = openHallDatabase(join(dir, 'hall.db'));
      if (!r.ok) throw new Error(r.message);
      try {
        const service = await createHallService({ db: r.db, dataDir: dir, clock: () => new Date() });
        for (const h of allAcked) expect((await service.readBlob(h)).ok, h).toBe(true);
        // The batch in flight: all of it or none of it.
        let held = 0;
        for (const h of inFlight) if ((await service.blobState(h)).complete) held += 1;
        expect([0, inFlight.length]).toContain(held);
      } finally {
        r.db.close();
      }
      const out: string[] = [];
      const code = await buildCli({ out: (l) => out.push(l), err: () => {} }, { HALL_DATA_DIR: dir }).run([
        'hall',
        'blobs',
        'verify',
        '--json',
      ]);
      expect(code, out.join('\n')).toBe(0);
    }

    expect(midBatch, 'at least one kill landed inside a batch').toBeGreaterThan(0);

    // Packs no index row points into (a batch killed after its write) are removed by GC, blobs kept.
    const out: string[] = [];
    const cli = () => buildCli({ out: (l) => out.push(l), err: () => {} }, { HALL_DATA_DIR: dir });
    expect(await cli().run(['hall', 'blobs', 'verify', '--json'])).toBe(0);
    const { unindexedPacks, checked } = JSON.parse(out.at(-1) ?? '{}') as {
      unindexedPacks: string[];
      checked: number;
    };
    const packDir = join(dir, 'blobs', 'packs');
    const old = new Date(Date.now() - 3 * 3600_000);
    for (const p of readdirSync(packDir)) utimesSync(join(packDir, p), old, old);
    expect(await cli().run(['hall', 'blobs', 'gc', '--json'])).toBe(0);
    expect(JSON.parse(out.at(-1) ?? '{}')).toMatchObject({
      removedBlobs: 0,
      packsDeleted: unindexedPacks.length,
    });
    expect(await cli().run(['hall', 'blobs', 'verify', '--json'])).toBe(0);
    expect(JSON.parse(out.at(-1) ?? '{}')).toMatchObject({ ok: true, checked, unindexedPacks: [] });
  },
);
