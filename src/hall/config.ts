import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

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
  /** Serve HTTPS with this PEM certificate (chain) and key: HALL_TLS_CERT, HALL_TLS_KEY. */
  tls?: { certPath: string; keyPath: string };
};
export type HallConfigResult = { ok: true; config: HallConfig } | { ok: false; error: string };

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
 * HALL_TLS_CERT and HALL_TLS_KEY (PEM files: serve HTTPS; both or neither).
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
  return {
    ok: true,
    config: {
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
    },
  };
}
