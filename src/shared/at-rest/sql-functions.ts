/**
 * The sealer inside SQLite: `zk_seal(x)`, `zk_open(x)` and `zk_reseal(x)` as SQL functions of a
 * connection, so a store writes `VALUES (zk_seal(?))` and reads `SELECT zk_open(col) AS col`, and a
 * migration re-seals existing rows in SQL. The connection also remembers its sealer (`sealerFor`)
 * for the files that go with its rows (scans, archive PDFs, hall blobs).
 */
import type { Sealer } from './sealer.js';
import { isSealedText, sealedKeyId } from './sealer.js';

/** The part of a better-sqlite3 connection this needs (src/shared imports no database package). */
export type SqlFunctionHost = {
  function(
    name: string,
    options: { deterministic?: boolean; varargs?: boolean },
    fn: (value: unknown) => unknown,
  ): unknown;
};

const sealers = new WeakMap<object, Sealer>();

const text = (v: unknown, fn: string): string | null => {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') throw new TypeError(`${fn} takes text, not ${typeof v}`);
  return v;
};

export function registerSealer(db: SqlFunctionHost, sealer: Sealer): void {
  sealers.set(db, sealer);
  // zk_seal draws a random IV: not deterministic (SQLite must call it for every row).
  db.function('zk_seal', { deterministic: false }, (v) => sealer.sealText(text(v, 'zk_seal')));
  db.function('zk_open', { deterministic: true }, (v) => sealer.openText(text(v, 'zk_open')));
  // Sealed again with the current key (after a rotation), or sealed for the first time.
  db.function('zk_reseal', { deterministic: false }, (v) => {
    const t = text(v, 'zk_reseal');
    if (t === null) return null;
    return sealer.sealText(isSealedText(t) ? sealer.openText(t) : t);
  });
  // The key a value was sealed with (null when it is not sealed), and the one new values use:
  // what `db reseal` counts before it retires the previous key.
  db.function('zk_key_id', { deterministic: true }, (v) => {
    const t = text(v, 'zk_key_id');
    return t === null ? null : sealedKeyId(t);
  });
  db.function('zk_current_key_id', { deterministic: true }, () => sealer.keyId);
}

/** The sealer registered on this connection; a connection opened without one is a bug. */
export function sealerFor(db: object): Sealer {
  const s = sealers.get(db);
  if (s === undefined)
    throw new Error('this database connection has no at-rest sealer (open it through openDatabase)');
  return s;
}

export const hasSealer = (db: object): boolean => sealers.has(db);
