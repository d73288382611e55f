/**
 * The sealed values of the hall's PostgreSQL tables, for a key rotation (../pg-reseal.ts, `hall db
 * reseal`): found, not listed — every text column of the schema, every value that reads as a sealed
 * envelope (`"zk1:…`) of another key — and sealed again in the process, row by row (by `ctid`).
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

/** The sealed values of one column not sealed with the current key, with their rows' ctid. */
async function staleValues(sql: HallSql, c: { table: string; column: string }) {
  const rows = await sql.all<{ id: string; v: string }>(
    `SELECT ctid::text AS id, ${quoted(c.column)} AS v FROM ${quoted(c.table)} WHERE ${quoted(c.column)} LIKE '"zk1:%'`,
  );
  return rows.filter((r) => isSealedText(r.v) && sealedKeyId(r.v) !== sql.sealer.keyId);
}

/** Seals again every value another key sealed (one transaction); how many per `table.column`. */
export async function resealPostgresValues(sql: HallSql): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  await sql.transaction(async () => {
    for (const c of await textColumns(sql)) {
      // ctid is stable for a row until it is updated, and each row of this column is updated once,
      // inside this transaction, with every node stopped.
      const stale = await staleValues(sql, c);
      for (const r of stale)
        await sql.run(`UPDATE ${quoted(c.table)} SET ${quoted(c.column)} = ? WHERE ctid = ?::tid`, [
          sql.sealer.sealText(sql.sealer.openText(r.v)),
          r.id,
        ]);
      if (stale.length > 0) counts[`${c.table}.${c.column}`] = stale.length;
    }
  });
  return counts;
}

/** How many sealed values are not sealed with the current key. */
export async function postgresValuesNotSealedWithCurrentKey(sql: HallSql): Promise<number> {
  let n = 0;
  for (const c of await textColumns(sql)) n += (await staleValues(sql, c)).length;
  return n;
}
