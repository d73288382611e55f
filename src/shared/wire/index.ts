/**
 * The kiosk ↔ hall contract (docs/contract.md): outbox entries, pulled documents, protocol
 * messages and staff actions. Node-side parts import it; the screen imports only the zod-free
 * modules (case-status.ts, mask.ts, result.ts). Signing (node:crypto) is in ./signing.js.
 */
export * from './entries.js';
export * from './documents.js';
export * from './protocol.js';
export * from './staff.js';
export * from './help.js';
export * from './desk-reports.js';
export * from './sync-v2.js';
