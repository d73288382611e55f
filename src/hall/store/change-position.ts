/**
 * The change log's last position, as SQL of either engine: its own module because both the change
 * store and the epoch store (a new epoch starts after it) read it, and changes.ts reads the epochs.
 */
import type { HallSql } from './sql.js';

/**
 * The last position ever given out, purged ones included: SQLite keeps it in sqlite_sequence, on
 * PostgreSQL it is the identity sequence's last value (above every committed row, never below one:
 * a rolled-back insert uses its position up).
 */
export const lastChangePositionSql = (sql: HallSql): string =>
  sql.dialect({
    sqlite: "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0)",
    postgres: "SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence('changes', 'position')), 0)",
  });
