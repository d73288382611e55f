/**
 * `npm start`: run the kiosk on this machine.
 *
 * - With Electron's binary installed (and a display), it runs the Electron shell on the app and
 *   forwards signals to it and its exit status back.
 * - Without it (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1, e.g. on offline build machines) it
 *   starts the backend here and opens Chromium in kiosk/app mode on it when there is a browser and a
 *   display — otherwise it prints the URL to open in any browser (docs/architecture.md, "Processes").
 *
 * Ctrl-C / SIGTERM stop it cleanly: the browser is closed, the backend closed, exit 0.
 * Decisions are pure functions (`detectElectron`, `findBrowser`, `browserArgs`, …); `runStart` takes
 * every effect as a dependency so the whole flow runs in tests without real processes or signals.
 */
import { spawn as nodeSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { accessSync, existsSync, constants as fsConstants, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants as osConstants } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// Only what runs before the backend starts is imported here; the backend itself (fastify, the
// store, the devices …) is imported when it starts, so a bad configuration is reported at once.
import { loadKioskConfig, type KioskConfig } from '../backend/config.js';
import { createLogger, type Logger } from '../backend/logger.js';
import { appRoot } from '../backend/paths.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
/** Bad configuration, as for the other CLI commands. */
export const EXIT_CONFIG = 2;

/** Where `electron <appDir>` finds its entry (package.json "main"), relative to the app root. */
export const ELECTRON_ENTRY = join('dist', 'node', 'main', 'electron-main.js');

export const ELECTRON_MISSING_LINE =
  'Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD=1): serving the kiosk for a browser instead.';
/**
 * Production mode runs only in the Electron shell (issue 13, part 7; docs/security.md, "Production
 * mode"): a plain browser has none of its lockdown — devtools, shortcuts, navigation, permissions.
 */
export const BROWSER_REFUSED_IN_PRODUCTION =
  'Refusing to start: production mode runs only in the Electron kiosk shell, and it is not available here';
export const ELECTRON_NO_DISPLAY_LINE =
  'Electron is installed but no display is available (DISPLAY/WAYLAND_DISPLAY unset): serving the kiosk for a browser instead.';

// ---------------------------------------------------------------------------------------------
// Decisions

export type ElectronDetection = { kind: 'available'; binary: string } | { kind: 'missing'; reason: string };

/**
 * `resolveElectron` is `createRequire(...)('electron')`: the package's main module returns the
 * binary's path, or throws "Electron failed to install correctly" when the download was skipped.
 * The reported path must also exist (a half-removed dist/ directory is "missing" too).
 */
export function detectElectron(
  resolveElectron: () => unknown,
  exists: (path: string) => boolean,
): ElectronDetection {
  let reported: unknown;
  try {
    reported = resolveElectron();
  } catch (e) {
    return { kind: 'missing', reason: e instanceof Error ? e.message : String(e) };
  }
  if (typeof reported !== 'string' || reported.length === 0) {
    return { kind: 'missing', reason: 'the electron package did not report a binary path' };
  }
  if (!exists(reported)) return { kind: 'missing', reason: `${reported} does not exist` };
  return { kind: 'available', binary: reported };
}

/** Windows and macOS always have a display; X11/Wayland systems only inside a graphical session. */
export function hasDisplay(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): boolean {
  if (platform === 'win32' || platform === 'darwin') return true;
  return Boolean(env.DISPLAY) || Boolean(env.WAYLAND_DISPLAY);
}

export type BrowserChoice =
  { kind: 'found'; path: string } | { kind: 'disabled' } | { kind: 'not-found'; searched: readonly string[] };

/** Tried in order when KIOSK_BROWSER does not name one. */
export const BROWSER_CANDIDATES = [
  '/usr/bin/chromium',
  'chromium',
  'chromium-browser',
  'google-chrome',
  'google-chrome-stable',
] as const;

/**
 * The browser to open the kiosk in. `KIOSK_BROWSER=none` disables it; any other value (a path or a
 * command name looked up on PATH) replaces the built-in candidates.
 */
export function findBrowser(env: NodeJS.ProcessEnv, exists: (path: string) => boolean): BrowserChoice {
  const override = env.KIOSK_BROWSER?.trim() ?? '';
  if (override === 'none') return { kind: 'disabled' };
  const candidates: readonly string[] = override.length > 0 ? [override] : BROWSER_CANDIDATES;
  const dirs = (env.PATH ?? '').split(delimiter).filter((d) => d.length > 0);
  for (const candidate of candidates) {
    if (isAbsolute(candidate) || candidate.includes('/') || candidate.includes('\\')) {
      if (exists(candidate)) return { kind: 'found', path: candidate };
      continue;
    }
    for (const dir of dirs) {
      const path = join(dir, candidate);
      if (exists(path)) return { kind: 'found', path };
    }
  }
  return { kind: 'not-found', searched: candidates };
}

/**
 * Chromium flags for a kiosk window on the backend: kiosk + app mode, a profile of its own under
 * the data directory, no first-run UI, no background traffic, no keyring prompt, no pinch zoom or
 * swipe-back on the touch screen. The fake camera prompt is a development convenience only: in
 * production the browser's own permission prompt stays.
 */
export function browserArgs(url: string, config: Pick<KioskConfig, 'dataDir' | 'mode'>): string[] {
  return [
    '--kiosk',
    `--app=${url}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-pinch',
    '--overscroll-history-navigation=0',
    '--noerrdialogs',
    '--password-store=basic',
    `--user-data-dir=${join(config.dataDir, 'chromium-profile')}`,
    ...(config.mode === 'development' ? ['--use-fake-ui-for-media-stream'] : []),
  ];
}

/** Exit status of a child that ended by `signal`, as a shell reports it (128 + signal number). */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  if (signal !== null) return 128 + (osConstants.signals[signal] ?? 0);
  return EXIT_FAILURE;
}

// ---------------------------------------------------------------------------------------------
// The flow

type StopSignal = 'SIGINT' | 'SIGTERM';

/** The part of a ChildProcess the flow uses. */
export interface ChildHandle {
  kill(signal?: NodeJS.Signals): boolean;
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
  once(event: 'error', listener: (error: Error) => void): unknown;
}

export interface StartBackendHandle {
  url: string;
  close(): Promise<void>;
}

export interface StartDeps {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** `process.getuid()` where it exists: Chromium as root would need --no-sandbox, which we never pass. */
  uid: number | undefined;
  out: (line: string) => void;
  err: (line: string) => void;
  appRoot: () => string;
  /** An executable file exists at `path` (browser look-up). */
  exists: (path: string) => boolean;
  fileExists: (path: string) => boolean;
  detectElectron: () => ElectronDetection;
  loadKioskConfig: (input: {
    argv: readonly string[];
    env: NodeJS.ProcessEnv;
  }) => { ok: true; config: KioskConfig } | { ok: false; error: string };
  startKioskBackend: (opts: { config: KioskConfig; logger: Logger }) => Promise<StartBackendHandle>;
  createLogger: (level: string) => Logger;
  spawn: (command: string, args: readonly string[], options: SpawnOptions) => ChildHandle;
  /** Registers a signal handler; returns its removal. */
  onSignal: (signal: StopSignal, handler: () => void) => () => void;
  /** Immediate exit for a second Ctrl-C while stopping. */
  forceExit: (code: number) => void;
}

const isExecutable = (path: string): boolean => {
  try {
    accessSync(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
};

export function defaultStartDeps(): StartDeps {
  const require = createRequire(import.meta.url);
  return {
    argv: process.argv,
    env: process.env,
    platform: process.platform,
    uid: typeof process.getuid === 'function' ? process.getuid() : undefined,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    appRoot: () => appRoot(),
    exists: isExecutable,
    fileExists: existsSync,
    detectElectron: () => detectElectron(() => require('electron'), isExecutable),
    loadKioskConfig,
    startKioskBackend: async (opts) => (await import('../backend/index.js')).startKioskBackend(opts),
    // Logs go to stderr so stdout carries only the lines a person reads.
    createLogger: (level) => createLogger(level, process.stderr),
    spawn: (command, args, options): ChildProcess => nodeSpawn(command, [...args], options),
    onSignal: (signal, handler) => {
      process.on(signal, handler);
      return () => process.off(signal, handler);
    },
    forceExit: (code) => process.exit(code),
  };
}

/** Resolves on the first stop signal; a second one forces the exit. */
function waitForStopSignal(deps: StartDeps): { stopped: Promise<StopSignal>; dispose: () => void } {
  let resolveStop: (signal: StopSignal) => void = () => undefined;
  const stopped = new Promise<StopSignal>((resolve) => (resolveStop = resolve));
  let received = false;
  const handler = (signal: StopSignal) => () => {
    if (received) {
      deps.err('Forced exit.');
      deps.forceExit(EXIT_FAILURE);
      return;
    }
    received = true;
    resolveStop(signal);
  };
  const removers = [deps.onSignal('SIGINT', handler('SIGINT')), deps.onSignal('SIGTERM', handler('SIGTERM'))];
  return { stopped, dispose: () => removers.forEach((remove) => remove()) };
}

/** Runs the Electron shell on the app; resolves with its exit status. */
async function runElectron(deps: StartDeps, binary: string): Promise<number> {
  const root = deps.appRoot();
  if (!deps.fileExists(join(root, ELECTRON_ENTRY))) {
    deps.err(`Electron entry ${join(root, ELECTRON_ENTRY)} not found: run \`npm run build\` first.`);
    return EXIT_FAILURE;
  }
  // ELECTRON_RUN_AS_NODE would turn the binary into plain Node (the packaged app's fuse ignores it).
  const env: NodeJS.ProcessEnv = { ...deps.env };
  delete env.ELECTRON_RUN_AS_NODE;
  deps.out(`Starting the Electron kiosk shell (${binary}).`);
  const child = deps.spawn(binary, [root, ...deps.argv.slice(2)], { stdio: 'inherit', env });
  const removers = (['SIGINT', 'SIGTERM'] as const).map((signal) =>
    deps.onSignal(signal, () => child.kill(signal)),
  );
  try {
    return await new Promise<number>((resolve) => {
      child.once('error', (error) => {
        deps.err(`Could not start Electron: ${error.message}`);
        resolve(EXIT_FAILURE);
      });
      child.once('exit', (code, signal) => resolve(exitCodeOf(code, signal)));
    });
  } finally {
    removers.forEach((remove) => remove());
  }
}

/** Serves the kiosk from this process and opens a browser on it when possible. */
async function runForBrowser(deps: StartDeps, config: KioskConfig, banner: string): Promise<number> {
  deps.out(banner);
  const signals = waitForStopSignal(deps);
  let backend: StartBackendHandle;
  try {
    backend = await deps.startKioskBackend({ config, logger: deps.createLogger(config.logLevel) });
  } catch (e) {
    signals.dispose();
    deps.err(`Kiosk backend failed to start: ${e instanceof Error ? e.message : String(e)}`);
    // A damaged database ends with its own status (BackendStartError.exitCode, docs/store.md).
    const own = typeof e === 'object' && e !== null && 'exitCode' in e ? e.exitCode : null;
    return typeof own === 'number' ? own : EXIT_FAILURE;
  }
  const url = backend.url;
  deps.out(`Kiosk ready: ${url}`);

  let stopping = false;
  let browser: ChildHandle | null = null;
  const choice = findBrowser(deps.env, deps.exists);
  const noBrowser = (why: string) => deps.out(`No browser window (${why}): open ${url} in a browser.`);
  if (choice.kind === 'disabled') noBrowser('KIOSK_BROWSER=none');
  else if (choice.kind === 'not-found') noBrowser('no Chromium or Chrome found; set KIOSK_BROWSER to one');
  else if (!hasDisplay(deps.env, deps.platform))
    noBrowser('no display: DISPLAY and WAYLAND_DISPLAY are unset');
  else if (deps.uid === 0) noBrowser('running as root, where Chromium would need --no-sandbox');
  else {
    const child = deps.spawn(choice.path, browserArgs(url, config), { stdio: 'ignore' });
    browser = child;
    child.once('error', (error) => {
      browser = null;
      deps.err(`Could not start ${choice.path}: ${error.message}. Open ${url} in a browser.`);
    });
    child.once('exit', (code, signal) => {
      browser = null;
      if (!stopping)
        deps.out(`Browser exited (status ${exitCodeOf(code, signal)}); the kiosk is still served at ${url}`);
    });
    deps.out(`Opened ${choice.path} in kiosk mode. Press Ctrl-C here to stop.`);
  }

  const signal = await signals.stopped;
  stopping = true;
  deps.out(`Stopping (${signal})…`);
  browser?.kill('SIGTERM');
  try {
    await backend.close();
  } catch (e) {
    deps.err(`Kiosk backend did not close cleanly: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT_FAILURE;
  } finally {
    signals.dispose();
  }
  deps.out('Stopped.');
  return EXIT_OK;
}

/** The whole `npm start` flow; resolves with the process exit status. */
export async function runStart(deps: StartDeps): Promise<number> {
  const loaded = deps.loadKioskConfig({ argv: deps.argv, env: deps.env });
  if (!loaded.ok) {
    deps.err(`Configuration error: ${loaded.error}`);
    return EXIT_CONFIG;
  }
  const electron = deps.detectElectron();
  if (electron.kind === 'available' && hasDisplay(deps.env, deps.platform))
    return runElectron(deps, electron.binary);
  if (loaded.config.mode === 'production') {
    const why =
      electron.kind === 'available'
        ? 'no display (DISPLAY and WAYLAND_DISPLAY are unset)'
        : `the Electron binary is missing (${electron.reason})`;
    deps.err(`${BROWSER_REFUSED_IN_PRODUCTION}: ${why}.`);
    deps.err(
      'Install Electron and start it in a graphical session, or set mode "development" to serve a browser.',
    );
    return EXIT_CONFIG;
  }
  return runForBrowser(
    deps,
    loaded.config,
    electron.kind === 'available' ? ELECTRON_NO_DISPLAY_LINE : ELECTRON_MISSING_LINE,
  );
}

/** True when this module is the script node was started with (not when imported by a test). */
export function isEntryPoint(moduleUrl: string, scriptPath: string | undefined): boolean {
  if (scriptPath === undefined) return false;
  try {
    return realpathSync(fileURLToPath(moduleUrl)) === realpathSync(scriptPath);
  } catch {
    return false;
  }
}

if (isEntryPoint(import.meta.url, process.argv[1])) {
  runStart(defaultStartDeps()).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(
        `zizhu-kiosk start failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
      );
      process.exit(EXIT_FAILURE);
    },
  );
}
