/**
 * TCP 9100 ("raw"/JetDirect) transport: one long-lived connection, connect and write timeouts,
 * keep-alive so a printer that vanished is noticed; every failure is a `TransportFault` value.
 */
import net from 'node:net';
import { err, ok, type Result } from '../../result.js';
import { InputQueue } from './input-queue.js';
import type { PrinterTransport, TransportFault } from './types.js';

export type TcpTransportOptions = {
  host: string;
  port: number;
  connectTimeoutMs?: number;
  writeTimeoutMs?: number;
};

export function createTcpTransport(options: TcpTransportOptions): PrinterTransport {
  const { host, port } = options;
  const connectTimeoutMs = options.connectTimeoutMs ?? 3000;
  const writeTimeoutMs = options.writeTimeoutMs ?? 15_000;
  const address = `tcp://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const input = new InputQueue();
  let socket: net.Socket | null = null;

  const disconnected = (why: string): TransportFault => ({
    kind: 'disconnected',
    message: `${address}: ${why}`,
  });

  function adopt(s: net.Socket): void {
    socket = s;
    s.setNoDelay(true);
    s.setKeepAlive(true, 5000);
    s.on('data', (chunk: Buffer) => input.push(chunk));
    s.on('error', () => {
      // 'close' follows and reports the disconnect; nothing else to do here.
    });
    s.on('close', () => {
      if (socket === s) socket = null;
      input.fail(disconnected('connection closed'));
    });
  }

  return {
    address,
    statusReadback: 'required',
    isOpen: () => socket !== null && !socket.destroyed,
    open(): Promise<Result<void, TransportFault>> {
      if (socket !== null && !socket.destroyed) return Promise.resolve(ok(undefined));
      input.clear();
      return new Promise((resolve) => {
        const s = net.connect({ host, port });
        const timer = setTimeout(() => {
          s.destroy();
          resolve(
            err({ kind: 'timeout', message: `${address}: no connection within ${connectTimeoutMs} ms` }),
          );
        }, connectTimeoutMs);
        s.once('connect', () => {
          clearTimeout(timer);
          s.removeAllListeners('error');
          adopt(s);
          resolve(ok(undefined));
        });
        s.once('error', (e: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          s.destroy();
          resolve(err({ kind: 'unreachable', message: `${address}: ${e.code ?? e.message}` }));
        });
      });
    },
    write(bytes: Uint8Array): Promise<Result<void, TransportFault>> {
      const s = socket;
      if (s === null || s.destroyed) return Promise.resolve(err(disconnected('not connected')));
      return new Promise((resolve) => {
        let done = false;
        const finish = (r: Result<void, TransportFault>): void => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          s.off('close', onClose);
          resolve(r);
        };
        const onClose = (): void => finish(err(disconnected('connection closed while sending')));
        // A printer that stops reading (buffer full, hung) would otherwise stall the job for ever.
        const timer = setTimeout(() => {
          s.destroy();
          finish(
            err({
              kind: 'timeout',
              message: `${address}: printer did not accept data within ${writeTimeoutMs} ms`,
            }),
          );
        }, writeTimeoutMs);
        s.once('close', onClose);
        s.write(bytes, (e) => finish(e ? err(disconnected(e.message)) : ok(undefined)));
      });
    },
    readByte: (timeoutMs) => {
      if (socket === null || socket.destroyed) return Promise.resolve(err(disconnected('not connected')));
      return input.readByte(timeoutMs);
    },
    discardInput: () => input.clear(),
    close(): Promise<void> {
      const s = socket;
      socket = null;
      if (s === null || s.destroyed) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(() => s.destroy(), 1000);
        s.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        s.end();
      });
    },
  };
}
