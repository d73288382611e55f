import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { SEAL_ALGORITHMS, type SealAlgorithm } from '../shared/at-rest/index.js';
import { DEFAULT_BLOB_RETENTION_DAYS } from './blob-maintenance.js';
import { DEFAULT_BLOB_GC_HOURS } from './blob-gc-schedule.js';
import type { HallLimits } from './limits.js';

export const DEFAULT_HALL_PORT = 8790;
/** 提前预警: warn when this many working days or fewer remain before a case's deadline. */
export const DEFAULT_WARN_DAYS = 2;
/** 好差评 follow-up: working days to rectify a bad review before it is 超期 (5, 7 or 15 are seen). */
export const DEFAULT_FOLLOWUP_DAYS = 5;
/** The hall's zone: calendar days (deadlines, 收件日) are counted in it. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export type HallConfig = {
  host: string;
  port: number;
  dataDir: string;
  /** Default DEFAULT_WARN_DAYS. */
  warnDays?: number;
  /** Default DEFAULT_FOLLOWUP_DAYS. */
  followupDays?: number;
  /** Default DEFAULT_TIME_ZONE. */
  timeZone?: string;
  /** Holiday calendar (JSON, see src/shared/working-days.ts); default the shipped resources/calendar/cn-holidays.json. */
  calendarPath?: string;
  /** The built staff page (index.html, app.js, app.css); default the repository's dist/staff. */
  staffPageDir?: string;
  /** Timeouts, connection cap, quotas, throttles, staff token life; unset ones take limits.ts defaults. */
  limits?: Partial<HallLimits>;
  /** Serve HTTPS with this PEM certificate (chain) and key: HALL_TLS_CERT, HALL_TLS_KEY. */
  tls?: { certPath: string; keyPath: string };
  /**
   * The at-rest key file (HALL_KEY_FILE): a root-only file the deployment provides (or unseals from
   * the TPM). Default `<dataDir>/hall.key`, created 0600 on first start.
   */
  keyFile?: string;
  /** HALL_SEAL_ALGORITHM: aes-256-gcm (default) or sm4-cbc-hmac-sm3 (国密). */
  algorithm?: SealAlgorithm;
  /** HALL_NAME, HALL_SEAL_TEXT: the hall's name and seal text on its documents (default: the wording file's). */
  hallName?: string;
  sealText?: string;
  /** HALL_DOCUMENT_FONT: the CJK font for documents (default Noto Sans CJK, src/shared/cjk-font.ts). */
  documentFontPath?: string;
  /**
   * HALL_SYNC_V2=0: leave out the batch-sync /v2 routes (docs/sync-protocol.md, 5e), so the hall
   * answers like one that predates them and v2 kiosks fall back to /v1. Default on.
   */
  syncV2?: boolean;
  /**
   * Scheduled blob GC (docs/blob-store.md, "Scheduled GC"): HALL_BLOB_GC_HOURS between runs (default
   * 24, 0 = off, fractions allowed) and HALL_BLOB_RETENTION_DAYS (default 30) an unreferenced blob
   * is kept after it arrived.
   */
  blobGc?: { everyHours: number; retentionDays: number };
  /**
   * HALL_NOTIFY_URL (postgres://…): the PostgreSQL every hall node shares for LISTEN/NOTIFY
   * (docs/deployment.md, "PostgreSQL for the notifier") — long-poll wake-ups, live desk events and
   * help calls cross the nodes. Unset: one node, everything in process.
   */
  notifyUrl?: string;
  /**
   * HALL_DATABASE_URL (postgres://…): keep the hall's data in PostgreSQL instead of
   * `<dataDir>/hall.db` (docs/deployment.md, docs/hall-store.md "PostgreSQL") — what several hall
   * nodes share. HALL_DATABASE_POOL: this node's connections (default 10). Unset: the embedded SQLite.
   * With it, HALL_NOTIFY_URL defaults to the same server.
   */
  databaseUrl?: string;
  databasePoolSize?: number;
};
export type HallConfigResult = { ok: true; config: HallConfig } | { ok: false; error: string };

/** A PostgreSQL connection URL with a host (the password is never echoed back in an error). */
const isPostgresUrl = (raw: string): boolean => {
  try {
    const u = new URL(raw);
    return (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && u.hostname !== '';
  } catch {
    return false;
  }
};

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/**
 * HALL_PORT (default 8790), HALL_HOST (default 127.0.0.1), HALL_DATA_DIR (default
 * ~/.local/share/zizhu-hall), HALL_WARN_DAYS (提前预警 threshold in working days, default 2),
 * HALL_FOLLOWUP_DAYS (working days to rectify a 差评 before it is 超期, default 5), HALL_TIME_ZONE
 * (default Asia/Shanghai), HALL_CALENDAR (holiday calendar JSON, default the shipped seed),
 * HALL_TLS_CERT and HALL_TLS_KEY (PEM files: serve HTTPS; both or neither), HALL_KEY_FILE and
 * HALL_SEAL_ALGORITHM (personal data at rest: docs/security.md), HALL_BLOB_GC_HOURS and
 * HALL_BLOB_RETENTION_DAYS (scheduled blob GC: docs/blob-store.md), HALL_DATABASE_URL and
 * HALL_DATABASE_POOL (the hall's data in PostgreSQL), HALL_NOTIFY_URL (the PostgreSQL
 * the nodes share for LISTEN/NOTIFY: docs/deployment.md), and the limits of
 * LIMIT_VARIABLES (docs/security.md, "The hall as an Internet-facing service").
 */
export function loadHallConfig(env: NodeJS.ProcessEnv = process.env): HallConfigResult {
  const port =
    env.HALL_PORT === undefined || env.HALL_PORT === '' ? DEFAULT_HALL_PORT : Number(env.HALL_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return { ok: false, error: `HALL_PORT must be a port number, got "${env.HALL_PORT}"` };
  }
  const int = (name: string, fallback: number, min: number): number | string => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    return /^\d+$/.test(raw) && Number.isSafeInteger(n) && n >= min && n <= 365
      ? n
      : `${name} must be a whole number of working days (${min}–365), got "${raw}"`;
  };
  const warnDays = int('HALL_WARN_DAYS', DEFAULT_WARN_DAYS, 0);
  if (typeof warnDays === 'string') return { ok: false, error: warnDays };
  const followupDays = int('HALL_FOLLOWUP_DAYS', DEFAULT_FOLLOWUP_DAYS, 1);
  if (typeof followupDays === 'string') return { ok: false, error: followupDays };
  const timeZone =
    env.HALL_TIME_ZONE && env.HALL_TIME_ZONE.length > 0 ? env.HALL_TIME_ZONE : DEFAULT_TIME_ZONE;
  if (!isTimeZone(timeZone))
    return { ok: false, error: `HALL_TIME_ZONE must be an IANA time zone, got "${timeZone}"` };
  const limits = loadHallLimits(env);
  if (typeof limits === 'string') return { ok: false, error: limits };
  const base =
    env.XDG_DATA_HOME && env.XDG_DATA_HOME.length > 0
      ? env.XDG_DATA_HOME
      : join(env.HOME ?? homedir(), '.local', 'share');
  const dataDir = resolve(
    env.HALL_DATA_DIR && env.HALL_DATA_DIR.length > 0 ? env.HALL_DATA_DIR : join(base, 'zizhu-hall'),
  );
  const cert = env.HALL_TLS_CERT ?? '';
  const key = env.HALL_TLS_KEY ?? '';
  if ((cert === '') !== (key === ''))
    return { ok: false, error: 'HALL_TLS_CERT and HALL_TLS_KEY go together: set both (HTTPS) or neither' };
  for (const [name, path] of [
    ['HALL_TLS_CERT', cert],
    ['HALL_TLS_KEY', key],
  ] as const)
    if (path !== '' && !existsSync(path)) return { ok: false, error: `${name}: file not found: ${path}` };
  const gcHours = env.HALL_BLOB_GC_HOURS ?? '';
  const everyHours = gcHours === '' ? DEFAULT_BLOB_GC_HOURS : Number(gcHours);
  if (!/^\d+(\.\d+)?$/.test(gcHours === '' ? '0' : gcHours) || !(everyHours >= 0 && everyHours <= 8760))
    return {
      ok: false,
      error: `HALL_BLOB_GC_HOURS must be a number of hours 0–8760 (0 = off), got "${gcHours}"`,
    };
  const keepDays = env.HALL_BLOB_RETENTION_DAYS ?? '';
  const retentionDays = keepDays === '' ? DEFAULT_BLOB_RETENTION_DAYS : Number(keepDays);
  if (!/^\d+$/.test(keepDays === '' ? '0' : keepDays) || retentionDays > 3650)
    return {
      ok: false,
      error: `HALL_BLOB_RETENTION_DAYS must be a whole number of days 0–3650, got "${keepDays}"`,
    };
  const notifyUrl = env.HALL_NOTIFY_URL ?? '';
  if (notifyUrl !== '' && !isPostgresUrl(notifyUrl))
    return {
      ok: false,
      error: 'HALL_NOTIFY_URL must be a postgres:// or postgresql:// connection URL (or unset for one node)',
    };
  const databaseUrl = env.HALL_DATABASE_URL ?? '';
  if (databaseUrl !== '' && !isPostgresUrl(databaseUrl))
    return {
      ok: false,
      error:
        'HALL_DATABASE_URL must be a postgres:// or postgresql:// connection URL (or unset for the embedded SQLite database)',
    };
  const poolRaw = env.HALL_DATABASE_POOL ?? '';
  const poolSize = poolRaw === '' ? undefined : Number(poolRaw);
  if (poolSize !== undefined && !(Number.isInteger(poolSize) && poolSize >= 1 && poolSize <= 200))
    return {
      ok: false,
      error: `HALL_DATABASE_POOL must be a whole number of connections 1–200, got "${poolRaw}"`,
    };
  const algorithm = env.HALL_SEAL_ALGORITHM ?? '';
  if (algorithm !== '' && !(SEAL_ALGORITHMS as readonly string[]).includes(algorithm))
    return {
      ok: false,
      error: `HALL_SEAL_ALGORITHM must be one of ${SEAL_ALGORITHMS.join(', ')}, got "${algorithm}"`,
    };
  return {
    ok: true,
    config: {
      ...(env.HALL_KEY_FILE && env.HALL_KEY_FILE.length > 0 ? { keyFile: resolve(env.HALL_KEY_FILE) } : {}),
      ...(algorithm !== '' ? { algorithm: algorithm as SealAlgorithm } : {}),
      ...(cert !== '' ? { tls: { certPath: resolve(cert), keyPath: resolve(key) } } : {}),
      host: env.HALL_HOST && env.HALL_HOST.length > 0 ? env.HALL_HOST : '127.0.0.1',
      port,
      dataDir,
      warnDays,
      followupDays,
      timeZone,
      ...(env.HALL_CALENDAR && env.HALL_CALENDAR.length > 0
        ? { calendarPath: resolve(env.HALL_CALENDAR) }
        : {}),
      ...(Object.keys(limits).length > 0 ? { limits } : {}),
      ...documentSettings(env),
      ...(env.HALL_SYNC_V2 === '0' || env.HALL_SYNC_V2 === 'false' ? { syncV2: false } : {}),
      blobGc: { everyHours, retentionDays },
      ...(notifyUrl !== '' ? { notifyUrl } : databaseUrl !== '' ? { notifyUrl: databaseUrl } : {}),
      ...(databaseUrl !== '' ? { databaseUrl } : {}),
      ...(poolSize !== undefined ? { databasePoolSize: poolSize } : {}),
    },
  };
}

/** HALL_NAME, HALL_SEAL_TEXT and HALL_DOCUMENT_FONT, when set (docs: README, "The hall's documents"). */
function documentSettings(
  env: NodeJS.ProcessEnv,
): Pick<HallConfig, 'hallName' | 'sealText' | 'documentFontPath'> {
  const text = (v: string | undefined) =>
    v !== undefined && v.trim() !== '' ? v.trim().slice(0, 80) : undefined;
  const hallName = text(env.HALL_NAME);
  const sealText = text(env.HALL_SEAL_TEXT);
  const font = text(env.HALL_DOCUMENT_FONT);
  return {
    ...(hallName ? { hallName } : {}),
    ...(sealText ? { sealText } : {}),
    ...(font ? { documentFontPath: resolve(font) } : {}),
  };
}

/** The environment variables of the hall's limits: name, field, unit factor, lowest and highest value. */
export const LIMIT_VARIABLES: readonly {
  name: string;
  field: keyof HallLimits;
  factor: number;
  min: number;
  max: number;
}[] = [
  { name: 'HALL_REQUEST_TIMEOUT_MS', field: 'requestTimeoutMs', factor: 1, min: 100, max: 3_600_000 },
  { name: 'HALL_HEADERS_TIMEOUT_MS', field: 'headersTimeoutMs', factor: 1, min: 100, max: 3_600_000 },
  { name: 'HALL_KEEPALIVE_TIMEOUT_MS', field: 'keepAliveTimeoutMs', factor: 1, min: 100, max: 3_600_000 },
  { name: 'HALL_MAX_CONNECTIONS', field: 'maxConnections', factor: 1, min: 1, max: 1_000_000 },
  { name: 'HALL_PARTIAL_QUOTA_MB', field: 'partialQuotaBytes', factor: 1024 * 1024, min: 1, max: 1_000_000 },
  { name: 'HALL_PARTIAL_MAX_AGE_HOURS', field: 'partialMaxAgeMs', factor: 3600_000, min: 1, max: 8760 },
  { name: 'HALL_MAX_FAILED_ATTEMPTS', field: 'maxFailedAttempts', factor: 1, min: 1, max: 10_000 },
  { name: 'HALL_ATTEMPT_WINDOW_MINUTES', field: 'attemptWindowMs', factor: 60_000, min: 1, max: 10_080 },
  { name: 'HALL_STAFF_TOKEN_HOURS', field: 'staffTokenHours', factor: 1, min: 1, max: 8760 },
];

function loadHallLimits(env: NodeJS.ProcessEnv): Partial<HallLimits> | string {
  const limits: Partial<HallLimits> = {};
  for (const v of LIMIT_VARIABLES) {
    const raw = env[v.name];
    if (raw === undefined || raw === '') continue;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < v.min || n > v.max)
      return `${v.name} must be a whole number from ${v.min} to ${v.max}, got "${raw}"`;
    limits[v.field] = n * v.factor;
  }
  return limits;
}
