import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * The entry module imports `electron` at its top level; under plain Node that package only exports
 * the binary's path (or throws when the binary was skipped), so it is mocked here. The hoisted
 * fakes record what the entry does with the real module shape.
 */
const fakes = vi.hoisted(() => ({
  created: [] as { options: unknown; loadURL: (url: string) => Promise<void> }[],
  requestSingleInstanceLock: vi.fn(() => true),
  powerSaveBlockerStart: vi.fn(() => 1),
  setApplicationMenu: vi.fn(),
  setPermissionRequestHandler: vi.fn(),
  loadKioskConfig: vi.fn(),
  startKioskBackend: vi.fn(),
}));

vi.mock('electron', async () => {
  // vi.mock factories are hoisted above the imports, so they import what they need themselves.
  const { EventEmitter } = await import('node:events');
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    commandLine: { hasSwitch: vi.fn(() => false) },
    requestSingleInstanceLock: fakes.requestSingleInstanceLock,
    whenReady: vi.fn(() => Promise.resolve()),
    quit: vi.fn(),
    exit: vi.fn(),
    relaunch: vi.fn(),
  });
  class BrowserWindow extends EventEmitter {
    webContents = Object.assign(new EventEmitter(), {
      loadURL: vi.fn((_url: string) => Promise.resolve()),
      forcefullyCrashRenderer: vi.fn(),
      isDestroyed: vi.fn(() => false),
    });
    isDestroyed = vi.fn(() => false);
    isMinimized = vi.fn(() => false);
    restore = vi.fn();
    show = vi.fn();
    focus = vi.fn();
    constructor(readonly options: unknown) {
      super();
      fakes.created.push({ options, loadURL: this.webContents.loadURL });
    }
  }
  const defaultSession = Object.assign(new EventEmitter(), {
    setPermissionRequestHandler: fakes.setPermissionRequestHandler,
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
    webRequest: { onHeadersReceived: vi.fn() },
  });
  return {
    app,
    BrowserWindow,
    session: { defaultSession },
    powerSaveBlocker: { start: fakes.powerSaveBlockerStart },
    Menu: { setApplicationMenu: fakes.setApplicationMenu },
    dialog: { showErrorBox: vi.fn() },
  };
});

vi.mock('../backend/index.js', async () => {
  const { pino } = await import('pino');
  return {
    createLogger: vi.fn(() => pino({ level: 'silent' })),
    loadKioskConfig: fakes.loadKioskConfig.mockImplementation(() => ({
      ok: true,
      config: {
        mode: 'development',
        port: 0,
        dataDir: '/tmp/zizhu-kiosk-entry-test',
        kiosk: { name: 'k', hallName: 'h', hallPhone: 'p', jurisdiction: '611100' },
        devices: {
          idcard: 'sim:',
          printer: 'sim:',
          ticketPrinter: 'sim:',
          scanner: 'sim:',
          codeReader: 'sim:',
        },
        hall: {},
        logLevel: 'silent',
        source: null,
      },
    })),
    startKioskBackend: fakes.startKioskBackend.mockImplementation(() =>
      Promise.resolve({ url: 'http://127.0.0.1:45678/', port: 45678, close: vi.fn(() => Promise.resolve()) }),
    ),
  };
});

const entry = await import('./electron-main.js');

describe('electron-main', () => {
  beforeEach(() => {
    fakes.created.length = 0;
  });

  it('does nothing at import time under plain Node', () => {
    expect(entry.isRunByElectron()).toBe(false);
    expect(fakes.requestSingleInstanceLock).not.toHaveBeenCalled();
    expect(fakes.created).toHaveLength(0);
  });

  it('recognises Electron by process.versions.electron', () => {
    expect(entry.isRunByElectron({ node: '22.0.0', electron: '41.7.1' })).toBe(true);
    expect(entry.isRunByElectron({ node: '20.19.0' })).toBe(false);
  });

  it('wires the real Electron modules and the backend into the shell', async () => {
    const processEvents = new EventEmitter();
    const outcome = await entry.main({ processEvents });
    expect(outcome.kind).toBe('running');
    expect(fakes.requestSingleInstanceLock).toHaveBeenCalledOnce();
    expect(fakes.powerSaveBlockerStart).toHaveBeenCalledWith('prevent-display-sleep');
    expect(fakes.setApplicationMenu).toHaveBeenCalledWith(null);
    expect(fakes.setPermissionRequestHandler).toHaveBeenCalledOnce();
    expect(fakes.loadKioskConfig).toHaveBeenCalledWith({ argv: process.argv, env: process.env });
    expect(fakes.startKioskBackend).toHaveBeenCalledOnce();
    expect(fakes.created).toHaveLength(1);
    expect(fakes.created[0]?.options).toMatchObject({
      kiosk: true,
      webPreferences: { sandbox: true, devTools: true },
    });
    expect(fakes.created[0]?.loadURL).toHaveBeenCalledWith('http://127.0.0.1:45678/');
    expect(processEvents.listenerCount('SIGTERM')).toBe(1);
    expect(processEvents.listenerCount('uncaughtException')).toBe(1);
  });
});
