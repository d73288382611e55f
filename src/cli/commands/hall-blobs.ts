/**
 * `hall blobs verify|gc`: the hall's blob store upkeep (docs/blob-store.md), run on the hall machine
 * against HALL_DATA_DIR. `verify` reads every indexed blob back and exits 1 when one is missing or
 * corrupt; `gc` removes blobs nothing references after the retention and compacts or deletes packs.
 * Both may run while the hall serves (GC leaves packs younger than an hour alone).
 */
import type { Command } from 'commander';
import { CliExit, type CliContext } from '../context.js';
import { hostname } from 'node:os';
import type { HallService } from '../../hall/index.js';

type WithService = (json: boolean | undefined, fn: (service: HallService) => Promise<void>) => Promise<void>;

const mb = (n: number) => `${(n / 1_048_576).toFixed(1)} MB`;

export function registerHallBlobCommands(hallCmd: Command, ctx: CliContext, withService: WithService): void {
  const { io } = ctx;
  const blobsCmd = hallCmd
    .command('blobs')
    .description('the hall blob store: verify (scrub), gc and reindex');

  /**
   * Runs `fn` holding the blob maintenance lock (blob-maintenance-lock.ts), which the running halls'
   * scheduled GC takes too; exit 3 when another run holds it.
   */
  const underLock = async <T>(
    service: HallService,
    what: string,
    json: boolean | undefined,
    fn: () => Promise<T>,
  ): Promise<T> => {
    const got = service.blobMaintenance.acquireLock({ node: `cli:${hostname()}:${process.pid}`, what });
    if (!got.ok) {
      const who = got.holder ? `${got.holder.node} (${got.holder.what} since ${got.holder.at})` : 'someone';
      if (json) io.out(JSON.stringify({ ok: false, error: 'locked', holder: got.holder }));
      else io.err(`another blob maintenance run holds the lock: ${who}; try again later`);
      throw new CliExit(3);
    }
    try {
      return await fn();
    } finally {
      got.lock.release();
    }
  };

  blobsCmd
    .command('verify')
    .description(
      'read back every indexed blob (pack record or file, opened with the hall key, hashed against its name); exit 1 when one is missing or corrupt',
    )
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      await withService(o.json, async (service) => {
        const r = await service.blobMaintenance.verify();
        const bad = r.missing.length + r.corrupt.length;
        if (o.json) io.out(JSON.stringify({ ok: bad === 0, ...r }));
        else {
          io.out(
            `${r.checked} blob(s) checked (${r.packed} in packs, ${r.files} single files): ${r.readable} readable, ${mb(r.bytes)}`,
          );
          for (const h of r.missing) io.out(`missing  ${h}`);
          for (const c of r.corrupt) io.out(`corrupt  ${c.sha256}  ${c.message}`);
          if (r.unindexedPacks.length > 0)
            io.out(
              `${r.unindexedPacks.length} pack(s) no index row points into (removed by \`hall blobs gc\`)`,
            );
          io.out(
            bad === 0 ? 'all indexed blobs read back and hash right' : `${bad} blob(s) missing or corrupt`,
          );
        }
        if (bad > 0) throw new CliExit(1);
      });
    });

  blobsCmd
    .command('gc')
    .description(
      'remove blobs no case, entry or supplement references, received before the retention; delete or compact the packs they leave',
    )
    .option(
      '--retention-days <n>',
      'keep unreferenced blobs this many days after they arrived (default HALL_BLOB_RETENTION_DAYS, else 30)',
    )
    .option('--dry-run', 'report what would be removed; change nothing')
    .option('--json', 'print JSON')
    .action(async (o: { retentionDays?: string; dryRun?: boolean; json?: boolean }) => {
      // The running hall's setting unless told otherwise, so both collect alike.
      const days = Number(o.retentionDays ?? (ctx.env.HALL_BLOB_RETENTION_DAYS || '30'));
      if (!Number.isFinite(days) || days < 0) {
        io.err('--retention-days must be a number ≥ 0');
        throw new CliExit(2);
      }
      await withService(o.json, async (service) => {
        const r = await underLock(service, 'gc', o.json, () =>
          service.blobMaintenance.collectGarbage({ retentionDays: days, dryRun: o.dryRun ?? false }),
        );
        if (o.json) io.out(JSON.stringify({ ok: r.problems.length === 0, ...r }));
        else {
          const verb = r.dryRun ? 'would remove' : 'removed';
          io.out(
            `${verb} ${r.removedBlobs} unreferenced blob(s) older than ${r.retentionDays} day(s) (${mb(r.removedBytes)})`,
          );
          io.out(
            `packs: ${r.packsDeleted} deleted, ${r.packsCompacted} compacted; ${r.strayFilesDeleted} stray file(s); ${mb(r.reclaimedFileBytes)} of disk ${r.dryRun ? 'to reclaim' : 'reclaimed'}`,
          );
          for (const p of r.problems) io.err(p);
        }
        if (r.problems.length > 0) throw new CliExit(1);
      });
    });

  blobsCmd
    .command('reindex')
    .description(
      'rebuild the blob index from the pack files and single files (after a lost or restored database); exit 1 when a record is corrupt',
    )
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      await withService(o.json, async (service) => {
        const r = await underLock(service, 'reindex', o.json, () => service.blobMaintenance.reindex());
        if (o.json) io.out(JSON.stringify({ ok: r.corrupt.length === 0, ...r }));
        else {
          io.out(
            `${r.packs} pack(s) and ${r.files} single file(s) read: ${r.found} blob(s) verify, ${r.indexed} indexed, ${r.alreadyIndexed} already indexed, ${r.duplicates} duplicate cop(ies)`,
          );
          for (const c of r.corrupt) io.out(`corrupt  ${c.where}  ${c.sha256 ?? '-'}  ${c.message}`);
          io.out(r.corrupt.length === 0 ? 'no corrupt records' : `${r.corrupt.length} corrupt record(s)`);
        }
        if (r.corrupt.length > 0) throw new CliExit(1);
      });
    });
}
