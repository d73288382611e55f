/**
 * Shared electronic licences (电子证照) the hall can vouch for, by holder and material code. The
 * holder is found by a keyed hash of the ID number (`sql.lookup`, the same HMAC as `zk_lookup` of
 * migration 10): the number itself is never stored.
 */
import type { HallSql } from './sql.js';

export function createLicenceStore(sql: HallSql) {
  return {
    holds: async (idNumber: string, materialCode: string): Promise<boolean> =>
      (await sql.value<string>('SELECT material_code FROM licences WHERE id_hash = ? AND material_code = ?', [
        sql.lookup(idNumber.toUpperCase()),
        materialCode,
      ])) !== undefined,
    async put(l: { idNumber: string; materialCode: string; licenceNo: string; at: string }): Promise<void> {
      await sql.run(
        `INSERT INTO licences (id_hash, material_code, licence_no, added_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(id_hash, material_code) DO UPDATE SET licence_no = excluded.licence_no, added_at = excluded.added_at`,
        [sql.lookup(l.idNumber.toUpperCase()), l.materialCode, sql.seal(l.licenceNo), l.at],
      );
    },
  };
}

export type LicenceStore = ReturnType<typeof createLicenceStore>;
