/**
 * Migration 10: the hall's personal data sealed at rest (docs/security.md, "Hall data at rest and
 * key rotation"). Every payload kiosks pushed (entries, applications, 补正 supplements, evaluations,
 * tickets), what the change feed carries to kiosks (changes, records), staff notes in case and
 * follow-up histories, the consenting resident's name of a help request and each kiosk's shared
 * secret are sealed with the hall's key — `zk_reseal`, registered by openHallDatabase before
 * migrating, seals a clear value and re-seals a sealed one. Sealed values are JSON strings, so the
 * `json_valid` CHECKs accept them.
 *
 * Licences were found by the holder's ID number in clear: the table is rebuilt keyed by
 * `zk_lookup(id_number)`, a keyed hash (HMAC) that finds a holder without keeping the number, and
 * the licence number is sealed.
 * Released: never edit it, add the next migration.
 */
import type { Migration } from '../../../sqlite/index.js';

export const migration010: Migration = {
  version: 10,
  name: 'sealed personal data',
  sql: /* sql */ `
UPDATE kiosks SET secret = zk_reseal(secret);
UPDATE entries SET payload = zk_reseal(payload);
UPDATE applications SET payload = zk_reseal(payload);
UPDATE supplements SET payload = zk_reseal(payload);
UPDATE evaluations SET payload = zk_reseal(payload);
UPDATE tickets SET payload = zk_reseal(payload);
UPDATE case_events SET detail = zk_reseal(detail);
UPDATE followup_events SET detail = zk_reseal(detail);
UPDATE changes SET data = zk_reseal(data) WHERE data IS NOT NULL;
UPDATE records SET data = zk_reseal(data) WHERE data IS NOT NULL;
UPDATE help_requests SET resident_name = zk_reseal(resident_name) WHERE resident_name IS NOT NULL;
CREATE TABLE licences_new (
  id_hash        TEXT NOT NULL,
  material_code  TEXT NOT NULL,
  licence_no     TEXT NOT NULL,
  added_at       TEXT NOT NULL,
  PRIMARY KEY (id_hash, material_code)
) STRICT;
INSERT INTO licences_new (id_hash, material_code, licence_no, added_at)
  SELECT zk_lookup(upper(id_number)), material_code, zk_reseal(licence_no), added_at FROM licences;
DROP TABLE licences;
ALTER TABLE licences_new RENAME TO licences;
`,
};
