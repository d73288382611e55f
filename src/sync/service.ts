/**
 * The sync client as the backend runs it: reads the enrolment from the kiosk database, runs the
 * background loop while enrolled, and answers the home screen's network indicator and the
 * technician console (status, "sync now", enrol). One object for the backend to start and stop.
 */
import type { StorageSpace } from '../shared/storage-space.js';
import { createSyncClient, type SyncClient } from './client.js';
import type { CycleResult, SyncStatus } from './cycle.js';
import { enrollKiosk } from './enroll.js';
import { checkHallUrl, pinnedFetch } from './hall-endpoint.js';
import type { DeviceHealth } from './hall-calls.js';
import type { SyncError } from './sync-error.js';
import type { FetchFn, SyncLogger } from './transport.js';
import type { NetworkStatus } from '../shared/index.js';
import { DEFAULT_RETENTION_MS, purgeAcknowledged, type PurgeResult } from './retention.js';
import { backlog, readEnrollment, readSyncState, type Enrollment, type SyncDb } from './store.js';
import type { DocumentHandlers, RecordHandlers } from './streams.js';

export type SyncServiceDeps = {
  db: SyncDb;
  /** <dataDir>/blobs — where the scanner's content-addressed files live. */
  blobDir: string;
  clock: () => Date;
  logger: SyncLogger;
  random?: () => number;
  fetch?: FetchFn;
  /** Called after every cycle of the background loop (e.g. to push a status event to the UI). */
  onCycle?: (result: CycleResult, network: NetworkStatus) => void;
  /** false: the /v1 routes only (client.ts `batchSync`). */
  batchSync?: boolean;
  requestTimeoutMs?: number;
  waitMs?: number;
  /** Personal data and scans are purged this long after the hall acknowledged them (default 30 days). */
  retentionMs?: number;
  /** How often the purge runs while started (default hourly). */
  purgeEveryMs?: number;
  /**
   * How often a started service looks for an enrolment written by another process (the CLI's
   * `sync enroll` on a running kiosk; default 5 s): a new identity restarts the loop under it.
   */
  enrolmentCheckMs?: number;
  /**
   * What the backend does with pulled hall documents (catalog, calendar, …; streams.ts). Without
   * it they are only stored in sync_records.
   */
  documents?: DocumentHandlers;
  /**
   * What the backend does with its own records when the hall answers: case statuses, acknowledged
   * entries, the retention purge (sync writes only its own tables).
   */
  records: RecordHandlers;
  /** Devices that are not fine (the device manager's healthSummary()), sent in the heartbeat. */
  health?: () => readonly DeviceHealth[];
  /** Software version sent in the heartbeat. */
  appVersion?: string;
  /** The data directory's free space, sent in the heartbeat (null: could not be read). */
  storage?: () => StorageSpace | null;
  /** Production refuses a non-loopback http:// hall and an https hall without a pinned CA. */
  mode?: 'production' | 'development';
  /**
   * The hall from the configuration file (docs/security.md, "Technician powers"): the only address
   * enrolment uses, and the CA (PEM text of `hall.ca`) its certificate must chain to.
   */
  hall?: { url?: string | undefined; ca?: string | undefined };
};

export type EnrollOutcome =
  { ok: true; kioskId: string; hallUrl: string; firstSeq: number } | { ok: false; error: SyncError };

export function createSyncService(deps: SyncServiceDeps) {
  let client: SyncClient | null = null;
  let loop: { stop(): Promise<void>; nudge(): void } | null = null;
  let enrollment: Enrollment | null = null;
  let purgeTimer: NodeJS.Timeout | null = null;
  let enrolmentTimer: NodeJS.Timeout | null = null;
  /** A switch to a new identity is under way (one at a time). */
  let switching = false;
  /** start() was called and stop() was not: an enrolment made meanwhile starts the loop. */
  let started = false;

  const mode = deps.mode ?? 'development';
  const ca = deps.hall?.ca;
  /** Tests hand in a fetch; a configured CA pins https; else the platform's fetch. */
  const fetchFn: FetchFn | undefined = deps.fetch ?? (ca ? pinnedFetch(ca) : undefined);

  /** The address may be used under this configuration, else why not (said to the technician). */
  function allowed(url: string): string | null {
    const u = checkHallUrl(url, mode);
    if (!u.ok) return u.error;
    if (mode === 'production' && u.value.protocol === 'https:' && !ca)
      return 'a production kiosk needs hall.ca (KIOSK_HALL_CA): the hall certificate or its CA to pin';
    return null;
  }

  function purge(): PurgeResult {
    const r = purgeAcknowledged({
      db: deps.db,
      blobDir: deps.blobDir,
      clock: deps.clock,
      records: deps.records,
      retentionMs: deps.retentionMs ?? DEFAULT_RETENTION_MS,
    });
    if (r.applications > 0 || r.blobs > 0) deps.logger.info(r, 'retention purge');
    return r;
  }

  const build = (e: Enrollment): SyncClient =>
    createSyncClient({
      db: deps.db,
      hallUrl: e.hallUrl,
      credentials: e,
      blobDir: deps.blobDir,
      clock: deps.clock,
      logger: deps.logger,
      random: deps.random ?? Math.random,
      ...(fetchFn ? { fetch: fetchFn } : {}),
      firstSeq: e.firstSeq,
      ...(deps.requestTimeoutMs ? { requestTimeoutMs: deps.requestTimeoutMs } : {}),
      ...(deps.waitMs ? { waitMs: deps.waitMs } : {}),
      ...(deps.health ? { health: deps.health } : {}),
      ...(deps.appVersion ? { appVersion: deps.appVersion } : {}),
      ...(deps.storage ? { storage: deps.storage } : {}),
      ...(deps.documents ? { documents: deps.documents } : {}),
      records: deps.records,
      ...(deps.batchSync === false ? { batchSync: false } : {}),
      ...(deps.onCycle ? { onCycle: (r: CycleResult) => deps.onCycle?.(r, networkStatus()) } : {}),
    });

  function networkStatus(): NetworkStatus {
    if (!client) return { state: 'not-enrolled' };
    return client.networkStatus();
  }

  function status(): SyncStatus & { enrolled: boolean; kioskId: string | null; hallUrl: string | null } {
    const s = readSyncState(deps.db);
    return {
      backlog: backlog(deps.db),
      lastSuccessAt: s.lastSuccessAt,
      lastError: s.lastError,
      lastErrorAt: s.lastErrorAt,
      online: s.online,
      enrolled: enrollment !== null,
      kioskId: enrollment?.kioskId ?? null,
      hallUrl: enrollment?.hallUrl ?? null,
    };
  }

  const sameIdentity = (a: Enrollment | null, b: Enrollment) =>
    a !== null && a.kioskId === b.kioskId && a.secret === b.secret && a.hallUrl === b.hallUrl;

  /** An enrolment another process stored (the CLI): the loop restarts under it. */
  async function pickUpEnrolment(): Promise<void> {
    if (switching || !started) return;
    const stored = readEnrollment(deps.db);
    if (stored === null || sameIdentity(enrollment, stored)) return;
    switching = true;
    try {
      deps.logger.info(
        { kioskId: stored.kioskId, hall: stored.hallUrl },
        'new enrolment found; sync restarts',
      );
      const l = loop;
      loop = null;
      if (l) await l.stop();
      client = null;
      enrollment = null;
      if (started) start();
    } finally {
      switching = false;
    }
  }

  /** Starts the background loop if the kiosk is enrolled (a no-op otherwise). */
  function start(): void {
    started = true;
    if (!enrolmentTimer) {
      enrolmentTimer = setInterval(() => {
        pickUpEnrolment().catch((e: unknown) => deps.logger.error({ err: e }, 'enrolment check failed'));
      }, deps.enrolmentCheckMs ?? 5000);
      enrolmentTimer.unref();
    }
    if (!purgeTimer) {
      const safePurge = () => {
        try {
          purge();
        } catch (e) {
          deps.logger.error({ err: e }, 'retention purge failed');
        }
      };
      safePurge();
      purgeTimer = setInterval(safePurge, deps.purgeEveryMs ?? 3600_000);
      purgeTimer.unref();
    }
    enrollment = readEnrollment(deps.db);
    if (!enrollment || loop) return;
    const refused = allowed(enrollment.hallUrl);
    if (refused !== null) {
      deps.logger.error({ hall: enrollment.hallUrl }, `sync not started: ${refused}`);
      return;
    }
    client = build(enrollment);
    loop = client.start();
    deps.logger.info({ kioskId: enrollment.kioskId, hall: enrollment.hallUrl }, 'sync started');
  }

  async function stop(): Promise<void> {
    started = false;
    if (purgeTimer) clearInterval(purgeTimer);
    purgeTimer = null;
    if (enrolmentTimer) clearInterval(enrolmentTimer);
    enrolmentTimer = null;
    const l = loop;
    loop = null;
    if (l) await l.stop();
  }

  return {
    start,
    stop,
    status,
    networkStatus,
    /** Shared licences the hall holds for this person (null: not enrolled, or no quick answer). */
    lookupLicences: (idNumber: string, materials: readonly string[]): Promise<ReadonlySet<string> | null> =>
      client ? client.lookupLicences(idNumber, materials) : Promise.resolve(null),
    /** The hall's queue service, when enrolled and online (null otherwise: the offline range is used). */
    takeTicket: (body: Parameters<SyncClient['takeTicket']>[0]) =>
      client && client.networkStatus().state === 'online' ? client.takeTicket(body) : Promise.resolve(null),
    queueStatus: (serviceDate: string): Promise<Record<string, number> | null> =>
      client && client.networkStatus().state === 'online'
        ? client.queueStatus(serviceDate)
        : Promise.resolve(null),
    /** 呼叫帮助 calls to the hall; null while the kiosk is not enrolled. */
    help: () => (client ? client.help : null),
    /** Call after committing an outbox row: the loop pushes at once instead of waiting. */
    nudge: () => loop?.nudge(),
    /** Runs the retention purge now (it also runs on start and hourly). */
    purge,
    /** One push + pull cycle now (technician "sync now"). */
    async runOnce(): Promise<CycleResult> {
      if (!client) {
        enrollment = readEnrollment(deps.db);
        if (!enrollment) return { ok: false, error: { kind: 'not-enrolled' }, backlog: backlog(deps.db) };
        const refused = allowed(enrollment.hallUrl);
        if (refused !== null)
          return { ok: false, error: { kind: 'hall-refused', message: refused }, backlog: backlog(deps.db) };
        client = build(enrollment);
      }
      return client.runOnce();
    },
    /** The hall address from the configuration (what the technician console shows), or null. */
    configuredHallUrl: (): string | null => deps.hall?.url ?? null,
    /**
     * Enrols with a one-time code at the configured hall (never a typed address), then (re)starts the
     * loop under the new identity. Rows an earlier hall acknowledged are not sent to the new one.
     */
    async enroll(code: string): Promise<EnrollOutcome> {
      const hallUrl = deps.hall?.url;
      if (!hallUrl)
        return {
          ok: false,
          error: {
            kind: 'hall-refused',
            message: 'no hall.url in the configuration file (or KIOSK_HALL_URL)',
          },
        };
      const refused = allowed(hallUrl);
      if (refused !== null) return { ok: false, error: { kind: 'hall-refused', message: refused } };
      const r = await enrollKiosk({
        db: deps.db,
        hallUrl,
        code,
        clock: deps.clock,
        ...(fetchFn ? { fetch: fetchFn } : {}),
      });
      if (!r.ok) return r;
      const wasStarted = started;
      await stop();
      client = null;
      enrollment = r.enrollment;
      if (wasStarted) start();
      else client = build(r.enrollment);
      return {
        ok: true,
        kioskId: r.enrollment.kioskId,
        hallUrl: r.enrollment.hallUrl,
        firstSeq: r.enrollment.firstSeq,
      };
    },
  };
}

export type SyncService = ReturnType<typeof createSyncService>;
