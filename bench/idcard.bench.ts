/**
 * ID-card reader: one complete find → select → read of a card over the simulator at 115200 baud,
 * through the real serial driver code and a socat pty pair, against the pure wire time of the bytes
 * exchanged (bytes × 10 bits / baud). Run twice: with the simulator's realistic reader processing
 * delays, and with none (which isolates what the driver, serialport and the pty add).
 */
import { pino } from 'pino';
import {
  DEFAULT_TIMEOUTS,
  findSelectRead,
  Ga467Link,
  openSerialTransport,
  SAMPLE_CARDS,
  startIdCardSimulator,
  systemClock,
  wireTimeMs,
} from '../src/devices/idcard/index.js';
import { median, timeMs, type BenchResult, type BenchSuite } from './harness.js';

const BAUD = 115200;
const RUNS = 9;

type Measured = { medianMs: number; bytes: number; wireMs: number; runs: number[] };

async function measure(timing: 'realistic' | 'fast'): Promise<Measured> {
  const started = await startIdCardSimulator({
    baud: BAUD,
    timing,
    card: SAMPLE_CARDS.resident,
    logger: pino({ level: 'silent' }),
  });
  if (!started.ok) throw new Error(started.error);
  const sim = started.value;
  const opened = await openSerialTransport({ path: sim.devicePath, baud: BAUD });
  if (!opened.ok) {
    await sim.stop();
    throw new Error(opened.error);
  }
  const transport = opened.value;
  try {
    const link = new Ga467Link(transport, systemClock, BAUD);
    const runs: number[] = [];
    let bytes = 0;
    for (let i = 0; i <= RUNS; i++) {
      // A fresh placement each time: after a read the card must leave the field.
      sim.simulator.removeCard();
      sim.simulator.insertCard(SAMPLE_CARDS.resident);
      const before = link.stats.bytesIn + link.stats.bytesOut;
      let kind = '';
      const ms = await timeMs(async () => {
        kind = (await findSelectRead(link, DEFAULT_TIMEOUTS, BAUD)).kind;
      });
      if (kind !== 'card') throw new Error(`read ${i} ended with ${kind}`);
      bytes = link.stats.bytesIn + link.stats.bytesOut - before;
      if (i > 0) runs.push(ms); // the first read warms up the JIT and the pty
    }
    return { medianMs: median(runs), bytes, wireMs: wireTimeMs(bytes, BAUD), runs };
  } finally {
    await transport.close();
    await sim.stop();
  }
}

export const idcardSuite: BenchSuite = {
  name: 'idcard',
  async run(): Promise<BenchResult[]> {
    const realistic = await measure('realistic');
    const fast = await measure('fast');
    const spread = (m: Measured) =>
      `min ${Math.min(...m.runs).toFixed(1)}, max ${Math.max(...m.runs).toFixed(1)} ms over ${m.runs.length} reads`;
    return [
      {
        name: 'idcard find→select→read, realistic reader',
        value: realistic.medianMs,
        unit: 'ms',
        note: `median; simulator adds 370 ms reader processing (find 8, select 12, read 350); ${spread(realistic)}`,
      },
      {
        name: 'idcard find→select→read, reader processing 0',
        value: fast.medianMs,
        unit: 'ms',
        note: `median; wire time + driver + serialport + pty only; ${spread(fast)}`,
      },
      {
        name: 'idcard wire time of the bytes exchanged',
        value: fast.wireMs,
        unit: 'ms',
        note: `${fast.bytes} bytes (3 requests + 3 answers) × 10 bits / ${BAUD} baud`,
      },
      {
        name: 'idcard overhead above wire time (processing 0)',
        value: fast.medianMs - fast.wireMs,
        unit: 'ms',
        note: `median read − wire time (${((fast.medianMs / fast.wireMs - 1) * 100).toFixed(1)} % above the wire); includes the simulator's timer rounding (≤ 1 ms per wait, never early)`,
      },
    ];
  },
};
