/**
 * The sealed values of the hall's PostgreSQL tables, for a key rotation (../pg-reseal.ts, `hall db
 * reseal`): found, not listed — every text column of the schema, every value that reads as a sealed
 * envelope (`"zk1:…`) of another key — and sealed again in the process, a page of rows at a time (by `ctid`).
 */
import { isSealedText, sealedKeyId } from '../../shared/at-rest/index.js';
import type { HallSql } from './sql.js';

const quoted = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Every text column of the hall's tables (its schema: the connection's current one). */
const textColumns = (sql: HallSql) =>
  sql.all<{ table: string; column: string }>(
    `SELECT c.table_name AS "table", c.column_name AS "column"
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
        AND c.data_type IN ('text', 'character varying')
      ORDER BY c.table_name, c.column_name`,
  );

/** Rows read (and sealed again) at a time: memory stays bounded whatever the table's size. */
const PAGE = 500;
const CURSOR = 'zk_reseal';

/**
 * Calls `each` with the sealed values of one column not sealed with the current key, PAGE rows at a
 * time with their rows' ctid, read through a cursor (inside the caller's transaction). The cursor
 * sees the table as it was when it opened: rows `each` updates meanwhile are not read again.
 */
async function forStaleValues(
  sql: HallSql,
  c: { table: string; column: string },
  each: (stale: { id: string; v: string }[]) => Promise<void>,
): Promise<void> {
  await sql.run(
    `DECLARE ${CURSOR} NO SCROLL CURSOR FOR SELECT ctid::text AS id, ${quoted(c.column)} AS v FROM ${quoted(c.table)} WHERE ${quoted(c.column)} LIKE '"zk1:%'`,
  );
  for (;;) {
    const page = await sql.all<{ id: string; v: string }>(`FETCH ${PAGE} FROM ${CURSOR}`);
    if (page.length === 0) break;
    const stale = page.filter((r) => isSealedText(r.v) && sealedKeyId(r.v) !== sql.sealer.keyId);
    if (stale.length > 0) await each(stale);
  }
  // Not in a finally: after a failure the transaction is aborted, and its end closes the cursor.
  await sql.run(`CLOSE ${CURSOR}`);
}

/** Seals again every value another key sealed (one transaction); how many per `table.column`. */
export async function resealPostgresValues(sql: HallSql): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  await sql.transaction(async () => {
    for (const c of await textColumns(sql)) {
      let n = 0;
      // ctid names a row version: the one the cursor read is still the row's latest when its page is
      // updated (each row of this column is updated once, inside this transaction, every node stopped).
      await forStaleValues(sql, c, async (stale) => {
        await sql.run(
          `UPDATE ${quoted(c.table)} AS t SET ${quoted(c.column)} = u.v
             FROM unnest(?::text[], ?::text[]) AS u(id, v) WHERE t.ctid = u.id::tid`,
          [stale.map((r) => r.id), stale.map((r) => sql.sealer.sealText(sql.sealer.openText(r.v)))],
        );
        n += stale.length;
      });
      if (n > 0) counts[`${c.table}.${c.column}`] = n;
    }
  });
  return counts;
}

/** How many sealed values are not sealed with the current key. */
export async function postgresValuesNotSealedWithCurrentKey(sql: HallSql): Promise<number> {
  let n = 0;
  await sql.transaction(
    async () => {
      for (const c of await textColumns(sql))
        await forStaleValues(sql, c, (stale) => {
          n += stale.length;
          return Promise.resolve();
        });
    },
    { readOnly: true },
  );
  return n;
}
