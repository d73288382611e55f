/**
 * One request, one response: the GA 467 link has no sequence numbers (docs/devices-idcard.md, "Frames"), so
 * the driver keeps exactly one command outstanding, waits for the first complete frame, and after a timeout
 * or a corrupt frame stays quiet long enough for any late bytes to drain before the next command —
 * otherwise a late answer to the old command would be taken for the answer to the new one.
 */
import { err, ok, type Result } from '../result.js';
import { FrameParser, toResponse, type ResponseFrame } from './frame-parser.js';
import { MAX_FRAME_LENGTH, wireTimeMs } from './protocol.js';
import type { ByteTransport } from './transport.js';
import type { Clock } from './types.js';

export type LinkError =
  | { kind: 'timeout' }
  | { kind: 'corrupt'; detail: 'checksum' | 'length' }
  | { kind: 'closed'; message: string };

export type LinkStats = {
  bytesOut: number;
  bytesIn: number;
  garbageBytes: number;
  corruptFrames: number;
  unsolicitedFrames: number;
};

type Pending = { resolve: (r: Result<ResponseFrame, LinkError>) => void; timer: unknown };

export class Ga467Link {
  readonly stats: LinkStats = {
    bytesOut: 0,
    bytesIn: 0,
    garbageBytes: 0,
    corruptFrames: 0,
    unsolicitedFrames: 0,
  };
  private readonly parser = new FrameParser('response');
  private pending: Pending | null = null;
  private closedMessage: string | null = null;
  private quietUntil = 0;
  /** Long enough for the largest frame to finish arriving, plus slack for the OS. */
  private readonly resyncMs: number;

  constructor(
    private readonly transport: ByteTransport,
    private readonly clock: Clock,
    baud: number,
  ) {
    this.resyncMs = Math.ceil(wireTimeMs(MAX_FRAME_LENGTH, baud)) + 20;
    transport.onData((chunk) => this.onData(chunk));
    transport.onClose((_reason, message) => {
      this.closedMessage = message;
      this.settle(err({ kind: 'closed', message }));
    });
  }

  get isClosed(): boolean {
    return this.closedMessage !== null;
  }

  async transact(request: Uint8Array, timeoutMs: number): Promise<Result<ResponseFrame, LinkError>> {
    if (this.pending) throw new Error('Ga467Link.transact called while a command is outstanding');
    const quiet = this.quietUntil - this.clock.now();
    if (quiet > 0) await new Promise<void>((r) => this.clock.setTimeout(r, quiet));
    if (this.closedMessage !== null) return err({ kind: 'closed', message: this.closedMessage });
    // Whatever is half-assembled belongs to no command we are waiting for.
    this.parser.reset();
    const result = new Promise<Result<ResponseFrame, LinkError>>((resolve) => {
      const timer = this.clock.setTimeout(() => {
        this.startQuiet();
        this.settle(err({ kind: 'timeout' }));
      }, timeoutMs);
      this.pending = { resolve, timer };
    });
    this.stats.bytesOut += request.length;
    // Not awaited before the answer: a write stuck in the OS (nobody draining the line) must still
    // end in a timeout, not hang the driver.
    void this.transport.write(request).then((written) => {
      if (!written.ok) this.settle(err({ kind: 'closed', message: written.error }));
    });
    return result;
  }

  private onData(chunk: Uint8Array): void {
    this.stats.bytesIn += chunk.length;
    if (this.clock.now() < this.quietUntil || !this.pending) {
      // Late bytes of an abandoned answer, or noise between commands.
      if (!this.pending) this.feedIdle(chunk);
      else this.stats.garbageBytes += chunk.length;
      return;
    }
    for (const event of this.parser.push(chunk)) {
      switch (event.kind) {
        case 'frame':
          if (this.pending) this.settle(ok(toResponse(event.payload)));
          else this.stats.unsolicitedFrames++;
          break;
        case 'garbage':
          this.stats.garbageBytes += event.bytes;
          break;
        case 'checksum-error':
        case 'length-error':
          this.stats.corruptFrames++;
          if (this.pending) {
            this.startQuiet();
            this.settle(
              err({ kind: 'corrupt', detail: event.kind === 'checksum-error' ? 'checksum' : 'length' }),
            );
          }
          break;
        default: {
          const never: never = event;
          throw new Error(`unreachable parser event ${JSON.stringify(never)}`);
        }
      }
    }
  }

  /** Bytes with no command outstanding: counted, parsed only to tell frames from noise. */
  private feedIdle(chunk: Uint8Array): void {
    for (const event of this.parser.push(chunk)) {
      if (event.kind === 'frame') this.stats.unsolicitedFrames++;
      else if (event.kind === 'garbage') this.stats.garbageBytes += event.bytes;
      else this.stats.corruptFrames++;
    }
  }

  private startQuiet(): void {
    this.quietUntil = this.clock.now() + this.resyncMs;
    this.parser.reset();
  }

  private settle(result: Result<ResponseFrame, LinkError>): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    this.clock.clearTimeout(p.timer);
    p.resolve(result);
  }
}
