/**
 * A child process for the blob store's crash test (src/hall/blob-crash.test.ts): opens the hall
 * database of `argv[2]` and stores batches of random blobs with `putBlobs`, one after another,
 * printing one JSON line before each batch (`{"writing": i, "hashes": […]}`) and one after it resolved
 * (`{"acked": i}`) — what the parent may count as acknowledged. The parent kills it with SIGKILL.
 */
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createHallService } from '../service.js';
import { openHallDatabase } from '../store/index.js';

const dataDir = process.argv[2];
const batches = Number(process.argv[3] ?? '200');
const perBatch = Number(process.argv[4] ?? '50');
const blobBytes = Number(process.argv[5] ?? '65536');
if (!dataDir) throw new Error('usage: blob-batch-child <dataDir> [batches] [blobs per batch] [bytes]');

const opened = openHallDatabase(join(dataDir, 'hall.db'));
if (!opened.ok) throw new Error(opened.message);
const service = await createHallService({ db: opened.db, dataDir, clock: () => new Date() });

for (let i = 0; i < batches; i++) {
  const blobs = Array.from({ length: perBatch }, () => {
    const bytes = randomBytes(blobBytes);
    return { sha256: createHash('sha256').update(bytes).digest('hex'), bytes };
  });
  process.stdout.write(`${JSON.stringify({ writing: i, hashes: blobs.map((b) => b.sha256) })}\n`);
  const r = await service.putBlobs(blobs, 'local');
  if (!r.ok) throw new Error(JSON.stringify(r.error.body));
  process.stdout.write(`${JSON.stringify({ acked: i })}\n`);
}
opened.db.close();
