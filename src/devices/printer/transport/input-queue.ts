/** Received bytes waiting for the driver, with a single timed reader. Bounded so a chatty or broken
 * printer cannot grow memory without limit. */
import { err, ok, type Result } from '../../result.js';
import type { TransportFault } from './types.js';

const MAX_BUFFERED = 4096;

type Waiter = { resolve: (r: Result<number, TransportFault>) => void; timer: NodeJS.Timeout };

export class InputQueue {
  private bytes: number[] = [];
  private waiter: Waiter | null = null;

  push(chunk: Uint8Array): void {
    let i = 0;
    if (this.waiter !== null && chunk.length > 0) {
      const w = this.waiter;
      this.waiter = null;
      clearTimeout(w.timer);
      w.resolve(ok(chunk[0]!));
      i = 1;
    }
    for (; i < chunk.length; i++) this.bytes.push(chunk[i]!);
    if (this.bytes.length > MAX_BUFFERED) this.bytes.splice(0, this.bytes.length - MAX_BUFFERED);
  }

  readByte(timeoutMs: number): Promise<Result<number, TransportFault>> {
    if (this.waiter !== null) throw new Error('InputQueue: a read is already pending');
    const next = this.bytes.shift();
    if (next !== undefined) return Promise.resolve(ok(next));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        resolve(err({ kind: 'timeout', message: `no reply within ${timeoutMs} ms` }));
      }, timeoutMs);
      this.waiter = { resolve, timer };
    });
  }

  /** Ends a pending read with the fault (the link went away). */
  fail(fault: TransportFault): void {
    const w = this.waiter;
    this.waiter = null;
    if (w !== null) {
      clearTimeout(w.timer);
      w.resolve(err(fault));
    }
  }

  clear(): void {
    this.bytes = [];
  }
}
