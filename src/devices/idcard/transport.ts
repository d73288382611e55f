/**
 * Byte transports for the reader. The GA 467 link is a byte stream (docs/devices-idcard.md, "Link"): a serial
 * port, a USB-serial bridge, or a pty pair to the simulator all look the same to the driver. Transports are
 * pluggable; serial is implemented (serial-transport.ts); HID has a seam only (hid-transport.ts).
 */
import type { Result } from '../result.js';

export type TransportCloseReason = 'closed' | 'disconnected' | 'error';

export interface ByteTransport {
  /** For logs: the address, never data. */
  readonly description: string;
  /** Resolves once the bytes are handed to the OS; a failure means the port is gone. */
  write(bytes: Uint8Array): Promise<Result<void, string>>;
  onData(listener: (chunk: Uint8Array) => void): void;
  /** Fires once, whether the port vanished or close() was called. */
  onClose(listener: (reason: TransportCloseReason, message: string) => void): void;
  close(): Promise<void>;
}

/** Opens a fresh transport; called again by the driver after every disconnect. */
export type OpenTransport = () => Promise<Result<ByteTransport, string>>;
