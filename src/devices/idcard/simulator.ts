/**
 * Protocol-true simulator of a GA 467 desktop reader (docs/devices-idcard.md, "Protocol reference"): it
 * parses request frames, answers with the same bytes a reader sends, keeps the card's state across find →
 * select → read, and takes as long as a reader would. Transport-free: `receive()` takes the bytes the driver
 * wrote, `send` puts the answer on the wire; sim-runtime.ts wires it to a socat pty pair.
 *
 * Card model ("Sequence": after a successful read the card has to leave the field before find
 * succeeds again). States: absent → idle (in the field) → found (find 9F) → selected (select 90) →
 * read (read 90). A selected or read card no longer answers find (80) or select (81) but still
 * answers reads, which is how the driver tells "still there" from "gone". Removing and re-inserting
 * the card brings it back to idle.
 *
 * Timing ("Link"): each byte takes 10 bits on the wire at the configured baud. An answer starts
 * after the request's wire time plus the reader's processing time, and is written in chunks, each
 * when its last byte would have arrived.
 */
import { err, ok, type Result } from '../result.js';
import { FrameParser, toRequest, type RequestFrame } from './frame-parser.js';
import {
  BAUD_CODES,
  encodeResponse,
  PHOTO_LENGTH,
  SAM_ID_LENGTH,
  SW3,
  TEXT_LENGTH,
  wireTimeMs,
} from './protocol.js';
import { encodeSimCard, type EncodedCard, type SimCard } from './sim-card.js';
import { detectCardType, type CardType } from './text-block.js';
import { systemClock, type Clock } from './types.js';

export type SimCommand =
  | 'resetSam'
  | 'samStatus'
  | 'samId'
  | 'findCard'
  | 'selectCard'
  | 'readBase'
  | 'readExtraAddress'
  | 'setBaud'
  | 'other';

/**
 * Faults the simulator can inject:
 * - `bad-checksum`: the answer's CHK byte is flipped;
 * - `truncated-frame`: only the first half of the answer is sent;
 * - `garbage`: random bytes (with stray preamble fragments) precede the answer;
 * - `sam-failure`: every command is answered with SW3 60 (the SAM accepts no command);
 * - `no-response`: requests are swallowed;
 * - `card-read-failed`: the base read answers SW3 41;
 * - `port-vanish`: the pty pair disappears (handled by sim-runtime.ts: socat is killed).
 */
export const SIM_FAULT_KINDS = [
  'bad-checksum',
  'truncated-frame',
  'garbage',
  'sam-failure',
  'no-response',
  'card-read-failed',
  'port-vanish',
] as const;
export type SimFaultKind = (typeof SIM_FAULT_KINDS)[number];
export type FrameFaultKind = Exclude<SimFaultKind, 'port-vanish'>;
export type FaultOptions = { times?: number; command?: SimCommand };

export type SimTiming = {
  /** The reader's own time per command, before its answer starts. */
  processingMs: Record<SimCommand, number>;
  /** Answer bytes written per chunk. */
  chunkBytes: number;
};

/**
 * Processing times of a desktop reader: chosen so that find → select → read of one card takes about
 * half a second at 115200 baud, the order of magnitude such readers advertise. Not measured on a
 * device; change them here if a model is measured.
 */
export const REALISTIC_TIMING: SimTiming = {
  processingMs: {
    resetSam: 50,
    samStatus: 2,
    samId: 3,
    findCard: 8,
    selectCard: 12,
    readBase: 350,
    readExtraAddress: 30,
    setBaud: 2,
    other: 1,
  },
  chunkBytes: 64,
};

/** Wire time still applies; the reader itself answers at once. For tests that run many cycles. */
export const FAST_TIMING: SimTiming = {
  processingMs: {
    resetSam: 0,
    samStatus: 0,
    samId: 0,
    findCard: 0,
    selectCard: 0,
    readBase: 0,
    readExtraAddress: 0,
    setBaud: 0,
    other: 0,
  },
  chunkBytes: 256,
};

export type SimCardState = 'absent' | 'idle' | 'found' | 'selected' | 'read';

export type SimulatorSnapshot = {
  baud: number;
  card: SimCardState;
  cardType: CardType | null;
  faults: { kind: FrameFaultKind; remaining: number | null; command: SimCommand | null }[];
  requests: number;
  badRequests: number;
  bytesIn: number;
  bytesOut: number;
  /** Commands in the order received, most recent last (bounded). */
  recentCommands: SimCommand[];
};

type ActiveFault = { kind: FrameFaultKind; remaining: number; command: SimCommand | null };

const MAX_QUEUE = 16;
const RECENT = 32;
/** SAM id answer (12 FF): 16 fixed bytes, recognisable in logs as the simulator's. */
const SIM_SAM_ID = Uint8Array.from({ length: SAM_ID_LENGTH }, (_, i) =>
  i === 0 ? 0x05 : i === 1 ? 0x01 : 0x50 + i,
);

export type Ga467SimulatorOptions = {
  baud: number;
  timing: SimTiming;
  send: (bytes: Uint8Array) => void;
  clock?: Clock;
  /** Seed of the garbage generator, so a failing run can be replayed. */
  seed?: number;
};

export class Ga467Simulator {
  private readonly parser = new FrameParser('request');
  private readonly clock: Clock;
  private readonly queue: Uint8Array[] = [];
  private readonly timers = new Set<unknown>();
  private busy = false;
  private disposed = false;
  private card: EncodedCard | null = null;
  private cardState: SimCardState = 'absent';
  private faults: ActiveFault[] = [];
  private rng: number;
  private baud: number;
  private stats = { requests: 0, badRequests: 0, bytesIn: 0, bytesOut: 0 };
  private recent: SimCommand[] = [];
  /** Queue items that are finished answers (to corrupt requests) rather than requests. */
  private readonly answers = new WeakSet<Uint8Array>();

  constructor(private readonly options: Ga467SimulatorOptions) {
    this.clock = options.clock ?? systemClock;
    this.baud = options.baud;
    this.rng = (options.seed ?? 0x1d_ca_4d) >>> 0;
  }

  // ── control ──────────────────────────────────────────────────────────────

  insertCard(card: SimCard): Result<void, string> {
    const encoded = encodeSimCard(card);
    if (!encoded.ok) return encoded;
    this.card = encoded.value;
    this.cardState = 'idle';
    return ok(undefined);
  }

  removeCard(): void {
    this.card = null;
    this.cardState = 'absent';
  }

  injectFault(kind: FrameFaultKind, options: FaultOptions = {}): void {
    this.faults.push({
      kind,
      remaining: options.times ?? Number.POSITIVE_INFINITY,
      command: options.command ?? null,
    });
  }

  clearFaults(): void {
    this.faults = [];
  }

  snapshot(): SimulatorSnapshot {
    return {
      baud: this.baud,
      card: this.cardState,
      cardType: this.card ? detectCardType(this.card.text) : null,
      faults: this.faults.map((f) => ({
        kind: f.kind,
        remaining: Number.isFinite(f.remaining) ? f.remaining : null,
        command: f.command,
      })),
      ...this.stats,
      recentCommands: [...this.recent],
    };
  }

  /** Drops queued work and pending timers (the port is going away). */
  dispose(): void {
    this.disposed = true;
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers.clear();
    this.queue.length = 0;
  }

  // ── wire side ────────────────────────────────────────────────────────────

  receive(chunk: Uint8Array): void {
    if (this.disposed) return;
    this.stats.bytesIn += chunk.length;
    for (const event of this.parser.push(chunk)) {
      switch (event.kind) {
        case 'frame':
          this.enqueue(event.payload);
          break;
        case 'checksum-error':
          // SW3 10: checksum error in the received frame ("Status byte SW3").
          this.stats.badRequests++;
          this.enqueueAnswer(encodeResponse(SW3.checksumError));
          break;
        case 'length-error':
          this.stats.badRequests++;
          this.enqueueAnswer(encodeResponse(SW3.lengthError));
          break;
        case 'garbage':
          break;
        default: {
          const never: never = event;
          throw new Error(`unreachable parser event ${JSON.stringify(never)}`);
        }
      }
    }
  }

  /** A ready-made answer (to a corrupt request) goes through the same queue as requests. */
  private enqueueAnswer(bytes: Uint8Array): void {
    this.answers.add(bytes);
    this.enqueue(bytes);
  }

  private enqueue(item: Uint8Array): void {
    if (this.queue.length >= MAX_QUEUE) return; // a real reader's receive buffer overflows too
    this.queue.push(item);
    if (!this.busy) void this.drain();
  }

  private async drain(): Promise<void> {
    this.busy = true;
    // Bounded: the queue holds at most MAX_QUEUE items and each pass removes one.
    while (this.queue.length > 0 && !this.disposed) {
      const item = this.queue.shift()!;
      if (this.answers.has(item)) {
        await this.transmit(item, 'other', 0);
        continue;
      }
      const request = toRequest(item);
      const command = commandOf(request);
      this.stats.requests++;
      this.recent.push(command);
      if (this.recent.length > RECENT) this.recent.shift();
      const fault = this.takeFault(command);
      if (fault === 'no-response') continue;
      const answer = this.answer(request, command, fault);
      const requestWire = wireTimeMs(item.length + 8, this.baud);
      await this.transmit(this.corrupt(answer.bytes, fault), command, requestWire);
      if (answer.after) answer.after();
    }
    this.busy = false;
  }

  /** The first matching fault, counting one use of it. */
  private takeFault(command: SimCommand): FrameFaultKind | null {
    for (const f of this.faults) {
      if (f.command !== null && f.command !== command) continue;
      if (f.kind === 'card-read-failed' && command !== 'readBase') continue;
      f.remaining -= 1;
      if (f.remaining <= 0) this.faults = this.faults.filter((x) => x !== f);
      return f.kind;
    }
    return null;
  }

  private corrupt(bytes: Uint8Array, fault: FrameFaultKind | null): Uint8Array {
    switch (fault) {
      case 'bad-checksum': {
        const out = bytes.slice();
        out[out.length - 1] = out[out.length - 1]! ^ 0x5a;
        return out;
      }
      case 'truncated-frame':
        return bytes.slice(0, Math.max(1, Math.floor(bytes.length / 2)));
      case 'garbage': {
        const noise = new Uint8Array(8 + (this.random() % 24));
        for (let i = 0; i < noise.length; i++) noise[i] = this.random() & 0xff;
        // Stray preamble fragments are the nasty kind of noise: they look like a frame starting.
        noise.set([0xaa, 0xaa, 0x96], this.random() % (noise.length - 3));
        const out = new Uint8Array(noise.length + bytes.length);
        out.set(noise, 0);
        out.set(bytes, noise.length);
        return out;
      }
      case 'sam-failure':
      case 'card-read-failed':
      case 'no-response':
      case null:
        return bytes;
      default: {
        const never: never = fault;
        throw new Error(`unreachable fault ${String(never)}`);
      }
    }
  }

  /** The reader's answer and the state change it implies ("Commands", "Sequence"). */
  private answer(
    request: RequestFrame,
    command: SimCommand,
    fault: FrameFaultKind | null,
  ): { bytes: Uint8Array; after?: () => void } {
    // SW3 60: the SAM failed its self-test and accepts no command.
    if (fault === 'sam-failure') return { bytes: encodeResponse(SW3.samSelfTestFailed) };
    const card = this.card;
    switch (command) {
      case 'resetSam':
      case 'samStatus':
        return { bytes: encodeResponse(SW3.success) };
      case 'samId':
        return { bytes: encodeResponse(SW3.success, SIM_SAM_ID) };
      case 'findCard':
        if (card && (this.cardState === 'idle' || this.cardState === 'found')) {
          this.cardState = 'found';
          return { bytes: encodeResponse(SW3.findOk, new Uint8Array(4)) };
        }
        return { bytes: encodeResponse(SW3.noCard) };
      case 'selectCard':
        if (card && this.cardState === 'found') {
          this.cardState = 'selected';
          return { bytes: encodeResponse(SW3.success, new Uint8Array(8)) };
        }
        return { bytes: encodeResponse(SW3.selectFailed) };
      case 'readBase': {
        if (!card || (this.cardState !== 'selected' && this.cardState !== 'read'))
          return { bytes: encodeResponse(SW3.readFailed, undefined, 0x6a, 0x82) };
        // SW1/SW2 carry the card's own status on errors; the driver must branch on SW3 only.
        if (fault === 'card-read-failed')
          return { bytes: encodeResponse(SW3.readFailed, undefined, 0x6f, 0x00) };
        this.cardState = 'read';
        const data = new Uint8Array(4 + TEXT_LENGTH + PHOTO_LENGTH);
        data.set([TEXT_LENGTH >> 8, TEXT_LENGTH & 0xff, PHOTO_LENGTH >> 8, PHOTO_LENGTH & 0xff], 0);
        data.set(card.text, 4);
        data.set(card.photo, 4 + TEXT_LENGTH);
        return { bytes: encodeResponse(SW3.success, data) };
      }
      case 'readExtraAddress':
        if (!card || (this.cardState !== 'selected' && this.cardState !== 'read'))
          return { bytes: encodeResponse(SW3.readFailed, undefined, 0x6a, 0x82) };
        // 70 bytes of UCS-2, or SW3 91 when the card holds no additional address ("Commands").
        return card.extraAddress
          ? { bytes: encodeResponse(SW3.success, card.extraAddress) }
          : { bytes: encodeResponse(SW3.noContent) };
      case 'setBaud': {
        const baud = BAUD_CODES[request.para];
        if (baud === undefined) return { bytes: encodeResponse(SW3.commandError) };
        // The answer still goes out at the old rate; the new one applies from the next frame.
        return { bytes: encodeResponse(SW3.success), after: () => (this.baud = baud) };
      }
      case 'other':
        return { bytes: encodeResponse(SW3.commandError) };
      default: {
        const never: never = command;
        throw new Error(`unreachable command ${String(never)}`);
      }
    }
  }

  /** Waits the request's wire time plus processing, then writes the answer paced at the baud rate. */
  private async transmit(bytes: Uint8Array, command: SimCommand, requestWireMs: number): Promise<void> {
    await this.sleep(requestWireMs + this.options.timing.processingMs[command]);
    const t0 = this.clock.now();
    const chunk = Math.max(1, this.options.timing.chunkBytes);
    for (let sent = 0; sent < bytes.length && !this.disposed;) {
      const n = Math.min(chunk, bytes.length - sent);
      const due = t0 + wireTimeMs(sent + n, this.baud);
      await this.sleep(due - this.clock.now());
      if (this.disposed) return;
      this.options.send(bytes.subarray(sent, sent + n));
      this.stats.bytesOut += n;
      sent += n;
    }
  }

  /**
   * Never early: timers have millisecond granularity and may fire up to 1 ms before a fractional due
   * time, which would make the simulated wire faster than the baud rate. Bounded: each pass waits ≥ 1 ms.
   */
  private async sleep(ms: number): Promise<void> {
    const due = this.clock.now() + ms;
    for (let left = ms; left > 0 && !this.disposed; left = due - this.clock.now()) {
      await new Promise<void>((resolve) => {
        const t = this.clock.setTimeout(
          () => {
            this.timers.delete(t);
            resolve();
          },
          Math.max(1, Math.ceil(left)),
        );
        this.timers.add(t);
      });
    }
  }

  /** xorshift32: reproducible noise. */
  private random(): number {
    let x = this.rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x >>> 0;
    return this.rng;
  }
}

function commandOf(r: RequestFrame): SimCommand {
  if (r.cmd === 0x10 && r.para === 0xff) return 'resetSam';
  if (r.cmd === 0x11 && r.para === 0xff) return 'samStatus';
  if (r.cmd === 0x12 && r.para === 0xff) return 'samId';
  if (r.cmd === 0x20 && r.para === 0x01) return 'findCard';
  if (r.cmd === 0x20 && r.para === 0x02) return 'selectCard';
  if (r.cmd === 0x30 && r.para === 0x01) return 'readBase';
  if (r.cmd === 0x30 && r.para === 0x03) return 'readExtraAddress';
  if (r.cmd === 0x60) return 'setBaud';
  return 'other';
}

export function isFrameFault(kind: SimFaultKind): kind is FrameFaultKind {
  return kind !== 'port-vanish';
}

export function parseSimFault(kind: string): Result<SimFaultKind, string> {
  return (SIM_FAULT_KINDS as readonly string[]).includes(kind)
    ? ok(kind as SimFaultKind)
    : err(`unknown simulator fault "${kind}" (expected ${SIM_FAULT_KINDS.join(', ')})`);
}
