/**
 * The resident services put together: session, applications, evaluations, the 即办件 wait, and the
 * bridge from device events (card, code reader) to the event stream. One object in the RPC context.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { DeviceManager } from '../../devices/index.js';
import { receiptNoFromCode, type ApplicationSummary } from '../../shared/index.js';
import { parseHolidayCalendar, type HolidayCalendar } from '../../shared/working-days.js';
import type { EvaluationItems } from '../../shared/evaluation.js';
import type { SyncService } from '../../sync/index.js';
import type { KioskConfig } from '../config.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../logger.js';
import type { Db } from '../store/db.js';
import { createApplicationsService, type Lang, type LicenceLookup } from './applications.js';
import type { CatalogService } from './catalog.js';
import { createEvaluationService } from './evaluations.js';
import { createSessionService } from './session.js';
import { createGuidePrinter } from './guide-print.js';
import { readFileSync } from 'node:fs';

export type DecisionResult =
  | { kind: 'offline' }
  | { kind: 'timeout'; application: ApplicationSummary }
  | { kind: 'decided'; application: ApplicationSummary; note: string | null }
  | { kind: 'not-immediate' };

const DECIDED = new Set(['completed', 'refused']);

/** A secret per kiosk that salts ID-number hashes (created once, kept in kiosk_config). */
export function kioskSalt(db: Db, now: Date): string {
  const row = db.prepare("SELECT value FROM kiosk_config WHERE key = 'resident.idSalt'").pluck().get() as
    string | undefined;
  if (row) return JSON.parse(row) as string;
  const salt = randomBytes(16).toString('hex');
  db.prepare("INSERT INTO kiosk_config (key, value, updated_at) VALUES ('resident.idSalt', ?, ?)").run(
    JSON.stringify(salt),
    now.toISOString(),
  );
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
  /** Polling step of the 即办件 wait (tests shorten it). */
  decisionPollMs?: number;
  /** The `lp` command (tests point it at a stand-in). */
  lpCommand?: string;
}) {
  const { db, config, devices, bus, clock, logger } = deps;
  const nudge = () => deps.sync?.nudge();
  const sessions = createSessionService({
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
  const evaluations = createEvaluationService({ db, clock, items: deps.evaluationItems, onOutbox: nudge });

  // Device events the screen reacts to, without personal data.
  const offCard = devices.onCard((e) => {
    if (e.type === 'card-present') bus.publish({ type: 'card', state: 'present' });
    else if (e.type === 'card-removed') bus.publish({ type: 'card', state: 'removed' });
    else bus.publish({ type: 'card', state: 'error' });
  });
  const offCode = devices.onCode((code) => bus.publish({ type: 'code', receiptNo: receiptNoFromCode(code) }));

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  return {
    sessions,
    applications,
    evaluations,
    guides,

    async awaitDecision(applicationId: string, lang: Lang): Promise<DecisionResult> {
      const first = applications.detail(applicationId);
      if (!first || first.caseType !== 'immediate') return { kind: 'not-immediate' };
      const network = deps.sync?.networkStatus();
      if (!deps.sync || network?.state !== 'online') return { kind: 'offline' };
      const deadline = clock().getTime() + config.resident.immediateWaitSeconds * 1000;
      const step = deps.decisionPollMs ?? 500;
      deps.sync.nudge();
      // Bounded: at most immediateWaitSeconds, polling the local store the sync loop writes into.
      while (clock().getTime() < deadline) {
        const d = applications.detail(applicationId);
        if (d && DECIDED.has(d.status)) {
          const note = [...d.history].reverse().find((h) => h.status === d.status)?.note ?? null;
          await applications.printDecision(applicationId, lang);
          return { kind: 'decided', application: d, note };
        }
        await sleep(step);
        deps.sync.nudge();
      }
      logger.info(
        { application: applicationId },
        '即办件: no decision within the wait; continues as an ordinary application',
      );
      return { kind: 'timeout', application: applications.detail(applicationId) ?? first };
    },

    async close(): Promise<void> {
      offCard();
      offCode();
      await sessions.close();
      await applications.close();
    },
  };
}
export type ResidentServices = ReturnType<typeof createResidentServices>;
