export { DEFAULT_PORT, defaultDataDir, loadKioskConfig, type ConfigResult, type KioskConfig } from './config.js';
export { BackendStartError, packageVersion, startKioskBackend, type KioskBackend, type StartOptions } from './app.js';
export { createLogger, type Logger } from './logger.js';
export type { AppRouter } from './rpc/router.js';
export { API_PREFIX, TOKEN_COOKIE } from './server.js';
export { openDatabase, schemaVersion, type Db } from './store/db.js';
export { LATEST_VERSION } from './store/migrations/index.js';
export { readSeedCatalog } from './services/catalog.js';
export { appRoot, rendererDir, resourcesDir } from './paths.js';
