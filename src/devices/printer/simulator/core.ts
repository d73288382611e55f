/**
 * The simulated ESC/POS printer, independent of how bytes reach it. It answers `DLE EOT n` with the
 * status bytes of docs/devices-printer.md for a scriptable status, holds (does not print) job data while
 * it is offline / out of paper / open / in error and prints it on recovery as a real printer does, and
 * keeps the receipts it cut (model + lazily rendered PNG) for tests and the technician console.
 */
import type { PaperWidth } from '../escpos/layout.js';
import { PAPER } from '../escpos/layout.js';
import type { PrinterStatus } from '../escpos/status.js';
import { canPrint } from '../escpos/status.js';
import { EscPosParser, type ParsedCommand } from './parser.js';
import { ReceiptBuilder, receiptText, type ReceiptModel } from './receipt-model.js';
import { renderReceiptPng } from './render.js';

export type SimulatedErrorCause = 'autocutter' | 'unrecoverable' | 'overheat';

export type PrintedReceipt = {
  id: number;
  at: Date;
  model: ReceiptModel;
  /** Printed text, one line per line (QR as `[QR:payload]`). */
  text: string;
  /** The receipt drawn as PNG (rendered on first call, then kept). */
  png(): Buffer;
};

export interface PrinterSimulator {
  readonly paperWidth: PaperWidth;
  status(): PrinterStatus;
  /** Scripts what `DLE EOT 1..4` answers; a printable status also prints any held job data. */
  setStatus(status: PrinterStatus, options?: { errorCause?: SimulatedErrorCause }): void;
  /** Sends these bytes (line noise, an ASB message…) just before the next status reply. */
  injectBeforeNextReply(bytes: Uint8Array): void;
  /** false: the printer is hung or switched off on its cable — bytes are dropped, nothing answers. */
  setResponsive(responsive: boolean): void;
  receipts(): readonly PrintedReceipt[];
  clearReceipts(): void;
  onReceipt(listener: (receipt: PrintedReceipt) => void): () => void;
  /** Resolves true once at least `count` receipts were cut, false after `timeoutMs`. */
  waitForReceipts(count: number, timeoutMs: number): Promise<boolean>;
  /** What is on the paper since the last cut. */
  pending(): ReceiptModel;
  bytesReceived(): number;
  statusRequests(): number;
  /** The printer vanishes now (power cut / cable pulled): the link drops and unprinted data is lost. */
  vanish(): void;
  /** The printer vanishes after `bytes` more bytes have arrived (mid-job). */
  vanishAfter(bytes: number): void;
  /** Power back on: the link accepts connections again; status and receipts are kept. */
  reappear(): Promise<void>;
}

/** How a transport front-end lets the core drop and restore the link. */
export type SimulatorLink = { drop(): void; restore(): Promise<void> };

const MAX_RECEIPTS = 100;
const MAX_HELD_COMMANDS = 10_000;

/** `10 04 n` replies (each `0xx1xx10`) for a status, n = 1..4. */
export function simulatedStatusBytes(
  status: PrinterStatus,
  errorCause: SimulatedErrorCause,
): [number, number, number, number] {
  const base = 0x12;
  const offline = base | 0x08;
  switch (status) {
    case 'ready':
      return [base, base, base, base];
    case 'paper-near-end':
      return [base, base, base, base | 0x0c];
    case 'paper-out':
      return [offline, base | 0x20, base, base | 0x0c | 0x60];
    case 'cover-open':
      return [offline, base | 0x04, base, base];
    case 'offline':
      return [offline | 0x20, base, base, base];
    case 'error': {
      const cause = errorCause === 'autocutter' ? 0x08 : errorCause === 'unrecoverable' ? 0x20 : 0x40;
      return [offline, base | 0x40, base | cause, base];
    }
    default: {
      const never: never = status;
      throw new Error(`unknown status ${String(never)}`);
    }
  }
}

/** Automatic status back message (4 bytes, first `0xx1xx00`, others `0xx0xxxx`). */
function asbMessage(status: PrinterStatus, errorCause: SimulatedErrorCause): Uint8Array {
  const b1 =
    0x10 |
    (status === 'ready' || status === 'paper-near-end' ? 0 : 0x08) |
    (status === 'cover-open' ? 0x20 : 0);
  const b2 =
    status === 'error'
      ? errorCause === 'autocutter'
        ? 0x08
        : errorCause === 'unrecoverable'
          ? 0x20
          : 0x40
      : 0;
  const b3 = status === 'paper-near-end' ? 0x03 : status === 'paper-out' ? 0x0f : 0;
  return Uint8Array.of(b1, b2, b3, 0x00);
}

export class SimulatorCore implements PrinterSimulator {
  readonly paperWidth: PaperWidth;
  private readonly parser = new EscPosParser();
  private readonly builder: ReceiptBuilder;
  private current: PrinterStatus = 'ready';
  private errorCause: SimulatedErrorCause = 'overheat';
  private responsive = true;
  private gone = false;
  private vanishCountdown: number | null = null;
  private held: ParsedCommand[] = [];
  private noise: Uint8Array | null = null;
  private printed: PrintedReceipt[] = [];
  private nextId = 1;
  private received = 0;
  private requests = 0;
  private asbEnabled = false;
  private lastReply: ((bytes: Uint8Array) => void) | null = null;
  private readonly listeners = new Set<(r: PrintedReceipt) => void>();
  private link: SimulatorLink | null = null;

  constructor(options: { paperWidth: PaperWidth; status?: PrinterStatus }) {
    this.paperWidth = options.paperWidth;
    this.builder = new ReceiptBuilder(PAPER[options.paperWidth]);
    this.current = options.status ?? 'ready';
  }

  attach(link: SimulatorLink): void {
    this.link = link;
  }

  /** Bytes from the host; `reply` sends bytes back on the same link. */
  receive(chunk: Uint8Array, reply: (bytes: Uint8Array) => void): void {
    if (!this.responsive || this.gone) return;
    let data = chunk;
    let vanishNow = false;
    if (this.vanishCountdown !== null) {
      if (data.length >= this.vanishCountdown) {
        data = data.subarray(0, this.vanishCountdown);
        vanishNow = true;
      } else this.vanishCountdown -= data.length;
    }
    this.received += data.length;
    this.lastReply = reply;
    for (const cmd of this.parser.push(data)) this.handle(cmd, reply);
    if (vanishNow) this.vanish();
  }

  private handle(cmd: ParsedCommand, reply: (bytes: Uint8Array) => void): void {
    if (cmd.kind === 'realtime-status') {
      // Answered at once, whatever the state (docs/devices-printer.md, "Real-time status").
      if (cmd.n < 1 || cmd.n > 4) return;
      this.requests++;
      if (this.noise !== null) reply(this.noise);
      this.noise = null;
      reply(Uint8Array.of(simulatedStatusBytes(this.current, this.errorCause)[cmd.n - 1]!));
      return;
    }
    if (cmd.kind === 'realtime-recover') {
      if (this.current === 'error' && this.errorCause !== 'unrecoverable') {
        if (cmd.n === 2) this.held = [];
        this.setStatus('ready');
      }
      return;
    }
    if (cmd.kind === 'asb') {
      this.asbEnabled = cmd.n !== 0;
      if (this.asbEnabled) reply(asbMessage(this.current, this.errorCause));
      return;
    }
    // Job data waits in the buffer while the printer cannot print, and prints on recovery.
    if (!canPrint(this.current)) {
      // A printer's receive buffer is finite: beyond it, data is lost (the host should have asked first).
      if (this.held.length < MAX_HELD_COMMANDS) this.held.push(cmd);
      return;
    }
    this.apply(cmd, reply);
  }

  private apply(cmd: ParsedCommand, reply: ((bytes: Uint8Array) => void) | null): void {
    if (cmd.kind === 'transmit-status') {
      // GS r 1: paper sensor, answered in buffer order (`0xx0xxxx`: bits 0–1 near end, 2–3 end).
      if (cmd.n === 1 || cmd.n === 49)
        reply?.(Uint8Array.of(this.current === 'paper-near-end' ? 0x03 : 0x00));
      return;
    }
    const model = this.builder.apply(cmd);
    if (model === null) return;
    const receipt = this.makeReceipt(model);
    this.printed.push(receipt);
    if (this.printed.length > MAX_RECEIPTS) this.printed.splice(0, this.printed.length - MAX_RECEIPTS);
    for (const l of this.listeners) l(receipt);
  }

  private makeReceipt(model: ReceiptModel): PrintedReceipt {
    let png: Buffer | null = null;
    const paperWidth = this.paperWidth;
    return {
      id: this.nextId++,
      at: new Date(),
      model,
      text: receiptText(model),
      png(): Buffer {
        png ??= renderReceiptPng(model, paperWidth);
        return png;
      },
    };
  }

  status(): PrinterStatus {
    return this.current;
  }

  setStatus(status: PrinterStatus, options: { errorCause?: SimulatedErrorCause } = {}): void {
    const changed = status !== this.current;
    this.current = status;
    if (options.errorCause !== undefined) this.errorCause = options.errorCause;
    if (changed && this.asbEnabled && this.lastReply !== null && !this.gone)
      this.lastReply(asbMessage(status, this.errorCause));
    if (canPrint(status) && this.held.length > 0) {
      const held = this.held;
      this.held = [];
      for (const cmd of held) this.apply(cmd, this.lastReply);
    }
  }

  injectBeforeNextReply(bytes: Uint8Array): void {
    this.noise = bytes;
  }

  setResponsive(responsive: boolean): void {
    this.responsive = responsive;
  }

  receipts(): readonly PrintedReceipt[] {
    return this.printed;
  }

  clearReceipts(): void {
    this.printed = [];
  }

  onReceipt(listener: (receipt: PrintedReceipt) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  waitForReceipts(count: number, timeoutMs: number): Promise<boolean> {
    if (this.printed.length >= count) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve(false);
      }, timeoutMs);
      const off = this.onReceipt(() => {
        if (this.printed.length >= count) {
          clearTimeout(timer);
          off();
          resolve(true);
        }
      });
    });
  }

  pending(): ReceiptModel {
    return this.builder.snapshot();
  }

  bytesReceived(): number {
    return this.received;
  }

  statusRequests(): number {
    return this.requests;
  }

  vanish(): void {
    if (this.gone) return;
    this.gone = true;
    this.vanishCountdown = null;
    // Power cut: whatever was not yet printed is lost; the paper already printed stays.
    this.parser.reset();
    this.builder.reset();
    this.held = [];
    this.asbEnabled = false;
    this.lastReply = null;
    this.link?.drop();
  }

  vanishAfter(bytes: number): void {
    this.vanishCountdown = Math.max(0, Math.floor(bytes));
  }

  async reappear(): Promise<void> {
    if (!this.gone) return;
    this.gone = false;
    await this.link?.restore();
  }
}
