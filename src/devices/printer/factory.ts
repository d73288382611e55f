/**
 * Builds a receipt printer from its configured address (docs/architecture.md, "Devices"): `serial:`
 * (serialport), `tcp://` (port 9100), `usblp:` (device file), `none` (not fitted) or `sim:` — the built-in
 * simulator, refused in production, started on a real transport with the real driver connected to it.
 */
import type { Logger } from 'pino';
import { err, ok, type Result } from '../result.js';
import { parseDeviceUri, refuseSimulatorInProduction } from '../uri.js';
import { createEscPosPrinter, type Backoff } from './driver.js';
import type { PaperWidth } from './escpos/layout.js';
import { PRINTER_STATUSES, type PrinterStatus } from './escpos/status.js';
import type { PrinterSimulator } from './simulator/core.js';
import { startPrinterSimulator, type RunningPrinterSimulator } from './simulator/start.js';
import { testPage } from './templates/test-page.js';
import { createSerialTransport, type SerialFlowControl } from './transport/serial.js';
import { createTcpTransport } from './transport/tcp.js';
import type { PrinterTransport } from './transport/types.js';
import { createUsblpTransport } from './transport/usblp.js';
import type { PrintOutcome, PrinterStatusReport, ReceiptPrinter, StatusSource } from './types.js';

export type PrinterMode = 'production' | 'development';

export type CreatePrinterOptions = {
  uri: string;
  mode: PrinterMode;
  logger: Logger;
  /** 58 or 80 mm roll; default 80. */
  paperWidth?: PaperWidth;
  /** Idle status poll interval (ms); null = no polling. Default 5000. */
  pollIntervalMs?: number | null;
  statusTimeoutMs?: number;
  connectTimeoutMs?: number;
  backoff?: Backoff;
};

export type PrinterHandle = {
  printer: ReceiptPrinter;
  /** The built-in simulator when the address is `sim:` (for the dev panel and tests), else null. */
  simulator: PrinterSimulator | null;
  /** Closes the printer (and stops its simulator); same as `printer.close()`. */
  close(): Promise<void>;
};

function handle(printer: ReceiptPrinter, simulator: PrinterSimulator | null): PrinterHandle {
  return { printer, simulator, close: () => printer.close() };
}

const FLOWS: readonly SerialFlowControl[] = ['none', 'rtscts', 'xonxoff'];

function queryOf(uri: string): URLSearchParams {
  const q = uri.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : uri.slice(q + 1));
}

/** A printer for the address `none`: always offline (not configured), never prints. */
export function createNotFittedPrinter(paperWidth: PaperWidth): ReceiptPrinter {
  const report = (): PrinterStatusReport => ({
    source: 'not-configured',
    status: 'offline',
    detail: 'no receipt printer fitted (address "none")',
    at: new Date(),
  });
  let last: PrinterStatusReport | null = null;
  return {
    address: 'none',
    paperWidth,
    status: () => Promise.resolve((last = report())),
    lastStatus: () => last,
    print: () => Promise.resolve({ kind: 'refused', status: (last = report()) }),
    onStatus: () => () => undefined,
    close: () => Promise.resolve(),
  };
}

export async function createPrinter(options: CreatePrinterOptions): Promise<Result<PrinterHandle, string>> {
  const paperWidth = options.paperWidth ?? 80;
  const parsed = parseDeviceUri(options.uri, { tcpPort: 9100 });
  if (!parsed.ok) return parsed;
  const allowed = refuseSimulatorInProduction(parsed.value, options.mode);
  if (!allowed.ok) return allowed;
  const address = allowed.value;
  const driverOptions = {
    logger: options.logger,
    paperWidth,
    pollIntervalMs: options.pollIntervalMs,
    statusTimeoutMs: options.statusTimeoutMs,
    backoff: options.backoff,
  };
  const withTransport = (transport: PrinterTransport): PrinterHandle =>
    handle(createEscPosPrinter({ ...driverOptions, transport }), null);

  switch (address.scheme) {
    case 'none':
      return ok(handle(createNotFittedPrinter(paperWidth), null));
    case 'tcp':
      return ok(
        withTransport(
          createTcpTransport({
            host: address.host,
            port: address.port,
            connectTimeoutMs: options.connectTimeoutMs,
          }),
        ),
      );
    case 'serial': {
      const flow = queryOf(options.uri).get('flow') ?? 'none';
      const flowControl = FLOWS.find((f) => f === flow);
      if (flowControl === undefined)
        return err(`serial printer address "${options.uri}": flow must be one of ${FLOWS.join(', ')}`);
      return ok(
        withTransport(createSerialTransport({ path: address.path, baudRate: address.baud, flowControl })),
      );
    }
    case 'usblp':
      return ok(withTransport(createUsblpTransport({ path: address.path })));
    case 'sim': {
      const unknown = Object.keys(address.options).filter((k) => k !== 'transport' && k !== 'status');
      if (unknown.length > 0)
        return err(
          `sim printer address "${options.uri}": unknown option ${unknown.join(', ')} (use transport, status)`,
        );
      const transport = address.options.transport ?? 'tcp';
      if (transport !== 'tcp' && transport !== 'pty')
        return err(`sim printer address "${options.uri}": transport must be tcp or pty`);
      const status = address.options.status ?? 'ready';
      const initial = PRINTER_STATUSES.find((s) => s === status);
      if (initial === undefined)
        return err(
          `sim printer address "${options.uri}": status must be one of ${PRINTER_STATUSES.join(', ')}`,
        );
      let running: RunningPrinterSimulator;
      try {
        running = await startPrinterSimulator({
          transport,
          paperWidth,
          status: initial,
          logger: options.logger.child({ device: 'printer-simulator' }),
        });
      } catch (e) {
        return err(`cannot start the printer simulator: ${e instanceof Error ? e.message : String(e)}`);
      }
      // The real driver, over the real transport, to the simulator (docs/architecture.md, "Devices").
      const inner = await createPrinter({ ...options, uri: running.uri });
      if (!inner.ok) {
        await running.stop();
        return inner;
      }
      const printer = inner.value.printer;
      return ok(
        handle(
          {
            address: printer.address,
            paperWidth: printer.paperWidth,
            status: () => printer.status(),
            lastStatus: () => printer.lastStatus(),
            print: (doc) => printer.print(doc),
            onStatus: (l) => printer.onStatus(l),
            close: async () => {
              await printer.close();
              await running.stop();
            },
          },
          running.simulator,
        ),
      );
    }
    case 'hid':
    case 'sane':
    case 'escl':
    case 'camera':
      return err(
        `"${options.uri}" is not a receipt printer address (use serial:, tcp://, usblp:, sim: or none)`,
      );
    default: {
      const never: never = address;
      return err(`unknown address ${JSON.stringify(never)}`);
    }
  }
}

export type PrinterStatusSummary = { status: PrinterStatus; detail: string; source: StatusSource };

/** For the CLI: connect, read the status once, disconnect. */
export async function printerStatusOnce(options: {
  uri: string;
  mode: PrinterMode;
  logger: Logger;
  paperWidth?: PaperWidth;
}): Promise<Result<PrinterStatusSummary, string>> {
  const created = await createPrinter({ ...options, pollIntervalMs: null });
  if (!created.ok) return created;
  const { printer } = created.value;
  try {
    const r = await printer.status();
    return ok({ status: r.status, detail: r.detail, source: r.source });
  } finally {
    await printer.close();
  }
}

export type TestPageResult = {
  outcome: PrintOutcome;
  /** With `sim:`, the test page as the simulator printed it (PNG); null for real printers. */
  preview: Buffer | null;
};

/** For the CLI and the technician console: prints the test page (status read first and printed on it). */
export async function printTestPage(options: {
  uri: string;
  mode: PrinterMode;
  logger: Logger;
  paperWidth?: PaperWidth;
  kioskId?: string;
  now?: Date;
}): Promise<Result<TestPageResult, string>> {
  const created = await createPrinter({ ...options, pollIntervalMs: null });
  if (!created.ok) return created;
  const { printer, simulator } = created.value;
  try {
    const status = await printer.status();
    const doc = testPage({
      address: printer.address,
      paperWidth: printer.paperWidth,
      status: { status: status.status, detail: status.detail },
      printedAt: options.now ?? new Date(),
      kioskId: options.kioskId,
    });
    const outcome = await printer.print(doc);
    let preview: Buffer | null = null;
    if (simulator !== null && outcome.kind === 'printed' && (await simulator.waitForReceipts(1, 2000))) {
      preview = simulator.receipts().at(-1)?.png() ?? null;
    }
    return ok({ outcome, preview });
  } finally {
    await printer.close();
  }
}
