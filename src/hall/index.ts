export { DEFAULT_HALL_PORT, loadHallConfig, type HallConfig } from './config.js';
export {
  MAX_WAIT_MS,
  PROTOCOL_VERSION,
  startHallServer,
  type HallServer,
  type HallServerOptions,
} from './server.js';
export {
  HALL_LATEST_VERSION,
  HALL_MIGRATIONS,
  hallAtRestOptions,
  hallKeyFileFor,
  hallSqlOf,
  openHallDatabase,
  openHallStore,
  type HallDatabase,
  type HallDb,
  type HallStore,
} from './store/index.js';
export { HEADERS, CLOCK_SKEW_MS, signingString } from './auth.js';
export { backupHall, restoreHall, startNewEpoch } from './db-recovery.js';
export { resealPostgresHall } from './pg-reseal.js';
export {
  createHallBlobs,
  createHallService,
  SUPPORTED_SCHEMA_VERSIONS,
  type HallService,
} from './service.js';
export { createStaffDesk, staffActionSchema, type Staff, type StaffAction, type StaffDesk } from './staff.js';
export { DEFAULT_FOLLOWUP_DAYS, DEFAULT_TIME_ZONE, DEFAULT_WARN_DAYS } from './config.js';
export { createStaffExtensions, type StaffExtensions } from './staff-routes.js';
export { createSupervision, type CaseLevel, type CaseSupervision, type Supervision } from './supervision.js';
export {
  createFollowupDesk,
  followupActionSchema,
  FOLLOWUP_STATES,
  type FollowupAction,
  type FollowupDesk,
  type FollowupState,
} from './followups.js';
export { createFleet, heartbeatSchema, type Fleet, type FleetHealth, type Heartbeat } from './fleet.js';
export { loadHallCalendar, loadHallEvaluationItems } from './resources.js';
export {
  createAccounts,
  passwordProblems,
  SCRYPT_PARAMS,
  type AccountInfo,
  type Accounts,
} from './accounts.js';
export {
  ALL_HALL_CHANNELS,
  createInProcessNotifier,
  HALL_CHANNELS,
  MAX_NOTIFY_PAYLOAD_BYTES,
  type HallChannel,
  type HallNotifier,
  type NotifierState,
  type PublishResult,
} from './notifier.js';
export { createPgNotifier, type NotifierReport, type PgNotifier } from './pg-notifier.js';
