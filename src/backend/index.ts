export {
  DEFAULT_PORT,
  defaultDataDir,
  defaultKioskConfig,
  loadKioskConfig,
  type ConfigResult,
  type KioskConfig,
} from './config.js';
export {
  BackendStartError,
  deviceUris,
  packageVersion,
  startKioskBackend,
  type KioskBackend,
  type StartOptions,
} from './app.js';
export { createLogger, type Logger } from './logger.js';
export type { AppRouter } from './rpc/router.js';
export { API_PREFIX, TOKEN_COOKIE } from './server.js';
export {
  atRestOptions,
  countRows,
  keyFileFor,
  KIOSK_TABLES,
  openDatabase,
  schemaVersion,
  type Db,
  type KioskTable,
} from './store/db.js';
export {
  createApplicationsStore,
  type ApplicationsStore,
  type ApplicationSummary,
} from './store/applications-store.js';
export { createAuditStore, type AuditLogRow, type AuditQuery } from './store/audit-store.js';
export { LATEST_VERSION } from './store/migrations/index.js';
export { ensureCatalog, readSeedCatalog } from './services/catalog.js';
export { createQueueService, loadWindowHours, type QueueService, type Ticket } from './services/queue.js';
export { createTechnicianAuth } from './services/technician.js';
export { listSerialPorts } from './services/device-console.js';
export { maskIdNumber, maskName } from '../shared/mask.js';
export { appRoot, rendererDir, resourcesDir } from './paths.js';
export { createArchiver, readArchivedForm } from './services/applications.js';
export { createCatalogService } from './services/catalog.js';
export { sendToCups } from './services/guide-print.js';
export { createHallDocuments, type HallDocuments } from './services/hall-documents.js';
export { createRecordHandlers, type CaseStatusEvent } from './services/kiosk-records.js';
export { createQueueState, type QueueStateService } from './services/queue-state.js';
export { loadSeedCalendar } from './services/resident.js';
export { loadSeedEvaluationItems } from './services/evaluations.js';
