/**
 * Request authentication (docs/sync-protocol.md, 1 "Request headers and authentication"): the hall verifies
 * what the kiosk signed, with the one definition of the signed string in src/shared/wire/signing.ts; its
 * documented test vector pins the format for other implementations.
 */
export { CLOCK_SKEW_MS, HEADERS } from '../shared/wire/protocol.js';
export { sha256Hex, signingString, verifySignature } from '../shared/wire/signing.js';
