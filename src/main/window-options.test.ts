import { describe, expect, it } from 'vitest';
import { KIOSK_BACKGROUND_COLOR, kioskWindowOptions } from './window-options.js';

describe('kioskWindowOptions', () => {
  it('makes a frameless fullscreen kiosk window with the official background', () => {
    const o = kioskWindowOptions({ packaged: true });
    expect(o.kiosk).toBe(true);
    expect(o.fullscreen).toBe(true);
    expect(o.frame).toBe(false);
    expect(o.autoHideMenuBar).toBe(true);
    expect(o.resizable).toBe(false);
    expect(o.backgroundColor).toBe(KIOSK_BACKGROUND_COLOR);
  });

  it('sets every security-relevant web preference explicitly', () => {
    const w = kioskWindowOptions({ packaged: true }).webPreferences;
    expect(w).toMatchObject({
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
      devTools: false,
      spellcheck: false,
      disableDialogs: true,
    });
    // No preload unless one is asked for: the renderer talks HTTP only.
    expect(w).not.toHaveProperty('preload');
  });

  it('allows developer tools only when not packaged', () => {
    expect(kioskWindowOptions({ packaged: true }).webPreferences?.devTools).toBe(false);
    expect(kioskWindowOptions({ packaged: false }).webPreferences?.devTools).toBe(true);
  });

  it('passes a preload path through without loosening anything else', () => {
    const withPreload = kioskWindowOptions({ packaged: true, preloadPath: '/app/preload.js' }).webPreferences;
    expect(withPreload?.preload).toBe('/app/preload.js');
    expect(withPreload?.sandbox).toBe(true);
    expect(withPreload?.contextIsolation).toBe(true);
  });
});
