/**
 * 我要办事 on the backend (docs/resident-journey.md), put together from its parts:
 * - application-plan.ts — the apply plan of an item or a 一件事 bundle (kept in the session);
 * - application-submit.ts — the durable submission;
 * - application-receipts.ts — the receipt (收件材料接收凭证), reprints, the 即办件 decision slip;
 * - application-progress.ts — 进度查询: by receipt, by id, the identified applicant's own;
 * - application-supplement.ts — 补正 supplements;
 * - application-archive.ts — the archived application form (PDF), rendered in the background.
 * SQL lives in the stores (src/backend/store); these modules hold the rules.
 */
import { join } from 'node:path';
import type { DeviceManager } from '../../devices/index.js';
import type { ApplyPlan, ApplyTarget } from '../../shared/index.js';
import {
  notFound,
  ok,
  sessionExpired,
  type NotFound,
  type Result,
  type SessionExpired,
} from '../../shared/result.js';
import type { HolidayCalendar } from '../../shared/working-days.js';
import type { Logger } from '../logger.js';
import type { Db } from '../store/db.js';
import { createArchiveQueue, createArchiver } from './application-archive.js';
import { repairDataDir } from './storage-repair.js';
import type { ApplicationsConfig } from './application-common.js';
import { createPlanner, type LicenceLookup } from './application-plan.js';
import { createProgress } from './application-progress.js';
import { createCaseAccess, type ThrottleLimits } from './case-access.js';
import { createReceipts } from './application-receipts.js';
import { createSubmitter } from './application-submit.js';
import { createSupplements } from './application-supplement.js';
import type { CatalogService } from './catalog.js';
import type { SessionService } from './session.js';

export { createArchiver, readArchivedForm } from './application-archive.js';
export type { ApplicationsConfig, Lang } from './application-common.js';
export { buildPlan, type LicenceLookup } from './application-plan.js';
export type { MineError } from './application-progress.js';
export type { Submitted, SubmitError, SubmitInput, SubmitResult } from './application-submit.js';
export type { SupplementError, Supplemented } from './application-supplement.js';

/** Why there is no plan: the session lapsed, or the item or bundle is not in the catalog (any more). */
export type PlanError = SessionExpired | NotFound;

export function createApplicationsService(deps: {
  db: Db;
  catalog: CatalogService;
  sessions: SessionService;
  devices: DeviceManager;
  logger: Logger;
  clock: () => Date;
  config: ApplicationsConfig;
  calendar: () => HolidayCalendar;
  dataDir: string;
  licences?: LicenceLookup;
  onOutbox?: () => void;
  /** Receipt look-up throttle (case-access.ts); tests shorten it. */
  accessLimits?: Partial<ThrottleLimits>;
}) {
  const { db, catalog, sessions, clock, logger, config } = deps;
  const planner = createPlanner({ catalog, sessions, logger, licences: deps.licences });
  const access = createCaseAccess({
    db,
    sessions,
    catalog,
    idSalt: config.idSalt,
    clock,
    ...(deps.accessLimits ? { limits: deps.accessLimits } : {}),
  });
  const progress = createProgress({ db, catalog, sessions, access, idSalt: config.idSalt });
  const receipts = createReceipts({ db, catalog, devices: deps.devices, progress, access, clock, config });
  const archives = createArchiveQueue({
    db,
    archiver: createArchiver({ db, catalog, config, dataDir: deps.dataDir }),
    logger,
  });
  // Start-up repairs (a crash, an older release): leftovers removed, plain files sealed, and the
  // forms that never got archived queued again.
  const repaired = repairDataDir({ db, dataDir: deps.dataDir });
  if (repaired.tempFiles + repaired.strayArchives + repaired.sealedFiles + repaired.unarchived.length > 0)
    logger.info({ ...repaired, unarchived: repaired.unarchived.length }, 'data directory repaired at start');
  archives.enqueue(repaired.unarchived);
  const submit = createSubmitter({
    db,
    sessions,
    planner,
    progress,
    access,
    logger,
    clock,
    config,
    calendar: deps.calendar,
    blobDir: join(deps.dataDir, 'blobs'),
    onOutbox: deps.onOutbox,
    onSubmitted: (ids) => archives.enqueue(ids),
  });
  const supplement = createSupplements({ db, sessions, progress, access, clock, onOutbox: deps.onOutbox });

  return {
    /** The plan the screen shows; kept in the session, so the submit checks against the same plan. */
    async plan(sessionId: string, target: ApplyTarget): Promise<Result<ApplyPlan, PlanError>> {
      const held = sessions.held(sessionId);
      if (!held) return sessionExpired();
      const plan = await planner.plan(sessionId, held.applicant, target);
      return plan ? ok(plan) : notFound();
    },
    /** Whose case (case-access.ts): the one check before acting on an existing application. */
    access,
    submit,
    printSubmission: receipts.printSubmission,
    reprint: receipts.reprint,
    printDecision: receipts.printDecision,
    byReceipt: progress.byReceipt,
    /** One application, or null (for the backend's own use). */
    detail: progress.byId,
    /** One application as a person opened it: not-found when there is none (any more). */
    find: progress.find,
    forSession: progress.forSession,
    supplement,
    /** Regenerates the archived form when it is missing (a technician's reprint). */
    archiveFile: archives.file,
    close: archives.close,
  };
}
export type ApplicationsService = ReturnType<typeof createApplicationsService>;
