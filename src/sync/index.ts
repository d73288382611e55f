export { backoffDelay, DEFAULT_BACKOFF, parseRetryAfter, type BackoffPolicy } from './backoff.js';
export {
  createSyncClient,
  describeError,
  enrollKiosk,
  type CycleResult,
  type Credentials,
  type DeviceHealth,
  type FetchFn,
  type SyncClient,
  type SyncClientDeps,
  type SyncError,
  type SyncLogger,
  type SyncStatus,
} from './client.js';
export { HEADERS, SCHEMA_VERSION, sha256Hex, sign, signingString } from './protocol.js';
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
