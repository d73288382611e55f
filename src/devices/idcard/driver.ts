/**
 * GA 467 reader driver: connect, check the SAM, then poll find → select → read
 * (docs/devices-idcard.md, "Sequence and timing"), turning everything that can go wrong into statuses and
 * events. Faults are events, never crashes: a vanished port becomes `disconnected` and is reopened
 * with backoff; a failed SAM becomes a `fault` and is re-tried with backoff.
 *
 * Card presence: after a successful read the card stays selected, so "find" fails until it leaves
 * the field ("Sequence"). While a card is in the field the driver therefore probes with the
 * extra-address read (30 03), which a present card answers with 90 or 91; any card-level failure
 * then means the card has gone and `card-removed` is emitted.
 *
 * Personal data (names, numbers, addresses, photos) never reaches the logger: log lines carry card
 * types, problem codes, SW3 values and counters only.
 */
import type { Logger } from 'pino';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import {
  DEFAULT_TIMEOUTS,
  findSelectRead,
  judge,
  samIdText,
  sendCommand,
  type Ga467Timeouts,
  type Verdict,
} from './commands.js';
import { parseIdentity } from './identity.js';
import { Ga467Link, type LinkStats } from './link.js';
import { WltPhoto } from './photo.js';
import { EXTRA_ADDRESS_LENGTH } from './protocol.js';
import { decodeTextBlock } from './text-block.js';
import type { OpenTransport } from './transport.js';
import {
  systemClock,
  type CardErrorReason,
  type Clock,
  type IdCardEvent,
  type IdCardFault,
  type IdCardReader,
  type IdCardStatus,
} from './types.js';
import { decodeField } from './utf16.js';

export type Ga467Timing = {
  /** Readers poll find every 100–300 ms (docs/devices-idcard.md, "Sequence and timing"). */
  pollIntervalMs: number;
  timeouts: Ga467Timeouts;
  /** Consecutive timeouts/corrupt answers before the reader is reported as faulty. */
  maxLinkErrors: number;
  /** Base-read answers lost on the wire that are asked for again while the card stays selected. */
  readRetries: number;
  backoff: BackoffPolicy;
};

export const DEFAULT_TIMING: Ga467Timing = {
  pollIntervalMs: 200,
  timeouts: DEFAULT_TIMEOUTS,
  maxLinkErrors: 3,
  readRetries: 2,
  backoff: DEFAULT_BACKOFF,
};

export type Ga467ReaderOptions = {
  open: OpenTransport;
  /** Baud of the link, used to allow for wire time in every timeout. */
  baud: number;
  logger: Logger;
  clock?: Clock;
  timing?: Partial<Omit<Ga467Timing, 'timeouts'>> & { timeouts?: Partial<Ga467Timeouts> };
};

export type Ga467Reader = IdCardReader & {
  /** Byte and error counters of the current connection (diagnostics, bench). */
  linkStats(): LinkStats | null;
};

/** What one poll cycle means for the loop; card-level outcomes were already turned into events. */
type CycleVerdict =
  { kind: 'ok' } | Extract<Verdict, { kind: 'closed' | 'sam-fault' | 'link-error' | 'reader-error' }>;
type SessionEnd = { kind: 'closed'; message: string } | { kind: 'stopped' };
type PollEnd = SessionEnd | { kind: 'fault'; detail: IdCardFault; message: string };

const FAULT_MESSAGES: Record<IdCardFault, string> = {
  'sam-failure': 'the reader’s security module (SAM) failed its self-test (SW3 60)',
  'sam-not-authorized': 'the reader’s security module (SAM) is not authorised (SW3 66)',
  'no-response': 'the reader does not answer (wrong port or baud rate, or the reader is hung)',
  'link-errors': 'answers from the reader keep arriving corrupt (baud rate or cable)',
  'reader-error': 'the reader keeps rejecting commands',
  'unsupported-transport': 'this transport is not supported',
};

export function createGa467Reader(options: Ga467ReaderOptions): Ga467Reader {
  return new Ga467ReaderImpl(options);
}

class Ga467ReaderImpl implements Ga467Reader {
  private readonly clock: Clock;
  private readonly timing: Ga467Timing;
  private readonly log: Logger;
  private readonly listeners = new Set<(event: IdCardEvent) => void>();
  private current: IdCardStatus = { state: 'connecting' };
  private running: Promise<void> | null = null;
  private stopped = false;
  private link: Ga467Link | null = null;
  private closeTransport: (() => Promise<void>) | null = null;
  private wake: (() => void) | null = null;
  /** A card produced card-present/card-invalid and has not left the field yet. */
  private cardInField = false;
  /** A card-error was already reported for the card now in the field. */
  private cardErrorReported = false;

  constructor(private readonly options: Ga467ReaderOptions) {
    this.clock = options.clock ?? systemClock;
    this.timing = {
      ...DEFAULT_TIMING,
      ...options.timing,
      timeouts: { ...DEFAULT_TIMEOUTS, ...options.timing?.timeouts },
      backoff: { ...DEFAULT_BACKOFF, ...options.timing?.backoff },
    };
    this.log = options.logger.child({ device: 'idcard' });
  }

  status(): IdCardStatus {
    return this.current;
  }

  subscribe(listener: (event: IdCardEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  linkStats(): LinkStats | null {
    return this.link ? { ...this.link.stats } : null;
  }

  start(): void {
    if (this.running || this.stopped) return;
    this.running = this.run().catch((e: unknown) => {
      // A bug, not a device fault: report it and leave the reader stopped rather than crash the kiosk.
      this.log.error({ err: e }, 'id-card reader loop failed');
      this.setStatus({
        state: 'fault',
        detail: 'reader-error',
        message: 'internal error in the reader driver',
        retryInMs: null,
      });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.closeTransport?.();
    await this.running;
    this.running = null;
    this.setStatus({ state: 'stopped' });
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      const opened = await this.options.open();
      if (this.stopped) {
        if (opened.ok) await opened.value.close();
        break;
      }
      if (!opened.ok) {
        const retryInMs = backoffDelay(attempt++, this.timing.backoff);
        this.setStatus({ state: 'disconnected', reason: 'open-failed', message: opened.error, retryInMs });
        await this.sleep(retryInMs);
        continue;
      }
      const transport = opened.value;
      this.link = new Ga467Link(transport, this.clock, this.options.baud);
      this.closeTransport = () => transport.close();
      const end = await this.session(this.link, () => {
        attempt = 0;
      });
      await transport.close();
      this.closeTransport = null;
      if (this.cardInField) this.cardLeft();
      if (end.kind === 'stopped' || this.stopped) break;
      const retryInMs = backoffDelay(attempt++, this.timing.backoff);
      this.setStatus({ state: 'disconnected', reason: 'port-closed', message: end.message, retryInMs });
      await this.sleep(retryInMs);
    }
  }

  /** One open port: SAM check, then polling; SAM faults are retried here without reopening. */
  private async session(link: Ga467Link, onReady: () => void): Promise<SessionEnd> {
    let faultAttempt = 0;
    while (!this.stopped) {
      const init = await this.initSam(link);
      if (init.kind === 'closed' || init.kind === 'stopped') return init;
      if (init.kind === 'ready') {
        faultAttempt = 0;
        onReady();
        this.setStatus({ state: 'ready', samId: init.samId });
        const end = await this.poll(link);
        if (end.kind !== 'fault') return end;
        if (this.cardInField) this.cardLeft();
        const retryInMs = backoffDelay(faultAttempt++, this.timing.backoff);
        this.setStatus({ state: 'fault', detail: end.detail, message: end.message, retryInMs });
        await this.sleep(retryInMs);
        continue;
      }
      const retryInMs = backoffDelay(faultAttempt++, this.timing.backoff);
      this.setStatus({ state: 'fault', detail: init.detail, message: init.message, retryInMs });
      await this.sleep(retryInMs);
    }
    return { kind: 'stopped' };
  }

  /** SAM status (11 FF); on SW3 60 one SAM reset (10 FF) and a second look; then the SAM id (12 FF). */
  private async initSam(
    link: Ga467Link,
  ): Promise<
    | SessionEnd
    | { kind: 'ready'; samId: string | null }
    | { kind: 'fault'; detail: IdCardFault; message: string }
  > {
    const { timeouts, maxLinkErrors } = this.timing;
    const baud = this.options.baud;
    let linkErrors = 0;
    let resetTried = false;
    for (let i = 0; i < maxLinkErrors + 2 && !this.stopped; i++) {
      const v = judge(await sendCommand(link, 'samStatus', timeouts, baud), 0x90);
      switch (v.kind) {
        case 'ok': {
          const id = judge(await sendCommand(link, 'samId', timeouts, baud), 0x90);
          if (id.kind === 'closed') return id;
          return { kind: 'ready', samId: id.kind === 'ok' ? samIdText(id.frame) : null };
        }
        case 'closed':
          return v;
        case 'sam-fault':
          if (v.detail === 'sam-failure' && !resetTried) {
            resetTried = true;
            const reset = judge(await sendCommand(link, 'resetSam', timeouts, baud), 0x90);
            if (reset.kind === 'closed') return reset;
            continue;
          }
          return this.fault(v.detail);
        case 'link-error':
          if (++linkErrors >= maxLinkErrors)
            return this.fault(v.cause === 'timeout' ? 'no-response' : 'link-errors');
          continue;
        case 'reader-error':
        case 'no-card':
        case 'card-error':
          this.log.warn(
            { sw3: v.kind === 'reader-error' ? v.sw3 : v.kind },
            'unexpected answer to SAM status',
          );
          if (++linkErrors >= maxLinkErrors) return this.fault('reader-error');
          continue;
        default: {
          const never: never = v;
          throw new Error(`unreachable verdict ${JSON.stringify(never)}`);
        }
      }
    }
    // Unreachable in practice: every branch above returns or is bounded by maxLinkErrors.
    return this.stopped ? { kind: 'stopped' } : this.fault('reader-error');
  }

  private fault(detail: IdCardFault): { kind: 'fault'; detail: IdCardFault; message: string } {
    return { kind: 'fault', detail, message: FAULT_MESSAGES[detail] };
  }

  private async poll(link: Ga467Link): Promise<PollEnd> {
    let linkErrors = 0;
    let timeoutsOnly = true;
    while (!this.stopped) {
      const v = this.cardInField ? await this.probePresence(link) : await this.tryRead(link);
      switch (v.kind) {
        case 'ok':
          linkErrors = 0;
          timeoutsOnly = true;
          break;
        case 'closed':
          return v;
        case 'sam-fault':
          return this.fault(v.detail);
        case 'link-error':
        case 'reader-error':
          if (v.kind !== 'link-error' || v.cause !== 'timeout') timeoutsOnly = false;
          linkErrors++;
          this.log.debug(
            { error: v.kind === 'link-error' ? v.cause : v.sw3, linkErrors },
            'id-card link error',
          );
          if (linkErrors >= this.timing.maxLinkErrors) {
            return this.fault(
              timeoutsOnly ? 'no-response' : v.kind === 'reader-error' ? 'reader-error' : 'link-errors',
            );
          }
          break;
        default: {
          const never: never = v;
          throw new Error(`unreachable poll verdict ${JSON.stringify(never)}`);
        }
      }
      await this.sleep(this.timing.pollIntervalMs);
    }
    return { kind: 'stopped' };
  }

  private async tryRead(link: Ga467Link): Promise<CycleVerdict> {
    const outcome = await findSelectRead(
      link,
      this.timing.timeouts,
      this.options.baud,
      this.timing.readRetries,
    );
    switch (outcome.kind) {
      case 'card':
        await this.cardRead(link, outcome.text, outcome.photo);
        return { kind: 'ok' };
      case 'no-card':
        this.cardErrorReported = false;
        return { kind: 'ok' };
      case 'card-error':
        this.cardError(outcome.reason);
        return { kind: 'ok' };
      case 'sam-fault':
      case 'closed':
      case 'reader-error':
      case 'link-error':
        return outcome;
      default: {
        const never: never = outcome;
        throw new Error(`unreachable read outcome ${JSON.stringify(never)}`);
      }
    }
  }

  private async cardRead(link: Ga467Link, text: Uint8Array, photoBytes: Uint8Array): Promise<void> {
    this.cardInField = true;
    this.cardErrorReported = false;
    const raw = decodeTextBlock(text);
    const parsed = parseIdentity(raw);
    if (!parsed.ok) {
      this.log.warn(
        { cardType: parsed.error.cardType, problems: parsed.error.problems },
        'id card read but invalid',
      );
      this.emit({ type: 'card-invalid', invalid: parsed.error });
      return;
    }
    // The additional address (30 03) belongs to the same card; 91 = none recorded ("Commands").
    let extraAddress: string | null = null;
    const extra = await sendCommand(link, 'readExtraAddress', this.timing.timeouts, this.options.baud);
    if (extra.ok && extra.value.sw3 === 0x90 && extra.value.data.length === EXTRA_ADDRESS_LENGTH) {
      const decoded = decodeField(extra.value.data, 0, EXTRA_ADDRESS_LENGTH);
      extraAddress = decoded.ok && decoded.value !== '' ? decoded.value : null;
    }
    this.log.info({ cardType: parsed.value.cardType }, 'id card read');
    this.emit({
      type: 'card-present',
      identity: parsed.value,
      photo: new WltPhoto(photoBytes),
      extraAddress,
    });
  }

  private cardError(reason: CardErrorReason): void {
    if (this.cardErrorReported) return;
    this.cardErrorReported = true;
    this.log.warn({ reason }, 'id card found but not read');
    this.emit({ type: 'card-error', reason });
  }

  /** While a read card stays in the field, 30 03 answers 90/91; anything card-level means it left. */
  private async probePresence(link: Ga467Link): Promise<CycleVerdict> {
    const r = await sendCommand(link, 'readExtraAddress', this.timing.timeouts, this.options.baud);
    if (r.ok && r.value.sw3 === 0x91) return { kind: 'ok' };
    const v = judge(r, 0x90);
    switch (v.kind) {
      case 'ok':
        return { kind: 'ok' };
      case 'no-card':
      case 'card-error':
        this.cardLeft();
        return { kind: 'ok' };
      case 'closed':
      case 'sam-fault':
      case 'link-error':
      case 'reader-error':
        return v;
      default: {
        const never: never = v;
        throw new Error(`unreachable probe verdict ${JSON.stringify(never)}`);
      }
    }
  }

  private cardLeft(): void {
    this.cardInField = false;
    this.cardErrorReported = false;
    this.log.info('id card removed');
    this.emit({ type: 'card-removed' });
  }

  private setStatus(status: IdCardStatus): void {
    if (JSON.stringify(status) === JSON.stringify(this.current)) return;
    const previous = this.current.state;
    this.current = status;
    const level = status.state === 'fault' || status.state === 'disconnected' ? 'warn' : 'info';
    this.log[level]({ status, previous }, `id-card reader ${status.state}`);
    this.emit({ type: 'status', status });
  }

  private emit(event: IdCardEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (e) {
        this.log.error({ err: e, event: event.type }, 'id-card event listener threw');
      }
    }
  }

  /** A timer the stop() call can cut short. */
  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const handle = this.clock.setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        this.clock.clearTimeout(handle);
        this.wake = null;
        resolve();
      };
    });
  }
}
