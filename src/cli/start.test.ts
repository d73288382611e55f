import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SpawnOptions } from 'node:child_process';
import type * as BackendIndex from '../backend/index.js';
import { defaultKioskConfig } from '../backend/config.js';
import type { KioskConfig } from '../backend/index.js';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  BROWSER_CANDIDATES,
  BROWSER_REFUSED_IN_PRODUCTION,
  ELECTRON_ENTRY,
  ELECTRON_MISSING_LINE,
  ELECTRON_NO_DISPLAY_LINE,
  EXIT_CONFIG,
  EXIT_FAILURE,
  EXIT_OK,
  browserArgs,
  defaultStartDeps,
  detectElectron,
  exitCodeOf,
  findBrowser,
  hasDisplay,
  isEntryPoint,
  runStart,
  type ChildHandle,
  type StartDeps,
} from './start.js';

/** Only the backend's start is replaced: configuration loading and logging stay real. */
const backendMock = vi.hoisted(() => ({
  close: vi.fn(() => Promise.resolve()),
  start: vi.fn(),
}));
vi.mock('../backend/index.js', async (importOriginal) => {
  const real = await importOriginal<typeof BackendIndex>();
  return { ...real, startKioskBackend: backendMock.start };
});

const config: KioskConfig = defaultKioskConfig('/var/lib/kiosk', { mode: 'development', logLevel: 'silent' });

describe('detectElectron', () => {
  it('reports the binary the electron package names when it exists', () => {
    expect(
      detectElectron(
        () => '/app/node_modules/electron/dist/electron',
        (p) => p.endsWith('/electron'),
      ),
    ).toEqual({
      kind: 'available',
      binary: '/app/node_modules/electron/dist/electron',
    });
  });

  it('is missing when the package throws (binary download skipped)', () => {
    const result = detectElectron(
      () => {
        throw new Error(
          'Electron failed to install correctly, please delete node_modules/electron and try installing again',
        );
      },
      () => true,
    );
    expect(result.kind).toBe('missing');
    expect(result.kind === 'missing' ? result.reason : '').toContain('Electron failed to install correctly');
  });

  it('is missing when the reported binary does not exist or nothing usable is reported', () => {
    expect(
      detectElectron(
        () => '/gone/electron',
        () => false,
      ),
    ).toEqual({ kind: 'missing', reason: '/gone/electron does not exist' });
    expect(
      detectElectron(
        () => ({}),
        () => true,
      ).kind,
    ).toBe('missing');
    expect(
      detectElectron(
        () => '',
        () => true,
      ).kind,
    ).toBe('missing');
  });
});

describe('hasDisplay', () => {
  it('needs DISPLAY or WAYLAND_DISPLAY on Linux', () => {
    expect(hasDisplay({}, 'linux')).toBe(false);
    expect(hasDisplay({ DISPLAY: '' }, 'linux')).toBe(false);
    expect(hasDisplay({ DISPLAY: ':0' }, 'linux')).toBe(true);
    expect(hasDisplay({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBe(true);
  });

  it('assumes one on Windows and macOS', () => {
    expect(hasDisplay({}, 'win32')).toBe(true);
    expect(hasDisplay({}, 'darwin')).toBe(true);
  });
});

describe('findBrowser', () => {
  const only =
    (...paths: string[]) =>
    (p: string) =>
      paths.includes(p);

  it('prefers /usr/bin/chromium', () => {
    expect(
      findBrowser({ PATH: '/usr/local/bin:/usr/bin' }, only('/usr/bin/chromium', '/usr/bin/google-chrome')),
    ).toEqual({
      kind: 'found',
      path: '/usr/bin/chromium',
    });
  });

  it('looks the other candidates up on PATH, in order', () => {
    expect(
      findBrowser({ PATH: '/opt/a:/opt/b' }, only('/opt/b/chromium-browser', '/opt/a/google-chrome')),
    ).toEqual({
      kind: 'found',
      path: '/opt/b/chromium-browser',
    });
    expect(findBrowser({ PATH: '/opt/a' }, only('/opt/a/google-chrome-stable'))).toEqual({
      kind: 'found',
      path: '/opt/a/google-chrome-stable',
    });
  });

  it('is disabled by KIOSK_BROWSER=none even when Chromium exists', () => {
    expect(findBrowser({ KIOSK_BROWSER: 'none', PATH: '/usr/bin' }, only('/usr/bin/chromium'))).toEqual({
      kind: 'disabled',
    });
  });

  it('uses KIOSK_BROWSER instead of the candidates, as a path or a PATH command', () => {
    expect(
      findBrowser({ KIOSK_BROWSER: '/opt/edge/msedge' }, only('/opt/edge/msedge', '/usr/bin/chromium')),
    ).toEqual({
      kind: 'found',
      path: '/opt/edge/msedge',
    });
    expect(findBrowser({ KIOSK_BROWSER: 'brave', PATH: '/snap/bin' }, only('/snap/bin/brave'))).toEqual({
      kind: 'found',
      path: '/snap/bin/brave',
    });
    // A named browser that is absent is not silently replaced by another.
    expect(findBrowser({ KIOSK_BROWSER: '/opt/missing' }, only('/usr/bin/chromium'))).toEqual({
      kind: 'not-found',
      searched: ['/opt/missing'],
    });
  });

  it('reports what it searched when nothing is installed', () => {
    expect(findBrowser({ PATH: '/usr/bin' }, () => false)).toEqual({
      kind: 'not-found',
      searched: BROWSER_CANDIDATES,
    });
  });
});

describe('browserArgs', () => {
  it('opens the URL in kiosk app mode with its own profile under the data directory', () => {
    const args = browserArgs('http://127.0.0.1:8787/', { ...config, mode: 'production' });
    expect(args).toEqual(
      expect.arrayContaining([
        '--kiosk',
        '--app=http://127.0.0.1:8787/',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--user-data-dir=/var/lib/kiosk/chromium-profile',
      ]),
    );
    expect(args).not.toContain('--use-fake-ui-for-media-stream');
    expect(args.some((a) => a.includes('no-sandbox'))).toBe(false);
  });

  it('auto-accepts the camera prompt only in development mode', () => {
    expect(browserArgs('http://127.0.0.1:8787/', config)).toContain('--use-fake-ui-for-media-stream');
  });
});

describe('exitCodeOf', () => {
  it('passes codes through and maps signals to 128 + n', () => {
    expect(exitCodeOf(0, null)).toBe(0);
    expect(exitCodeOf(3, null)).toBe(3);
    expect(exitCodeOf(null, 'SIGTERM')).toBe(143);
    expect(exitCodeOf(null, 'SIGINT')).toBe(130);
    expect(exitCodeOf(null, null)).toBe(EXIT_FAILURE);
  });
});

describe('isEntryPoint', () => {
  it('matches the script node was started with only', () => {
    const self = new URL(import.meta.url);
    expect(isEntryPoint(self.href, self.pathname)).toBe(true);
    expect(isEntryPoint(self.href, join(import.meta.dirname, 'start.ts'))).toBe(false);
    expect(isEntryPoint(self.href, undefined)).toBe(false);
    expect(isEntryPoint(pathToFileURL('/no/such/file.js').href, '/no/such/file.js')).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------

class FakeChild extends EventEmitter implements ChildHandle {
  kill = vi.fn((_signal?: NodeJS.Signals) => true);
}

class Signals {
  private readonly handlers = new Map<string, Set<() => void>>();
  on = (signal: 'SIGINT' | 'SIGTERM', handler: () => void): (() => void) => {
    const set = this.handlers.get(signal) ?? new Set();
    set.add(handler);
    this.handlers.set(signal, set);
    return () => set.delete(handler);
  };
  /** What the process would do on a real signal, without sending one to the test runner. */
  send(signal: 'SIGINT' | 'SIGTERM'): void {
    for (const h of [...(this.handlers.get(signal) ?? [])]) h();
  }
  count(): number {
    return [...this.handlers.values()].reduce((n, s) => n + s.size, 0);
  }
}

function fakeDeps(over: Partial<StartDeps> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const signals = new Signals();
  const children: { command: string; args: readonly string[]; options: SpawnOptions; child: FakeChild }[] =
    [];
  const backend = { url: 'http://127.0.0.1:8787/', close: vi.fn(() => Promise.resolve()) };
  const forceExit = vi.fn();
  const deps: StartDeps = {
    argv: ['node', 'dist/node/cli/start.js'],
    env: { PATH: '/usr/bin', DISPLAY: ':0' },
    platform: 'linux',
    uid: 1000,
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    appRoot: () => '/app',
    exists: (p) => p === '/usr/bin/chromium',
    fileExists: (p) => p === join('/app', ELECTRON_ENTRY),
    detectElectron: () => ({ kind: 'missing', reason: 'Electron failed to install correctly' }),
    loadKioskConfig: () => ({ ok: true, config }),
    startKioskBackend: vi.fn(() => Promise.resolve(backend)),
    createLogger: defaultStartDeps().createLogger,
    spawn: (command, args, options) => {
      const child = new FakeChild();
      children.push({ command, args, options, child });
      return child;
    },
    onSignal: signals.on,
    forceExit,
    ...over,
  };
  return { deps, out, err, signals, children, backend, forceExit };
}

/** Lets pending promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('runStart', () => {
  it('stops at a configuration error with exit status 2, starting nothing', async () => {
    const f = fakeDeps({
      loadKioskConfig: () => ({ ok: false, error: 'configuration file not found: /x.yml' }),
    });
    expect(await runStart(f.deps)).toBe(EXIT_CONFIG);
    expect(f.err).toEqual(['Configuration error: configuration file not found: /x.yml']);
    expect(f.deps.startKioskBackend).not.toHaveBeenCalled();
    expect(f.children).toHaveLength(0);
  });

  it('runs Electron on the app when its binary is there, forwarding signals and the exit status', async () => {
    const f = fakeDeps({
      argv: ['node', 'start.js', '--config', '/etc/kiosk.yml'],
      env: { PATH: '/usr/bin', DISPLAY: ':0', ELECTRON_RUN_AS_NODE: '1' },
      detectElectron: () => ({ kind: 'available', binary: '/app/node_modules/electron/dist/electron' }),
    });
    const done = runStart(f.deps);
    await settle();
    const [electron] = f.children;
    expect(electron?.command).toBe('/app/node_modules/electron/dist/electron');
    expect(electron?.args).toEqual(['/app', '--config', '/etc/kiosk.yml']);
    expect(electron?.options.stdio).toBe('inherit');
    expect(electron?.options.env).not.toHaveProperty('ELECTRON_RUN_AS_NODE');
    expect(f.deps.startKioskBackend).not.toHaveBeenCalled();
    f.signals.send('SIGTERM');
    expect(electron?.child.kill).toHaveBeenCalledWith('SIGTERM');
    electron?.child.emit('exit', 0, null);
    expect(await done).toBe(EXIT_OK);
    expect(f.signals.count()).toBe(0);
  });

  it("reports Electron's own failure status", async () => {
    const f = fakeDeps({ detectElectron: () => ({ kind: 'available', binary: '/e' }) });
    const done = runStart(f.deps);
    await settle();
    f.children[0]?.child.emit('exit', null, 'SIGKILL');
    expect(await done).toBe(137);
  });

  it('asks for a build when the Electron entry has not been compiled', async () => {
    const f = fakeDeps({
      detectElectron: () => ({ kind: 'available', binary: '/e' }),
      fileExists: () => false,
    });
    expect(await runStart(f.deps)).toBe(EXIT_FAILURE);
    expect(f.err[0]).toContain('npm run build');
    expect(f.children).toHaveLength(0);
  });

  it('serves for a browser when Electron is installed but there is no display', async () => {
    const f = fakeDeps({
      detectElectron: () => ({ kind: 'available', binary: '/e' }),
      env: { PATH: '/usr/bin' },
    });
    const done = runStart(f.deps);
    await settle();
    expect(f.out[0]).toBe(ELECTRON_NO_DISPLAY_LINE);
    expect(f.children).toHaveLength(0);
    f.signals.send('SIGINT');
    expect(await done).toBe(EXIT_OK);
  });

  it('without Electron: serves, opens Chromium in kiosk mode, and stops both on Ctrl-C', async () => {
    const f = fakeDeps();
    const done = runStart(f.deps);
    await settle();
    expect(f.out.slice(0, 3)).toEqual([
      ELECTRON_MISSING_LINE,
      'Kiosk ready: http://127.0.0.1:8787/',
      'Opened /usr/bin/chromium in kiosk mode. Press Ctrl-C here to stop.',
    ]);
    const [chromium] = f.children;
    expect(chromium?.command).toBe('/usr/bin/chromium');
    expect(chromium?.args).toEqual(browserArgs('http://127.0.0.1:8787/', config));
    f.signals.send('SIGINT');
    expect(await done).toBe(EXIT_OK);
    expect(chromium?.child.kill).toHaveBeenCalledWith('SIGTERM');
    expect(f.backend.close).toHaveBeenCalledOnce();
    expect(f.out.slice(3)).toEqual(['Stopping (SIGINT)…', 'Stopped.']);
    expect(f.signals.count()).toBe(0);
  });

  it('keeps serving when the browser window goes away', async () => {
    const f = fakeDeps();
    const done = runStart(f.deps);
    await settle();
    f.children[0]?.child.emit('exit', 0, null);
    expect(f.out.at(-1)).toBe(
      'Browser exited (status 0); the kiosk is still served at http://127.0.0.1:8787/',
    );
    expect(f.backend.close).not.toHaveBeenCalled();
    f.signals.send('SIGTERM');
    expect(await done).toBe(EXIT_OK);
    expect(f.backend.close).toHaveBeenCalledOnce();
  });

  it.each([
    ['no display', { env: { PATH: '/usr/bin' } }, 'no display'],
    ['no browser', { exists: () => false }, 'no Chromium or Chrome found'],
    [
      'KIOSK_BROWSER=none',
      { env: { PATH: '/usr/bin', DISPLAY: ':0', KIOSK_BROWSER: 'none' } },
      'KIOSK_BROWSER=none',
    ],
    ['root', { uid: 0 }, 'root'],
  ] satisfies [string, Partial<StartDeps>, string][])(
    'prints the URL to open when there is %s',
    async (_label, over, why) => {
      const f = fakeDeps(over);
      const done = runStart(f.deps);
      await settle();
      expect(f.children).toHaveLength(0);
      expect(f.out[2]).toContain(why);
      expect(f.out[2]).toContain('open http://127.0.0.1:8787/ in a browser');
      f.signals.send('SIGTERM');
      expect(await done).toBe(EXIT_OK);
    },
  );

  it('fails with status 1 when the backend cannot start', async () => {
    const f = fakeDeps({
      startKioskBackend: () => Promise.reject(new Error('listen EADDRINUSE 127.0.0.1:8787')),
    });
    expect(await runStart(f.deps)).toBe(EXIT_FAILURE);
    expect(f.err).toEqual(['Kiosk backend failed to start: listen EADDRINUSE 127.0.0.1:8787']);
    expect(f.signals.count()).toBe(0);
  });

  it('forces the exit on a second Ctrl-C while stopping', async () => {
    const f = fakeDeps();
    f.backend.close.mockImplementation(() => new Promise<void>(() => undefined));
    void runStart(f.deps);
    await settle();
    f.signals.send('SIGINT');
    await settle();
    expect(f.forceExit).not.toHaveBeenCalled();
    f.signals.send('SIGINT');
    expect(f.forceExit).toHaveBeenCalledWith(EXIT_FAILURE);
  });
});

describe('npm start flow (real configuration and start-up code, mocked backend)', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'zizhu-start-'));
    backendMock.close.mockClear();
    backendMock.start.mockReset();
    backendMock.start.mockResolvedValue({
      url: 'http://127.0.0.1:45679/',
      port: 45679,
      close: backendMock.close,
    });
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints the fallback and ready lines, and a SIGINT-like stop closes the backend', async () => {
    const out: string[] = [];
    const signals = new Signals();
    const real = defaultStartDeps();
    const deps: StartDeps = {
      ...real,
      argv: ['node', 'start.js'],
      env: { PATH: process.env.PATH ?? '', KIOSK_DATA_DIR: dataDir, KIOSK_BROWSER: 'none' },
      out: (line) => out.push(line),
      err: (line) => out.push(`ERR ${line}`),
      // Deterministic whichever way this machine was installed.
      detectElectron: () => ({ kind: 'missing', reason: 'skipped' }),
      onSignal: signals.on,
      forceExit: () => {
        throw new Error('forceExit must not be called');
      },
    };
    const done = runStart(deps);
    // The backend's modules load when it starts (not with start.ts): allow for that on a busy machine.
    await vi.waitFor(() => expect(out).toContain('Kiosk ready: http://127.0.0.1:45679/'), {
      timeout: 15_000,
    });
    expect(out).toEqual([
      ELECTRON_MISSING_LINE,
      'Kiosk ready: http://127.0.0.1:45679/',
      'No browser window (KIOSK_BROWSER=none): open http://127.0.0.1:45679/ in a browser.',
    ]);
    // The real configuration loader ran: fresh-machine defaults with the data directory from the env.
    const started = backendMock.start.mock.calls[0] as [{ config: KioskConfig }] | undefined;
    expect(started?.[0].config.dataDir).toBe(dataDir);
    expect(started?.[0].config.devices.idcard).toBe('sim:');
    expect(backendMock.close).not.toHaveBeenCalled();
    signals.send('SIGINT');
    expect(await done).toBe(EXIT_OK);
    expect(backendMock.close).toHaveBeenCalledOnce();
    expect(out.slice(3)).toEqual(['Stopping (SIGINT)…', 'Stopped.']);
    expect(signals.count()).toBe(0);
  });
});

// Issue 13, part 7: a plain browser has none of the shell's lockdown, so production refuses it.
describe('production mode and the browser fallback', () => {
  const production: KioskConfig = { ...config, mode: 'production' };
  it('refuses to serve a browser in production, with or without Electron, starting nothing', async () => {
    for (const over of [
      {
        detectElectron: () => ({ kind: 'missing', reason: 'Electron failed to install correctly' }) as const,
      },
      { detectElectron: () => ({ kind: 'available', binary: '/e' }) as const, env: { PATH: '/usr/bin' } },
    ] satisfies Partial<StartDeps>[]) {
      const f = fakeDeps({ ...over, loadKioskConfig: () => ({ ok: true, config: production }) });
      expect(await runStart(f.deps)).toBe(EXIT_CONFIG);
      expect(f.err[0]).toContain(BROWSER_REFUSED_IN_PRODUCTION);
      expect(f.out).toEqual([]);
      expect(f.deps.startKioskBackend).not.toHaveBeenCalled();
      expect(f.children).toHaveLength(0);
    }
    // With Electron and a display, production runs the shell as before.
    const shell = fakeDeps({
      detectElectron: () => ({ kind: 'available', binary: '/e' }),
      loadKioskConfig: () => ({ ok: true, config: production }),
    });
    const done = runStart(shell.deps);
    await settle();
    expect(shell.children[0]?.command).toBe('/e');
    shell.children[0]?.child.emit('exit', 0, null);
    expect(await done).toBe(EXIT_OK);
  });

  it('`node start.js` in production without a display exits 2 with the reason, serving nothing', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'zizhu-start-prod-'));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, KIOSK_MODE: 'production', KIOSK_DATA_DIR: dataDir };
      delete env.DISPLAY;
      delete env.WAYLAND_DISPLAY;
      const r = spawnSync(process.execPath, ['--import', 'tsx', join('src', 'cli', 'start.ts')], {
        env,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status).toBe(EXIT_CONFIG);
      expect(r.stderr).toContain(BROWSER_REFUSED_IN_PRODUCTION);
      expect(r.stdout).not.toContain('Kiosk ready');
      expect(existsSync(join(dataDir, 'kiosk.db'))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 70_000);
});
