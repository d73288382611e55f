/**
 * The hall's store: opening hall.db with its migrations, and — one module per aggregate — the only
 * place its SQL lives. Services (src/hall/*.ts) hold the rules and call these.
 */
export {
  HALL_LATEST_VERSION,
  HALL_MIGRATIONS,
  openHallDatabase,
  type HallDb,
  type OpenDbResult,
} from './db.js';
