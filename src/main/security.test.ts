import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type {
  DevicePermissionHandlerHandlerDetails,
  OnHeadersReceivedListenerDetails,
  Session,
  WebContents,
  WindowOpenHandlerResponse,
} from 'electron';
import {
  KIOSK_CSP,
  appOriginOf,
  blockedShortcut,
  decidePermissionCheck,
  decidePermissionRequest,
  guardNavigation,
  installSessionGuards,
  installWebContentsGuards,
  isAppOrigin,
  withKioskCsp,
  type CheckedPermission,
  type GuardedSession,
  type GuardedWebContents,
  type HeadersReceivedListener,
  type PermissionCheckHandler,
  type PermissionRequestHandler,
  type PermissionRequestDetails,
  type RequestedPermission,
} from './security.js';

const APP = 'http://127.0.0.1:8787';
const silent = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };

describe('isAppOrigin', () => {
  it('accepts any path, query or fragment on the app origin', () => {
    expect(isAppOrigin('http://127.0.0.1:8787/', APP)).toBe(true);
    expect(isAppOrigin('http://127.0.0.1:8787/guide/123?x=1#top', APP)).toBe(true);
    expect(isAppOrigin('http://127.0.0.1:8787/', 'http://127.0.0.1:8787/')).toBe(true);
  });

  it.each([
    ['another port', 'http://127.0.0.1:8788/'],
    ['another host', 'http://localhost:8787/'],
    ['https instead of http', 'https://127.0.0.1:8787/'],
    ['a foreign site', 'https://example.com/'],
    ['a look-alike host', 'http://127.0.0.1.evil.test:8787/'],
    ['file:', 'file:///etc/passwd'],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['blob:', 'blob:https://example.com/uuid'],
    ['about:blank', 'about:blank'],
    ['garbage', 'not a url'],
  ])('rejects %s', (_label, url) => {
    expect(isAppOrigin(url, APP)).toBe(false);
  });

  it('rejects everything while the app origin is unknown, and never matches an opaque origin', () => {
    expect(isAppOrigin('http://127.0.0.1:8787/', null)).toBe(false);
    expect(isAppOrigin('file:///x', 'null')).toBe(false);
    expect(appOriginOf('file:///x')).toBeNull();
    expect(appOriginOf('http://127.0.0.1:8787/a')).toBe(APP);
  });
});

describe('guardNavigation', () => {
  const nav = (url: string) => ({ url, preventDefault: vi.fn() });

  it('lets app-origin navigation through', () => {
    const e = nav('http://127.0.0.1:8787/apply');
    expect(guardNavigation(e, APP, silent, 'navigate')).toBe(true);
    expect(e.preventDefault).not.toHaveBeenCalled();
  });

  it.each([
    'https://example.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,x',
    'http://127.0.0.1:9/',
  ])('blocks %s', (url) => {
    const e = nav(url);
    expect(guardNavigation(e, APP, silent, 'redirect')).toBe(false);
    expect(e.preventDefault).toHaveBeenCalledOnce();
  });
});

describe('blockedShortcut', () => {
  const key = (
    k: string,
    mods: Partial<{ control: boolean; meta: boolean; alt: boolean; shift: boolean }> = {},
    code = '',
  ) => ({
    key: k,
    code,
    control: false,
    meta: false,
    alt: false,
    shift: false,
    ...mods,
  });

  it.each([
    ['F5', key('F5'), 'reload'],
    ['Ctrl+R', key('r', { control: true }, 'KeyR'), 'reload'],
    ['Cmd+R', key('r', { meta: true }, 'KeyR'), 'reload'],
    ['Ctrl+Shift+R', key('R', { control: true, shift: true }, 'KeyR'), 'reload'],
    ['Shift+F5', key('F5', { shift: true }), 'reload'],
    ['BrowserRefresh', key('BrowserRefresh'), 'reload'],
    ['F12', key('F12'), 'devtools'],
    ['Ctrl+Shift+I', key('I', { control: true, shift: true }, 'KeyI'), 'devtools'],
    ['Ctrl+Shift+J', key('J', { control: true, shift: true }, 'KeyJ'), 'devtools'],
    ['Ctrl+Shift+C', key('C', { control: true, shift: true }, 'KeyC'), 'devtools'],
    ['Cmd+Alt+I', key('i', { meta: true, alt: true }, 'KeyI'), 'devtools'],
    ['Cmd+Alt+J', key('j', { meta: true, alt: true }, 'KeyJ'), 'devtools'],
    ['Ctrl+=', key('=', { control: true }, 'Equal'), 'zoom'],
    ['Ctrl++', key('+', { control: true, shift: true }, 'Equal'), 'zoom'],
    ['Ctrl+-', key('-', { control: true }, 'Minus'), 'zoom'],
    ['Ctrl+0', key('0', { control: true }, 'Digit0'), 'zoom'],
    ['Cmd+=', key('=', { meta: true }, 'Equal'), 'zoom'],
    ['Ctrl+Numpad+', key('+', { control: true }, 'NumpadAdd'), 'zoom'],
    ['Ctrl+Numpad-', key('-', { control: true }, 'NumpadSubtract'), 'zoom'],
    ['Ctrl+Numpad0', key('0', { control: true }, 'Numpad0'), 'zoom'],
    ['Alt+F4', key('F4', { alt: true }), 'close'],
    ['Ctrl+F4', key('F4', { control: true }), 'close'],
    ['Ctrl+W', key('w', { control: true }, 'KeyW'), 'close'],
    ['Cmd+W', key('w', { meta: true }, 'KeyW'), 'close'],
    ['Ctrl+Q', key('q', { control: true }, 'KeyQ'), 'close'],
    ['Cmd+Q', key('q', { meta: true }, 'KeyQ'), 'close'],
    ['Alt+Space', key(' ', { alt: true }, 'Space'), 'close'],
    ['F11', key('F11'), 'fullscreen'],
    ['Ctrl+Cmd+F', key('f', { control: true, meta: true }, 'KeyF'), 'fullscreen'],
    ['Alt+Left', key('ArrowLeft', { alt: true }, 'ArrowLeft'), 'history'],
    ['BrowserBack', key('BrowserBack'), 'history'],
    ['Ctrl+P', key('p', { control: true }, 'KeyP'), 'browser'],
    ['Ctrl+N', key('n', { control: true }, 'KeyN'), 'browser'],
    ['Ctrl+U', key('u', { control: true }, 'KeyU'), 'browser'],
  ] as const)('swallows %s', (_label, input, category) => {
    expect(blockedShortcut(input)).toBe(category);
  });

  it.each([
    ['a letter', key('a', {}, 'KeyA')],
    ['a capital letter', key('A', { shift: true }, 'KeyA')],
    ['a digit from a code reader', key('7', {}, 'Digit7')],
    ['zero', key('0', {}, 'Digit0')],
    ['Enter', key('Enter', {}, 'Enter')],
    ['Backspace', key('Backspace', {}, 'Backspace')],
    ['Space', key(' ', {}, 'Space')],
    ['Tab', key('Tab', {}, 'Tab')],
    ['Escape', key('Escape', {}, 'Escape')],
    ['an arrow key', key('ArrowLeft', {}, 'ArrowLeft')],
    ['F4 alone', key('F4')],
    ['Ctrl+C (copy)', key('c', { control: true }, 'KeyC')],
    ['Ctrl+V (paste)', key('v', { control: true }, 'KeyV')],
    ['Ctrl+X (cut)', key('x', { control: true }, 'KeyX')],
    ['Ctrl+A (select all)', key('a', { control: true }, 'KeyA')],
    ['Ctrl+Z (undo)', key('z', { control: true }, 'KeyZ')],
    ['Cmd+C', key('c', { meta: true }, 'KeyC')],
    ['Shift+= typing "+"', key('+', { shift: true }, 'Equal')],
    ['"-" typed', key('-', {}, 'Minus')],
    ['IME composition', key('Process', {}, 'KeyN')],
  ] as const)('lets %s through', (_label, input) => {
    expect(blockedShortcut(input)).toBeNull();
  });
});

describe('decidePermissionRequest', () => {
  const req = (
    over: Partial<{
      requestingUrl: string;
      isMainFrame: boolean;
      mediaTypes: ('video' | 'audio')[];
      securityOrigin: string;
    }> = {},
  ): PermissionRequestDetails => ({
    requestingUrl: 'http://127.0.0.1:8787/scan',
    isMainFrame: true,
    mediaTypes: ['video'],
    securityOrigin: 'http://127.0.0.1:8787',
    ...over,
  });

  it('grants the document camera (video) to the app origin', () => {
    expect(decidePermissionRequest('media', req(), APP)).toEqual({ granted: true });
  });

  it('grants camera and microphone together to the app origin (呼叫帮助 video call)', () => {
    expect(decidePermissionRequest('media', req({ mediaTypes: ['video', 'audio'] }), APP)).toEqual({
      granted: true,
    });
    expect(decidePermissionRequest('media', req({ mediaTypes: ['audio'] }), APP)).toEqual({ granted: true });
  });

  it.each([
    ['a foreign origin', req({ mediaTypes: ['video', 'audio'], requestingUrl: 'https://example.com/' })],
    ['a foreign security origin', req({ mediaTypes: ['audio'], securityOrigin: 'https://example.com' })],
    ['a sub-frame', req({ mediaTypes: ['video', 'audio'], isMainFrame: false })],
  ])('denies camera and microphone to %s', (_label, details) => {
    expect(decidePermissionRequest('media', details, APP).granted).toBe(false);
  });

  it.each([
    [
      'a foreign origin',
      req({ requestingUrl: 'https://example.com/', securityOrigin: 'https://example.com' }),
    ],
    ['a foreign security origin', req({ securityOrigin: 'https://example.com' })],
    ['a sub-frame', req({ isMainFrame: false })],
    ['no media type', req({ mediaTypes: [] })],
  ])('denies media from %s', (_label, details) => {
    expect(decidePermissionRequest('media', details, APP).granted).toBe(false);
  });

  it('denies media while the app origin is unknown', () => {
    expect(decidePermissionRequest('media', req(), null).granted).toBe(false);
  });

  it.each<RequestedPermission>([
    'notifications',
    'geolocation',
    'clipboard-read',
    'clipboard-sanitized-write',
    'display-capture',
    'fullscreen',
    'midi',
    'midiSysex',
    'openExternal',
    'pointerLock',
    'keyboardLock',
    'idle-detection',
    'window-management',
    'fileSystem',
    'storage-access',
    'unknown',
  ])('denies %s even to the app origin', (permission) => {
    const decision = decidePermissionRequest(
      permission,
      { requestingUrl: `${APP}/`, isMainFrame: true },
      APP,
    );
    expect(decision.granted).toBe(false);
  });
});

describe('decidePermissionCheck', () => {
  it('grants a video check from the app origin', () => {
    expect(
      decidePermissionCheck('media', APP, { isMainFrame: true, mediaType: 'video', securityOrigin: APP }, APP)
        .granted,
    ).toBe(true);
  });

  it('grants a microphone check from the app origin, not from another', () => {
    expect(decidePermissionCheck('media', APP, { isMainFrame: true, mediaType: 'audio' }, APP).granted).toBe(
      true,
    );
    expect(
      decidePermissionCheck('media', 'https://example.com', { isMainFrame: true, mediaType: 'audio' }, APP)
        .granted,
    ).toBe(false);
  });

  it.each([
    ['a foreign origin', 'https://example.com', { isMainFrame: true, mediaType: 'video' as const }],
    [
      'a foreign embedding origin',
      APP,
      { isMainFrame: false, mediaType: 'video' as const, embeddingOrigin: 'https://example.com' },
    ],
    [
      'a foreign security origin',
      APP,
      { isMainFrame: true, mediaType: 'video' as const, securityOrigin: 'https://example.com' },
    ],
    ['an unknown media type', APP, { isMainFrame: true, mediaType: 'unknown' as const }],
    ['no media type', APP, { isMainFrame: true }],
  ])('denies media checked by %s', (_label, origin, details) => {
    expect(decidePermissionCheck('media', origin, details, APP).granted).toBe(false);
  });

  it.each<CheckedPermission>([
    'notifications',
    'geolocation',
    'clipboard-read',
    'hid',
    'serial',
    'usb',
    'midi',
    'fullscreen',
    'openExternal',
  ])('denies %s', (permission) => {
    expect(decidePermissionCheck(permission, APP, { isMainFrame: true }, APP).granted).toBe(false);
  });
});

describe('withKioskCsp', () => {
  it('adds the kiosk policy with every required directive', () => {
    const headers = withKioskCsp({ 'Content-Type': ['text/html'] });
    expect(headers['Content-Type']).toEqual(['text/html']);
    const csp = headers['Content-Security-Policy'];
    expect(csp).toEqual([KIOSK_CSP]);
    const directives = new Map(
      KIOSK_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]),
    );
    expect(directives.get('default-src')).toBe("'self'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('style-src')).toBe("'self' 'unsafe-inline'");
    expect(directives.get('img-src')).toBe("'self' data: blob:");
    expect(directives.get('media-src')).toBe("'self' blob: mediastream:");
    expect(directives.get('connect-src')).toBe("'self'");
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(directives.get('form-action')).toBe("'self'");
    expect(KIOSK_CSP).not.toContain('unsafe-eval');
  });

  it('keeps a policy the backend sent (both are enforced) under whatever header case it used', () => {
    const headers = withKioskCsp({ 'content-security-policy': ["default-src 'none'"] });
    expect(headers['content-security-policy']).toEqual(["default-src 'none'", KIOSK_CSP]);
    expect(headers).not.toHaveProperty('Content-Security-Policy');
  });

  it('copes with a response that has no headers', () => {
    expect(withKioskCsp(undefined)).toEqual({ 'Content-Security-Policy': [KIOSK_CSP] });
  });
});

class FakeWebContents extends EventEmitter implements GuardedWebContents {
  windowOpenHandler: (() => WindowOpenHandlerResponse) | null = null;
  setWindowOpenHandler(h: () => WindowOpenHandlerResponse): void {
    this.windowOpenHandler = h;
  }
  closeDevTools = vi.fn();
}

const prevented = () => {
  const e = { preventDefault: vi.fn() };
  return e;
};

describe('installWebContentsGuards', () => {
  const setup = (packaged = true) => {
    const contents = new FakeWebContents();
    installWebContentsGuards(contents, { appOrigin: () => APP, packaged, logger: silent });
    return contents;
  };

  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'])(
    '%s blocks foreign URLs and allows the app',
    (event) => {
      const contents = setup();
      const foreign = { ...prevented(), url: 'https://example.com/' };
      contents.emit(event, foreign, foreign.url);
      expect(foreign.preventDefault).toHaveBeenCalledOnce();
      const own = { ...prevented(), url: `${APP}/home` };
      contents.emit(event, own, own.url);
      expect(own.preventDefault).not.toHaveBeenCalled();
    },
  );

  it('denies every window.open', () => {
    const contents = setup();
    const handler = contents.windowOpenHandler;
    expect(handler).not.toBeNull();
    expect(handler?.()).toEqual({ action: 'deny' });
  });

  it('prevents <webview> attachment', () => {
    const contents = setup();
    const e = prevented();
    contents.emit('will-attach-webview', e, {}, { src: 'https://example.com' });
    expect(e.preventDefault).toHaveBeenCalledOnce();
  });

  it('swallows blocked shortcuts and passes typing', () => {
    const contents = setup();
    const reload = prevented();
    contents.emit('before-input-event', reload, {
      type: 'keyDown',
      key: 'F5',
      code: 'F5',
      control: false,
      meta: false,
      alt: false,
      shift: false,
    });
    expect(reload.preventDefault).toHaveBeenCalledOnce();
    const typing = prevented();
    contents.emit('before-input-event', typing, {
      type: 'keyDown',
      key: 'a',
      code: 'KeyA',
      control: false,
      meta: false,
      alt: false,
      shift: false,
    });
    expect(typing.preventDefault).not.toHaveBeenCalled();
  });

  it('closes developer tools in a packaged kiosk only', () => {
    const packaged = setup(true);
    packaged.emit('devtools-opened');
    expect(packaged.closeDevTools).toHaveBeenCalledOnce();
    const dev = setup(false);
    dev.emit('devtools-opened');
    expect(dev.closeDevTools).not.toHaveBeenCalled();
  });

  it('blocks all navigation until the app origin is known', () => {
    const contents = new FakeWebContents();
    installWebContentsGuards(contents, { appOrigin: () => null, packaged: true, logger: silent });
    const e = { ...prevented(), url: `${APP}/` };
    contents.emit('will-navigate', e, e.url);
    expect(e.preventDefault).toHaveBeenCalledOnce();
  });
});

type DeviceHandler = (details: DevicePermissionHandlerHandlerDetails) => boolean;

class FakeSession extends EventEmitter implements GuardedSession {
  request: PermissionRequestHandler | null = null;
  check: PermissionCheckHandler | null = null;
  device: DeviceHandler | null = null;
  headers: HeadersReceivedListener | null = null;
  setPermissionRequestHandler(h: PermissionRequestHandler | null): void {
    this.request = h;
  }
  setPermissionCheckHandler(h: PermissionCheckHandler | null): void {
    this.check = h;
  }
  setDevicePermissionHandler(h: DeviceHandler | null): void {
    this.device = h;
  }
  readonly webRequest = {
    onHeadersReceived: (listener: HeadersReceivedListener | null): void => {
      this.headers = listener;
    },
  };
}

const headerDetails = (
  url: string,
  responseHeaders: Record<string, string[]>,
): OnHeadersReceivedListenerDetails => ({
  id: 1,
  url,
  method: 'GET',
  resourceType: 'mainFrame',
  referrer: '',
  timestamp: 0,
  statusLine: 'HTTP/1.1 200 OK',
  statusCode: 200,
  responseHeaders,
});

describe('installSessionGuards', () => {
  const setup = () => {
    const ses = new FakeSession();
    installSessionGuards(ses, { appOrigin: () => APP, logger: silent });
    return ses;
  };
  const contents = {} as WebContents;

  it('answers permission requests through the decision function', () => {
    const ses = setup();
    const granted = vi.fn();
    ses.request?.(contents, 'media', granted, {
      requestingUrl: `${APP}/`,
      isMainFrame: true,
      mediaTypes: ['video'],
    });
    expect(granted).toHaveBeenCalledWith(true);
    const denied = vi.fn();
    ses.request?.(contents, 'geolocation', denied, { requestingUrl: `${APP}/`, isMainFrame: true });
    expect(denied).toHaveBeenCalledWith(false);
    const foreign = vi.fn();
    ses.request?.(contents, 'media', foreign, {
      requestingUrl: 'https://example.com/',
      isMainFrame: true,
      mediaTypes: ['video'],
    });
    expect(foreign).toHaveBeenCalledWith(false);
    // The help call's camera and microphone, through the installed handler (electron mocked).
    const call = vi.fn();
    ses.request?.(contents, 'media', call, {
      requestingUrl: `${APP}/`,
      isMainFrame: true,
      mediaTypes: ['video', 'audio'],
    });
    expect(call).toHaveBeenCalledWith(true);
    const foreignCall = vi.fn();
    ses.request?.(contents, 'media', foreignCall, {
      requestingUrl: 'https://example.com/',
      isMainFrame: true,
      mediaTypes: ['video', 'audio'],
    });
    expect(foreignCall).toHaveBeenCalledWith(false);
  });

  it('answers permission checks the same way', () => {
    const ses = setup();
    expect(ses.check?.(contents, 'media', APP, { isMainFrame: true, mediaType: 'video' })).toBe(true);
    expect(
      ses.check?.(contents, 'media', 'https://example.com', { isMainFrame: true, mediaType: 'video' }),
    ).toBe(false);
    expect(ses.check?.(contents, 'notifications', APP, { isMainFrame: true })).toBe(false);
  });

  it('refuses every WebHID/WebSerial/WebUSB device', () => {
    const ses = setup();
    expect(ses.device?.({ deviceType: 'serial', origin: APP } as DevicePermissionHandlerHandlerDetails)).toBe(
      false,
    );
  });

  it('cancels downloads', () => {
    const ses = setup();
    const e = prevented();
    ses.emit('will-download', e, {}, {});
    expect(e.preventDefault).toHaveBeenCalledOnce();
  });

  it('adds the CSP to app-origin responses only', () => {
    const ses = setup();
    const own = vi.fn();
    ses.headers?.(headerDetails(`${APP}/index.html`, { 'Set-Cookie': ['kiosk_token=x'] }), own);
    expect(own).toHaveBeenCalledWith({
      responseHeaders: { 'Set-Cookie': ['kiosk_token=x'], 'Content-Security-Policy': [KIOSK_CSP] },
    });
    const foreign = vi.fn();
    ses.headers?.(headerDetails('https://example.com/', {}), foreign);
    expect(foreign).toHaveBeenCalledWith({});
  });
});

// Compile-time proof that the real Electron objects satisfy the narrow interfaces the guards take.
const _realWebContentsFits = (c: WebContents): GuardedWebContents => c;
const _realSessionFits = (s: Session): GuardedSession => s;
