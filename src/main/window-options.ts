/**
 * Options for the one kiosk window. Every security-relevant web preference is spelled out even where
 * it equals Electron's current default, so a future default change cannot silently loosen the kiosk
 * (Electron security checklist, items 2–4, 6, 8; docs/electron-shell.md, "Electron's security
 * checklist").
 */
import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * Deep blue of the official palette (docs/architecture.md, "Palette and type"): shown before the first
 * paint and after a crash.
 */
export const KIOSK_BACKGROUND_COLOR = '#0b3d91';

export interface KioskWindowOptionsInput {
  /** `app.isPackaged`: a packaged kiosk never gets developer tools. */
  packaged: boolean;
  /**
   * Absolute path of a preload script. The kiosk ships none (the renderer talks to the backend over
   * HTTP); the parameter exists so one can be added without touching the other flags.
   */
  preloadPath?: string;
}

export function kioskWindowOptions(input: KioskWindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    // `kiosk` is fullscreen without window chrome on Linux/Windows; the real lockdown is the OS's
    // (dedicated user + cage, Windows Assigned Access), see docs/electron-shell.md.
    kiosk: true,
    fullscreen: true,
    fullscreenable: false,
    frame: false,
    autoHideMenuBar: true,
    resizable: false,
    movable: false,
    minimizable: false,
    maximizable: false,
    alwaysOnTop: true,
    skipTaskbar: true,
    show: true,
    backgroundColor: KIOSK_BACKGROUND_COLOR,
    title: 'Zizhu Kiosk',
    webPreferences: {
      // The page runs in an isolated world inside a sandboxed renderer without Node.
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      devTools: !input.packaged,
      spellcheck: false,
      // A kiosk renders the same way whether or not it has focus or is covered by an OS dialog.
      backgroundThrottling: false,
      // Visual (pinch) zoom and the zoom factor stay fixed: the layout is designed for 1080×1920.
      zoomFactor: 1,
      // alert/confirm/prompt would open native dialogs nobody can dismiss on a touch-only kiosk.
      disableDialogs: true,
      // Voice prompts play on their own (the resident has not necessarily touched the screen yet).
      autoplayPolicy: 'no-user-gesture-required',
      ...(input.preloadPath === undefined ? {} : { preload: input.preloadPath }),
    },
  };
}
