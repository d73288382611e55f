/**
 * Kiosk configuration: a JSON or YAML file (path from `--config` or `KIOSK_CONFIG`) merged over the
 * defaults, then environment overrides. A fresh machine needs no file at all: simulated devices and a
 * per-user data directory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type * as YamlModule from 'yaml';
import { z } from 'zod';
import { SEAL_ALGORITHMS } from '../shared/at-rest/index.js';
import { lazyRequire } from '../shared/lazy-require.js';

/** Only a YAML configuration file needs the parser: a start without one does not load it. */
const yaml = lazyRequire<typeof YamlModule>('yaml');

export const DEFAULT_PORT = 8787;

const deviceUriSchema = z
  .string()
  .trim()
  .regex(/^(sim:|serial:|tcp:\/\/|usblp:|hid:|sane:|escl:|camera:|none:?)/, 'unknown device address scheme');

export const kioskConfigFileSchema = z
  .object({
    /** Production mode refuses simulators and simulator control. */
    mode: z.enum(['production', 'development']).default('development'),
    port: z.number().int().min(1).max(65535).default(DEFAULT_PORT),
    dataDir: z.string().min(1).optional(),
    kiosk: z
      .object({
        /** Shown on receipts and in the fleet view; the hall assigns the id at enrollment. */
        name: z.string().min(1).default('自助终端'),
        hallName: z.string().min(1).default('政务服务中心'),
        hallNameEn: z.string().min(1).default('Government Service Centre'),
        hallPhone: z.string().min(1).default('029-12345'),
        /** 属地 code (administrative division) the kiosk stands in. */
        jurisdiction: z
          .string()
          .regex(/^\d{6}$/)
          .default('611100'),
        /** Short code in front of this kiosk's receipt numbers (ZZ01-20261126-0001): unique per hall. */
        code: z
          .string()
          .regex(/^[A-Z0-9]{2,8}$/, 'kiosk.code is 2–8 capital letters or digits')
          .default('ZZ01'),
      })
      .prefault({}),
    devices: z
      .object({
        idcard: deviceUriSchema.default('sim:'),
        printer: deviceUriSchema.default('sim:'),
        ticketPrinter: deviceUriSchema.default('sim:'),
        scanner: deviceUriSchema.default('sim:'),
        codeReader: deviceUriSchema.default('sim:'),
      })
      .prefault({}),
    hall: z
      .object({
        /** The hall's base URL; enrolment goes only here (docs/security.md, "Technician powers"). */
        url: z.url().optional(),
        /**
         * PEM file of the hall's CA or its own certificate: the only one its TLS certificate may chain
         * to (relative to the configuration file). Required in production for an https hall.
         */
        ca: z.string().min(1).optional(),
      })
      .strict()
      .prefault({}),
    /** Time zone of the hall: service days, receipts and deadlines follow it. */
    timeZone: z.string().min(1).default('Asia/Shanghai'),
    queue: z
      .object({
        /** This kiosk's own number range for tickets issued while the hall is unreachable. */
        offlineRangeStart: z.number().int().min(1).max(999).default(900),
        offlineRangeEnd: z.number().int().min(1).max(999).default(999),
        /**
         * The dispenser's category button panel, e.g. hid:1a86:e026?buttons=zzlb,gcbj,swfw,bdcdj,ylsb
         * (docs/devices-ticket.md). Each press issues and prints a ticket.
         */
        buttonPanel: z.string().trim().min(1).optional(),
        /**
         * The windows' opening hours (JSON, src/shared/opening-hours.ts; relative to the configuration
         * file); default the shipped resources/calendar/window-hours.json. Outside them no ticket is issued.
         */
        hoursFile: z.string().trim().min(1).optional(),
      })
      .refine((q) => q.offlineRangeStart <= q.offlineRangeEnd, {
        message: 'offlineRangeStart must not exceed offlineRangeEnd',
      })
      .prefault({}),
    /** A system (CUPS) printer for A4 pages — guides, application forms; none by default. */
    printing: z.object({ a4Printer: z.string().trim().min(1).max(120).optional() }).prefault({}),
    resident: z
      .object({
        /** Screen inactivity before the countdown starts (seconds); doubled in elderly mode. */
        idleSeconds: z.number().int().min(5).max(900).default(90),
        /** The visible countdown before the session is wiped (seconds). */
        countdownSeconds: z.number().int().min(5).max(120).default(30),
        /** Backstop: the backend wipes a session nobody touched for this long (seconds). */
        backstopSeconds: z.number().int().min(120).max(7200).default(900),
        /** 即办件: how long the kiosk waits for the hall's decision before it becomes a normal application. */
        immediateWaitSeconds: z.number().int().min(1).max(600).default(60),
        /** Base of the progress link in the receipt's QR code (手机办); the hall's public progress page. */
        progressUrl: z.url().default('https://hall.example/zwfw'),
      })
      .prefault({}),
    /** 呼叫帮助 (docs/resident-journey.md, "Help at any hour"). */
    help: z
      .object({
        /** The number offered when nobody can answer; default: kiosk.hallPhone (or the hall's). */
        hotline: z.string().trim().min(1).max(40).optional(),
        /**
         * When the desk is staffed, in the hall's time zone: days 0 (Sunday) … 6, from–to HH:MM.
         * Empty (the default): any hour — whether someone answers is then up to the desk.
         */
        hours: z
          .array(
            z
              .object({
                days: z.array(z.number().int().min(0).max(6)).min(1).max(7),
                from: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'),
                to: z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'HH:MM'),
              })
              .refine((h) => h.from < h.to, { message: 'from must be before to' }),
          )
          .max(14)
          .default([]),
        /** How long a request waits for staff before the kiosk offers the hotline instead. */
        answerSeconds: z.number().int().min(5).max(600).default(90),
      })
      .prefault({}),
    /**
     * Personal data at rest (docs/security.md, "Personal data at rest"): the key file (default
     * <dataDir>/kiosk.key, created on first start; a configured one must exist) and the algorithm new
     * values are sealed with (`sm4-cbc-hmac-sm3` where 国密 is required).
     */
    security: z
      .object({
        keyFile: z.string().min(1).optional(),
        algorithm: z.enum(SEAL_ALGORITHMS).default('aes-256-gcm'),
      })
      .prefault({}),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .strict();

export type KioskConfig = z.infer<typeof kioskConfigFileSchema> & {
  /** Resolved absolute data directory. */
  dataDir: string;
  /** Where the configuration came from, for the technician console and logs. */
  source: string | null;
  /** Devices whose address an environment variable set (these win over the technician console). */
  envDevices?: string[];
};

export type ConfigResult = { ok: true; config: KioskConfig } | { ok: false; error: string };

/** Default data directory: $XDG_DATA_HOME/zizhu-kiosk, %LOCALAPPDATA%\zizhu-kiosk on Windows. */
export function defaultDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'zizhu-kiosk');
  const xdg = env.XDG_DATA_HOME;
  return join(xdg && xdg.length > 0 ? xdg : join(env.HOME ?? homedir(), '.local', 'share'), 'zizhu-kiosk');
}

function configPathFrom(argv: readonly string[], env: NodeJS.ProcessEnv): string | null {
  const i = argv.indexOf('--config');
  if (i >= 0) return argv[i + 1] ?? null;
  const eq = argv.find((a) => a.startsWith('--config='));
  if (eq) return eq.slice('--config='.length);
  return env.KIOSK_CONFIG && env.KIOSK_CONFIG.length > 0 ? env.KIOSK_CONFIG : null;
}

const ENV_DEVICE_OVERRIDES = {
  KIOSK_IDCARD: 'idcard',
  KIOSK_PRINTER: 'printer',
  KIOSK_TICKET_PRINTER: 'ticketPrinter',
  KIOSK_SCANNER: 'scanner',
  KIOSK_CODE_READER: 'codeReader',
} as const;

/**
 * Reads the configuration. A missing file named explicitly, a file that does not parse, or a value
 * out of range is an error value with a message a technician can act on — never a crash.
 */
export function loadKioskConfig(
  input: { argv?: readonly string[]; env?: NodeJS.ProcessEnv } = {},
): ConfigResult {
  const env = input.env ?? process.env;
  const argv = input.argv ?? process.argv;
  const path = configPathFrom(argv, env);
  let raw: unknown = {};
  if (path !== null) {
    if (!existsSync(path)) return { ok: false, error: `configuration file not found: ${path}` };
    try {
      const text = readFileSync(path, 'utf8');
      raw = path.endsWith('.json') ? JSON.parse(text) : (yaml().parse(text) ?? {});
    } catch (e) {
      return { ok: false, error: `configuration file ${path} is not valid: ${(e as Error).message}` };
    }
  }
  const parsed = kioskConfigFileSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, error: `configuration ${path ?? '(defaults)'}: ${z.prettifyError(parsed.error)}` };
  }
  const config = parsed.data;
  if (env.KIOSK_PORT !== undefined && env.KIOSK_PORT !== '') {
    const port = Number(env.KIOSK_PORT);
    // Port 0 asks the OS for a free port (tests, several kiosks on one machine).
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      return { ok: false, error: `KIOSK_PORT must be a port number, got "${env.KIOSK_PORT}"` };
    }
    config.port = port;
  }
  const envDevices: string[] = [];
  for (const [name, key] of Object.entries(ENV_DEVICE_OVERRIDES)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const uri = deviceUriSchema.safeParse(value);
    if (!uri.success) return { ok: false, error: `${name}: unknown device address "${value}"` };
    config.devices[key] = uri.data;
    envDevices.push(key);
  }
  if (env.KIOSK_MODE === 'production' || env.KIOSK_MODE === 'development') config.mode = env.KIOSK_MODE;
  if (env.KIOSK_HALL_URL) {
    const url = z.url().safeParse(env.KIOSK_HALL_URL);
    if (!url.success) return { ok: false, error: `KIOSK_HALL_URL is not a URL: "${env.KIOSK_HALL_URL}"` };
    config.hall.url = url.data;
  }
  if (env.KIOSK_HALL_CA) config.hall.ca = resolve(env.KIOSK_HALL_CA);
  else if (config.hall.ca !== undefined && path !== null)
    config.hall.ca = resolve(dirname(resolve(path)), config.hall.ca);
  if (config.hall.ca !== undefined && !existsSync(config.hall.ca))
    return { ok: false, error: `hall.ca: certificate file not found: ${config.hall.ca}` };
  if (env.KIOSK_QUEUE_HOURS) config.queue.hoursFile = resolve(env.KIOSK_QUEUE_HOURS);
  else if (config.queue.hoursFile !== undefined && path !== null)
    config.queue.hoursFile = resolve(dirname(resolve(path)), config.queue.hoursFile);
  if (config.queue.hoursFile !== undefined && !existsSync(config.queue.hoursFile))
    return { ok: false, error: `queue.hoursFile: file not found: ${config.queue.hoursFile}` };
  if (env.KIOSK_KEY_FILE) config.security.keyFile = resolve(env.KIOSK_KEY_FILE);
  const dataDir = resolve(
    env.KIOSK_DATA_DIR && env.KIOSK_DATA_DIR.length > 0
      ? env.KIOSK_DATA_DIR
      : (config.dataDir ?? defaultDataDir(env)),
  );
  return { ok: true, config: { ...config, dataDir, source: path, envDevices } };
}

/** The built-in defaults (simulated devices) with the given data directory. */
export function defaultKioskConfig(dataDir: string, overrides: Partial<KioskConfig> = {}): KioskConfig {
  return { ...kioskConfigFileSchema.parse({}), dataDir, source: null, envDevices: [], ...overrides };
}
