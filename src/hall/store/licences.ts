/**
 * Shared electronic licences (电子证照) the hall can vouch for, by holder and material code. The
 * holder is found by a keyed hash of the ID number (`zk_lookup`, migration 10): the number itself is
 * never stored.
 */
import type { HallDb } from './db.js';

export function createLicenceStore(db: HallDb) {
  const q = {
    held: db
      .prepare('SELECT material_code FROM licences WHERE id_hash = zk_lookup(upper(?)) AND material_code = ?')
      .pluck(),
    put: db.prepare(
      `INSERT INTO licences (id_hash, material_code, licence_no, added_at) VALUES (zk_lookup(upper(?)), ?, zk_seal(?), ?)
       ON CONFLICT(id_hash, material_code) DO UPDATE SET licence_no = excluded.licence_no, added_at = excluded.added_at`,
    ),
  };
  return {
    holds: (idNumber: string, materialCode: string): boolean =>
      q.held.get(idNumber, materialCode) !== undefined,
    put(l: { idNumber: string; materialCode: string; licenceNo: string; at: string }): void {
      q.put.run(l.idNumber, l.materialCode, l.licenceNo, l.at);
    },
  };
}

export type LicenceStore = ReturnType<typeof createLicenceStore>;
