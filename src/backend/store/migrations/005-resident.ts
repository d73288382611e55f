/**
 * Migration 5: the resident's journey (docs/resident-journey.md). Submissions carry the kiosk's idempotency
 * key so a retried submit returns the same applications instead of new ones; applications remember whether
 * their receipt printed, when the integrity notice was acknowledged and a salted hash of the
 * applicant's ID number (progress by ID card keeps working after the personal data is purged);
 * 补正 supplements add pages to an application; evaluations are idempotent too.
 */
export const migration005 = {
  version: 5,
  name: 'resident journey: submissions, receipts, supplements, evaluations',
  sql: /* sql */ `
CREATE TABLE submissions (
  id               TEXT PRIMARY KEY,
  idempotency_key  TEXT NOT NULL UNIQUE,
  target_kind      TEXT NOT NULL CHECK (target_kind IN ('item', 'bundle')),
  target_code      TEXT NOT NULL,
  created_at       TEXT NOT NULL
) STRICT;

ALTER TABLE applications ADD COLUMN applicant_id_hash TEXT;
ALTER TABLE applications ADD COLUMN case_type TEXT NOT NULL DEFAULT 'promised' CHECK (case_type IN ('immediate', 'promised'));
ALTER TABLE applications ADD COLUMN integrity_ack_at TEXT;
ALTER TABLE applications ADD COLUMN print_state TEXT NOT NULL DEFAULT 'pending' CHECK (print_state IN ('pending', 'printed', 'failed', 'no-printer'));
ALTER TABLE applications ADD COLUMN print_detail TEXT;
ALTER TABLE applications ADD COLUMN archive_file TEXT;
CREATE INDEX applications_id_hash ON applications(applicant_id_hash);
CREATE INDEX applications_submission ON applications(bundle_submission_id);

CREATE TABLE supplements (
  id               TEXT PRIMARY KEY,
  application_id   TEXT NOT NULL REFERENCES applications(id),
  idempotency_key  TEXT NOT NULL UNIQUE,
  submitted_at     TEXT NOT NULL
) STRICT;
ALTER TABLE application_attachments ADD COLUMN supplement_id TEXT REFERENCES supplements(id);

ALTER TABLE evaluations ADD COLUMN idempotency_key TEXT;
ALTER TABLE evaluations ADD COLUMN items_version TEXT;
CREATE UNIQUE INDEX evaluations_key ON evaluations(idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX evaluations_target ON evaluations(target_kind, target_id);
`,
} as const;
