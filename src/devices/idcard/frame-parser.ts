/**
 * Streaming frame assembler for the GA 467 link (docs/devices-idcard.md, "Frames").
 *
 * Bytes arrive in arbitrary chunks (a pty or a USB-serial bridge splits them wherever it likes), so
 * the parser keeps what it has, looks for the 5-byte preamble, reads LEN, waits for LEN more bytes
 * and checks the XOR. Anything it cannot use is reported as an event, never thrown:
 *  - `garbage`: bytes outside any frame (line noise, a reader booting, a partial old frame);
 *  - `length-error`: a LEN no legitimate frame has;
 *  - `checksum-error`: a complete frame whose CHK does not match.
 * After a length or checksum error it drops one byte and searches again, so a good frame that
 * follows (or hides inside) a bad one is still found. Work per byte is bounded: every byte is either
 * consumed or dropped, and the buffer never holds more than one frame plus one chunk.
 */
import { HEADER_LENGTH, MAX_FRAME_LENGTH, PREAMBLE, PREAMBLE_LENGTH, xorChecksum } from './protocol.js';

export type ParserEvent =
  | { kind: 'frame'; payload: Uint8Array }
  | { kind: 'garbage'; bytes: number }
  | { kind: 'length-error'; declared: number }
  | { kind: 'checksum-error'; bytes: number };

export type FrameRole = 'request' | 'response';

/** Response frames carry at least SW1 SW2 SW3 CHK; requests at least CMD PARA CHK ("Frames"). */
const MIN_LEN: Record<FrameRole, number> = { request: 3, response: 4 };

export class FrameParser {
  private buf = new Uint8Array(4096);
  private start = 0;
  private end = 0;
  private readonly minLen: number;
  private readonly maxLen: number;

  constructor(role: FrameRole, maxFrameLength = MAX_FRAME_LENGTH) {
    this.minLen = MIN_LEN[role];
    this.maxLen = maxFrameLength - HEADER_LENGTH;
  }

  /** Bytes held while waiting for the rest of a frame. */
  get pending(): number {
    return this.end - this.start;
  }

  reset(): void {
    this.start = 0;
    this.end = 0;
  }

  push(chunk: Uint8Array): ParserEvent[] {
    this.append(chunk);
    const events: ParserEvent[] = [];
    // Each iteration consumes or drops at least one byte, or returns: bounded by the buffer size.
    for (;;) {
      const at = this.findPreamble();
      if (at < 0) {
        const keep = this.partialPreambleSuffix();
        const dropped = this.end - this.start - keep;
        if (dropped > 0) events.push({ kind: 'garbage', bytes: dropped });
        this.start = this.end - keep;
        break;
      }
      if (at > this.start) {
        events.push({ kind: 'garbage', bytes: at - this.start });
        this.start = at;
      }
      if (this.end - this.start < HEADER_LENGTH) break;
      const len = (this.buf[this.start + 5]! << 8) | this.buf[this.start + 6]!;
      if (len < this.minLen || len > this.maxLen) {
        events.push({ kind: 'length-error', declared: len });
        this.start += 1;
        continue;
      }
      const total = HEADER_LENGTH + len;
      if (this.end - this.start < total) break;
      const chkAt = this.start + total - 1;
      if (xorChecksum(this.buf, this.start + PREAMBLE_LENGTH, chkAt) !== this.buf[chkAt]) {
        events.push({ kind: 'checksum-error', bytes: total });
        this.start += 1;
        continue;
      }
      events.push({ kind: 'frame', payload: this.buf.slice(this.start + HEADER_LENGTH, chkAt) });
      this.start += total;
    }
    if (this.start === this.end) this.reset();
    return events;
  }

  private append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.end + chunk.length > this.buf.length) {
      const live = this.end - this.start;
      const need = live + chunk.length;
      if (need > this.buf.length) {
        const bigger = new Uint8Array(Math.max(need, this.buf.length * 2));
        bigger.set(this.buf.subarray(this.start, this.end), 0);
        this.buf = bigger;
      } else {
        this.buf.copyWithin(0, this.start, this.end);
      }
      this.start = 0;
      this.end = live;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  private findPreamble(): number {
    const last = this.end - PREAMBLE_LENGTH;
    const b = this.buf;
    for (let i = this.start; i <= last; i++) {
      if (b[i] === 0xaa && b[i + 1] === 0xaa && b[i + 2] === 0xaa && b[i + 3] === 0x96 && b[i + 4] === 0x69)
        return i;
    }
    return -1;
  }

  /** Length of the longest tail of the buffer that could be the start of a preamble (at most 4). */
  private partialPreambleSuffix(): number {
    const live = this.end - this.start;
    for (let k = Math.min(PREAMBLE_LENGTH - 1, live); k > 0; k--) {
      let match = true;
      for (let j = 0; j < k; j++) {
        if (this.buf[this.end - k + j] !== PREAMBLE[j]) {
          match = false;
          break;
        }
      }
      if (match) return k;
    }
    return 0;
  }
}

export type ResponseFrame = { sw1: number; sw2: number; sw3: number; data: Uint8Array };
export type RequestFrame = { cmd: number; para: number; data: Uint8Array };

/** Payload = bytes between LEN and CHK. The parser's MIN_LEN guarantees the status bytes exist. */
export function toResponse(payload: Uint8Array): ResponseFrame {
  return { sw1: payload[0] ?? 0, sw2: payload[1] ?? 0, sw3: payload[2] ?? 0, data: payload.subarray(3) };
}

export function toRequest(payload: Uint8Array): RequestFrame {
  return { cmd: payload[0] ?? 0, para: payload[1] ?? 0, data: payload.subarray(2) };
}
