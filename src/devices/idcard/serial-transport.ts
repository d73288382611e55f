/**
 * Serial transport over `serialport`: UART 8N1, no flow control (docs/devices-idcard.md, "Link").
 * Unplugging shows up either as a `close` event with `disconnected` or as a failed write (a pty whose
 * other side died reports EIO only on write); both end in one onClose call.
 */
import type { SerialPort } from 'serialport';
import { err, ok, type Result } from '../result.js';
import type { ByteTransport, TransportCloseReason } from './transport.js';

export type SerialTransportOptions = { path: string; baud: number };

export async function openSerialTransport(
  options: SerialTransportOptions,
): Promise<Result<ByteTransport, string>> {
  // serialport (and its native bindings) loads when a reader is opened, not when the kiosk starts.
  const serialport = await import('serialport');
  return new Promise((resolve) => {
    let port: SerialPort;
    try {
      port = new serialport.SerialPort({
        path: options.path,
        baudRate: options.baud,
        dataBits: 8,
        parity: 'none',
        stopBits: 1,
        rtscts: false,
        autoOpen: false,
      });
    } catch (e) {
      // The constructor throws only for invalid options, which parseDeviceUri already refused.
      resolve(err(`cannot use serial port ${options.path}: ${e instanceof Error ? e.message : String(e)}`));
      return;
    }
    port.open((openError) => {
      if (openError) resolve(err(`cannot open ${options.path}: ${openError.message}`));
      else resolve(ok(new SerialTransport(port, `serial:${options.path}`)));
    });
  });
}

class SerialTransport implements ByteTransport {
  private readonly dataListeners: ((chunk: Uint8Array) => void)[] = [];
  private readonly closeListeners: ((reason: TransportCloseReason, message: string) => void)[] = [];
  /** Writes whose callback has not come yet; serialport drops them silently when the port dies. */
  private readonly pendingWrites = new Set<(r: Result<void, string>) => void>();
  private closed = false;

  constructor(
    private readonly port: SerialPort,
    readonly description: string,
  ) {
    port.on('data', (chunk: Buffer) => {
      for (const l of this.dataListeners) l(chunk);
    });
    port.on('close', (e: (Error & { disconnected?: boolean }) | null) => {
      this.finish(e?.disconnected ? 'disconnected' : 'closed', e?.message ?? 'port closed');
    });
    port.on('error', (e: Error) => {
      this.finish('error', e.message);
      if (port.isOpen) port.close(() => undefined);
    });
  }

  write(bytes: Uint8Array): Promise<Result<void, string>> {
    if (this.closed) return Promise.resolve(err('port is closed'));
    return new Promise((resolve) => {
      this.pendingWrites.add(resolve);
      this.port.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), (e) => {
        this.pendingWrites.delete(resolve);
        if (!e) {
          resolve(ok(undefined));
          return;
        }
        this.finish('disconnected', e.message);
        if (this.port.isOpen) this.port.close(() => undefined);
        resolve(err(e.message));
      });
    });
  }

  onData(listener: (chunk: Uint8Array) => void): void {
    this.dataListeners.push(listener);
  }

  onClose(listener: (reason: TransportCloseReason, message: string) => void): void {
    this.closeListeners.push(listener);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.port.isOpen) {
        this.finish('closed', 'closed by driver');
        resolve();
        return;
      }
      this.port.close(() => {
        this.finish('closed', 'closed by driver');
        resolve();
      });
    });
  }

  private finish(reason: TransportCloseReason, message: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const resolve of this.pendingWrites) resolve(err(`port closed: ${message}`));
    this.pendingWrites.clear();
    for (const l of this.closeListeners) l(reason, message);
  }
}
