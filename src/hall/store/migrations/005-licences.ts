/**
 * Migration 5: shared electronic licences (电子证照) the hall can vouch for, by holder and material
 * code.
 * Released: never edit it, add the next migration.
 */
import type { Migration } from '../../../sqlite/index.js';

export const migration005: Migration = {
  version: 5,
  name: 'shared licences',
  sql: /* sql */ `
CREATE TABLE licences (
  id_number      TEXT NOT NULL,
  material_code  TEXT NOT NULL,
  licence_no     TEXT NOT NULL,
  added_at       TEXT NOT NULL,
  PRIMARY KEY (id_number, material_code)
) STRICT;
`,
};
