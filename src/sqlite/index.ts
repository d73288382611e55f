/**
 * The SQLite kit shared by the kiosk (src/backend/store/db.ts) and the hall (src/hall/store/):
 * one way to open a database with the durability pragmas, version it with migrations and refuse
 * a newer one. Test support (upgrade from every version = a fresh schema) is in ./testing/.
 */
export { applyPragmas, BUSY_TIMEOUT_MS, type SqliteDb } from './pragmas.js';
export { assertMigrationList, migrate, MigrationError, schemaVersion, type Migration } from './migrate.js';
export { openSqlite, type OpenDbResult, type OpenOptions } from './open.js';
export {
  resealDatabase,
  rotateAtRestKey,
  valuesNotSealedWithCurrentKey,
  type KeyRotation,
} from './reseal.js';
