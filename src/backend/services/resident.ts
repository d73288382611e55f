/**
 * The resident services put together: session, applications, evaluations, the 即办件 wait, and the
 * bridge from device events (card, code reader) to the event stream. One object in the RPC context.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { DeviceManager } from '../../devices/index.js';
import { receiptFromCode, type ApplicationDetail, type ApplicationSummary } from '../../shared/index.js';
import { parseHolidayCalendar, type HolidayCalendar } from '../../shared/working-days.js';
import type { EvaluationItems } from '../../shared/evaluation.js';
import type { SyncService } from '../../sync/index.js';
import type { KioskConfig } from '../config.js';
import type { CaseStatusFeed, EventBus } from '../events.js';
import type { Logger } from '../logger.js';
import { createConfigStore } from '../store/config-store.js';
import type { Db } from '../store/db.js';
import { createApplicationsService, type Lang, type LicenceLookup } from './applications.js';
import type { CatalogService } from './catalog.js';
import { createEvaluationService } from './evaluations.js';
import { createSessionService } from './session.js';
import { createCardPresence } from './card-presence.js';
import { createGuidePrinter } from './guide-print.js';
import { readFileSync } from 'node:fs';
import { ok, type Result } from '../../shared/result.js';
import type { AccessError } from './case-access.js';

export type DecisionResult =
  | { kind: 'offline' }
  | { kind: 'timeout'; application: ApplicationSummary }
  | { kind: 'decided'; application: ApplicationSummary; note: string | null }
  | { kind: 'not-immediate' };

const DECIDED = new Set(['completed', 'refused']);

/** A secret per kiosk that salts ID-number hashes (created once, kept in kiosk_config). */
export function kioskSalt(db: Db, now: Date): string {
  const config = createConfigStore(db);
  const had = config.read<string>('resident.idSalt');
  if (had !== null) return had;
  const salt = randomBytes(16).toString('hex');
  config.writeSealed('resident.idSalt', salt, now.toISOString());
  return salt;
}

export function loadSeedCalendar(resourcesDir: string): HolidayCalendar {
  const parsed = parseHolidayCalendar(
    JSON.parse(readFileSync(join(resourcesDir, 'calendar', 'cn-holidays.json'), 'utf8')) as unknown,
  );
  if (!parsed.ok) throw new Error(`resources/calendar/cn-holidays.json: ${parsed.error}`);
  return parsed.value;
}

export function createResidentServices(deps: {
  db: Db;
  config: KioskConfig;
  catalog: CatalogService;
  devices: DeviceManager;
  bus: EventBus;
  logger: Logger;
  clock: () => Date;
  sync: SyncService | null;
  calendar: () => HolidayCalendar;
  evaluationItems: () => EvaluationItems;
  licences?: LicenceLookup;
  /** Case statuses as they arrive from the hall (the 即办件 wait listens to them). */
  caseStatuses: CaseStatusFeed;
  /**
   * How often the 即办件 wait nudges the sync loop again (default 5 s): the loop's long-poll brings
   * the decision at once; the nudge cuts short a backoff after a failed cycle.
   */
  decisionNudgeMs?: number;
  /** The `lp` command (tests point it at a stand-in). */
  lpCommand?: string;
  /** A card was left on the reader after a session, or taken (the status service shows the alarm). */
  onCardLeft?: (left: boolean) => void;
}) {
  const { db, config, devices, bus, clock, logger } = deps;
  const nudge = () => deps.sync?.nudge();
  const presence = createCardPresence({
    db,
    devices,
    clock,
    onLeftChange: (left) => deps.onCardLeft?.(left),
  });
  const sessions = createSessionService({
    presence,
    db,
    devices,
    blobDir: join(config.dataDir, 'blobs'),
    logger: logger.child({ component: 'session' }),
    clock,
    maxIdleMs: config.resident.backstopSeconds * 1000,
    onEnd: (reason) => bus.publish({ type: 'session-ended', reason }),
  });
  const applications = createApplicationsService({
    db,
    catalog: deps.catalog,
    sessions,
    devices,
    logger: logger.child({ component: 'applications' }),
    clock,
    config: {
      kioskCode: config.kiosk.code,
      jurisdiction: config.kiosk.jurisdiction,
      hallName: { zh: config.kiosk.hallName, en: config.kiosk.hallNameEn },
      hallPhone: config.kiosk.hallPhone,
      timeZone: config.timeZone,
      progressUrl: config.resident.progressUrl,
      idSalt: kioskSalt(db, clock()),
    },
    calendar: deps.calendar,
    dataDir: config.dataDir,
    // 电子证照 from the hall when it answers; otherwise the papers are asked for.
    licences:
      deps.licences ??
      ((idNumber, materials) => deps.sync?.lookupLicences(idNumber, materials) ?? Promise.resolve(null)),
    onOutbox: nudge,
  });
  const guides = createGuidePrinter({
    catalog: deps.catalog,
    devices,
    hallName: { zh: config.kiosk.hallName, en: config.kiosk.hallNameEn },
    a4Printer: config.printing.a4Printer ?? null,
    guideUrl: config.resident.progressUrl,
    ...(deps.lpCommand ? { lpCommand: deps.lpCommand } : {}),
  });
  const evaluations = createEvaluationService({
    db,
    clock,
    items: deps.evaluationItems,
    authorise: (sessionId, applicationId, code) =>
      applications.access.authorise(sessionId, applicationId, code),
    onOutbox: nudge,
  });

  // Device events the screen reacts to, without personal data.
  const offCard = devices.onCard((e) => {
    if (e.type === 'card-present') bus.publish({ type: 'card', state: 'present' });
    else if (e.type === 'card-removed') bus.publish({ type: 'card', state: 'removed' });
    else bus.publish({ type: 'card', state: 'error' });
  });
  // The receipt QR carries its access code (in the URL's fragment): the screen may use both at once.
  const offCode = devices.onCode((code) => {
    const receipt = receiptFromCode(code);
    bus.publish({
      type: 'code',
      receiptNo: receipt?.receiptNo ?? null,
      accessCode: receipt?.accessCode ?? null,
    });
  });

  const decided = (id: string): ApplicationDetail | null => {
    const d = applications.detail(id);
    return d && DECIDED.has(d.status) ? d : null;
  };

  /**
   * Bounded wait for the hall's decision on an application: answered when a case status for it
   * arrives (kiosk-records.ts announces it after its transaction commits), or with null — after a
   * last look at the store — when `ms` pass.
   */
  function waitForDecision(id: string, ms: number, sync: SyncService): Promise<ApplicationDetail | null> {
    return new Promise((resolve) => {
      let done = false;
      const finish = (d: ApplicationDetail | null) => {
        if (done) return;
        done = true;
        off();
        clearTimeout(timer);
        clearInterval(nudger);
        resolve(d);
      };
      const off = deps.caseStatuses.subscribe((e) => {
        if (e.applicationId !== id || !DECIDED.has(e.status)) return;
        const d = decided(id);
        if (d) finish(d);
      });
      const timer = setTimeout(() => finish(decided(id)), ms);
      const nudger = setInterval(() => sync.nudge(), deps.decisionNudgeMs ?? 5000);
      // Decided before the subscription (a fast hall), or never seen: look once now.
      const now = decided(id);
      if (now) finish(now);
      else sync.nudge();
    });
  }

  /** 即办件: bounded wait for the hall's decision, printed when it comes. */
  async function waitDecision(applicationId: string, lang: Lang): Promise<DecisionResult> {
    const first = applications.detail(applicationId);
    if (!first || first.caseType !== 'immediate') return { kind: 'not-immediate' };
    const sync = deps.sync;
    if (!sync || sync.networkStatus().state !== 'online') return { kind: 'offline' };
    // Bounded: at most immediateWaitSeconds; the sync loop is nudged to push the application now.
    const d = await waitForDecision(applicationId, config.resident.immediateWaitSeconds * 1000, sync);
    if (d) {
      const note = [...d.history].reverse().find((h) => h.status === d.status)?.note ?? null;
      await applications.printDecision(applicationId, lang);
      return { kind: 'decided', application: d, note };
    }
    logger.info(
      { application: applicationId },
      '即办件: no decision within the wait; continues as an ordinary application',
    );
    return { kind: 'timeout', application: applications.detail(applicationId) ?? first };
  }

  return {
    sessions,
    presence,
    applications,
    evaluations,
    guides,

    /** For a session that may act on the application (case-access.ts): the decision notes are the applicant's. */
    async awaitDecision(
      sessionId: string,
      applicationId: string,
      lang: Lang,
    ): Promise<Result<DecisionResult, AccessError>> {
      const allowed = applications.access.authorise(sessionId, applicationId);
      if (!allowed.ok) return allowed;
      return ok(await waitDecision(applicationId, lang));
    },

    async close(): Promise<void> {
      presence.close();
      offCard();
      offCode();
      await sessions.close();
      await applications.close();
    },
  };
}
export type ResidentServices = ReturnType<typeof createResidentServices>;
