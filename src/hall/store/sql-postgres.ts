/**
 * `HallSql` on PostgreSQL (sql.ts; docs/hall-store.md): a node-postgres pool shared by every hall node's
 * requests. The stores' portable SQL is numbered for PostgreSQL once per text (`?` / `@name` →
 * `$n`, camelCase aliases quoted) and sent as a named prepared statement, parsed once per connection.
 * A transaction takes one connection from the pool for its whole length (READ COMMITTED, PostgreSQL's
 * default: the stores that need a row to stay put lock it, `SELECT … FOR UPDATE`); a nested
 * transaction is a savepoint on it.
 *
 * BIGINT (counts, identities) and NUMERIC (sums) come back as JavaScript numbers, as SQLite gives
 * them: the hall's values stay far below 2^53.
 */
import pg from 'pg';
import type { Sealer } from '../../shared/at-rest/index.js';
import {
  inSavepoint,
  numberedParameters,
  quoteCamelAliases,
  sealingOf,
  transactionContext,
  type HallSql,
  type RunResult,
  type SqlParams,
  type TransactionOptions,
  type TxFrame,
} from './sql.js';

const INT8 = 20;
const NUMERIC = 1700;

/** Type parsers of the pool: int8 and numeric as numbers, as the SQLite store returns them. */
export const hallPgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
    oid === INT8 || oid === NUMERIC
      ? (v: string) => Number(v)
      : (pg.types.getTypeParser(oid, format) as unknown)) as pg.CustomTypesConfig['getTypeParser'],
};

type Prepared = { name: string; text: string; names: string[] | null; count: number };

export function createPostgresSql(deps: {
  pool: pg.Pool;
  sealer: Sealer;
  lookup: (value: string) => string;
  /** Ends the pool on close (default true). */
  ownsPool?: boolean;
}): HallSql {
  const { pool, sealer } = deps;
  const ctx = transactionContext<pg.PoolClient>();
  const cache = new Map<string, Prepared>();
  const prepare = (sql: string): Prepared => {
    let p = cache.get(sql);
    if (p === undefined) {
      const numbered = numberedParameters(quoteCamelAliases(sql));
      p = { name: `zk${cache.size + 1}`, ...numbered };
      cache.set(sql, p);
    }
    return p;
  };
  const values = (p: Prepared, params: SqlParams | undefined): unknown[] => {
    if (params === undefined) return [];
    if (Array.isArray(params)) {
      if (params.length !== p.count)
        throw new Error(`${p.count} parameters expected, ${params.length} given: ${p.text}`);
      return params as unknown[];
    }
    const named = params as Record<string, unknown>;
    return (p.names ?? []).map((n) => {
      if (!(n in named)) throw new Error(`parameter @${n} missing: ${p.text}`);
      return named[n];
    });
  };
  const query = async (sql: string, params?: SqlParams): Promise<pg.QueryResult> => {
    const p = prepare(sql);
    const config = { name: p.name, text: p.text, values: values(p, params) };
    const open = ctx.current();
    return open !== undefined ? open.handle.query(config) : pool.query(config);
  };

  return {
    engine: 'postgres',
    all: async <T>(sql: string, params?: SqlParams) => (await query(sql, params)).rows as T[],
    get: async <T>(sql: string, params?: SqlParams) => (await query(sql, params)).rows[0] as T | undefined,
    async value<T>(sql: string, params?: SqlParams) {
      const row = (await query(sql, params)).rows[0] as Record<string, unknown> | undefined;
      return row === undefined ? undefined : (Object.values(row)[0] as T);
    },
    async run(sql: string, params?: SqlParams): Promise<RunResult> {
      return { changes: (await query(sql, params)).rowCount ?? 0 };
    },
    async transaction<T>(fn: () => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
      const open = ctx.current();
      if (open !== undefined)
        return ctx.level(open, open.handle, (frame) =>
          inSavepoint(frame, async (s) => void (await frame.handle.query(s)), fn),
        );
      const client = await pool.connect();
      let broken: unknown;
      try {
        await client.query(opts.readOnly === true ? 'BEGIN READ ONLY' : 'BEGIN');
        try {
          let top: TxFrame<pg.PoolClient> | null = null;
          const result = await ctx.level(null, client, (f) => {
            top = f;
            return fn();
          });
          await client.query('COMMIT');
          ctx.committed(top);
          return result;
        } catch (e) {
          try {
            await client.query('ROLLBACK');
          } catch (rollback) {
            broken = rollback; // the connection is gone: not given back to the pool
          }
          throw e;
        }
      } finally {
        client.release(broken instanceof Error ? broken : undefined);
      }
    },
    inTransaction: () => ctx.current() !== undefined,
    afterCommit: (fn) => ctx.afterCommit(fn),
    dialect: (choices) => choices.postgres,
    ...sealingOf(sealer, deps.lookup),
    async close() {
      if (deps.ownsPool !== false) await pool.end();
    },
  };
}
