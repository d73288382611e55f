/**
 * The renderer's one way to the backend: every screen reads through these query hooks and calls
 * through these functions, never the tRPC client itself (lint enforces it). Calls answer values:
 * the procedure's `Result`, or `{ kind: 'failed' }` when the call got no answer. A lapsed resident
 * session has one form only — the returned error `{ kind: 'session-expired' }` — in calls and in
 * queries' data alike.
 */
export { queryClient, setTechSession, currentTechSession } from './client.js';
export * from './types.js';
export {
  rpcErrorCode,
  rpcErrorMessage,
  valueOf,
  type CallFailed,
  type ErrorOf,
  type ResultLike,
  type ValueOf,
} from './errors.js';
export * from './catalog.js';
export * from './system.js';
export * from './resident-session.js';
export * from './apply.js';
export * from './progress.js';
export * from './evaluation.js';
export * from './queue.js';
export * from './tech.js';
export * from './help.js';
