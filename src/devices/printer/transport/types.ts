/**
 * One byte-pipe interface for every way a receipt printer is attached (serial, TCP 9100, usblp device
 * file). Timeouts and disconnects are values (docs/architecture.md, "Devices"); reconnecting is the
 * driver's job.
 */
import type { Result } from '../../result.js';

export type TransportFault = {
  kind: 'unreachable' | 'timeout' | 'disconnected' | 'unsupported' | 'io';
  message: string;
};

export interface PrinterTransport {
  /** The address as configured, for logs and the technician console (never personal data). */
  readonly address: string;
  /**
   * 'required': the link carries status replies, so silence means the printer is gone.
   * 'best-effort': replies may never come (usblp with a unidirectional printer): silence is "unknown".
   */
  readonly statusReadback: 'required' | 'best-effort';
  isOpen(): boolean;
  open(): Promise<Result<void, TransportFault>>;
  /** Resolves once the bytes are handed to the OS (drained), or with a fault. */
  write(bytes: Uint8Array): Promise<Result<void, TransportFault>>;
  /** The next received byte, or a timeout/disconnect fault. One reader at a time. */
  readByte(timeoutMs: number): Promise<Result<number, TransportFault>>;
  /** Drops bytes received so far (stale replies, ASB messages) before a new request. */
  discardInput(): void;
  close(): Promise<void>;
}
