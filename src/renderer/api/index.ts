/**
 * The renderer's one way to the backend: every screen reads through these query hooks and calls
 * through these functions, never the tRPC client itself (lint enforces it). Calls answer values
 * (`Result`s; a failed call is `{ kind: 'failed' }`), and a lapsed resident session is recognised
 * here, in errors.ts, and reaches the screens as `SessionExpired` alone.
 */
export { queryClient, setTechSession, currentTechSession } from './client.js';
export * from './types.js';
export {
  isLapseThrown,
  rpcErrorCode,
  rpcErrorMessage,
  type CallError,
  type CallFailed,
  type ErrorOf,
  type WithoutLapse,
} from './errors.js';
export * from './catalog.js';
export * from './system.js';
export * from './resident-session.js';
export * from './apply.js';
export * from './progress.js';
export * from './evaluation.js';
export * from './queue.js';
export * from './tech.js';
