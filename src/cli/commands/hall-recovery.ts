/**
 * `hall db backup | restore | new-epoch` (docs/hall-store.md, "Backup and restore";
 * docs/sync-protocol.md, 5.1): a consistent copy of the hall database; putting one back (stop the
 * hall first), which starts a new change-log epoch so every kiosk refetches and resends what the
 * restored hall lost; and a new epoch on demand. On both engines: hall.db, or PostgreSQL with
 * HALL_DATABASE_URL (pg_dump / pg_restore, the password only ever in PGPASSWORD).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CliExit, type CliContext } from '../context.js';

async function hallWhere({ io, env }: CliContext) {
  const hall = await import('../../hall/index.js');
  const hc = hall.loadHallConfig(env);
  if (!hc.ok) {
    io.err(`hall configuration error: ${hc.error}`);
    throw new CliExit(2);
  }
  return {
    hall,
    // On PostgreSQL (HALL_DATABASE_URL): pg_dump / pg_restore / psql from PG_BIN_DIR, else found.
    pg: hc.config.databaseUrl !== undefined,
    where: {
      dataDir: hc.config.dataDir,
      atRest: hall.hallAtRestOptions(hc.config),
      clock: () => new Date(),
      ...(hc.config.databaseUrl !== undefined
        ? {
            databaseUrl: hc.config.databaseUrl,
            notifyUrl: hc.config.notifyUrl ?? hc.config.databaseUrl,
            pgTools: {
              ...(env.PG_BIN_DIR ? { binDir: env.PG_BIN_DIR } : {}),
              ...(env.PATH ? { path: env.PATH } : {}),
            },
          }
        : {}),
    },
  };
}

type EpochOut = { id: string; startedAt: string; firstPosition: number; reason: string };
const printEpoch = (ctx: CliContext, json: boolean | undefined, what: string, e: EpochOut, extra = {}) => {
  if (json) ctx.io.out(JSON.stringify({ ok: true, ...extra, epoch: e }));
  else
    ctx.io.out(
      `${what}: new change-log epoch ${e.id} (${e.reason}); every kiosk refetches at its next pull / 新的变更日志纪元，各终端下次同步时重新获取`,
    );
};

export function registerHallRecoveryCommands(dbCmd: Command, ctx: CliContext): void {
  const { io, fail } = ctx;
  dbCmd
    .command('backup <file>')
    .description(
      'write a consistent copy of the hall database to a new file (the hall may be running): hall.db, or pg_dump -Fc with HALL_DATABASE_URL',
    )
    .option('--json', 'print JSON')
    .action(async (file: string, o: { json?: boolean }) => {
      const { hall, where, pg } = await hallWhere(ctx);
      const dest = resolve(file);
      const r = await hall.backupHall({ ...where, dest });
      if (!r.ok) return fail(o.json, r.error);
      if (o.json) io.out(JSON.stringify({ ok: true, backup: dest, engine: pg ? 'postgres' : 'sqlite' }));
      else io.out(`hall database backed up to ${dest} / 大厅数据库已备份`);
    });

  dbCmd
    .command('restore <file>')
    .description(
      'put a backup in place of the hall database and start a new change-log epoch (stop every hall node first): kiosks refetch and resend what the backup lacks',
    )
    .option('--json', 'print JSON')
    .action(async (file: string, o: { json?: boolean }) => {
      const { hall, where } = await hallWhere(ctx);
      const backup = resolve(file);
      const r = await hall.restoreHall({ ...where, backup });
      if (!r.ok) return fail(o.json, r.error);
      printEpoch(ctx, o.json, `restored ${backup} / 已恢复`, r.value, { restored: backup });
    });

  dbCmd
    .command('new-epoch')
    .description('start a new change-log epoch: every kiosk refetches a snapshot at its next pull')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const { hall, where } = await hallWhere(ctx);
      const r = await hall.startNewEpoch(where);
      if (!r.ok) return fail(o.json, r.error);
      printEpoch(ctx, o.json, 'done / 完成', r.value);
    });
}
