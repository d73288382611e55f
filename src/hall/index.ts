export { DEFAULT_HALL_PORT, loadHallConfig, type HallConfig } from './config.js';
export {
  MAX_WAIT_MS,
  PROTOCOL_VERSION,
  startHallServer,
  type HallServer,
  type HallServerOptions,
} from './server.js';
export { HALL_MIGRATIONS, openHallDatabase, type HallDb } from './store.js';
export { HEADER, CLOCK_SKEW_MS, canonicalString } from './auth.js';
export { createHallService, SUPPORTED_SCHEMA_VERSIONS, type HallService } from './service.js';
export { createStaffDesk, staffActionSchema, type Staff, type StaffAction, type StaffDesk } from './staff.js';
