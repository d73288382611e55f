/**
 * Composition of the kiosk backend: open the store (migrate), load the catalog seed on first start,
 * build the services and listen on 127.0.0.1. Used by the Electron shell, `npm start`, the e2e tests
 * and the benchmarks alike.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KioskConfig } from './config.js';
import { createCaseStatusFeed, createEventBus } from './events.js';
import { createLogger, type Logger } from './logger.js';
import { appRoot, rendererDir as defaultRendererDir, resourcesDir } from './paths.js';
import { createServer } from './server.js';
import { catalogMeta, createCatalogService, ensureCatalog } from './services/catalog.js';
import { createStatusService } from './services/status.js';
import { createDeviceConsole, dataDirStorage } from './services/device-console.js';
import { createQueueService, loadWindowHours } from './services/queue.js';
import { createHelpCallService } from './services/help-call.js';
import { createTechnicianAuth } from './services/technician.js';
import { createResidentServices, loadSeedCalendar } from './services/resident.js';
import { loadSeedEvaluationItems } from './services/evaluations.js';
import { createHallDocuments } from './services/hall-documents.js';
import { createRecordHandlers } from './services/kiosk-records.js';
import { createDeviceManager, ticket, type DeviceUris } from '../devices/index.js';
import { randomUUID } from 'node:crypto';
import { createSyncService } from '../sync/index.js';
import { DEVICE_KINDS } from '../shared/index.js';
import { createConfigStore } from './store/config-store.js';
import { atRestOptions, openDatabase, type Db } from './store/db.js';
import { ensurePrivateDir, tightenTree } from '../shared/at-rest/index.js';

export type KioskBackend = {
  /** e.g. http://127.0.0.1:8787/ */
  url: string;
  port: number;
  db: Db;
  devices: ReturnType<typeof createDeviceManager>;
  /** Wakes the sync loop now (as a new outbox entry does); tests use it instead of waiting out a backoff. */
  nudgeSync(): void;
  close(): Promise<void>;
};

export type StartOptions = {
  config: KioskConfig;
  logger?: Logger;
  clock?: () => Date;
  rendererDir?: string;
  /** Pins the per-boot API secret (tests only). */
  token?: string;
};

/**
 * Why the backend did not start. `exitCode` is the process status the start-up should end with
 * (`EXIT_CORRUPT_DATABASE` for a damaged database), null for the generic failure status.
 */
export class BackendStartError extends Error {
  readonly exitCode: number | null;
  constructor(message: string, reason: 'corrupt-database' | 'other' = 'other') {
    super(message);
    this.name = 'BackendStartError';
    this.exitCode = reason === 'corrupt-database' ? EXIT_CORRUPT_DATABASE : null;
  }
}

/** The exit code a start refused for a start-up error carries, when it has one of its own. */
export function startErrorExitCode(e: unknown): number | null {
  return typeof e === 'object' && e !== null && 'exitCode' in e && typeof e.exitCode === 'number'
    ? e.exitCode
    : null;
}

/** The exit code of a start refused because the database is damaged (docs/store.md, "A damaged database"). */
export const EXIT_CORRUPT_DATABASE = 70;

/** What the technician reads when the database is damaged: what happened and the way back. */
export function corruptDatabaseMessage(detail: string): string {
  return `${detail}. The kiosk will not run on a damaged database. Technician: move kiosk.db, kiosk.db-wal and kiosk.db-shm aside (keep them for analysis), start the kiosk again (it creates an empty database), then re-enrol it with the hall (npm run cli -- sync enroll); applications the hall acknowledged are kept there — see docs/store.md, "A damaged database".`;
}

export function packageVersion(): string {
  const v = (JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8')) as { version?: unknown })
    .version;
  return typeof v === 'string' ? v : '0.0.0';
}

export async function startKioskBackend(opts: StartOptions): Promise<KioskBackend> {
  const { config } = opts;
  const logger = opts.logger ?? createLogger(config.logLevel);
  const clock = opts.clock ?? (() => new Date());
  // Personal data lives under the data directory: 0700 folders, 0600 files (older releases left
  // 0755 / 0644; tightened at every start).
  tightenTree(ensurePrivateDir(config.dataDir));
  const opened = openDatabase(join(config.dataDir, 'kiosk.db'), atRestOptions(config));
  if (!opened.ok) {
    if (opened.error === 'corrupt')
      throw new BackendStartError(corruptDatabaseMessage(opened.message), 'corrupt-database');
    throw new BackendStartError(opened.message);
  }
  const { db } = opened;
  if (opened.migratedFrom !== opened.migratedTo) {
    logger.info({ from: opened.migratedFrom, to: opened.migratedTo }, 'database migrated');
  }
  try {
    const seeded = ensureCatalog(db, join(resourcesDir(), 'catalog'), clock());
    if (!seeded.ok) throw new BackendStartError(seeded.error);
    if (seeded.loaded) logger.info({ version: seeded.version }, 'catalog loaded from seed');

    // Hall-owned documents (catalog, holiday calendar, evaluation items, kiosk settings, queue state)
    // pulled by the sync client; the seeds apply until the hall sends valid ones.
    // 排队取号's opening hours per window (src/shared/opening-hours.ts): the hall's published
    // `window-hours` document when it sent a valid one, else the configured file or the seed.
    const documents = createHallDocuments({
      db,
      clock,
      logger: logger.child({ component: 'hall-documents' }),
      seed: {
        calendar: loadSeedCalendar(resourcesDir()),
        evaluationItems: loadSeedEvaluationItems(resourcesDir()),
        windowHours: loadWindowHours(
          config.queue.hoursFile ?? join(resourcesDir(), 'calendar', 'window-hours.json'),
        ),
      },
    });
    const caughtUp = documents.catchUp();
    if (caughtUp > 0) logger.info({ records: caughtUp }, 'applied hall documents pulled earlier');

    const bus = createEventBus();
    // Case statuses from the hall, as the sync client records them (the 即办件 wait listens).
    const caseStatuses = createCaseStatusFeed();
    const status = createStatusService({
      config,
      bus,
      clock,
      catalogVersion: () => catalogMeta(db)?.version ?? null,
      hallSettings: documents.kioskSettings,
    });
    const devices = createDeviceManager({ uris: deviceUris(db, config), mode: config.mode, logger });
    // Offline-first: the sync loop runs in the background once the kiosk is enrolled; every cycle's
    // outcome reaches the home screen's network indicator through the event stream.
    const sync = createSyncService({
      db,
      blobDir: join(config.dataDir, 'blobs'),
      clock,
      logger: logger.child({ component: 'sync' }),
      onCycle: (_result, network) => status.setNetwork(network),
      documents: documents.handlers,
      records: createRecordHandlers({ db, onCaseStatus: caseStatuses.publish }),
      health: () => devices.healthSummary(),
      appVersion: packageVersion(), // hall fleet view (heartbeat)
      storage: () => {
        const s = dataDirStorage(config.dataDir);
        return s.ok ? { freeBytes: s.freeBytes, totalBytes: s.totalBytes } : null;
      },
      mode: config.mode,
      // The hall comes from the configuration file only (enrolment never takes a typed address);
      // its certificate is pinned to hall.ca (docs/security.md, "Transport and enrolment").
      hall: { url: config.hall.url, ca: config.hall.ca ? readFileSync(config.hall.ca, 'utf8') : undefined },
    });
    const queue = createQueueService({
      db,
      clock,
      logger,
      config: { ...config.queue, timeZone: config.timeZone, progressUrl: config.resident.progressUrl },
      hallName: () => {
        const hall = documents.kioskSettings();
        return { zh: hall.hallName ?? config.kiosk.hallName, en: hall.hallNameEn ?? config.kiosk.hallNameEn };
      },
      ticketPrinter: () => devices.ticketPrinter(),
      onOutbox: () => sync.nudge(),
      hall: { take: (body) => sync.takeTicket(body), status: (date) => sync.queueStatus(date) },
      hours: documents.windowHours,
      calendar: documents.calendar,
    });
    const deviceConsole = createDeviceConsole({
      db,
      devices,
      queue,
      logger,
      clock,
      dataDir: config.dataDir,
      mode: config.mode,
      kioskName: config.kiosk.name,
    });
    const catalog = createCatalogService(db);
    const resident = createResidentServices({
      db,
      config,
      catalog,
      devices,
      bus,
      logger,
      clock,
      sync,
      calendar: documents.calendar,
      evaluationItems: documents.evaluationItems,
      caseStatuses,
      onCardLeft: (left) => status.setCardLeft(left),
    });
    // 呼叫帮助: a request to the hall's staff desk, then a video call (services/help-call.ts).
    const help = createHelpCallService({
      config: () => ({
        hotline: config.help.hotline ?? documents.kioskSettings().hallPhone ?? config.kiosk.hallPhone,
        hours: config.help.hours,
        answerSeconds: config.help.answerSeconds,
        timeZone: config.timeZone,
      }),
      hall: () => sync.help(),
      bus,
      clock,
      logger: logger.child({ component: 'help' }),
    });
    const panel = config.queue.buttonPanel
      ? startButtonPanel(config.queue.buttonPanel, queue, logger, clock)
      : null;
    devices.onStatus((s) => status.setDeviceState(s.kind, s));
    devices.onFault((f) => deviceConsole.recordFault(f.kind, f.uri, f.state));
    const context = {
      catalog,
      status,
      bus,
      logger,
      clock,
      version: packageVersion(),
      mode: config.mode,
      devices,
      queue,
      tech: createTechnicianAuth({ db, clock, mode: config.mode }),
      deviceConsole,
      sync,
      resident,
      help,
    };
    const server = await createServer({
      context,
      logger,
      rendererDir: opts.rendererDir ?? defaultRendererDir(),
      ...(opts.token !== undefined ? { token: opts.token } : {}),
    });
    server.setPort(config.port);
    await server.app.listen({ host: '127.0.0.1', port: config.port });
    const address = server.app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    server.setPort(port);
    const url = `http://127.0.0.1:${port}/`;
    logger.info({ url, dataDir: config.dataDir, mode: config.mode }, 'kiosk backend listening');
    // Devices open after the screen is served: a slow or absent device never delays the kiosk,
    // and its state reaches the screen through the event stream.
    const devicesStarted = devices
      .start()
      .catch((e: unknown) => logger.error({ err: e }, 'device start failed'));
    status.setNetwork(sync.networkStatus());
    sync.start();

    let closed = false;
    return {
      url,
      port,
      db,
      devices,
      nudgeSync: () => sync.nudge(),
      async close() {
        if (closed) return;
        closed = true;
        help.close();
        await sync.stop();
        await resident.close();
        await devicesStarted;
        await devices.close();
        await panel?.handle.close();
        await server.app.close();
        db.close();
      },
    };
  } catch (e) {
    db.close();
    throw e;
  }
}

/**
 * Device addresses, strongest first: an environment variable (KIOSK_PRINTER …, folded into
 * config.devices by loadKioskConfig), then what a technician chose in the console (device_config),
 * then the configuration file, then `sim:`.
 */
export function deviceUris(db: Db, config: KioskConfig): DeviceUris {
  const saved = new Map(
    createConfigStore(db)
      .savedDevices()
      .map((r) => [r.kind, r.uri]),
  );
  const fromEnv = new Set(config.envDevices ?? []);
  return Object.fromEntries(
    DEVICE_KINDS.map((k) => [k, fromEnv.has(k) ? config.devices[k] : (saved.get(k) ?? config.devices[k])]),
  ) as DeviceUris;
}

/** Quiet time after a press during which the same button issues nothing more (a double press). */
export const PANEL_DEBOUNCE_MS = 2000;

function startButtonPanel(
  uri: string,
  queue: ReturnType<typeof createQueueService>,
  logger: Logger,
  clock: () => Date,
) {
  const made = ticket.createButtonPanel({ uri, logger: logger.child({ device: 'buttonPanel' }) });
  if (!made.ok) {
    logger.error({ uri, error: made.error }, 'ticket button panel not started');
    return null;
  }
  const lastPress = new Map<string, number>();
  made.value.onPress((window) => {
    const now = clock().getTime();
    if (now - (lastPress.get(window) ?? -Infinity) < PANEL_DEBOUNCE_MS) return;
    lastPress.set(window, now);
    queue.issue({ window, idempotencyKey: `panel-${randomUUID()}`, lang: 'zh' }).then(
      (r) =>
        r.ok
          ? logger.info(
              { number: r.value.ticket.number, print: r.value.ticket.printState },
              'ticket from the button panel',
            )
          : logger.warn({ error: r.error }, 'button panel press gave no ticket'),
      (e: unknown) => logger.error({ err: e }, 'button panel press failed'),
    );
  });
  return made.value;
}
