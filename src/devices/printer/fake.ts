/**
 * In-memory receipt printer for unit tests of its consumers (receipt service, queue service, UI
 * status). No bytes, no transport: it records the documents it was given and answers with scripted
 * statuses and outcomes. Driver behaviour itself is tested against the simulator over real transports.
 */
import { encodeDocument, type PrintDocument } from './escpos/document.js';
import type { PaperWidth } from './escpos/layout.js';
import { canPrint, type PrinterStatus } from './escpos/status.js';
import type { PrintOutcome, PrinterStatusReport, ReceiptPrinter } from './types.js';

export type FakePrinter = ReceiptPrinter & {
  setStatus(status: PrinterStatus, detail?: string): void;
  /** Makes the printer unreachable (reported as `offline` with source `unreachable`). */
  setUnreachable(unreachable: boolean): void;
  /** The next print returns this outcome instead of printing (e.g. an interruption). */
  failNextPrint(outcome: Extract<PrintOutcome, { kind: 'interrupted' }>): void;
  /** Documents printed successfully, oldest first. */
  printed(): readonly PrintDocument[];
};

export function createFakePrinter(
  options: { paperWidth?: PaperWidth; status?: PrinterStatus; address?: string } = {},
): FakePrinter {
  const paperWidth = options.paperWidth ?? 80;
  const address = options.address ?? 'fake:';
  let status: PrinterStatus = options.status ?? 'ready';
  let detail = 'fake printer';
  let unreachable = false;
  let nextFailure: Extract<PrintOutcome, { kind: 'interrupted' }> | null = null;
  let last: PrinterStatusReport | null = null;
  const docs: PrintDocument[] = [];
  const listeners = new Set<(r: PrinterStatusReport) => void>();
  let closed = false;

  const report = (): PrinterStatusReport =>
    unreachable || closed
      ? {
          source: 'unreachable',
          status: 'offline',
          detail: 'fake printer unreachable',
          fault: { kind: 'unreachable', message: 'fake printer unreachable' },
          at: new Date(),
        }
      : { source: 'printer', status, detail, conditions: [], at: new Date() };

  const publish = (): PrinterStatusReport => {
    const r = report();
    last = r;
    for (const l of listeners) l(r);
    return r;
  };

  return {
    address,
    paperWidth,
    status: () => Promise.resolve(publish()),
    lastStatus: () => last,
    print(doc: PrintDocument): Promise<PrintOutcome> {
      // Encoding proves the document is valid for the paper, as the real driver would.
      const bytes = encodeDocument(doc, { paperWidth });
      const before = publish();
      if (before.source === 'unreachable' || !canPrint(before.status))
        return Promise.resolve({ kind: 'refused', status: before });
      if (nextFailure !== null) {
        const outcome = nextFailure;
        nextFailure = null;
        return Promise.resolve(outcome);
      }
      docs.push(doc);
      return Promise.resolve({ kind: 'printed', bytes: bytes.length, before, after: before });
    },
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      listeners.clear();
      return Promise.resolve();
    },
    setStatus(s, d) {
      status = s;
      detail = d ?? `fake printer: ${s}`;
      publish();
    },
    setUnreachable(u) {
      unreachable = u;
      publish();
    },
    failNextPrint(outcome) {
      nextFailure = outcome;
    },
    printed: () => docs,
  };
}
