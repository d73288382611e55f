/**
 * Building a reader from its configured address (docs/architecture.md, "Devices"; src/devices/uri.ts):
 *  - `serial:/dev/ttyUSB0?baud=115200` → the GA 467 driver over serialport;
 *  - `sim:` (development only) → the built-in simulator on a socat pty pair, with the REAL driver
 *    connected to it over that pty, so a kiosk started with defaults runs real driver code;
 *    options `card=<sample>|none`, `baud=…`, `timing=realistic|fast`, `seed=…`;
 *  - `hid:VID:PID` → a reader whose status is the "HID readers are not supported" fault;
 *  - `none` → not configured.
 * Also `readIdCardOnce`, what the CLI's `idcard read --uri URI` calls.
 */
import type { Logger } from 'pino';
import { err, ok, type Result } from '../result.js';
import { parseDeviceUri, refuseSimulatorInProduction, type DeviceAddress } from '../uri.js';
import { createGa467Reader, type Ga467ReaderOptions } from './driver.js';
import { hidTransportFor } from './hid-transport.js';
import type { IdentityRecord, InvalidCard } from './identity.js';
import type { WltPhoto } from './photo.js';
import { openSerialTransport } from './serial-transport.js';
import { isSampleCardName, SAMPLE_CARDS, type SimCard } from './sim-card.js';
import { startIdCardSimulator, type IdCardSimulator } from './sim-runtime.js';
import {
  systemClock,
  type CardErrorReason,
  type Clock,
  type IdCardEvent,
  type IdCardFault,
  type IdCardReader,
  type IdCardStatus,
} from './types.js';

export type IdCardConfigError =
  | { kind: 'bad-address'; message: string }
  | { kind: 'not-configured'; message: string }
  /** `sim:` in production mode. */
  | { kind: 'refused'; message: string }
  /** An address of a transport an ID-card reader does not use (tcp, sane, …). */
  | { kind: 'wrong-transport'; message: string }
  | { kind: 'simulator-failed'; message: string };

export type CreateIdCardReaderOptions = {
  uri: string;
  mode: 'production' | 'development';
  logger: Logger;
  clock?: Clock;
  timing?: Ga467ReaderOptions['timing'];
};

export type IdCardReaderHandle = {
  reader: IdCardReader;
  /** Set for `sim:` only: the control the dev panel and e2e tests drive. */
  simulator: IdCardSimulator | null;
  address: DeviceAddress;
  /** Stops the reader and, for `sim:`, the simulator and its socat. Idempotent. */
  close(): Promise<void>;
};

const SIM_OPTIONS = new Set(['card', 'baud', 'timing', 'seed']);
const BAUDS = new Set([9600, 19200, 38400, 57600, 115200]);

type SimSettings = {
  card: SimCard | null;
  baud: number;
  timing: 'realistic' | 'fast';
  seed: number | undefined;
};

function simSettings(options: Record<string, string>): Result<SimSettings, string> {
  for (const key of Object.keys(options)) {
    if (!SIM_OPTIONS.has(key))
      return err(`unknown sim: option "${key}" (expected ${[...SIM_OPTIONS].join(', ')})`);
  }
  const cardName = options.card ?? 'none';
  if (cardName !== 'none' && !isSampleCardName(cardName)) {
    return err(
      `sim: card "${cardName}" is not a sample card (expected none, ${Object.keys(SAMPLE_CARDS).join(', ')})`,
    );
  }
  const baud = options.baud === undefined ? 115200 : Number(options.baud);
  if (!BAUDS.has(baud)) return err(`sim: baud must be one of ${[...BAUDS].join(', ')}`);
  const timing = options.timing ?? 'realistic';
  if (timing !== 'realistic' && timing !== 'fast') return err('sim: timing must be realistic or fast');
  const seed = options.seed === undefined ? undefined : Number(options.seed);
  if (seed !== undefined && !Number.isInteger(seed)) return err('sim: seed must be an integer');
  return ok({
    card: cardName === 'none' || !isSampleCardName(cardName) ? null : SAMPLE_CARDS[cardName],
    baud,
    timing,
    seed,
  });
}

export async function createIdCardReader(
  options: CreateIdCardReaderOptions,
): Promise<Result<IdCardReaderHandle, IdCardConfigError>> {
  const parsed = parseDeviceUri(options.uri);
  if (!parsed.ok) return err({ kind: 'bad-address', message: parsed.error });
  const allowed = refuseSimulatorInProduction(parsed.value, options.mode);
  if (!allowed.ok) return err({ kind: 'refused', message: allowed.error });
  const address = allowed.value;
  const log = options.logger;
  const clock = options.clock ?? systemClock;

  switch (address.scheme) {
    case 'none':
      return err({ kind: 'not-configured', message: 'no ID-card reader is configured (address "none")' });
    case 'serial': {
      const reader = createGa467Reader({
        open: () => openSerialTransport({ path: address.path, baud: address.baud }),
        baud: address.baud,
        logger: log,
        clock,
        timing: options.timing,
      });
      return ok({ reader, simulator: null, address, close: once(() => reader.stop()) });
    }
    case 'sim': {
      const settings = simSettings(address.options);
      if (!settings.ok) return err({ kind: 'bad-address', message: settings.error });
      const sim = await startIdCardSimulator({ ...settings.value, logger: log });
      if (!sim.ok) return err({ kind: 'simulator-failed', message: sim.error });
      const { devicePath, simulator } = sim.value;
      const reader = createGa467Reader({
        open: () => openSerialTransport({ path: devicePath, baud: settings.value.baud }),
        baud: settings.value.baud,
        logger: log,
        clock,
        timing: options.timing,
      });
      log.info({ devicePath }, 'id-card reader: built-in simulator started');
      return ok({
        reader,
        simulator,
        address,
        close: once(async () => {
          await reader.stop();
          await sim.value.stop();
        }),
      });
    }
    case 'hid': {
      const transport = hidTransportFor(address);
      // With a documented framing the same driver would run over HID; today there is none.
      const reader = transport.ok
        ? createGa467Reader({
            open: transport.value,
            baud: 115200,
            logger: log,
            clock,
            timing: options.timing,
          })
        : createUnsupportedReader(transport.error);
      if (!transport.ok)
        log.warn({ vendorId: address.vendorId, productId: address.productId }, transport.error);
      return ok({ reader, simulator: null, address, close: once(() => reader.stop()) });
    }
    case 'tcp':
    case 'usblp':
    case 'sane':
    case 'escl':
    case 'camera':
      return err({
        kind: 'wrong-transport',
        message: `an ID-card reader is addressed as serial:PORT?baud=115200 (or sim:, hid:VID:PID, none), not ${address.scheme}:`,
      });
    default: {
      const never: never = address;
      throw new Error(`unreachable address ${JSON.stringify(never)}`);
    }
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | null = null;
  return () => (done ??= fn());
}

/** A reader that can never work over its transport: a fixed fault, no polling, no fake data. */
export function createUnsupportedReader(message: string): IdCardReader {
  let status: IdCardStatus = { state: 'fault', detail: 'unsupported-transport', message, retryInMs: null };
  const listeners = new Set<(event: IdCardEvent) => void>();
  return {
    status: () => status,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start: () => undefined,
    stop: () => {
      status = { state: 'stopped' };
      for (const l of listeners) l({ type: 'status', status });
      return Promise.resolve();
    },
  };
}

// ── one-shot read (CLI) ─────────────────────────────────────────────────────

export type ReadOnceError =
  | IdCardConfigError
  /** The reader was ready the whole time but no card was presented. */
  | { kind: 'no-card'; message: string }
  | { kind: 'invalid-card'; invalid: InvalidCard; message: string }
  | { kind: 'card-error'; reason: CardErrorReason; message: string }
  | { kind: 'reader-fault'; detail: IdCardFault; message: string }
  | { kind: 'disconnected'; message: string };

export type CardRead = { identity: IdentityRecord; photo: WltPhoto; extraAddress: string | null };

/**
 * Waits for one card on an existing reader (starting it if needed). Resolves with the first read
 * card, the first invalid card, or — when `timeoutMs` passes — what stood in the way.
 */
export function readOneCard(
  reader: IdCardReader,
  options: { timeoutMs: number; clock?: Clock },
): Promise<Result<CardRead, ReadOnceError>> {
  const clock = options.clock ?? systemClock;
  return new Promise((resolve) => {
    let lastCardError: CardErrorReason | null = null;
    let timer: unknown = null;
    let unsubscribe: () => void = () => undefined;
    let finished = false;
    const finish = (r: Result<CardRead, ReadOnceError>) => {
      if (finished) return;
      finished = true;
      clock.clearTimeout(timer);
      unsubscribe();
      resolve(r);
    };
    const judgeStatus = (s: IdCardStatus): ReadOnceError | null => {
      switch (s.state) {
        case 'fault':
          return { kind: 'reader-fault', detail: s.detail, message: s.message };
        case 'disconnected':
          return { kind: 'disconnected', message: s.message };
        case 'stopped':
          return { kind: 'disconnected', message: 'the reader was stopped' };
        case 'connecting':
          return { kind: 'disconnected', message: 'the reader did not connect in time' };
        case 'ready':
          return null;
        default: {
          const never: never = s;
          throw new Error(`unreachable status ${JSON.stringify(never)}`);
        }
      }
    };
    unsubscribe = reader.subscribe((event) => {
      switch (event.type) {
        case 'card-present':
          finish(ok({ identity: event.identity, photo: event.photo, extraAddress: event.extraAddress }));
          break;
        case 'card-invalid':
          finish(
            err({
              kind: 'invalid-card',
              invalid: event.invalid,
              message: 'the card was read but its data is not valid',
            }),
          );
          break;
        case 'card-error':
          lastCardError = event.reason;
          break;
        case 'status':
          // A fault that will never clear by itself ends the wait at once.
          if (event.status.state === 'fault' && event.status.retryInMs === null)
            finish(err(judgeStatus(event.status)!));
          break;
        case 'card-removed':
          break;
        default: {
          const never: never = event;
          throw new Error(`unreachable event ${JSON.stringify(never)}`);
        }
      }
    });
    const initial = reader.status();
    if (initial.state === 'fault' && initial.retryInMs === null) {
      finish(err(judgeStatus(initial)!));
      return;
    }
    timer = clock.setTimeout(() => {
      const blocker = judgeStatus(reader.status());
      if (blocker) finish(err(blocker));
      else if (lastCardError)
        finish(
          err({
            kind: 'card-error',
            reason: lastCardError,
            message: `a card was found but could not be read (${lastCardError})`,
          }),
        );
      else finish(err({ kind: 'no-card', message: `no card was presented within ${options.timeoutMs} ms` }));
    }, options.timeoutMs);
    reader.start();
  });
}

/** Opens the reader at `uri`, reads one card, closes everything. For `idcard read --uri URI`. */
export async function readIdCardOnce(options: {
  uri: string;
  mode: 'production' | 'development';
  timeoutMs: number;
  logger: Logger;
  clock?: Clock;
}): Promise<Result<IdentityRecord, ReadOnceError>> {
  const created = await createIdCardReader(options);
  if (!created.ok) return created;
  try {
    const read = await readOneCard(created.value.reader, {
      timeoutMs: options.timeoutMs,
      clock: options.clock,
    });
    return read.ok ? ok(read.value.identity) : read;
  } finally {
    await created.value.close();
  }
}
