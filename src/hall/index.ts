export { DEFAULT_HALL_PORT, loadHallConfig, type HallConfig } from './config.js';
export { PROTOCOL_VERSION, startHallServer, type HallServer } from './server.js';
export { openHallDatabase } from './store.js';
