/**
 * The simulator on a real transport: socat makes a pty pair, the simulator opens one end with
 * `serialport` (like any serial device), and the driver opens the other. `port-vanish` kills socat,
 * so the driver sees exactly what an unplugged USB-serial reader looks like; `clearFaults()` plugs it
 * back in under the same device path.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { err, ok, type Result } from '../result.js';
import { openPtyPair, type PtyPair } from '../pty-pair.js';
import { openSerialTransport } from './serial-transport.js';
import { type SimCard } from './sim-card.js';
import {
  FAST_TIMING,
  Ga467Simulator,
  isFrameFault,
  REALISTIC_TIMING,
  type FaultOptions,
  type SimFaultKind,
  type SimTiming,
  type SimulatorSnapshot,
} from './simulator.js';
import type { ByteTransport } from './transport.js';

/** What the backend's dev panel and the e2e tests drive. */
export interface IdCardSimulator {
  /** The serial device the driver opens (stable across re-plugs). */
  readonly devicePath: string;
  /** Puts a card on the reader (replacing any); refuses fields that do not fit the card. */
  insertCard(card: SimCard): Result<void, string>;
  removeCard(): void;
  /** `port-vanish` unplugs the reader; the others corrupt answers (see simulator.ts). */
  injectFault(kind: SimFaultKind, options?: FaultOptions): Promise<void>;
  /** Clears every fault; after `port-vanish` the reader is plugged back in under the same path. */
  clearFaults(): Promise<void>;
  snapshot(): SimulatorSnapshot & { plugged: boolean };
}

export type IdCardSimulatorOptions = {
  baud?: number;
  timing?: 'realistic' | 'fast' | SimTiming;
  card?: SimCard | null;
  seed?: number;
  logger?: Logger;
};

export type RunningIdCardSimulator = {
  /** Where the driver connects: a stable symlink to the driver's end of the pty pair. */
  devicePath: string;
  /** The /dev/pts devices of the current pair (they change after a re-plug). */
  ptyPaths(): readonly [string, string];
  simulator: IdCardSimulator;
  stop(): Promise<void>;
};

function timingOf(t: IdCardSimulatorOptions['timing']): SimTiming {
  if (t === undefined || t === 'realistic') return REALISTIC_TIMING;
  if (t === 'fast') return FAST_TIMING;
  return t;
}

export async function startIdCardSimulator(
  options: IdCardSimulatorOptions = {},
): Promise<Result<RunningIdCardSimulator, string>> {
  const baud = options.baud ?? 115200;
  const dir = mkdtempSync(join(tmpdir(), 'idcard-sim-'));
  const links = [join(dir, 'reader'), join(dir, 'simulator')] as const;
  const log = options.logger?.child({ device: 'idcard-simulator' });

  let pair: PtyPair | null = null;
  let port: ByteTransport | null = null;
  let stopped = false;
  const engine = new Ga467Simulator({
    baud,
    timing: timingOf(options.timing),
    seed: options.seed,
    send: (bytes) => {
      // Writes fail only when the pair is gone, which the control side already knows about.
      void port?.write(bytes);
    },
  });
  if (options.card) {
    const inserted = engine.insertCard(options.card);
    if (!inserted.ok) {
      rmSync(dir, { recursive: true, force: true });
      return err(inserted.error);
    }
  }

  const plug = async (): Promise<Result<void, string>> => {
    const opened = await openPtyPair(links);
    if (!opened.ok) return opened;
    pair = opened.value;
    const transport = await openSerialTransport({ path: links[1], baud });
    if (!transport.ok) {
      await pair.close();
      pair = null;
      return transport;
    }
    port = transport.value;
    port.onData((chunk) => engine.receive(chunk));
    port.onClose(() => {
      port = null;
    });
    return ok(undefined);
  };

  const unplug = async (): Promise<void> => {
    const p = port;
    port = null;
    await p?.close();
    await pair?.close();
    pair = null;
  };

  const plugged = await plug();
  if (!plugged.ok) {
    engine.dispose();
    rmSync(dir, { recursive: true, force: true });
    return err(plugged.error);
  }

  const simulator: IdCardSimulator = {
    devicePath: links[0],
    insertCard: (card) => {
      const r = engine.insertCard(card);
      log?.info({ inserted: r.ok }, 'simulator: card inserted');
      return r;
    },
    removeCard: () => {
      engine.removeCard();
      log?.info('simulator: card removed');
    },
    injectFault: async (kind, faultOptions) => {
      log?.info({ fault: kind }, 'simulator: fault injected');
      if (isFrameFault(kind)) engine.injectFault(kind, faultOptions);
      else await unplug();
    },
    clearFaults: async () => {
      engine.clearFaults();
      if (!stopped && pair === null) {
        const r = await plug();
        if (!r.ok) log?.warn({ error: r.error }, 'simulator: re-plug failed');
      }
      log?.info('simulator: faults cleared');
    },
    snapshot: () => ({ ...engine.snapshot(), plugged: pair !== null && !pair.exited() }),
  };

  return ok({
    devicePath: links[0],
    ptyPaths: () => pair?.paths ?? ['', ''],
    simulator,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      engine.dispose();
      await unplug();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}
