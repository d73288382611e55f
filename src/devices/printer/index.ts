/**
 * Receipt printer (ESC/POS) — the folder's public face. See docs/devices-printer.md.
 */
export type { PrintOutcome, PrinterStatusReport, ReceiptPrinter, StatusSource } from './types.js';
export type { PrinterStatus, StatusBytes, StatusCondition, DecodedStatus } from './escpos/status.js';
export { PRINTER_STATUSES, canPrint, decodeRealtimeStatus, isRealtimeStatusReply } from './escpos/status.js';
export type { Block, LaidOutLine, PrintDocument } from './escpos/document.js';
export { encodeDocument, layoutDocument } from './escpos/document.js';
export type { Align, CharSize, CutKind, QrErrorCorrection, RasterImage } from './escpos/commands.js';
export type { PaperGeometry, PaperWidth } from './escpos/layout.js';
export { PAPER, isPaperWidth, pairLines, wrapText } from './escpos/layout.js';
export { normalizeForPrinter, textColumns } from './escpos/gb18030.js';

export type {
  CreatePrinterOptions,
  PrinterHandle,
  PrinterMode,
  PrinterStatusSummary,
  TestPageResult,
} from './factory.js';
export { createNotFittedPrinter, createPrinter, printTestPage, printerStatusOnce } from './factory.js';
export type { Backoff, EscPosPrinterOptions } from './driver.js';
export { createEscPosPrinter } from './driver.js';
export type { PrinterTransport, TransportFault } from './transport/types.js';

export type { FakePrinter } from './fake.js';
export { createFakePrinter } from './fake.js';

export type { PrintedReceipt, PrinterSimulator, SimulatedErrorCause } from './simulator/core.js';
export type { ReceiptLine, ReceiptModel } from './simulator/receipt-model.js';
export type { RunningPrinterSimulator, StartPrinterSimulatorOptions } from './simulator/start.js';
export { startPrinterSimulator } from './simulator/start.js';
export { renderReceiptPng } from './simulator/render.js';

export type { ApplicationReceiptInput } from './templates/application-receipt.js';
export { applicationReceipt, applicationReceiptInputSchema } from './templates/application-receipt.js';
export type { QueueTicketInput } from './templates/queue-ticket.js';
export { queueTicket, queueTicketInputSchema } from './templates/queue-ticket.js';
export type { TestPageInput } from './templates/test-page.js';
export { testPage } from './templates/test-page.js';
export { decisionSlip, type DecisionSlipInput } from './templates/decision-slip.js';
export { guideSummary, type GuideSummaryInput } from './templates/guide-summary.js';
export type { Lang } from './messages.js';
export { printOutcomeText, printerStatusText } from './messages.js';
