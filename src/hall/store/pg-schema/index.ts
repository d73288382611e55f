export { PG_BASELINE_SQL, PG_BASELINE_VERSION, PG_LAST_CHANGE_POSITION_SQL } from './baseline.js';
export { assertPgMigrationList, PG_LATEST_VERSION, PG_MIGRATIONS, type PgMigration } from './migrations.js';
export { PG_DROPPED_TRIGGERS, type DroppedTrigger } from './triggers.js';
