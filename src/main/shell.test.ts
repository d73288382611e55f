import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindowConstructorOptions } from 'electron';
import { defaultKioskConfig } from '../backend/config.js';
import type { KioskConfig } from '../backend/index.js';
import {
  KIOSK_CSP,
  type GuardedSession,
  type HeadersReceivedListener,
  type PermissionCheckHandler,
} from './security.js';
import {
  BACKEND_CLOSE_TIMEOUT_MS,
  EXIT_CONFIG_ERROR,
  EXIT_OK,
  EXIT_RELAUNCH,
  EXIT_STARTUP_FAILURE,
  runKioskShell,
  type ConfigLoadResult,
  type KioskShellDeps,
  type ShellBackend,
} from './shell.js';

const APP_URL = 'http://127.0.0.1:8787/';

const config: KioskConfig = defaultKioskConfig('/tmp/zizhu-kiosk-shell-test', {
  mode: 'production',
  logLevel: 'silent',
});

const electronEvent = () => ({ preventDefault: vi.fn(), defaultPrevented: false });

class FakeApp extends EventEmitter {
  ready = false;
  isPackaged = true;
  commandLine = { hasSwitch: vi.fn((_name: string) => false) };
  requestSingleInstanceLock = vi.fn(() => true);
  whenReady = vi.fn(() => {
    this.ready = true;
    return Promise.resolve();
  });
  /** Quits unless a before-quit listener prevents it, as Electron does. */
  quit = vi.fn(() => {
    const event = electronEvent();
    this.emit('before-quit', event);
    if (event.preventDefault.mock.calls.length === 0) this.quitted = true;
  });
  quitted = false;
  exit = vi.fn();
  relaunch = vi.fn();
}

class FakeWebContents extends EventEmitter {
  loadURL = vi.fn((_url: string) => Promise.resolve());
  forcefullyCrashRenderer = vi.fn();
  isDestroyed = vi.fn(() => false);
}

class FakeWindow extends EventEmitter {
  static created: FakeWindow[] = [];
  readonly webContents = new FakeWebContents();
  isDestroyed = vi.fn(() => false);
  isMinimized = vi.fn(() => true);
  restore = vi.fn();
  show = vi.fn();
  focus = vi.fn();
  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    FakeWindow.created.push(this);
  }
}

class FakeSession extends EventEmitter implements GuardedSession {
  check: PermissionCheckHandler | null = null;
  headers: HeadersReceivedListener | null = null;
  setPermissionRequestHandler = vi.fn();
  setPermissionCheckHandler(h: PermissionCheckHandler | null): void {
    this.check = h;
  }
  setDevicePermissionHandler = vi.fn();
  readonly webRequest = {
    onHeadersReceived: (listener: HeadersReceivedListener | null): void => {
      this.headers = listener;
    },
  };
}

function setup(over: Partial<KioskShellDeps> = {}) {
  FakeWindow.created = [];
  const app = new FakeApp();
  const ses = new FakeSession();
  const backend = { url: APP_URL, close: vi.fn(() => Promise.resolve()) } satisfies ShellBackend;
  const processEvents = new EventEmitter();
  const logger = pino({ level: 'silent' });
  const spies = { setApplicationMenu: vi.fn(), powerSaveBlockerStart: vi.fn(() => 7), showErrorBox: vi.fn() };
  const deps: KioskShellDeps = {
    app,
    BrowserWindow: FakeWindow,
    session: {
      get defaultSession() {
        // Electron throws when the default session is touched before `ready`.
        if (!app.ready) throw new Error('session used before app ready');
        return ses;
      },
    },
    powerSaveBlocker: { start: spies.powerSaveBlockerStart },
    Menu: { setApplicationMenu: spies.setApplicationMenu },
    dialog: { showErrorBox: spies.showErrorBox },
    loadKioskConfig: vi.fn((): ConfigLoadResult => ({ ok: true, config })),
    startKioskBackend: vi.fn(() => Promise.resolve(backend)),
    logger,
    argv: ['electron', '.'],
    env: {},
    processEvents,
    ...over,
  };
  return { app, ses, backend, processEvents, logger, deps, spies };
}

async function startRunning(over: Partial<KioskShellDeps> = {}) {
  const s = setup(over);
  const outcome = await runKioskShell(s.deps);
  expect(outcome.kind).toBe('running');
  const window = FakeWindow.created[0];
  if (window === undefined) throw new Error('no window');
  return { ...s, outcome, window };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('runKioskShell start-up', () => {
  it('exits at once without a window when another instance holds the lock', async () => {
    const { app, deps } = setup();
    app.requestSingleInstanceLock.mockReturnValue(false);
    const outcome = await runKioskShell(deps);
    expect(outcome).toEqual({ kind: 'not-primary-instance' });
    expect(app.exit).toHaveBeenCalledWith(EXIT_OK);
    expect(app.whenReady).not.toHaveBeenCalled();
    expect(deps.startKioskBackend).not.toHaveBeenCalled();
    expect(FakeWindow.created).toHaveLength(0);
  });

  it('starts the backend, creates one locked-down window and loads the backend URL', async () => {
    const { deps, window, logger, spies } = await startRunning();
    expect(FakeWindow.created).toHaveLength(1);
    expect(window.options.kiosk).toBe(true);
    expect(window.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      devTools: false,
    });
    expect(deps.startKioskBackend).toHaveBeenCalledWith({ config, logger });
    expect(window.webContents.loadURL).toHaveBeenCalledWith(APP_URL);
    expect(spies.setApplicationMenu).toHaveBeenCalledWith(null);
    expect(spies.powerSaveBlockerStart).toHaveBeenCalledWith('prevent-display-sleep');
    expect(deps.loadKioskConfig).toHaveBeenCalledWith({ argv: ['electron', '.'], env: {} });
  });

  it('installs the session guards for the backend origin', async () => {
    const { ses } = await startRunning();
    expect(ses.setPermissionRequestHandler).toHaveBeenCalledOnce();
    expect(ses.setDevicePermissionHandler).toHaveBeenCalledOnce();
    expect(
      ses.check?.(null, 'media', 'http://127.0.0.1:8787', { isMainFrame: true, mediaType: 'video' }),
    ).toBe(true);
    expect(
      ses.check?.(null, 'media', 'http://127.0.0.1:9999', { isMainFrame: true, mediaType: 'video' }),
    ).toBe(false);
    const callback = vi.fn();
    ses.headers?.(
      {
        id: 1,
        url: `${APP_URL}index.html`,
        method: 'GET',
        resourceType: 'mainFrame',
        referrer: '',
        timestamp: 0,
        statusLine: '',
        statusCode: 200,
        responseHeaders: {},
      },
      callback,
    );
    expect(callback).toHaveBeenCalledWith({ responseHeaders: { 'Content-Security-Policy': [KIOSK_CSP] } });
  });

  it('guards every webContents created, against the backend origin', async () => {
    const { app } = await startRunning();
    const contents = Object.assign(new EventEmitter(), {
      setWindowOpenHandler: vi.fn(),
      closeDevTools: vi.fn(),
    });
    app.emit('web-contents-created', electronEvent(), contents);
    expect(contents.setWindowOpenHandler).toHaveBeenCalledOnce();
    const foreign = { ...electronEvent(), url: 'https://example.com/' };
    contents.emit('will-navigate', foreign);
    expect(foreign.preventDefault).toHaveBeenCalledOnce();
    const own = { ...electronEvent(), url: `${APP_URL}status` };
    contents.emit('will-navigate', own);
    expect(own.preventDefault).not.toHaveBeenCalled();
  });

  it('focuses the existing window when a second instance starts', async () => {
    const { app, window } = await startRunning();
    app.emit('second-instance', electronEvent(), [], '/');
    expect(window.restore).toHaveBeenCalledOnce();
    expect(window.show).toHaveBeenCalledOnce();
    expect(window.focus).toHaveBeenCalledOnce();
  });

  it('shows a configuration error and exits non-zero without a window or backend', async () => {
    const { app, deps, spies } = setup({
      loadKioskConfig: vi.fn((): ConfigLoadResult => ({
        ok: false,
        error: 'configuration file not found: /etc/kiosk.yml',
      })),
    });
    const errorSpy = vi.spyOn(deps.logger, 'error');
    const outcome = await runKioskShell(deps);
    expect(outcome).toEqual({ kind: 'config-error', error: 'configuration file not found: /etc/kiosk.yml' });
    expect(spies.showErrorBox).toHaveBeenCalledWith(
      expect.stringContaining('configuration error'),
      'configuration file not found: /etc/kiosk.yml',
    );
    expect(app.exit).toHaveBeenCalledWith(EXIT_CONFIG_ERROR);
    expect(EXIT_CONFIG_ERROR).not.toBe(0);
    expect(errorSpy).toHaveBeenCalled();
    expect(deps.startKioskBackend).not.toHaveBeenCalled();
    expect(FakeWindow.created).toHaveLength(0);
  });

  it('shows a backend start failure and exits non-zero', async () => {
    const { app, deps, spies } = setup({
      startKioskBackend: vi.fn(() => Promise.reject(new Error('listen EADDRINUSE 127.0.0.1:8787'))),
    });
    const outcome = await runKioskShell(deps);
    expect(outcome).toEqual({ kind: 'backend-failed', error: 'listen EADDRINUSE 127.0.0.1:8787' });
    expect(spies.showErrorBox).toHaveBeenCalledWith(expect.any(String), 'listen EADDRINUSE 127.0.0.1:8787');
    expect(app.exit).toHaveBeenCalledWith(EXIT_STARTUP_FAILURE);
    expect(FakeWindow.created).toHaveLength(0);
  });

  it('refuses remote debugging switches when packaged, but not in development', async () => {
    const packaged = setup();
    packaged.app.commandLine.hasSwitch.mockImplementation((name) => name === 'remote-debugging-port');
    expect(await runKioskShell(packaged.deps)).toEqual({
      kind: 'forbidden-switch',
      name: 'remote-debugging-port',
    });
    expect(packaged.app.exit).toHaveBeenCalledWith(EXIT_CONFIG_ERROR);
    expect(packaged.deps.startKioskBackend).not.toHaveBeenCalled();

    const dev = setup({
      loadKioskConfig: vi.fn((): ConfigLoadResult => ({
        ok: true,
        config: { ...config, mode: 'development' },
      })),
    });
    dev.app.isPackaged = false;
    dev.app.commandLine.hasSwitch.mockImplementation((name) => name === 'remote-debugging-port');
    expect((await runKioskShell(dev.deps)).kind).toBe('running');
  });

  // Issue 13, part 7: production mode means production even unpackaged (a checkout's `npm start`).
  it('refuses debugging switches and variables in production mode, unpackaged, with exit 78', async () => {
    const cases: { over: Partial<KioskShellDeps>; switch?: string; found: string }[] = [
      { over: {}, switch: 'remote-debugging-port', found: '--remote-debugging-port' },
      { over: {}, switch: 'inspect', found: '--inspect' },
      { over: { argv: ['electron', '--inspect-brk=9229', '.'] }, found: '--inspect-brk' },
      { over: { env: { ELECTRON_RUN_AS_NODE: '1' } }, found: 'ELECTRON_RUN_AS_NODE' },
      {
        over: { env: { NODE_OPTIONS: '--max-old-space-size=512 --require ./hook.js' } },
        found: 'NODE_OPTIONS',
      },
    ];
    for (const c of cases) {
      const s = setup(c.over);
      s.app.isPackaged = false;
      s.app.commandLine.hasSwitch.mockImplementation((name) => name === c.switch);
      expect(await runKioskShell(s.deps)).toEqual({ kind: 'forbidden-switch', name: c.found });
      expect(s.app.exit).toHaveBeenCalledWith(EXIT_CONFIG_ERROR);
      expect(EXIT_CONFIG_ERROR).toBe(78);
      expect(s.spies.showErrorBox).toHaveBeenCalledWith('Zizhu Kiosk', expect.stringContaining(c.found));
      expect(s.deps.startKioskBackend).not.toHaveBeenCalled();
      expect(FakeWindow.created).toHaveLength(0);
    }
    // Heap limits are not a debugging switch.
    const fine = await startRunning({ env: { NODE_OPTIONS: '--max-old-space-size=512' } });
    expect(fine.outcome.kind).toBe('running');
  });

  it('gives no developer tools in production mode even unpackaged', async () => {
    const prod = setup();
    prod.app.isPackaged = false;
    expect((await runKioskShell(prod.deps)).kind).toBe('running');
    expect(FakeWindow.created[0]?.options.webPreferences?.devTools).toBe(false);

    const dev = setup({
      loadKioskConfig: vi.fn((): ConfigLoadResult => ({
        ok: true,
        config: { ...config, mode: 'development' },
      })),
    });
    dev.app.isPackaged = false;
    expect((await runKioskShell(dev.deps)).kind).toBe('running');
    expect(FakeWindow.created[0]?.options.webPreferences?.devTools).toBe(true);
  });
});

describe('runKioskShell quitting', () => {
  it('holds the quit until the backend has closed, then quits', async () => {
    const { app, backend } = await startRunning();
    let finishClose: () => void = () => undefined;
    backend.close.mockImplementation(() => new Promise<void>((resolve) => (finishClose = resolve)));
    app.quit();
    expect(backend.close).toHaveBeenCalledOnce();
    expect(app.quitted).toBe(false);
    finishClose();
    await vi.advanceTimersByTimeAsync(0);
    expect(app.quit).toHaveBeenCalledTimes(2);
    expect(app.quitted).toBe(true);
    expect(backend.close).toHaveBeenCalledOnce();
  });

  it('holds a second quit request while the backend is still closing', async () => {
    const { app, backend } = await startRunning();
    let finishClose: () => void = () => undefined;
    backend.close.mockImplementation(() => new Promise<void>((resolve) => (finishClose = resolve)));
    app.quit();
    app.quit();
    expect(app.quitted).toBe(false);
    expect(backend.close).toHaveBeenCalledOnce();
    finishClose();
    await vi.advanceTimersByTimeAsync(0);
    expect(app.quitted).toBe(true);
    expect(app.quit).toHaveBeenCalledTimes(3);
  });

  it('quits anyway when the backend does not close in time', async () => {
    const { app, backend } = await startRunning();
    backend.close.mockImplementation(() => new Promise<void>(() => undefined));
    app.quit();
    await vi.advanceTimersByTimeAsync(BACKEND_CLOSE_TIMEOUT_MS - 1);
    expect(app.quitted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(app.quitted).toBe(true);
  });

  it('quits on SIGTERM and SIGINT', async () => {
    const { app, processEvents, backend } = await startRunning();
    processEvents.emit('SIGTERM');
    await vi.advanceTimersByTimeAsync(0);
    expect(backend.close).toHaveBeenCalledOnce();
    expect(app.quitted).toBe(true);
    const again = await startRunning();
    again.processEvents.emit('SIGINT');
    await vi.advanceTimersByTimeAsync(0);
    expect(again.app.quitted).toBe(true);
  });

  it('refuses to close the window except while quitting', async () => {
    const { app, window, backend } = await startRunning();
    const closeByUser = electronEvent();
    window.emit('close', closeByUser);
    expect(closeByUser.preventDefault).toHaveBeenCalledOnce();
    backend.close.mockImplementation(() => new Promise<void>(() => undefined));
    app.quit();
    const closeOnQuit = electronEvent();
    window.emit('close', closeOnQuit);
    expect(closeOnQuit.preventDefault).not.toHaveBeenCalled();
  });
});

describe('runKioskShell crash recovery', () => {
  it('reloads the app URL after a renderer crash, after the backoff delay', async () => {
    const { window } = await startRunning();
    window.webContents.loadURL.mockClear();
    window.webContents.emit('render-process-gone', electronEvent(), { reason: 'crashed', exitCode: 139 });
    await vi.advanceTimersByTimeAsync(999);
    expect(window.webContents.loadURL).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(window.webContents.loadURL).toHaveBeenCalledWith(APP_URL);
  });

  it('retries a failed main-frame load but ignores aborted and sub-frame loads', async () => {
    const { window } = await startRunning();
    window.webContents.loadURL.mockClear();
    window.webContents.emit('did-fail-load', electronEvent(), -3, 'ERR_ABORTED', APP_URL, true);
    window.webContents.emit('did-fail-load', electronEvent(), -102, 'ERR_CONNECTION_REFUSED', APP_URL, false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(window.webContents.loadURL).not.toHaveBeenCalled();
    window.webContents.emit('did-fail-load', electronEvent(), -102, 'ERR_CONNECTION_REFUSED', APP_URL, true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(window.webContents.loadURL).toHaveBeenCalledOnce();
  });

  it('kills and reloads a renderer that stays unresponsive', async () => {
    const { window } = await startRunning();
    window.webContents.loadURL.mockClear();
    window.emit('unresponsive');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(window.webContents.forcefullyCrashRenderer).toHaveBeenCalledOnce();
    expect(window.webContents.loadURL).toHaveBeenCalledOnce();
  });

  it('reloads after a GPU process crash', async () => {
    const { app, window } = await startRunning();
    window.webContents.loadURL.mockClear();
    app.emit('child-process-gone', electronEvent(), { type: 'GPU', reason: 'crashed', exitCode: 1 });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(window.webContents.loadURL).toHaveBeenCalledOnce();
  });

  it('relaunches the app after repeated failures, closing the backend first', async () => {
    const { app, window, backend } = await startRunning({ crashRecovery: { maxConsecutiveFailures: 3 } });
    for (let i = 0; i < 3; i += 1) {
      window.webContents.emit('render-process-gone', electronEvent(), { reason: 'crashed', exitCode: 139 });
      await vi.advanceTimersByTimeAsync(60_000);
    }
    expect(app.relaunch).toHaveBeenCalledOnce();
    expect(backend.close).toHaveBeenCalledOnce();
    expect(app.exit).toHaveBeenCalledWith(EXIT_RELAUNCH);
    expect(backend.close.mock.invocationCallOrder[0]).toBeLessThan(app.exit.mock.invocationCallOrder[0] ?? 0);
  });

  it('relaunches after an uncaught exception in the main process', async () => {
    const { app, processEvents } = await startRunning();
    processEvents.emit('uncaughtException', new Error('boom'));
    await vi.advanceTimersByTimeAsync(0);
    expect(app.relaunch).toHaveBeenCalledOnce();
    expect(app.exit).toHaveBeenCalledWith(EXIT_RELAUNCH);
  });
});
