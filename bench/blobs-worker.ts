/**
 * One run of the `blobs` bench suite (bench/blobs.bench.ts) in its own process, so the parent can
 * count its fsyncs with strace: stores BLOB_BENCH_N distinct 50 KB blobs in a fresh hall data
 * directory — `single`: one `putBlob` each (the /v1 path: partial frame fsynced, sealed file
 * fsynced + renamed + directory fsynced, index row committed); `batch`: `putBlobs` in batches of
 * `size`, one after another. Prints `{"ms": …, "n": …}` for the store phase only.
 *
 *   node --import tsx bench/blobs-worker.ts <single|batch> <dataDir> <n> <batch size>
 */
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createHallService, openHallDatabase } from '../src/hall/index.js';

const [mode, dataDir, nText, sizeText] = process.argv.slice(2);
if ((mode !== 'single' && mode !== 'batch') || !dataDir) {
  console.error('usage: blobs-worker.ts <single|batch> <dataDir> <n> <batch size>');
  process.exit(2);
}
const n = Number(nText ?? '500');
const size = Math.max(1, Number(sizeText ?? '100'));
const opened = openHallDatabase(join(dataDir, 'hall.db'));
if (!opened.ok) throw new Error(opened.message);
const service = await createHallService({ db: opened.db, dataDir, clock: () => new Date() });
const blobs = Array.from({ length: n }, () => {
  const bytes = randomBytes(50 * 1024);
  return { sha256: createHash('sha256').update(bytes).digest('hex'), bytes };
});
const t0 = process.hrtime.bigint();
if (mode === 'single') {
  for (const b of blobs) {
    const r = await service.putBlob(b.sha256, 0, b.bytes.length, b.bytes);
    if (r.status !== 201) throw new Error(`putBlob: ${r.status}`);
  }
} else {
  for (let i = 0; i < n; i += size) {
    const r = await service.putBlobs(blobs.slice(i, i + size));
    if (!r.ok) throw new Error(`putBlobs: ${r.error.status}`);
  }
}
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
opened.db.close();
process.stdout.write(`${JSON.stringify({ ms, n })}\n`);
