/**
 * Migration 6: personal data sealed at rest (docs/security.md, "Personal data at rest"). Every
 * personal column of `applications`, every outbox payload, the hall enrolment (its secret) and the ID-number salt are
 * sealed with the kiosk's key — `zk_reseal`, registered by openDatabase before migrating, seals a
 * clear value and re-seals a sealed one. The look-up index on the clear ID number goes: it would
 * keep the number in clear in the index's pages, and 进度查询 finds applications by the salted hash.
 * (Versions 6 and 8 belong to other branches.)
 */
export const migration006 = {
  version: 6,
  name: 'sealed personal data',
  sql: /* sql */ `
DROP INDEX IF EXISTS applications_applicant;
UPDATE applications SET
  applicant_name = zk_reseal(applicant_name),
  applicant_id_number = zk_reseal(applicant_id_number),
  helper_name = zk_reseal(helper_name),
  helper_id_number = zk_reseal(helper_id_number),
  form = zk_reseal(form),
  delivery = zk_reseal(delivery)
WHERE purged_at IS NULL;
UPDATE outbox SET payload = zk_reseal(payload) WHERE json_extract(payload, '$.purged') IS NOT 1;
UPDATE kiosk_config SET value = zk_reseal(value) WHERE key IN ('sync.enrollment', 'resident.idSalt');
`,
} as const;
