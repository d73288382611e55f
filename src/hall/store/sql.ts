/**
 * The hall's one query layer (docs/hall-store.md, "One query layer, two engines"): the stores write
 * their SQL once — portable SQL with `?` or `@name` parameters — and run it through a `HallSql`, which
 * is either the embedded SQLite database (sql-sqlite.ts, better-sqlite3) or PostgreSQL
 * (sql-postgres.ts, node-postgres). Where the engines differ the store asks `sql.dialect(...)`.
 *
 * Transactions follow the async context (AsyncLocalStorage): inside `sql.transaction(fn)` every
 * statement of `fn` — whichever store it comes from — runs in that transaction, and a nested
 * `transaction` is a savepoint (its failure undoes only its own writes). Stores therefore do not take
 * a transaction handle; services decide where transactions begin and end, as before.
 *
 * Personal data is sealed at this boundary, in JavaScript (`seal` / `open`, the at-rest envelopes of
 * src/shared/at-rest — the same text the SQLite functions `zk_seal` / `zk_open` wrote, so existing
 * databases read unchanged), and `lookup` is the keyed hash the hall finds rows by (`zk_lookup`).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Sealer } from '../../shared/at-rest/index.js';

export type SqlEngine = 'sqlite' | 'postgres';
/** Positional (`?`, in order) or named (`@name`) parameters. */
export type SqlParams = readonly unknown[] | Readonly<Record<string, unknown>>;
export type RunResult = { changes: number };

export type TransactionOptions = {
  /**
   * SQLite: a deferred transaction that only reads (default: IMMEDIATE, the write lock taken at
   * BEGIN so that two hall processes on one file never deadlock upgrading). PostgreSQL: READ ONLY.
   */
  readOnly?: boolean;
};

export interface HallSql {
  readonly engine: SqlEngine;
  all<T>(sql: string, params?: SqlParams): Promise<T[]>;
  get<T>(sql: string, params?: SqlParams): Promise<T | undefined>;
  /** The first column of the first row (undefined when there is no row). */
  value<T>(sql: string, params?: SqlParams): Promise<T | undefined>;
  run(sql: string, params?: SqlParams): Promise<RunResult>;
  /**
   * Runs `fn` in a transaction: committed when it resolves, rolled back when it throws (the error
   * passes on). Inside another transaction of the same async context, a savepoint.
   *
   * `fn` must not wait on anything but this database (no file or network I/O inside): on SQLite
   * the one connection is the hall's, and everything else waits while it is open.
   */
  transaction<T>(fn: () => Promise<T>, opts?: TransactionOptions): Promise<T>;
  /** Whether the caller runs inside a transaction. */
  inTransaction(): boolean;
  /**
   * Runs `fn` once the caller's outermost transaction has committed — never when it (or the savepoint
   * `fn` was queued in) rolls back; at once outside a transaction. What it starts runs outside the
   * transaction: the live desk is told of a case only when another connection can see it.
   */
  afterCommit(fn: () => void): void;
  /** The text for this engine, where the two differ. */
  dialect(choices: { sqlite: string; postgres: string }): string;
  /** Seals personal data for storage (null stays null). */
  seal(text: string): string;
  sealOrNull(text: string | null): string | null;
  /** Opens what `seal` (or `zk_seal`) stored (null stays null). */
  open(sealed: string): string;
  openOrNull(sealed: string | null): string | null;
  /** The keyed hash rows are found by (a licence holder's ID number, a case's phone). */
  lookup(value: string): string;
  /** The at-rest sealer itself (blob packs are sealed with it outside the database). */
  readonly sealer: Sealer;
  close(): Promise<void>;
}

/**
 * A transaction in progress, or a savepoint in one: the engine's handle (shared by every level),
 * its depth (0 = the transaction), whether it has ended, and whether a savepoint inside it is open.
 */
export type TxFrame<H> = {
  handle: H;
  depth: number;
  parent: TxFrame<H> | null;
  done: boolean;
  busy: boolean;
  /** What to run once the outermost transaction has committed (`afterCommit`). */
  after: (() => void)[];
};

/**
 * The async context's transaction, shared by both engines: `current()` is the innermost open level
 * of this context — never one that has ended (a callback scheduled inside a savepoint or transaction
 * that runs after it ended uses the level around it, or the database outside any transaction).
 */
export function transactionContext<H>() {
  const als = new AsyncLocalStorage<TxFrame<H>>();
  return {
    current(): TxFrame<H> | undefined {
      let f = als.getStore() ?? null;
      while (f !== null && f.done) f = f.parent;
      return f ?? undefined;
    },
    /**
     * Runs `body` as a new level: the transaction itself when `parent` is null, else a savepoint of
     * `parent` (refused while another savepoint of the same level is open: nested transactions run one
     * after another, not side by side).
     */
    async level<T>(
      parent: TxFrame<H> | null,
      handle: H,
      body: (frame: TxFrame<H>) => Promise<T>,
    ): Promise<T> {
      if (parent !== null) {
        if (parent.busy)
          throw new Error(
            'two savepoints at once in one transaction: run nested transactions one after another',
          );
        parent.busy = true;
      }
      const frame: TxFrame<H> = {
        handle,
        depth: parent === null ? 0 : parent.depth + 1,
        parent,
        done: false,
        busy: false,
        after: [],
      };
      try {
        const result = await als.run(frame, () => body(frame));
        // A savepoint released: what it would tell is told when the transaction around it commits.
        if (parent !== null) parent.after.push(...frame.after);
        return result;
      } finally {
        frame.done = true;
        if (parent !== null) parent.busy = false;
      }
    },
    /** Queues `fn` for after the commit of the open transaction, or runs it now outside one. */
    afterCommit(fn: () => void): void {
      const open = this.current();
      if (open === undefined) fn();
      else open.after.push(fn);
    },
    /**
     * After the outermost transaction of `frame` committed: its callbacks, outside any transaction's
     * async context (whatever they start later reads committed data on a connection of its own).
     */
    committed(frame: TxFrame<H> | null): void {
      if (frame === null) return;
      als.exit(() => {
        for (const fn of frame.after) {
          try {
            fn();
          } catch (e) {
            // Committed already: a callback's failure must not turn a durable answer into an error.
            process.emitWarning(e instanceof Error ? e : new Error(String(e)), 'AfterCommitWarning');
          }
        }
      });
    },
  };
}

/** Runs `fn` inside a savepoint of `frame` (`exec` sends SAVEPOINT / RELEASE / ROLLBACK TO). */
export async function inSavepoint<T>(
  frame: { depth: number },
  exec: (statement: string) => Promise<void> | void,
  fn: () => Promise<T>,
): Promise<T> {
  const name = `zk_sp${frame.depth}`;
  await exec(`SAVEPOINT ${name}`);
  try {
    const result = await fn();
    await exec(`RELEASE ${name}`);
    return result;
  } catch (e) {
    await exec(`ROLLBACK TO ${name}`);
    await exec(`RELEASE ${name}`);
    throw e;
  }
}

/**
 * Positional `?` and named `@name` parameters of portable SQL, outside quoted text and comments: the
 * SQL with `$1, $2 …` for PostgreSQL and, for named ones, the names in that order.
 */
export function numberedParameters(sql: string): { text: string; names: string[] | null; count: number } {
  let out = '';
  let n = 0;
  const names: string[] = [];
  const byName = new Map<string, number>();
  let positional = false;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i] as string;
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unterminated ${c} in SQL: ${sql}`);
      out += sql.slice(i, end + 1);
      i = end;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end - 1;
    } else if (c === '?') {
      positional = true;
      out += `$${++n}`;
    } else if (c === '@' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      const m = /^[A-Za-z_]\w*/.exec(sql.slice(i + 1)) as RegExpExecArray;
      const name = m[0];
      let k = byName.get(name);
      if (k === undefined) {
        names.push(name);
        k = names.length;
        byName.set(name, k);
      }
      out += `$${k}`;
      i += name.length;
    } else out += c;
  }
  if (positional && names.length > 0) throw new Error(`SQL mixes ? and @name parameters: ${sql}`);
  return { text: out, names: names.length > 0 ? names : null, count: names.length > 0 ? names.length : n };
}

/**
 * PostgreSQL folds unquoted names to lower case, SQLite keeps them: a camelCase alias (`AS kioskId`)
 * is quoted so that rows carry the same keys on both engines.
 */
export const quoteCamelAliases = (sql: string): string =>
  sql.replace(/\bAS\s+([a-z][a-z0-9]*[A-Z]\w*)\b/g, 'AS "$1"');

/** The sealing half of a `HallSql`, the same on both engines. */
export function sealingOf(
  sealer: Sealer,
  lookup: (value: string) => string,
): Pick<HallSql, 'seal' | 'sealOrNull' | 'open' | 'openOrNull' | 'lookup' | 'sealer'> {
  return {
    sealer,
    seal: (text) => sealer.sealText(text),
    sealOrNull: (text) => (text === null ? null : sealer.sealText(text)),
    open: (sealed) => sealer.openText(sealed),
    openOrNull: (sealed) => (sealed === null ? null : sealer.openText(sealed)),
    lookup,
  };
}
