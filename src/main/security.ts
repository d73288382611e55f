/**
 * Lockdown of the kiosk's web contents and session (docs/electron-shell.md,
 * "Electron's security checklist"). Each rule is a pure decision function — tested on its
 * own — plus a small installer that wires it to Electron's events.
 *
 * The app origin is only known once the backend listens, so installers take `appOrigin()`: until it
 * returns a string, every navigation and every permission is refused.
 */
import type {
  DevicePermissionHandlerHandlerDetails,
  Event as ElectronEvent,
  HeadersReceivedResponse,
  Input,
  OnHeadersReceivedListenerDetails,
  Session,
  WindowOpenHandlerResponse,
} from 'electron';
import type { ShellLogger } from './logger.js';

export type AppOriginSource = () => string | null;

/** `http://127.0.0.1:8787/` → `http://127.0.0.1:8787`; null for anything that is not http(s). */
export function appOriginOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  return parsed.origin;
}

/**
 * True only for an http(s) URL whose origin (scheme, host, port) equals the app origin. `file:`,
 * `data:`, `blob:`, `javascript:`, `about:` and unparsable strings all have an opaque or no origin and
 * are never the app's — even if `appOrigin` were the string "null".
 */
export function isAppOrigin(url: string, appOrigin: string | null): boolean {
  if (appOrigin === null) return false;
  const origin = appOriginOf(url);
  return origin !== null && origin === appOriginOf(appOrigin);
}

// ---------------------------------------------------------------------------------------------
// Navigation, new windows, <webview>

interface NavigationEvent {
  url: string;
  preventDefault(): void;
}

/** Handler for `will-navigate`, `will-frame-navigate` and `will-redirect`: only the app origin. */
export function guardNavigation(
  event: NavigationEvent,
  appOrigin: string | null,
  logger: ShellLogger,
  kind: 'navigate' | 'frame-navigate' | 'redirect',
): boolean {
  if (isAppOrigin(event.url, appOrigin)) return true;
  event.preventDefault();
  logger.warn({ kind, url: redactUrl(event.url) }, 'blocked navigation away from the app origin');
  return false;
}

/** Only scheme and origin/host are logged: a query string could carry personal data. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return u.origin === 'null' ? `${u.protocol}…` : `${u.origin}${u.pathname}`;
  } catch {
    return '(unparsable)';
  }
}

// ---------------------------------------------------------------------------------------------
// Keyboard shortcuts

export type BlockedShortcut = 'reload' | 'devtools' | 'zoom' | 'close' | 'fullscreen' | 'history' | 'browser';

type KeyInput = Pick<Input, 'key' | 'code' | 'control' | 'meta' | 'alt' | 'shift'>;

const ZOOM_KEYS = new Set(['+', '=', '-', '_', '0']);
const ZOOM_CODES = new Set(['Equal', 'Minus', 'Digit0', 'NumpadAdd', 'NumpadSubtract', 'Numpad0']);
/** Dedicated browser keys on kiosk keyboards and some remote controls. */
const BROWSER_KEYS: ReadonlyMap<string, BlockedShortcut> = new Map([
  ['BrowserRefresh', 'reload'],
  ['BrowserBack', 'history'],
  ['BrowserForward', 'history'],
  ['BrowserHome', 'history'],
  ['BrowserSearch', 'browser'],
  ['BrowserFavorites', 'browser'],
]);
/**
 * Ctrl/Cmd + letter shortcuts that belong to a browser, not to a form: new window/tab, open, save,
 * print, view source, hide, minimise. Editing keys (A, C, V, X, Z, Y) deliberately pass.
 */
const PRIMARY_BROWSER_LETTERS = new Set(['n', 't', 'o', 's', 'p', 'u', 'h', 'm']);

/**
 * Which blocked category a key event falls in, or null when it is ordinary input. Ctrl and Cmd
 * (meta) are treated alike so the same table covers Linux, Windows and macOS; a USB code reader that
 * types like a keyboard (digits, letters, Enter) always passes.
 */
export function blockedShortcut(input: KeyInput): BlockedShortcut | null {
  const key = input.key.length === 1 ? input.key.toLowerCase() : input.key;
  const primary = input.control || input.meta;

  switch (input.key) {
    case 'F5':
      return 'reload';
    case 'F11':
      return 'fullscreen';
    case 'F12':
      return 'devtools';
    case 'F4':
      // Alt+F4 closes the window, Ctrl+F4 the tab.
      if (input.alt || primary) return 'close';
      break;
    default: {
      const browserKey = BROWSER_KEYS.get(input.key);
      if (browserKey !== undefined) return browserKey;
    }
  }

  if (input.alt && !primary && (key === 'ArrowLeft' || key === 'ArrowRight' || key === 'Home'))
    return 'history';
  // Alt+Space opens the window menu (move/close) on Windows and several Linux window managers.
  if (input.alt && key === ' ') return 'close';

  // Ctrl+Cmd+F (macOS fullscreen), checked before the generic Cmd+letter table.
  if (input.control && input.meta && key === 'f') return 'fullscreen';
  // Cmd+Alt+I/J/C (macOS) and Ctrl+Shift+I/J/C (elsewhere) open the developer tools.
  if (
    (key === 'i' || key === 'j' || key === 'c') &&
    ((input.meta && input.alt) || (input.control && input.shift))
  ) {
    return 'devtools';
  }
  if (!primary) return null;
  if (key === 'r') return 'reload';
  if (key === 'w' || key === 'q') return 'close';
  if (ZOOM_KEYS.has(key) || ZOOM_CODES.has(input.code)) return 'zoom';
  if (PRIMARY_BROWSER_LETTERS.has(key)) return 'browser';
  return null;
}

// ---------------------------------------------------------------------------------------------
// Permissions

export type PermissionRequestHandler = NonNullable<Parameters<Session['setPermissionRequestHandler']>[0]>;
export type RequestedPermission = Parameters<PermissionRequestHandler>[1];
export type PermissionRequestDetails = Parameters<PermissionRequestHandler>[3];
export type PermissionCheckHandler = NonNullable<Parameters<Session['setPermissionCheckHandler']>[0]>;
export type CheckedPermission = Parameters<PermissionCheckHandler>[1];
export type PermissionCheckDetails = Parameters<PermissionCheckHandler>[3];

export type PermissionDecision = { granted: true } | { granted: false; reason: string };

const deny = (reason: string): PermissionDecision => ({ granted: false, reason });

/**
 * Permission requests. Electron grants every request unless a handler says otherwise, so this
 * denies by default and grants exactly one thing: `media` — the camera (the document camera,
 * docs/devices-scanner.md, "Document cameras (高拍仪)", and the 呼叫帮助 video call) and the microphone (the
 * call's sound, docs/resident-journey.md, "Help at any hour") — for the app origin's main frame only. No
 * other origin, no sub-frame, no other media kind (screen capture is a separate permission, refused). An
 * empty or missing `mediaTypes` list is refused too (fail closed).
 */
export function decidePermissionRequest(
  permission: RequestedPermission,
  details: PermissionRequestDetails,
  appOrigin: string | null,
): PermissionDecision {
  if (permission !== 'media') return deny(`permission "${permission}" is never granted`);
  if (!details.isMainFrame) return deny('media requested from a sub-frame');
  if (!isAppOrigin(details.requestingUrl, appOrigin)) return deny('media requested by a foreign origin');
  const media = 'mediaTypes' in details ? details : { mediaTypes: undefined, securityOrigin: undefined };
  if (media.securityOrigin !== undefined && !isAppOrigin(media.securityOrigin, appOrigin)) {
    return deny('media security origin is foreign');
  }
  const types = media.mediaTypes ?? [];
  if (types.length === 0) return deny('media request names no media type');
  if (!types.every((t) => t === 'video' || t === 'audio'))
    return deny('only the camera and the microphone are granted');
  return { granted: true };
}

/**
 * Synchronous permission checks (`navigator.permissions.query`, device labels in
 * `enumerateDevices`): the same rule as requests — media (camera or microphone), app origin, not embedded.
 */
export function decidePermissionCheck(
  permission: CheckedPermission,
  requestingOrigin: string,
  details: PermissionCheckDetails,
  appOrigin: string | null,
): PermissionDecision {
  if (permission !== 'media') return deny(`permission "${permission}" is never granted`);
  if (!isAppOrigin(requestingOrigin, appOrigin)) return deny('media checked by a foreign origin');
  if (details.embeddingOrigin !== undefined && !isAppOrigin(details.embeddingOrigin, appOrigin)) {
    return deny('media checked by a frame embedded in a foreign origin');
  }
  if (details.securityOrigin !== undefined && !isAppOrigin(details.securityOrigin, appOrigin)) {
    return deny('media security origin is foreign');
  }
  if (details.mediaType !== 'video' && details.mediaType !== 'audio')
    return deny('only the camera and the microphone are granted');
  return { granted: true };
}

// ---------------------------------------------------------------------------------------------
// Content Security Policy

/**
 * The policy every app-origin response carries.
 * - `script-src 'self'`: no inline script, no eval — the Vite build emits only external modules.
 * - `style-src 'self' 'unsafe-inline'`: inline styles are allowed on purpose. React's `style` props
 *   are CSSOM writes (never blocked) but UI libraries and Vite's CSS code-splitting may inject
 *   `<style>` elements; refusing them would break rendering only inside Electron, where no test
 *   runs. The usual abuse of injected CSS — exfiltrating data through `url()` — is already closed by
 *   `img-src`/`font-src`/`connect-src` admitting nothing outside the app origin.
 * - `img-src`/`media-src` admit `data:`/`blob:`/`mediastream:` for scanned pages and the camera preview.
 * - `connect-src 'self'`: the typed RPC and its event stream (same-origin `ws:` included).
 */
export const KIOSK_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/**
 * Response headers with the kiosk CSP added. A CSP the backend already sent is kept: with several
 * policies the browser enforces all of them, so the result is never weaker than either.
 */
export function withKioskCsp(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = { ...(headers ?? {}) };
  const existing = Object.keys(out).find((k) => k.toLowerCase() === 'content-security-policy');
  if (existing === undefined) {
    out['Content-Security-Policy'] = [KIOSK_CSP];
  } else {
    const values = out[existing] ?? [];
    out[existing] = values.includes(KIOSK_CSP) ? values : [...values, KIOSK_CSP];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Installers

/** The part of a `WebContents` the guards use (the real one satisfies it; tests pass a fake). */
export interface GuardedWebContents {
  on(event: 'will-navigate', listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-frame-navigate', listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-redirect', listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: ElectronEvent) => void): unknown;
  on(event: 'before-input-event', listener: (event: ElectronEvent, input: Input) => void): unknown;
  on(event: 'devtools-opened', listener: () => void): unknown;
  setWindowOpenHandler(handler: () => WindowOpenHandlerResponse): void;
  closeDevTools(): void;
}

export interface GuardOptions {
  appOrigin: AppOriginSource;
  /** Packaged kiosks close developer tools should anything manage to open them. */
  packaged: boolean;
  logger: ShellLogger;
}

/** Installed on every webContents (from `app.on('web-contents-created')`), not just the window's. */
export function installWebContentsGuards(contents: GuardedWebContents, options: GuardOptions): void {
  const { appOrigin, logger } = options;
  contents.on('will-navigate', (event) => {
    guardNavigation(event, appOrigin(), logger, 'navigate');
  });
  contents.on('will-frame-navigate', (event) => {
    guardNavigation(event, appOrigin(), logger, 'frame-navigate');
  });
  contents.on('will-redirect', (event) => {
    guardNavigation(event, appOrigin(), logger, 'redirect');
  });
  contents.setWindowOpenHandler(() => {
    logger.warn({}, 'blocked window.open');
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    logger.warn({}, 'blocked <webview>');
  });
  contents.on('before-input-event', (event, input) => {
    const blocked = blockedShortcut(input);
    if (blocked !== null) event.preventDefault();
  });
  if (options.packaged) {
    contents.on('devtools-opened', () => {
      logger.warn({}, 'developer tools opened in a packaged kiosk; closing them');
      contents.closeDevTools();
    });
  }
}

export type HeadersReceivedListener = (
  details: OnHeadersReceivedListenerDetails,
  callback: (response: HeadersReceivedResponse) => void,
) => void;

/** The part of a `Session` the guards use (the real one satisfies it; tests pass a fake). */
export interface GuardedSession {
  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void;
  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void;
  setDevicePermissionHandler(
    handler: ((details: DevicePermissionHandlerHandlerDetails) => boolean) | null,
  ): void;
  on(event: 'will-download', listener: (event: ElectronEvent) => void): unknown;
  readonly webRequest: { onHeadersReceived(listener: HeadersReceivedListener | null): void };
}

export interface SessionGuardOptions {
  appOrigin: AppOriginSource;
  logger: ShellLogger;
}

export function installSessionGuards(ses: GuardedSession, options: SessionGuardOptions): void {
  const { appOrigin, logger } = options;
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const decision = decidePermissionRequest(permission, details, appOrigin());
    if (!decision.granted) logger.warn({ permission, reason: decision.reason }, 'permission request denied');
    callback(decision.granted);
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => {
    return decidePermissionCheck(permission, requestingOrigin, details, appOrigin()).granted;
  });
  // WebHID / WebSerial / WebUSB: every device belongs to the backend, never to the page.
  ses.setDevicePermissionHandler(() => false);
  ses.on('will-download', (event: ElectronEvent) => {
    event.preventDefault();
    logger.warn({}, 'blocked a download');
  });
  ses.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppOrigin(details.url, appOrigin())) {
      callback({});
      return;
    }
    callback({ responseHeaders: withKioskCsp(details.responseHeaders) });
  });
}
