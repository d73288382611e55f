/**
 * Linux `usblp` device file (/dev/usb/lp0) transport. Writes go straight to the device file. Status
 * replies are read from the same file descriptor (usblp allows one open at a time), non-blocking so a
 * printer that never answers cannot tie up a libuv thread; a unidirectional printer (or a kernel that
 * refuses reads) makes status "unverified" rather than a guess (statusReadback 'best-effort').
 */
import { constants, promises as fsp } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { err, ok, type Result } from '../../result.js';
import type { PrinterTransport, TransportFault } from './types.js';

export type UsblpTransportOptions = { path: string; writeTimeoutMs?: number };

const POLL_MS = 10;

function errnoOf(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : 'EIO';
}

export function createUsblpTransport(options: UsblpTransportOptions): PrinterTransport {
  const writeTimeoutMs = options.writeTimeoutMs ?? 30_000;
  const address = `usblp:${options.path}`;
  let file: fsp.FileHandle | null = null;
  let readsUnsupported = false;

  const lost = async (code: string): Promise<TransportFault> => {
    const f = file;
    file = null;
    await f?.close().catch(() => undefined);
    return { kind: 'disconnected', message: `${address}: ${code} (printer unplugged or switched off?)` };
  };

  return {
    address,
    statusReadback: 'best-effort',
    isOpen: () => file !== null,
    async open(): Promise<Result<void, TransportFault>> {
      if (file !== null) return ok(undefined);
      try {
        file = await fsp.open(options.path, constants.O_RDWR | constants.O_NONBLOCK);
        readsUnsupported = false;
        return ok(undefined);
      } catch (e) {
        const code = errnoOf(e);
        const hint =
          code === 'EACCES'
            ? ' (add the kiosk user to group lp)'
            : code === 'ENOENT' || code === 'ENODEV'
              ? ' (printer not plugged in?)'
              : '';
        return err({ kind: 'unreachable', message: `${address}: ${code}${hint}` });
      }
    },
    async write(bytes: Uint8Array): Promise<Result<void, TransportFault>> {
      const deadline = Date.now() + writeTimeoutMs;
      let at = 0;
      // Non-blocking writes may be partial or EAGAIN while the printer is busy: retry until the deadline.
      for (;;) {
        const f = file;
        if (f === null) return err({ kind: 'disconnected', message: `${address}: not open` });
        try {
          const { bytesWritten } = await f.write(bytes, at, bytes.length - at, null);
          at += bytesWritten;
          if (at >= bytes.length) return ok(undefined);
        } catch (e) {
          const code = errnoOf(e);
          if (code !== 'EAGAIN') return err(await lost(code));
        }
        if (Date.now() > deadline)
          return err({
            kind: 'timeout',
            message: `${address}: printer did not accept data within ${writeTimeoutMs} ms`,
          });
        await sleep(POLL_MS);
      }
    },
    async readByte(timeoutMs: number): Promise<Result<number, TransportFault>> {
      if (readsUnsupported)
        return err({
          kind: 'unsupported',
          message: `${address}: the printer does not send status over usblp`,
        });
      const deadline = Date.now() + timeoutMs;
      const buf = new Uint8Array(1);
      for (;;) {
        const f = file;
        if (f === null) return err({ kind: 'disconnected', message: `${address}: not open` });
        try {
          const { bytesRead } = await f.read(buf, 0, 1, null);
          if (bytesRead === 1) return ok(buf[0]!);
        } catch (e) {
          const code = errnoOf(e);
          if (code === 'EINVAL' || code === 'EOPNOTSUPP' || code === 'ENOSYS' || code === 'EBADF') {
            readsUnsupported = true;
            return err({ kind: 'unsupported', message: `${address}: status reads not supported (${code})` });
          }
          if (code !== 'EAGAIN') return err(await lost(code));
        }
        if (Date.now() >= deadline)
          return err({ kind: 'timeout', message: `${address}: no status reply within ${timeoutMs} ms` });
        await sleep(POLL_MS);
      }
    },
    discardInput(): void {
      // Nothing is buffered on our side: replies are read straight from the device when asked for.
    },
    async close(): Promise<void> {
      const f = file;
      file = null;
      await f?.close().catch(() => undefined);
    },
  };
}
