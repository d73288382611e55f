/**
 * Electron's entry point (package.json "main" → dist/node/main/electron-main.js). It only gathers
 * the real Electron modules and backend functions and hands them to `runKioskShell`; everything
 * with a decision in it lives in shell.ts, security.ts, crash-recovery.ts and window-options.ts.
 *
 * No preload script: the renderer reaches the backend over HTTP only, so there is nothing to bridge
 * and the sandboxed page gets no extra surface (docs/electron-shell.md, "Decisions worth knowing").
 */
import { app, BrowserWindow, dialog, Menu, powerSaveBlocker, session } from 'electron';
import { createLogger, loadKioskConfig, startKioskBackend } from '../backend/index.js';
import { runKioskShell, type KioskShellDeps, type ShellOutcome } from './shell.js';

/** True inside Electron's main process; false under plain Node (tests, tsx, `node` by mistake). */
export function isRunByElectron(
  versions: Readonly<Record<string, string | undefined>> = process.versions,
): boolean {
  return typeof versions.electron === 'string' && versions.electron.length > 0;
}

/** `overrides` exist for tests (e.g. so they do not hook the test runner's own signals). */
export function main(overrides: Partial<KioskShellDeps> = {}): Promise<ShellOutcome> {
  return runKioskShell({
    app,
    BrowserWindow,
    session,
    powerSaveBlocker,
    Menu,
    dialog,
    loadKioskConfig,
    startKioskBackend,
    // The level is raised or lowered to the configured one once the configuration is read.
    logger: createLogger('info'),
    argv: process.argv,
    env: process.env,
    processEvents: process,
    ...overrides,
  });
}

if (isRunByElectron()) {
  main().catch((e: unknown) => {
    // A bug, not an expected failure: expected ones are ShellOutcome values handled inside.
    process.stderr.write(
      `zizhu-kiosk: shell failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    app.exit(1);
  });
}
