/**
 * The receipt printer's one interface (docs/architecture.md, "Devices"): statuses and results are tagged
 * unions. Implemented by the ESC/POS driver (over serial, TCP 9100 or usblp), the in-memory fake, and the
 * "not fitted" printer.
 */
import type { PrintDocument } from './escpos/document.js';
import type { PaperWidth } from './escpos/layout.js';
import type { PrinterStatus, StatusCondition } from './escpos/status.js';
import type { TransportFault } from './transport/types.js';

export type StatusSource =
  /** Decoded from the printer's `DLE EOT 1..4` replies. */
  | 'printer'
  /** No connection or no reply: reported as `offline`; `detail` says why. */
  | 'unreachable'
  /** The link cannot carry replies (usblp, unidirectional printer): assumed ready, not verified. */
  | 'unverified'
  /** The address is `none`: no printer fitted. */
  | 'not-configured';

export type PrinterStatusReport =
  | { source: 'printer'; status: PrinterStatus; detail: string; conditions: StatusCondition[]; at: Date }
  | { source: 'unreachable'; status: 'offline'; detail: string; fault: TransportFault; at: Date }
  | { source: 'unverified'; status: 'ready'; detail: string; at: Date }
  | { source: 'not-configured'; status: 'offline'; detail: string; at: Date };

export type PrintOutcome =
  /** Every byte was sent and the printer reported nothing wrong afterwards. */
  | { kind: 'printed'; bytes: number; before: PrinterStatusReport; after: PrinterStatusReport }
  /** Nothing was sent: the status check said the printer cannot print now. The caller still has the
   * document; print it again once the status is `ready`/`paper-near-end`. */
  | { kind: 'refused'; status: PrinterStatusReport }
  /** The job started but may be incomplete (link lost mid-job, or the printer reported paper out /
   * cover open / error right after). Check the printout; reprint once the printer is back. */
  | {
      kind: 'interrupted';
      cause: 'transport' | 'printer';
      bytesSent: number;
      bytesTotal: number;
      detail: string;
      status: PrinterStatusReport | null;
    };

export interface ReceiptPrinter {
  readonly address: string;
  readonly paperWidth: PaperWidth;
  /** Asks the printer now (serialised with print jobs, never in the middle of one). */
  status(): Promise<PrinterStatusReport>;
  /** The last report from a query, a poll or a print; null before the first. */
  lastStatus(): PrinterStatusReport | null;
  /** Checks the status, refuses when the printer cannot print, sends the job, checks again. */
  print(doc: PrintDocument): Promise<PrintOutcome>;
  /** Called when the status, its source or its detail changes (polls included). Returns unsubscribe. */
  onStatus(listener: (report: PrinterStatusReport) => void): () => void;
  close(): Promise<void>;
}
