/**
 * The kiosk shell's wiring, with every Electron module and backend function passed in so the whole
 * start-up can run under Vitest with fakes. `electron-main.ts` calls this with the real modules.
 *
 * Order matters:
 * 1. single-instance lock — a second copy exits at once (and focuses the first);
 * 2. guards for every webContents are registered before any can exist;
 * 3. after `ready`: configuration (a configuration error is shown in a dialog, then exit ≠ 0),
 *    no application menu, no display sleep, session guards (permissions, CSP, downloads);
 * 4. the backend starts in-process; its URL defines the one app origin;
 * 5. one locked-down window loads that URL, watched by crash recovery;
 * 6. quitting closes the backend before the process goes.
 */
import type {
  BrowserWindowConstructorOptions,
  Details as ChildProcessGoneDetails,
  Event as ElectronEvent,
  RenderProcessGoneDetails,
} from 'electron';
import type { KioskConfig, Logger } from '../backend/index.js';
import {
  createCrashRecovery,
  systemClock,
  type Clock,
  type CrashRecovery,
  type CrashRecoveryOptions,
} from './crash-recovery.js';
import {
  appOriginOf,
  installSessionGuards,
  installWebContentsGuards,
  type GuardedSession,
  type GuardedWebContents,
} from './security.js';
import { kioskWindowOptions } from './window-options.js';
import { debugSwitchRefusal, findDebugSwitch } from './debug-switches.js';

/** Exit codes (sysexits.h): systemd's journal shows why the kiosk stopped. */
export const EXIT_OK = 0;
export const EXIT_STARTUP_FAILURE = 70; // EX_SOFTWARE: the backend could not start
export const EXIT_RELAUNCH = 75; // EX_TEMPFAIL: relaunching after repeated renderer failures
export const EXIT_CONFIG_ERROR = 78; // EX_CONFIG

/** How long quitting waits for the backend to close before leaving anyway. */
export const BACKEND_CLOSE_TIMEOUT_MS = 5_000;

/**
 * Chromium switches that open the page to a debugger. The fuses disable Node's inspector but not
 * Chromium's remote debugging, so a packaged kiosk refuses to start with them.
 */
export const FORBIDDEN_PACKAGED_SWITCHES = [
  'remote-debugging-port',
  'remote-debugging-pipe',
  'remote-allow-origins',
] as const;

export interface ShellApp {
  readonly isPackaged: boolean;
  readonly commandLine: { hasSwitch(name: string): boolean };
  requestSingleInstanceLock(): boolean;
  whenReady(): Promise<void>;
  quit(): void;
  exit(exitCode?: number): void;
  relaunch(): void;
  on(event: 'second-instance', listener: () => void): unknown;
  on(
    event: 'web-contents-created',
    listener: (event: ElectronEvent, contents: GuardedWebContents) => void,
  ): unknown;
  on(
    event: 'child-process-gone',
    listener: (event: ElectronEvent, details: ChildProcessGoneDetails) => void,
  ): unknown;
  on(event: 'before-quit', listener: (event: ElectronEvent) => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
}

export interface ShellWebContents {
  loadURL(url: string): Promise<void>;
  forcefullyCrashRenderer(): void;
  isDestroyed(): boolean;
  on(
    event: 'render-process-gone',
    listener: (event: ElectronEvent, details: RenderProcessGoneDetails) => void,
  ): unknown;
  on(
    event: 'did-fail-load',
    listener: (
      event: ElectronEvent,
      errorCode: number,
      errorDescription: string,
      validatedURL: string,
      isMainFrame: boolean,
    ) => void,
  ): unknown;
}

export interface ShellWindow {
  readonly webContents: ShellWebContents;
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
  on(event: 'unresponsive' | 'responsive', listener: () => void): unknown;
  on(event: 'close', listener: (event: ElectronEvent) => void): unknown;
}

export type ConfigLoadResult = { ok: true; config: KioskConfig } | { ok: false; error: string };

export interface ShellBackend {
  url: string;
  close(): Promise<void>;
}

/** Listens for signals and main-process faults (the real `process`). */
export interface ProcessEvents {
  on(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  on(event: 'uncaughtException', listener: (error: Error) => void): unknown;
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
}

export interface KioskShellDeps {
  app: ShellApp;
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => ShellWindow;
  /** Electron's `session` module; `defaultSession` is read only after `ready`. */
  session: { readonly defaultSession: GuardedSession };
  powerSaveBlocker: { start(type: 'prevent-app-suspension' | 'prevent-display-sleep'): number };
  Menu: { setApplicationMenu(menu: null): void };
  dialog: { showErrorBox(title: string, content: string): void };
  loadKioskConfig: (input: { argv: readonly string[]; env: NodeJS.ProcessEnv }) => ConfigLoadResult;
  startKioskBackend: (opts: { config: KioskConfig; logger: Logger }) => Promise<ShellBackend>;
  logger: Logger;
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  processEvents: ProcessEvents;
  clock?: Clock;
  crashRecovery?: Partial<CrashRecoveryOptions>;
}

export type ShellOutcome =
  | { kind: 'not-primary-instance' }
  | { kind: 'forbidden-switch'; name: string }
  | { kind: 'config-error'; error: string }
  | { kind: 'backend-failed'; error: string }
  | { kind: 'quit-during-startup' }
  | { kind: 'running'; window: ShellWindow; backend: ShellBackend; recovery: CrashRecovery };

const ERR_ABORTED = -3; // net::ERR_ABORTED: a navigation replaced by another one, not a failure

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function runKioskShell(deps: KioskShellDeps): Promise<ShellOutcome> {
  const { app, logger, dialog } = deps;
  const clock = deps.clock ?? systemClock;

  if (!app.requestSingleInstanceLock()) {
    logger.info({}, 'another kiosk shell is running; exiting');
    app.exit(EXIT_OK);
    return { kind: 'not-primary-instance' };
  }

  let appOrigin: string | null = null;
  let window: ShellWindow | null = null;
  let backend: ShellBackend | null = null;
  let recovery: CrashRecovery | null = null;
  let quitting = false;
  /** Settles once the backend has closed (or the close timed out); null until closing starts. */
  let backendClosing: Promise<void> | null = null;
  let backendClosed = false;
  /** Locked down as a packaged kiosk is: packaged, or configured for production (set below). */
  let lockedDown = app.isPackaged;

  app.on('second-instance', () => {
    if (window === null || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  app.on('web-contents-created', (_event, contents) => {
    installWebContentsGuards(contents, { appOrigin: () => appOrigin, packaged: lockedDown, logger });
  });

  /** Closes the backend once, never waiting longer than the timeout; later calls share the first. */
  const closeBackend = (): Promise<void> => {
    if (backend === null) return Promise.resolve();
    if (backendClosing !== null) return backendClosing;
    const closing = backend;
    let cancelTimer: () => void = () => undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      cancelTimer = clock.schedule(() => resolve('timeout'), BACKEND_CLOSE_TIMEOUT_MS);
    });
    backendClosing = (async () => {
      try {
        const result = await Promise.race([closing.close().then(() => 'closed' as const), timeout]);
        if (result === 'timeout') logger.warn({}, 'backend did not close in time; quitting anyway');
      } catch (e) {
        logger.error({ err: messageOf(e) }, 'backend failed to close');
      } finally {
        cancelTimer();
        backendClosed = true;
      }
    })();
    return backendClosing;
  };

  app.on('before-quit', (event) => {
    quitting = true;
    recovery?.stop();
    if (backend === null || backendClosed) return;
    // Hold the quit until the backend has closed its server and database, then quit again. A
    // second quit request meanwhile (Ctrl-C arrives twice: from the terminal and from `npm start`)
    // is held the same way rather than cutting the close short.
    event.preventDefault();
    const first = backendClosing === null;
    const closing = closeBackend();
    if (first) void closing.then(() => app.quit());
  });
  app.on('window-all-closed', () => app.quit());
  deps.processEvents.on('SIGTERM', () => app.quit());
  deps.processEvents.on('SIGINT', () => app.quit());

  const relaunch = (why: string): void => {
    logger.error({ why }, 'relaunching the kiosk');
    quitting = true;
    app.relaunch();
    void closeBackend().then(() => app.exit(EXIT_RELAUNCH));
  };
  // A fault in the main process leaves it in an unknown state: start afresh.
  deps.processEvents.on('uncaughtException', (error) => relaunch(`uncaught exception: ${error.message}`));
  deps.processEvents.on('unhandledRejection', (reason) =>
    relaunch(`unhandled rejection: ${messageOf(reason)}`),
  );

  await app.whenReady();

  if (app.isPackaged) {
    const forbidden = FORBIDDEN_PACKAGED_SWITCHES.find((name) => app.commandLine.hasSwitch(name));
    if (forbidden !== undefined) {
      logger.error({ switch: forbidden }, 'refusing to run a packaged kiosk with remote debugging');
      dialog.showErrorBox(
        'Zizhu Kiosk',
        `Refusing to start: --${forbidden} is not allowed on a packaged kiosk.`,
      );
      app.exit(EXIT_CONFIG_ERROR);
      return { kind: 'forbidden-switch', name: forbidden };
    }
  }

  const loaded = deps.loadKioskConfig({ argv: deps.argv, env: deps.env });
  if (!loaded.ok) {
    logger.error({ error: loaded.error }, 'kiosk configuration error');
    dialog.showErrorBox('Zizhu Kiosk — configuration error / 配置错误', loaded.error);
    app.exit(EXIT_CONFIG_ERROR);
    return { kind: 'config-error', error: loaded.error };
  }
  const { config } = loaded;
  logger.level = config.logLevel;
  // Production mode means production even unpackaged (started from a checkout with `npm start`):
  // no debugging switch, no developer tools (debug-switches.ts; docs/security.md, "Production mode").
  lockedDown ||= config.mode === 'production';
  if (lockedDown) {
    const found = findDebugSwitch({
      hasSwitch: (n) => app.commandLine.hasSwitch(n),
      argv: deps.argv,
      env: deps.env,
    });
    if (found !== null) {
      const message = debugSwitchRefusal(found);
      logger.error({ switch: found }, 'refusing to run a production kiosk with a debugging switch');
      dialog.showErrorBox('Zizhu Kiosk', message);
      app.exit(EXIT_CONFIG_ERROR);
      return { kind: 'forbidden-switch', name: found };
    }
  }

  deps.Menu.setApplicationMenu(null);
  const blockerId = deps.powerSaveBlocker.start('prevent-display-sleep');
  logger.info({ blockerId }, 'display sleep blocked');
  installSessionGuards(deps.session.defaultSession, { appOrigin: () => appOrigin, logger });

  try {
    backend = await deps.startKioskBackend({ config, logger });
  } catch (e) {
    const error = messageOf(e);
    logger.error({ error }, 'kiosk backend failed to start');
    dialog.showErrorBox('Zizhu Kiosk — start-up failure / 启动失败', error);
    app.exit(EXIT_STARTUP_FAILURE);
    return { kind: 'backend-failed', error };
  }
  if (quitting) {
    // A quit (SIGTERM, a second Ctrl-C) arrived while the backend was starting.
    await closeBackend();
    return { kind: 'quit-during-startup' };
  }
  const appUrl = backend.url;
  appOrigin = appOriginOf(appUrl);
  if (appOrigin === null) {
    const error = `backend URL is not http(s): ${appUrl}`;
    logger.error({ error }, 'kiosk backend failed to start');
    await closeBackend();
    app.exit(EXIT_STARTUP_FAILURE);
    return { kind: 'backend-failed', error };
  }

  const win = new deps.BrowserWindow(kioskWindowOptions({ packaged: lockedDown }));
  window = win;
  const load = (): void => {
    win.webContents.loadURL(appUrl).catch((e: unknown) => {
      // did-fail-load reports the failure to crash recovery; this only keeps the rejection handled.
      logger.warn({ err: messageOf(e) }, 'loading the kiosk page failed');
    });
  };
  const activeRecovery = createCrashRecovery({
    target: {
      reload: load,
      killRenderer: () => win.webContents.forcefullyCrashRenderer(),
      isDestroyed: () => win.isDestroyed() || win.webContents.isDestroyed(),
    },
    relaunch: () => relaunch('repeated page failures'),
    clock,
    logger,
    ...(deps.crashRecovery === undefined ? {} : { options: deps.crashRecovery }),
  });
  recovery = activeRecovery;

  win.webContents.on('render-process-gone', (_event, details) => {
    activeRecovery.reportFailure('render-process-gone', details.reason);
  });
  win.webContents.on('did-fail-load', (_event, errorCode, errorDescription, _url, isMainFrame) => {
    if (!isMainFrame || errorCode === ERR_ABORTED) return;
    activeRecovery.reportFailure('load-failed', `${errorCode} ${errorDescription}`);
  });
  win.on('unresponsive', () => activeRecovery.reportFailure('unresponsive'));
  win.on('responsive', () => activeRecovery.reportResponsive());
  app.on('child-process-gone', (_event, details) => {
    activeRecovery.reportFailure('child-process-gone', details.reason);
  });
  // Alt+F4 and the window manager's close button reach the window even when the key filter cannot
  // see them (Windows handles Alt+F4 itself): only a quit may close the kiosk window.
  win.on('close', (event) => {
    if (!quitting) event.preventDefault();
  });

  load();
  logger.info({ url: appUrl, packaged: app.isPackaged }, 'kiosk window loading');
  return { kind: 'running', window: win, backend, recovery: activeRecovery };
}
