export { backoffDelay, DEFAULT_BACKOFF, parseRetryAfter, type BackoffPolicy } from './backoff.js';
export { createSyncClient, type SyncClient, type SyncClientDeps } from './client.js';
export { type CycleResult, type SyncStatus } from './cycle.js';
export { enrollKiosk } from './enroll.js';
export { checkHallUrl, keepAliveFetch, pinnedFetch } from './hall-endpoint.js';
export { type DeviceHealth } from './hall-calls.js';
export { createHelpCalls, type HelpAnswer, type HelpCallError, type HelpCalls } from './help-calls.js';
export { createTransport } from './transport.js';
export { describeError, type SyncError } from './sync-error.js';
export { type Credentials, type FetchFn, type SyncLogger } from './transport.js';
export {
  HEADERS,
  SCHEMA_VERSION,
  sha256Hex,
  sign,
  signAnswer,
  signingString,
  verifyAnswer,
} from './protocol.js';
export { readEnrollment, readSyncState, backlog, type Enrollment, type SyncState } from './store.js';
export { createSyncService, type SyncService, type SyncServiceDeps } from './service.js';
export { DEFAULT_RETENTION_MS, purgeAcknowledged, type PurgeResult } from './retention.js';
export {
  CURRENT_KEY,
  DOCUMENT_STREAMS,
  createChangeApplier,
  createDocumentApplier,
  documentSchemas,
  isDocumentStream,
  kioskSettingsPublishSchema,
  kioskSettingsSchema,
  parseDocument,
  queueStateSchema,
  type AcknowledgedEntry,
  type DocumentHandlers,
  type PurgeOutcome,
  type RecordHandlers,
  type SettingsDocument,
  type DocumentMeta,
  type DocumentStream,
  type KioskSettings,
  type PulledDocument,
  type QueueState,
  type RefusedDocument,
} from './streams.js';
export { type ChangeApplier } from './store.js';
