/**
 * Migration 7: receipt access codes (docs/security.md, "Receipt access codes"). Each application
 * keeps the salted, slow hash of the code printed on its receipt (`s1$<salt>$<scrypt>`, never the
 * code). Applications submitted before have none (NULL): only the applicant's ID card opens them,
 * until a reprint issues a code.
 */
export const migration007 = {
  version: 7,
  name: 'receipt access codes',
  sql: /* sql */ `
ALTER TABLE applications ADD COLUMN access_code_hash TEXT;
`,
} as const;
