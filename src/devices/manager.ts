/**
 * The device manager: opens every configured device, keeps its state as the home screen and the
 * technician console show it, reports faults (for the audit log) and summarises health for the hall.
 * Opening a device never throws: a bad address or an absent device is a `fault`/`disconnected`
 * state, and the kiosk keeps working with what it has. Drivers reconnect by themselves; the scanner,
 * which has no event stream, is polled.
 */
import type { Logger } from 'pino';
import { DEVICE_KINDS, type DeviceKind, type DeviceState, type DeviceStatus } from '../shared/index.js';
import * as idcard from './idcard/index.js';
import * as printer from './printer/index.js';
import * as scanner from './scanner/index.js';
import { createCodeReader, type CodeReaderHandle } from './code-reader/index.js';

export type DeviceUris = Record<DeviceKind, string>;
export type Mode = 'production' | 'development';

export type CardEvent = Exclude<idcard.IdCardEvent, { type: 'status' }>;

export type DeviceFault = { kind: DeviceKind; uri: string; state: DeviceState };

type Slots = {
  idcard: idcard.IdCardReaderHandle | null;
  printer: printer.PrinterHandle | null;
  ticketPrinter: printer.PrinterHandle | null;
  scanner: scanner.ScannerHandle | null;
  codeReader: CodeReaderHandle | null;
};

export function idcardDeviceState(status: idcard.IdCardStatus, simulated: boolean): DeviceState {
  switch (status.state) {
    case 'ready':
      return simulated ? { state: 'simulated' } : { state: 'ready' };
    case 'connecting':
    case 'stopped':
    case 'disconnected':
      return { state: 'disconnected' };
    case 'fault':
      return { state: 'fault', detail: status.message };
    default: {
      const never: never = status;
      throw new Error(`unknown id-card status ${JSON.stringify(never)}`);
    }
  }
}

export function printerDeviceState(report: printer.PrinterStatusReport, simulated: boolean): DeviceState {
  switch (report.source) {
    case 'not-configured':
      return { state: 'not-configured' };
    case 'unreachable':
      return { state: 'disconnected' };
    case 'unverified':
      return simulated ? { state: 'simulated' } : { state: 'ready' };
    case 'printer':
      switch (report.status) {
        case 'ready':
          return simulated ? { state: 'simulated' } : { state: 'ready' };
        case 'paper-near-end':
          return { state: 'warning', detail: 'paper-near-end' };
        case 'paper-out':
        case 'cover-open':
        case 'offline':
        case 'error':
          return {
            state: 'fault',
            detail: report.status === 'error' ? `error: ${report.detail}` : report.status,
          };
        default: {
          const never: never = report;
          throw new Error(`unknown printer status ${JSON.stringify(never)}`);
        }
      }
    default: {
      const never: never = report;
      throw new Error(`unknown printer report ${JSON.stringify(never)}`);
    }
  }
}

const isBad = (s: DeviceState) => s.state === 'fault' || s.state === 'disconnected';

export function createDeviceManager(deps: {
  uris: DeviceUris;
  mode: Mode;
  logger: Logger;
  paperWidth?: printer.PaperWidth;
  /** Scanner status poll (ms); the SANE driver opens the device to answer, so not too often. */
  scannerPollMs?: number;
  printerPollMs?: number | null;
}) {
  const { logger, mode } = deps;
  const uris: DeviceUris = { ...deps.uris };
  const slots: Slots = { idcard: null, printer: null, ticketPrinter: null, scanner: null, codeReader: null };
  const states = new Map<DeviceKind, DeviceState>(DEVICE_KINDS.map((k) => [k, { state: 'disconnected' }]));
  const statusListeners = new Set<(s: DeviceStatus) => void>();
  const faultListeners = new Set<(f: DeviceFault) => void>();
  const cardListeners = new Set<(e: CardEvent) => void>();
  const codeListeners = new Set<(code: string) => void>();
  const cleanups = new Map<DeviceKind, () => void>();
  let scannerTimer: NodeJS.Timeout | null = null;
  /** The card on the reader now (from card-present until card-removed), for test reads. */
  let cardOnReader: Extract<CardEvent, { type: 'card-present' }> | null = null;
  let closed = false;

  const isSim = (kind: DeviceKind) => uris[kind].startsWith('sim:');
  const isNone = (kind: DeviceKind) => uris[kind] === 'none' || uris[kind] === 'none:';

  function setState(kind: DeviceKind, state: DeviceState): void {
    const before = states.get(kind);
    if (before && JSON.stringify(before) === JSON.stringify(state)) return;
    states.set(kind, state);
    const status = { kind, uri: uris[kind], ...state };
    for (const l of statusListeners) l(status);
    if (isBad(state) && !(before && isBad(before) && before.state === state.state)) {
      logger.warn({ device: kind, uri: uris[kind], state }, 'device fault');
      for (const l of faultListeners) l({ kind, uri: uris[kind], state });
    }
  }

  async function openIdCard(): Promise<void> {
    // The drivers name themselves in their log lines (device: idcard / printer …).
    const r = await idcard.createIdCardReader({ uri: uris.idcard, mode, logger });
    if (!r.ok) return setState('idcard', { state: 'fault', detail: r.error.message });
    slots.idcard = r.value;
    const reader = r.value.reader;
    const unsubscribe = reader.subscribe((e) => {
      if (e.type === 'status') return setState('idcard', idcardDeviceState(e.status, isSim('idcard')));
      if (e.type === 'card-present') cardOnReader = e;
      if (e.type === 'card-removed') cardOnReader = null;
      for (const l of cardListeners) l(e);
    });
    cleanups.set('idcard', unsubscribe);
    reader.start();
    setState('idcard', idcardDeviceState(reader.status(), isSim('idcard')));
  }

  async function openPrinter(kind: 'printer' | 'ticketPrinter'): Promise<void> {
    const r = await printer.createPrinter({
      uri: uris[kind],
      mode,
      logger: kind === 'ticketPrinter' ? logger.child({ role: 'ticket' }) : logger,
      paperWidth: deps.paperWidth ?? 80,
      pollIntervalMs: deps.printerPollMs === undefined ? 5000 : deps.printerPollMs,
    });
    if (!r.ok) return setState(kind, { state: 'fault', detail: r.error });
    slots[kind] = r.value;
    const p = r.value.printer;
    cleanups.set(
      kind,
      p.onStatus((report) => setState(kind, printerDeviceState(report, isSim(kind)))),
    );
    setState(kind, printerDeviceState(await p.status(), isSim(kind)));
  }

  async function pollScanner(): Promise<void> {
    const s = slots.scanner;
    if (!s) return;
    const status = await s.scanner.status();
    const state = scanner.scannerDeviceState(status);
    setState('scanner', state.state === 'ready' && isSim('scanner') ? { state: 'simulated' } : state);
  }

  async function openScanner(): Promise<void> {
    const r = await scanner.createScanner({
      uri: uris.scanner,
      mode,
      logger: logger.child({ device: 'scanner' }),
    });
    if (!r.ok) return setState('scanner', { state: 'fault', detail: r.error });
    slots.scanner = r.value;
    await pollScanner();
    scannerTimer = setInterval(() => {
      pollScanner().catch((e: unknown) => logger.error({ err: e }, 'scanner poll failed'));
    }, deps.scannerPollMs ?? 30_000);
    scannerTimer.unref();
  }

  async function openCodeReader(): Promise<void> {
    const r = await createCodeReader({
      uri: uris.codeReader,
      mode,
      logger: logger.child({ device: 'codeReader' }),
    });
    if (!r.ok) return setState('codeReader', { state: 'fault', detail: r.error });
    slots.codeReader = r.value;
    cleanups.set(
      'codeReader',
      r.value.subscribe((e) => {
        if (e.type === 'state') setState('codeReader', e.state);
        else for (const l of codeListeners) l(e.code);
      }),
    );
    setState('codeReader', r.value.state());
  }

  async function open(kind: DeviceKind): Promise<void> {
    if (isNone(kind)) return setState(kind, { state: 'not-configured' });
    try {
      switch (kind) {
        case 'idcard':
          return await openIdCard();
        case 'printer':
        case 'ticketPrinter':
          return await openPrinter(kind);
        case 'scanner':
          return await openScanner();
        case 'codeReader':
          return await openCodeReader();
        default: {
          const never: never = kind;
          throw new Error(`unknown device kind ${String(never)}`);
        }
      }
    } catch (e) {
      // A driver bug must not take the kiosk down: report it as a fault of that device.
      logger.error({ err: e, device: kind }, 'device failed to open');
      setState(kind, { state: 'fault', detail: (e as Error).message });
    }
  }

  async function closeOne(kind: DeviceKind): Promise<void> {
    cleanups.get(kind)?.();
    cleanups.delete(kind);
    if (kind === 'scanner' && scannerTimer) {
      clearInterval(scannerTimer);
      scannerTimer = null;
    }
    const slot = slots[kind];
    slots[kind] = null;
    if (slot) await slot.close();
  }

  return {
    async start(): Promise<void> {
      await Promise.all(DEVICE_KINDS.map((k) => open(k)));
    },
    /** Changes one device's address (technician console) and reopens it. */
    async reconfigure(kind: DeviceKind, uri: string): Promise<void> {
      await closeOne(kind);
      if (kind === 'idcard') cardOnReader = null;
      uris[kind] = uri;
      // Tell listeners at once: the address changed, whatever the reopened device reports next.
      states.delete(kind);
      setState(kind, { state: 'disconnected' });
      if (!closed) await open(kind);
    },
    uri: (kind: DeviceKind): string => uris[kind],
    statuses(): DeviceStatus[] {
      return DEVICE_KINDS.map((kind) => ({
        kind,
        uri: uris[kind],
        ...(states.get(kind) ?? { state: 'disconnected' }),
      }));
    },
    /** Health for the hall's fleet view: only what is not fine. */
    healthSummary(): { kind: DeviceKind; state: DeviceState['state']; detail: string | null }[] {
      return this.statuses()
        .filter((s) => s.state === 'warning' || s.state === 'fault' || s.state === 'disconnected')
        .map((s) => ({ kind: s.kind, state: s.state, detail: 'detail' in s ? s.detail : null }));
    },
    onStatus(l: (s: DeviceStatus) => void): () => void {
      statusListeners.add(l);
      return () => statusListeners.delete(l);
    },
    onFault(l: (f: DeviceFault) => void): () => void {
      faultListeners.add(l);
      return () => faultListeners.delete(l);
    },
    onCard(l: (e: CardEvent) => void): () => void {
      cardListeners.add(l);
      return () => cardListeners.delete(l);
    },
    onCode(l: (code: string) => void): () => void {
      codeListeners.add(l);
      return () => codeListeners.delete(l);
    },
    idcardReader: (): idcard.IdCardReader | null => slots.idcard?.reader ?? null,
    currentCard: () => cardOnReader,
    receiptPrinter: (): printer.ReceiptPrinter | null => slots.printer?.printer ?? null,
    ticketPrinter: (): printer.ReceiptPrinter | null => slots.ticketPrinter?.printer ?? null,
    documentScanner: (): scanner.DocumentScanner | null => slots.scanner?.scanner ?? null,
    /** The built-in simulators, where an address is `sim:` (never in production). */
    simulators() {
      return {
        idcard: slots.idcard?.simulator ?? null,
        printer: slots.printer?.simulator ?? null,
        ticketPrinter: slots.ticketPrinter?.simulator ?? null,
        scanner: slots.scanner?.simulator ?? null,
        codeReader: slots.codeReader?.simulator ?? null,
      };
    },
    refreshScanner: pollScanner,
    async close(): Promise<void> {
      closed = true;
      await Promise.all(DEVICE_KINDS.map((k) => closeOne(k)));
      statusListeners.clear();
      faultListeners.clear();
      cardListeners.clear();
      codeListeners.clear();
    },
  };
}
export type DeviceManager = ReturnType<typeof createDeviceManager>;
