/**
 * The hall's lookup key (docs/security.md, "Hall data at rest"): the random key of the keyed hash
 * (HMAC) the hall finds rows by — a licence holder's ID number, a case's phone — kept sealed in
 * hall_meta, so that a key rotation re-seals it and leaves every hash valid. The same on both engines.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Sealer } from '../../shared/at-rest/index.js';

export const LOOKUP_KEY = 'at-rest.lookupKey';

export type LookupKey = { hash: 'sha256' | 'sm3'; key: string };

/** A new lookup key, hashed with the sealer's family (SM3 beside SM4, else SHA-256). */
export const newLookupKey = (sealer: Sealer): LookupKey => ({
  hash: sealer.algorithm === 'sm4-cbc-hmac-sm3' ? 'sm3' : 'sha256',
  key: randomBytes(32).toString('hex'),
});

/** The keyed hash of a value under a lookup key, as hex. */
export const lookupHashOf =
  (k: LookupKey) =>
  (value: string): string =>
    createHmac(k.hash, Buffer.from(k.key, 'hex')).update(value).digest('hex');
