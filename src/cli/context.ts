/**
 * What every command group of the technician CLI shares: the output, the exit status as a value
 * (`CliExit`), tables, the effective configuration, a quiet logger for device drivers and the kiosk
 * database. Only the configuration loader is imported up front (it is small and most commands need
 * it); the logger and the database load when a command uses them, so `config` or `--help` load
 * neither the store nor the device stack.
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { loadKioskConfig, type KioskConfig } from '../backend/config.js';
import type { Db } from '../backend/index.js';

export type CliIo = {
  out: (line: string) => void;
  err: (line: string) => void;
  /** All of standard input (for `--password-stdin`); absent where there is none. */
  stdin?: () => Promise<string>;
};

/** Thrown by an action to end the command with this exit status (`run` returns it). */
export class CliExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** Left-aligned columns, two spaces apart; widths count characters, not UTF-16 units. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export type CliContext = {
  io: CliIo;
  env: NodeJS.ProcessEnv;
  /** The effective configuration (global `--config`, else $KIOSK_CONFIG); exit 2 when it is invalid. */
  config: () => KioskConfig;
  /** A logger for the drivers a command opens: silent unless $KIOSK_LOG_LEVEL says otherwise. */
  quiet: () => Promise<Logger>;
  /** Opens the kiosk database of the configuration, runs `fn`, closes it; exit 1 when it cannot open. */
  withDb: <T>(fn: (db: Db, c: KioskConfig) => T | Promise<T>) => Promise<T>;
  /** Reports a failure (`{ ok: false, error, … }` with --json, else on stderr) and exits 1. */
  fail: (json: boolean | undefined, message: string, extra?: Record<string, unknown>) => never;
};

/** A command group adds its commands to the program. */
export type RegisterCommands = (program: Command, ctx: CliContext) => void;

export function createCliContext(program: Command, io: CliIo, env: NodeJS.ProcessEnv): CliContext {
  const config = (): KioskConfig => {
    const opts = program.opts<{ config?: string }>();
    const r = loadKioskConfig({ argv: opts.config ? ['--config', opts.config] : [], env });
    if (!r.ok) {
      io.err(`configuration error: ${r.error}`);
      throw new CliExit(2);
    }
    return r.config;
  };
  return {
    io,
    env,
    config,
    quiet: async () => {
      const { pino } = await import('pino');
      return pino({ level: env.KIOSK_LOG_LEVEL ?? 'silent' });
    },
    withDb: async (fn) => {
      const c = config();
      const { atRestOptions, openDatabase } = await import('../backend/index.js');
      const opened = openDatabase(join(c.dataDir, 'kiosk.db'), atRestOptions(c));
      if (!opened.ok) {
        io.err(opened.message);
        throw new CliExit(1);
      }
      try {
        return await fn(opened.db, c);
      } finally {
        opened.db.close();
      }
    },
    fail: (json, message, extra = {}) => {
      if (json) io.out(JSON.stringify({ ok: false, error: message, ...extra }));
      else io.err(message);
      throw new CliExit(1);
    },
  };
}
