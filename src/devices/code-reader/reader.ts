/**
 * QR/barcode reader (扫码器) used to scan the QR code on a receipt or an appointment code.
 * - `hid:VID:PID` — the reader in its default keyboard mode, read with node-hid as a HID boot
 *   keyboard (decoded by boot-keyboard.ts), so keystrokes never reach the kiosk screen.
 * - `serial:PATH` — the reader in USB-CDC/serial mode: one code per line (CR or LF terminated).
 * - `sim:` — a simulator the dev panel and tests drive with `scan(code)`.
 * Unplugging is a `disconnected` state followed by reopen attempts with backoff, never a crash.
 */
import type { Logger } from 'pino';
import type { DeviceState } from '../../shared/index.js';
import { err, ok, type Result } from '../result.js';
import { parseDeviceUri, refuseSimulatorInProduction } from '../uri.js';
import { createBootKeyboardDecoder } from './boot-keyboard.js';

export type CodeReaderEvent = { type: 'state'; state: DeviceState } | { type: 'code'; code: string };

export type CodeReaderSimulator = { scan(code: string): void };

export type CodeReaderHandle = {
  state(): DeviceState;
  subscribe(listener: (e: CodeReaderEvent) => void): () => void;
  simulator: CodeReaderSimulator | null;
  close(): Promise<void>;
};

/** A byte source that delivers reports or chunks until it errors or closes. */
export type RawSource = {
  onData(cb: (chunk: Uint8Array) => void): void;
  onError(cb: (e: Error) => void): void;
  close(): Promise<void>;
};
export type OpenSource = () => Promise<RawSource>;

const MAX_LINE = 512;

function emitter() {
  const listeners = new Set<(e: CodeReaderEvent) => void>();
  return {
    emit: (e: CodeReaderEvent) => listeners.forEach((l) => l(e)),
    subscribe: (l: (e: CodeReaderEvent) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

/** Line framing for serial readers: CR, LF or CRLF ends a code; overlong lines are dropped. */
export function createLineDecoder() {
  let buf = '';
  return (chunk: Uint8Array): string[] => {
    const out: string[] = [];
    for (const ch of Buffer.from(chunk).toString('latin1')) {
      if (ch === '\r' || ch === '\n') {
        if (buf.length > 0) out.push(buf);
        buf = '';
      } else if (ch >= ' ' && ch <= '~') {
        buf += ch;
        if (buf.length > MAX_LINE) buf = '';
      }
    }
    return out;
  };
}

/**
 * Keeps a source open: decodes its bytes into codes, reports `disconnected` when it fails, and
 * reopens with exponential backoff (1 s … 30 s).
 */
export function createSourceReader(opts: {
  open: OpenSource;
  decode: () => (chunk: Uint8Array) => string[];
  logger: Logger;
  backoffMs?: { initial: number; max: number };
}): CodeReaderHandle {
  const { emit, subscribe } = emitter();
  const backoff = opts.backoffMs ?? { initial: 1000, max: 30_000 };
  let state: DeviceState = { state: 'disconnected' };
  let source: RawSource | null = null;
  let timer: NodeJS.Timeout | null = null;
  let delay = backoff.initial;
  let closed = false;
  const setState = (s: DeviceState) => {
    state = s;
    emit({ type: 'state', state: s });
  };
  const retry = () => {
    if (closed) return;
    timer = setTimeout(() => void connect(), delay);
    timer.unref();
    delay = Math.min(delay * 2, backoff.max);
  };
  async function connect(): Promise<void> {
    if (closed) return;
    try {
      const s = await opts.open();
      if (closed) return void (await s.close());
      source = s;
      delay = backoff.initial;
      const decode = opts.decode();
      s.onData((chunk) => {
        for (const code of decode(chunk)) emit({ type: 'code', code });
      });
      s.onError((e) => {
        opts.logger.warn({ err: e.message }, 'code reader lost');
        source = null;
        void s.close().catch(() => undefined);
        setState({ state: 'disconnected' });
        retry();
      });
      setState({ state: 'ready' });
    } catch (e) {
      opts.logger.debug({ err: (e as Error).message }, 'code reader not available');
      if (state.state !== 'disconnected') setState({ state: 'disconnected' });
      retry();
    }
  }
  void connect();
  return {
    state: () => state,
    subscribe,
    simulator: null,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await source?.close();
    },
  };
}

function simulatedReader(): CodeReaderHandle {
  const { emit, subscribe } = emitter();
  return {
    state: () => ({ state: 'simulated' }),
    subscribe,
    simulator: {
      scan(code: string) {
        emit({ type: 'code', code });
      },
    },
    close: () => Promise.resolve(),
  };
}

async function openHid(vendorId: number, productId: number): Promise<RawSource> {
  const HID = await import('node-hid');
  const device = await HID.HIDAsync.open(vendorId, productId);
  return {
    onData: (cb) => device.on('data', (data: Buffer) => cb(data)),
    onError: (cb) => device.on('error', (e: Error) => cb(e)),
    close: () => device.close(),
  };
}

async function openSerial(path: string, baudRate: number): Promise<RawSource> {
  const { SerialPort } = await import('serialport');
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    port.open((e) => {
      if (e) return reject(e);
      resolve({
        onData: (cb) => port.on('data', (d: Buffer) => cb(d)),
        onError: (cb) => {
          port.on('error', cb);
          port.on('close', () => cb(new Error('port closed')));
        },
        close: () =>
          new Promise<void>((r) => {
            if (!port.isOpen) return r();
            port.close(() => r());
          }),
      });
    });
  });
}

export async function createCodeReader(o: {
  uri: string;
  mode: 'production' | 'development';
  logger: Logger;
  /** Seams for tests: how a HID or serial source is opened. */
  openHid?: (vendorId: number, productId: number) => Promise<RawSource>;
  backoffMs?: { initial: number; max: number };
}): Promise<Result<CodeReaderHandle, string>> {
  const parsed = parseDeviceUri(o.uri, { baud: 9600 });
  if (!parsed.ok) return parsed;
  const allowed = refuseSimulatorInProduction(parsed.value, o.mode);
  if (!allowed.ok) return allowed;
  const a = allowed.value;
  switch (a.scheme) {
    case 'sim':
      return Promise.resolve(ok(simulatedReader()));
    case 'hid': {
      const open = o.openHid ?? openHid;
      return ok(
        createSourceReader({
          open: () => open(a.vendorId, a.productId),
          decode: () => {
            const d = createBootKeyboardDecoder();
            return (chunk) => d.push(chunk).flatMap((e) => (e.type === 'code' ? [e.code] : []));
          },
          logger: o.logger,
          ...(o.backoffMs ? { backoffMs: o.backoffMs } : {}),
        }),
      );
    }
    case 'serial':
      return ok(
        createSourceReader({
          open: () => openSerial(a.path, a.baud),
          decode: createLineDecoder,
          logger: o.logger,
          ...(o.backoffMs ? { backoffMs: o.backoffMs } : {}),
        }),
      );
    case 'none':
    case 'tcp':
    case 'usblp':
    case 'sane':
    case 'escl':
    case 'camera':
      return err(`a code reader cannot be addressed as ${a.scheme}: use hid:VID:PID, serial:PATH or sim:`);
    default: {
      const never: never = a;
      throw new Error(`unknown address ${JSON.stringify(never)}`);
    }
  }
}
