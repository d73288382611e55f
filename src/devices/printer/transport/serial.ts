/**
 * Serial (RS-232 / USB-serial / pseudo-terminal) transport over `serialport`. 8N1; flow control from
 * the address (`?flow=rtscts|xonxoff`): real-time status replies always have bit 0 clear, so they can
 * never be mistaken for XON (11) / XOFF (13).
 */
import type { SerialPort } from 'serialport';
import { err, ok, type Result } from '../../result.js';
import { InputQueue } from './input-queue.js';
import type { PrinterTransport, TransportFault } from './types.js';

export type SerialFlowControl = 'none' | 'rtscts' | 'xonxoff';
export type SerialTransportOptions = {
  path: string;
  baudRate: number;
  flowControl?: SerialFlowControl;
  writeTimeoutMs?: number;
};

export function createSerialTransport(options: SerialTransportOptions): PrinterTransport {
  const flow = options.flowControl ?? 'none';
  const writeTimeoutMs = options.writeTimeoutMs ?? 30_000;
  const address = `serial:${options.path}?baud=${options.baudRate}${flow === 'none' ? '' : `&flow=${flow}`}`;
  const input = new InputQueue();
  let port: SerialPort | null = null;

  const disconnected = (why: string): TransportFault => ({
    kind: 'disconnected',
    message: `${address}: ${why}`,
  });

  return {
    address,
    statusReadback: 'required',
    isOpen: () => port !== null && port.isOpen,
    async open(): Promise<Result<void, TransportFault>> {
      if (port !== null && port.isOpen) return ok(undefined);
      input.clear();
      // serialport (and its native bindings) loads on the first open, not when the kiosk starts.
      const serialport = await import('serialport');
      return new Promise((resolve) => {
        const p = new serialport.SerialPort({
          path: options.path,
          baudRate: options.baudRate,
          dataBits: 8,
          stopBits: 1,
          parity: 'none',
          rtscts: flow === 'rtscts',
          xon: flow === 'xonxoff',
          xoff: flow === 'xonxoff',
          autoOpen: false,
        });
        p.open((e) => {
          if (e) {
            resolve(err({ kind: 'unreachable', message: `${address}: ${e.message}` }));
            return;
          }
          port = p;
          p.on('data', (chunk: Buffer) => input.push(chunk));
          p.on('error', () => {
            // 'close' follows on a lost device.
          });
          p.on('close', () => {
            if (port === p) port = null;
            input.fail(disconnected('port closed (cable or adapter unplugged?)'));
          });
          resolve(ok(undefined));
        });
      });
    },
    write(bytes: Uint8Array): Promise<Result<void, TransportFault>> {
      const p = port;
      if (p === null || !p.isOpen) return Promise.resolve(err(disconnected('not open')));
      return new Promise((resolve) => {
        let done = false;
        const finish = (r: Result<void, TransportFault>): void => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          p.off('close', onClose);
          resolve(r);
        };
        const onClose = (): void => finish(err(disconnected('port closed while sending')));
        // With hardware flow control a printer that holds CTS low stalls the write: give up, as a value.
        const timer = setTimeout(() => {
          finish(
            err({
              kind: 'timeout',
              message: `${address}: printer did not accept data within ${writeTimeoutMs} ms`,
            }),
          );
          p.close(() => undefined);
        }, writeTimeoutMs);
        p.once('close', onClose);
        p.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), (e) => {
          if (e) finish(err({ kind: 'io', message: `${address}: ${e.message}` }));
        });
        p.drain((e) => finish(e ? err({ kind: 'io', message: `${address}: ${e.message}` }) : ok(undefined)));
      });
    },
    readByte: (timeoutMs) => {
      if (port === null || !port.isOpen) return Promise.resolve(err(disconnected('not open')));
      return input.readByte(timeoutMs);
    },
    discardInput: () => input.clear(),
    close(): Promise<void> {
      const p = port;
      port = null;
      if (p === null || !p.isOpen) return Promise.resolve();
      return new Promise((resolve) => p.close(() => resolve()));
    },
  };
}
