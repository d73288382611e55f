/**
 * The hall's store: opening hall.db with its migrations, and — one module per aggregate — the only
 * place its SQL lives. Services (src/hall/*.ts) hold the rules, decide the transactions, and call
 * these; stored payloads are read back with the contract's schemas (stored.ts).
 */
export {
  HALL_LATEST_VERSION,
  HALL_MIGRATIONS,
  hallAtRestOptions,
  hallKeyFileFor,
  hallSqlOf,
  hallSqliteOf,
  type HallDatabase,
  openHallDatabase,
  type HallAtRestOptions,
  type HallDb,
  type OpenDbResult,
} from './db.js';
export type { HallSql, RunResult, SqlEngine, SqlParams, TransactionOptions } from './sql.js';
export { createPostgresSql, hallPgTypes } from './sql-postgres.js';
export { describePostgresUrl, openPostgresHall, type OpenPostgresResult } from './postgres.js';
export {
  databaseAnswers,
  openHallStore,
  type HallStore,
  type HallStoreConfig,
  type OpenHallStoreResult,
} from './open.js';
export { createAuditStore, type AuditStore } from './audit.js';
export { backupHallDatabase, checkHallBackup, replaceHallDatabase } from './backup.js';
export {
  backupPostgresHall,
  checkPostgresBackup,
  findPgTools,
  libpqConnection,
  postgresInUse,
  restorePostgresHall,
  type PgBackupInfo,
  type PgTool,
  type PgToolsEnv,
} from './pg-backup.js';
export { createAccountStore, type AccountRow, type AccountStore, type SessionRow } from './accounts.js';
export {
  createBlobIndex,
  referencedBlobs,
  type BlobIndex,
  type BlobLocation,
  type IndexedBlob,
  type PackedBlobRow,
} from './blobs.js';
export {
  createCaseStore,
  type CaseEventRow,
  type CaseHistoryEvent,
  type CaseRecord,
  type CaseStore,
  type CaseSummary,
} from './cases.js';
export {
  createCaseListStore,
  type CaseListFilter,
  type CaseListStore,
  type ListedCaseRow,
  type StaleCaseRow,
  type CaseStatsColumns,
  type CaseStatsRow,
} from './case-list.js';
export { createChangeStore, type ChangeOp, type ChangeStore, type StoredChange } from './changes.js';
export { createEpochStore, type EpochReason, type EpochStore, type LogEpoch } from './epochs.js';
export { createEntryStore, type EntryStore, type StoredEntry } from './entries.js';
export {
  createEvaluationStore,
  type EvaluationRecord,
  type EvaluationStore,
  type FollowupBrief,
  type FollowupEventRow,
  type FollowupRecord,
} from './evaluations.js';
export {
  createKioskStore,
  type EnrollmentCode,
  type FleetRow,
  type Kiosk,
  type KioskStore,
} from './kiosks.js';
export { createLicenceStore, type LicenceStore } from './licences.js';
export { createQueueNumberStore, type QueueNumber, type QueueNumberStore } from './queue.js';
export { createStaffStore, type StaffMember, type StaffStore } from './staff.js';
export { jsonObject, readApplication, readDevices, readEvaluation, readSupplement } from './stored.js';
export { createTicketStore, type TicketStore, type WaitingTicket } from './tickets.js';
export { createHelpStore, type HelpRow, type HelpStore, type SignalDirection } from './help.js';
export { createDeskQueueStore, type DeskQueueRow, type DeskQueueStore } from './desk-queue.js';
export { pgListen, pgNotify, pgPing } from './pg-notify.js';
export { postgresValuesNotSealedWithCurrentKey, resealPostgresValues } from './pg-reseal-values.js';
