/**
 * `HallSql` on the embedded SQLite database (sql.ts; docs/hall-store.md): the one better-sqlite3
 * connection of hall.db, its statements prepared once and kept. better-sqlite3 is synchronous, so a
 * statement outside a transaction runs at once; a transaction holds the connection — statements of
 * other async contexts wait until it ends (they would otherwise land inside it) — and is IMMEDIATE
 * unless read-only, so that two hall processes on one file never deadlock upgrading a read lock.
 */
import type { Statement } from 'better-sqlite3';
import type { Sealer } from '../../shared/at-rest/index.js';
import type { HallDb } from './db.js';
import {
  inSavepoint,
  sealingOf,
  transactionContext,
  type HallSql,
  type RunResult,
  type SqlParams,
  type TransactionOptions,
  type TxFrame,
} from './sql.js';

const bind = (params: SqlParams | undefined): unknown[] =>
  params === undefined ? [] : Array.isArray(params) ? (params as unknown[]) : [params];

export function createSqliteSql(deps: {
  db: HallDb;
  sealer: Sealer;
  lookup: (value: string) => string;
}): HallSql {
  const { db, sealer } = deps;
  const ctx = transactionContext<null>();
  const rows = new Map<string, Statement>();
  const values = new Map<string, Statement>();
  const prepared = (cache: Map<string, Statement>, sql: string, pluck: boolean): Statement => {
    let s = cache.get(sql);
    if (s === undefined) {
      s = db.prepare(sql);
      if (pluck) s.pluck();
      cache.set(sql, s);
    }
    return s;
  };

  // The connection's holder: a transaction of some async context, and who waits for it.
  let held = false;
  let waiting: (() => void)[] = [];
  const acquire = async (): Promise<void> => {
    while (held) await new Promise<void>((resolve) => waiting.push(resolve));
    held = true;
  };
  const release = (): void => {
    held = false;
    const next = waiting;
    waiting = [];
    for (const w of next) w();
  };
  /** Outside a transaction of its own, a statement waits while another context holds the connection. */
  const ready = async (): Promise<void> => {
    if (!held || ctx.current() !== undefined) return;
    while (held) await new Promise<void>((resolve) => waiting.push(resolve));
  };

  const sqlite: HallSql = {
    engine: 'sqlite',
    async all<T>(sql: string, params?: SqlParams) {
      await ready();
      return prepared(rows, sql, false).all(...bind(params)) as T[];
    },
    async get<T>(sql: string, params?: SqlParams) {
      await ready();
      return prepared(rows, sql, false).get(...bind(params)) as T | undefined;
    },
    async value<T>(sql: string, params?: SqlParams) {
      await ready();
      return prepared(values, sql, true).get(...bind(params)) as T | undefined;
    },
    async run(sql: string, params?: SqlParams): Promise<RunResult> {
      await ready();
      return { changes: prepared(rows, sql, false).run(...bind(params)).changes };
    },
    async transaction<T>(fn: () => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
      const open = ctx.current();
      if (open !== undefined)
        return ctx.level(open, null, (frame) => inSavepoint(frame, (s) => void db.exec(s), fn));
      await acquire();
      try {
        db.exec(opts.readOnly === true ? 'BEGIN DEFERRED' : 'BEGIN IMMEDIATE');
        try {
          let top: TxFrame<null> | null = null;
          const result = await ctx.level(null, null, (f) => {
            top = f;
            return fn();
          });
          db.exec('COMMIT');
          ctx.committed(top);
          return result;
        } catch (e) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw e;
        }
      } finally {
        release();
      }
    },
    inTransaction: () => ctx.current() !== undefined,
    afterCommit: (fn) => ctx.afterCommit(fn),
    dialect: (choices) => choices.sqlite,
    ...sealingOf(sealer, deps.lookup),
    async close() {
      await acquire();
      db.close();
      release();
    },
  };
  return sqlite;
}
