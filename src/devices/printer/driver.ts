/**
 * The ESC/POS receipt printer driver over any `PrinterTransport`. Status is read with `DLE EOT 1..4`
 * (docs/devices-printer.md, "Real-time status") before and after every job and polled while idle;
 * status requests are serialised with jobs so one is never sent in the middle of a command or image.
 * Link failures are values; the idle poll reconnects with exponential backoff.
 */
import type { Logger } from 'pino';
import type { Result } from '../result.js';
import { realtimeStatusRequest, type RealtimeStatusKind } from './escpos/commands.js';
import { encodeDocument, type PrintDocument } from './escpos/document.js';
import type { PaperWidth } from './escpos/layout.js';
import { canPrint, decodeRealtimeStatus, isRealtimeStatusReply } from './escpos/status.js';
import type { PrinterTransport, TransportFault } from './transport/types.js';
import type { PrintOutcome, PrinterStatusReport, ReceiptPrinter } from './types.js';

export type Backoff = { initialMs: number; maxMs: number };

export type EscPosPrinterOptions = {
  transport: PrinterTransport;
  logger: Logger;
  paperWidth: PaperWidth;
  /** Idle status poll interval; `null` turns polling off (one-shot CLI use). Default 5000 ms. */
  pollIntervalMs?: number | null;
  /** Time allowed for each status reply byte. Default 1000 ms (usblp: 300 ms, replies are optional). */
  statusTimeoutMs?: number;
  /** Delay before reconnect attempts while the printer is unreachable. Default 500 ms doubling to 30 s. */
  backoff?: Backoff;
  /** Bytes per write, so a link lost mid-job is noticed and counted. Default 4096. */
  chunkBytes?: number;
  clock?: { now(): Date };
};

const STATUS_KINDS: readonly RealtimeStatusKind[] = [1, 2, 3, 4];
/** Stray bytes (ASB messages, line noise) skipped while waiting for one reply. */
const MAX_SKIPPED_BYTES = 64;

export function backoffDelay(backoff: Backoff, failures: number): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
}

export function createEscPosPrinter(options: EscPosPrinterOptions): ReceiptPrinter {
  const t = options.transport;
  const log = options.logger.child({ device: 'printer', address: t.address });
  const pollIntervalMs = options.pollIntervalMs === undefined ? 5000 : options.pollIntervalMs;
  const statusTimeoutMs = options.statusTimeoutMs ?? (t.statusReadback === 'best-effort' ? 300 : 1000);
  const backoff = options.backoff ?? { initialMs: 500, maxMs: 30_000 };
  const chunkBytes = options.chunkBytes ?? 4096;
  const now = (): Date => options.clock?.now() ?? new Date();

  const listeners = new Set<(r: PrinterStatusReport) => void>();
  let last: PrinterStatusReport | null = null;
  let failures = 0;
  let closed = false;
  let pollTimer: NodeJS.Timeout | null = null;
  let chain: Promise<unknown> = Promise.resolve();

  /** Runs operations one at a time: a status request never lands inside a job. */
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = chain.then(fn);
    chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  function unreachable(fault: TransportFault): PrinterStatusReport {
    return { source: 'unreachable', status: 'offline', detail: fault.message, fault, at: now() };
  }

  function update(report: PrinterStatusReport): void {
    failures = report.source === 'unreachable' ? failures + 1 : 0;
    const prev = last;
    last = report;
    if (
      prev !== null &&
      prev.status === report.status &&
      prev.source === report.source &&
      prev.detail === report.detail
    )
      return;
    const fields = { status: report.status, source: report.source, detail: report.detail };
    if (report.status === 'ready' || report.status === 'paper-near-end') log.info(fields, 'printer status');
    else log.warn(fields, 'printer status');
    for (const l of listeners) {
      try {
        l(report);
      } catch (e) {
        log.error({ err: e }, 'printer status listener threw');
      }
    }
  }

  async function readReply(): Promise<Result<number, TransportFault>> {
    const deadline = Date.now() + statusTimeoutMs;
    for (let skipped = 0; skipped <= MAX_SKIPPED_BYTES; skipped++) {
      const r = await t.readByte(Math.max(1, deadline - Date.now()));
      // Only `0xx1xx10` bytes are real-time replies; ASB (`0xx1xx00`) and anything else is skipped.
      if (!r.ok || isRealtimeStatusReply(r.value)) return r;
    }
    return {
      ok: false,
      error: {
        kind: 'io',
        message: `${t.address}: ${MAX_SKIPPED_BYTES} bytes received but none was a status reply`,
      },
    };
  }

  /** Queries `DLE EOT 1..4` (caller holds the exclusive slot). Never throws. */
  async function queryLocked(): Promise<PrinterStatusReport> {
    if (!t.isOpen()) {
      const opened = await t.open();
      if (!opened.ok) return unreachable(opened.error);
      log.info('printer connection opened');
    }
    t.discardInput();
    const replies: number[] = [];
    for (const n of STATUS_KINDS) {
      const w = await t.write(realtimeStatusRequest(n));
      const r = w.ok ? await readReply() : w;
      if (!r.ok) {
        if (
          t.statusReadback === 'best-effort' &&
          (r.error.kind === 'timeout' || r.error.kind === 'unsupported')
        ) {
          return {
            source: 'unverified',
            status: 'ready',
            detail: `${r.error.message}; this link gives no status, so the printer is assumed ready (paper and cover not checked)`,
            at: now(),
          };
        }
        // A fresh connection is the best chance of recovering a printer that stopped answering.
        await t.close();
        return unreachable(r.error);
      }
      replies.push(r.value);
    }
    const [printer = 0, offlineCause = 0, error = 0, paper = 0] = replies;
    const decoded = decodeRealtimeStatus({ printer, offlineCause, error, paper });
    return {
      source: 'printer',
      status: decoded.status,
      detail: decoded.detail,
      conditions: decoded.conditions,
      at: now(),
    };
  }

  function schedulePoll(delayMs: number): void {
    if (closed || pollIntervalMs === null) return;
    if (pollTimer !== null) clearTimeout(pollTimer);
    pollTimer = setTimeout(() => {
      pollTimer = null;
      void exclusive(async () => {
        if (closed) return;
        update(await queryLocked());
      })
        .catch((e: unknown) => log.error({ err: e }, 'printer status poll failed'))
        .finally(() => schedulePoll(failures > 0 ? backoffDelay(backoff, failures) : pollIntervalMs));
    }, delayMs);
    pollTimer.unref();
  }

  async function printLocked(bytes: Uint8Array): Promise<PrintOutcome> {
    const before = await queryLocked();
    update(before);
    if (before.source === 'unreachable' || (before.source === 'printer' && !canPrint(before.status))) {
      log.warn({ status: before.status, source: before.source }, 'print refused');
      return { kind: 'refused', status: before };
    }
    const started = Date.now();
    let sent = 0;
    for (let at = 0; at < bytes.length; at += chunkBytes) {
      const part = bytes.subarray(at, Math.min(bytes.length, at + chunkBytes));
      const w = await t.write(part);
      if (!w.ok) {
        await t.close();
        const report = unreachable(w.error);
        update(report);
        log.warn({ bytesSent: sent, bytesTotal: bytes.length, fault: w.error.kind }, 'print interrupted');
        return {
          kind: 'interrupted',
          cause: 'transport',
          bytesSent: sent,
          bytesTotal: bytes.length,
          detail: w.error.message,
          status: report,
        };
      }
      sent += part.length;
    }
    const after = await queryLocked();
    update(after);
    if (after.source === 'unreachable') {
      log.warn({ bytesSent: sent, fault: after.fault.kind }, 'print not confirmed');
      return {
        kind: 'interrupted',
        cause: 'transport',
        bytesSent: sent,
        bytesTotal: bytes.length,
        detail: `all bytes sent but the printer stopped answering: ${after.detail}`,
        status: after,
      };
    }
    if (after.source === 'printer' && !canPrint(after.status)) {
      log.warn({ status: after.status }, 'printer fault right after the job');
      return {
        kind: 'interrupted',
        cause: 'printer',
        bytesSent: sent,
        bytesTotal: bytes.length,
        detail: after.detail,
        status: after,
      };
    }
    log.info({ bytes: bytes.length, ms: Date.now() - started }, 'printed');
    return { kind: 'printed', bytes: bytes.length, before, after };
  }

  schedulePoll(0);

  return {
    address: t.address,
    paperWidth: options.paperWidth,
    status(): Promise<PrinterStatusReport> {
      if (closed)
        return Promise.resolve(
          unreachable({ kind: 'disconnected', message: `${t.address}: printer closed` }),
        );
      return exclusive(async () => {
        const report = await queryLocked();
        update(report);
        return report;
      });
    },
    lastStatus: () => last,
    print(doc: PrintDocument): Promise<PrintOutcome> {
      if (closed)
        return Promise.resolve({
          kind: 'refused',
          status: unreachable({ kind: 'disconnected', message: `${t.address}: printer closed` }),
        });
      // Encoding first: a malformed document is a bug and throws before anything is sent.
      const bytes = encodeDocument(doc, { paperWidth: options.paperWidth });
      return exclusive(() => printLocked(bytes));
    },
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      if (pollTimer !== null) clearTimeout(pollTimer);
      pollTimer = null;
      await exclusive(() => t.close());
      listeners.clear();
    },
  };
}
