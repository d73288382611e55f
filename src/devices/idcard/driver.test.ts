/**
 * The real driver against the simulator over a real pty pair (socat + serialport on both ends).
 */
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createGa467Reader, type Ga467Reader } from './driver.js';
import { openSerialTransport } from './serial-transport.js';
import { SAMPLE_CARDS } from './sim-card.js';
import { startIdCardSimulator, type RunningIdCardSimulator } from './sim-runtime.js';
import type { IdCardEvent } from './types.js';

function memoryLogger(): { logger: Logger; text: () => string } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), text: () => lines.join('') };
}

class Recorder {
  readonly events: IdCardEvent[] = [];
  constructor(reader: Ga467Reader) {
    reader.subscribe((e) => this.events.push(e));
  }
  count(type: IdCardEvent['type']): number {
    return this.events.filter((e) => e.type === type).length;
  }
  async waitFor<T extends IdCardEvent>(pred: (e: IdCardEvent) => e is T, timeoutMs?: number): Promise<T>;
  async waitFor(pred: (e: IdCardEvent) => boolean, timeoutMs?: number): Promise<IdCardEvent>;
  // The bound is generous: the simulator is another process on a pty, and on a loaded two-core machine
  // (a run with other test files beside it) a poll round trip can lose whole seconds to the scheduler
  // — a fault then recovery the driver reports correctly, after which the card still comes. A passing
  // run never waits for the bound.
  async waitFor(pred: (e: IdCardEvent) => boolean, timeoutMs = 15_000): Promise<IdCardEvent> {
    const seen = this.events.length;
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const hit = this.events.slice(seen).find(pred);
      if (hit) return hit;
      if (performance.now() > deadline)
        throw new Error(
          `timed out; events so far: ${JSON.stringify(this.events.map((e) => (e.type === 'status' ? e.status : e.type)))}`,
        );
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

const isPresent = (e: IdCardEvent): e is Extract<IdCardEvent, { type: 'card-present' }> =>
  e.type === 'card-present';
const isStatus = (state: string) => (e: IdCardEvent) => e.type === 'status' && e.status.state === state;

let sim: RunningIdCardSimulator | null = null;
let reader: Ga467Reader | null = null;

async function setup(
  opts: {
    card?: (typeof SAMPLE_CARDS)[keyof typeof SAMPLE_CARDS];
    baud?: number;
    timing?: 'fast' | 'realistic';
  } = {},
) {
  const started = await startIdCardSimulator({
    timing: opts.timing ?? 'fast',
    baud: opts.baud,
    card: opts.card ?? null,
  });
  if (!started.ok) throw new Error(started.error);
  sim = started.value;
  const log = memoryLogger();
  const devicePath = sim.devicePath;
  const baud = opts.baud ?? 115200;
  reader = createGa467Reader({
    open: () => openSerialTransport({ path: devicePath, baud }),
    baud,
    logger: log.logger,
    timing: {
      pollIntervalMs: 30,
      maxLinkErrors: 3,
      backoff: { initialMs: 50, maxMs: 400, factor: 2 },
      timeouts: { readMs: 400 },
    },
  });
  const rec = new Recorder(reader);
  reader.start();
  return { sim: sim, reader, rec, log };
}

afterEach(async () => {
  await reader?.stop();
  await sim?.stop();
  reader = null;
  sim = null;
});

describe('GA 467 driver ↔ simulator over a pty', () => {
  it('becomes ready with the SAM id', async () => {
    const { rec, reader } = await setup();
    await rec.waitFor(isStatus('ready'));
    expect(reader.status()).toEqual({ state: 'ready', samId: '050152535455565758595a5b5c5d5e5f' });
  });

  it.each(['resident', 'resident-rare-name', 'hmt', 'foreign2017', 'foreign2023'] as const)(
    'reads a %s card',
    async (name) => {
      const { rec, sim } = await setup();
      await rec.waitFor(isStatus('ready'));
      expect(sim.simulator.insertCard(SAMPLE_CARDS[name]).ok).toBe(true);
      const present = await rec.waitFor(isPresent);
      expect(present.identity.cardType).toBe(SAMPLE_CARDS[name].cardType);
      expect(present.identity.idNumber).toBe(SAMPLE_CARDS[name].idNumber);
      expect(present.photo.byteLength).toBe(1024);
      if (name === 'resident-rare-name') {
        expect(present.identity.name).toBe('𠮷祥');
        expect(present.extraAddress).toBe(SAMPLE_CARDS[name].extraAddress);
      } else expect(present.extraAddress).toBeNull();
    },
  );

  it('emits one card-present per placement and card-removed when the card leaves', async () => {
    const { rec, sim } = await setup({ card: SAMPLE_CARDS.resident });
    await rec.waitFor(isPresent);
    // The card stays on the reader for many poll cycles: no second read.
    await new Promise((r) => setTimeout(r, 300));
    expect(rec.count('card-present')).toBe(1);
    expect(rec.count('card-removed')).toBe(0);
    sim.simulator.removeCard();
    await rec.waitFor((e) => e.type === 'card-removed');
    sim.simulator.insertCard(SAMPLE_CARDS.hmt);
    const second = await rec.waitFor(isPresent);
    expect(second.identity.cardType).toBe('hmt');
    expect(rec.count('card-present')).toBe(2);
  });

  it('reports a card failing GB 11643 as card-invalid, then its removal', async () => {
    const { rec, sim, log } = await setup();
    await rec.waitFor(isStatus('ready'));
    sim.simulator.insertCard({ ...SAMPLE_CARDS.resident, idNumber: '110105194912310021' });
    const bad = await rec.waitFor((e) => e.type === 'card-invalid');
    expect(bad).toEqual({
      type: 'card-invalid',
      invalid: { cardType: 'resident', problems: [{ field: 'idNumber', problem: 'checksum' }] },
    });
    sim.simulator.removeCard();
    await rec.waitFor((e) => e.type === 'card-removed');
    expect(log.text()).not.toContain('110105194912310021');
    expect(reader!.status().state).toBe('ready');
  });

  it('never logs personal data', async () => {
    const { rec, sim, log } = await setup({ card: SAMPLE_CARDS['resident-rare-name'] });
    await rec.waitFor(isPresent);
    sim.simulator.removeCard();
    await rec.waitFor((e) => e.type === 'card-removed');
    const text = log.text();
    expect(text).toContain('id card read');
    for (const secret of ['𠮷祥', '44030519900101123X', '南山区', '福田区', '深圳市公安局'])
      expect(text).not.toContain(secret);
  });

  it('works at 9600 baud too', async () => {
    const { rec } = await setup({ card: SAMPLE_CARDS.foreign2023, baud: 9600 });
    const present = await rec.waitFor(isPresent);
    expect(present.identity.cardType).toBe('foreign2023');
  });

  describe('faults are events, not crashes', () => {
    it('a corrupt read answer (bad checksum) is asked for again without re-seating the card', async () => {
      const { rec, sim } = await setup();
      await rec.waitFor(isStatus('ready'));
      await sim.simulator.injectFault('bad-checksum', { times: 2, command: 'readBase' });
      sim.simulator.insertCard(SAMPLE_CARDS.resident);
      await rec.waitFor(isPresent);
      expect(sim.simulator.snapshot().faults).toEqual([]);
      expect(sim.simulator.snapshot().recentCommands.filter((c) => c === 'readBase')).toHaveLength(3);
      expect(reader!.status().state).toBe('ready');
      expect(reader!.linkStats()!.corruptFrames).toBe(2);
    });

    it('a read answer lost three times in a row ends that attempt; re-seating the card reads it', async () => {
      const { rec, sim } = await setup();
      await rec.waitFor(isStatus('ready'));
      await sim.simulator.injectFault('bad-checksum', { times: 3, command: 'readBase' });
      sim.simulator.insertCard(SAMPLE_CARDS.resident);
      // After the lost reads the card is still selected: find fails until it is lifted and put back.
      expect(await rec.waitFor((e) => e.type === 'card-error')).toEqual({
        type: 'card-error',
        reason: 'corrupt-response',
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(rec.count('card-present')).toBe(0);
      expect(reader!.status().state).toBe('ready');
      sim.simulator.removeCard();
      sim.simulator.insertCard(SAMPLE_CARDS.resident);
      await rec.waitFor(isPresent);
    });

    it('garbage on the line is skipped', async () => {
      const { rec, sim } = await setup();
      await sim.simulator.injectFault('garbage');
      await rec.waitFor(isStatus('ready'));
      sim.simulator.insertCard(SAMPLE_CARDS.foreign2017);
      const present = await rec.waitFor(isPresent);
      expect(present.identity.cardType).toBe('foreign2017');
      expect(reader!.linkStats()!.garbageBytes).toBeGreaterThan(0);
    });

    it('a truncated answer times out and the link recovers', async () => {
      const { rec, sim } = await setup();
      await rec.waitFor(isStatus('ready'));
      await sim.simulator.injectFault('truncated-frame', { times: 1, command: 'findCard' });
      await sim.simulator.injectFault('truncated-frame', { times: 1, command: 'readBase' });
      sim.simulator.insertCard(SAMPLE_CARDS.hmt);
      const present = await rec.waitFor(isPresent);
      expect(present.identity.cardType).toBe('hmt');
      expect(sim.simulator.snapshot().faults).toEqual([]);
    });

    it('no response → fault no-response; answers again → ready', async () => {
      const { rec, sim } = await setup();
      await rec.waitFor(isStatus('ready'));
      await sim.simulator.injectFault('no-response');
      const fault = await rec.waitFor(isStatus('fault'));
      expect(fault).toMatchObject({ status: { state: 'fault', detail: 'no-response' } });
      await sim.simulator.clearFaults();
      await rec.waitFor(isStatus('ready'));
    });

    it('SAM failure (SW3 60) → fault sam-failure, retried with backoff, ready once fixed', async () => {
      const { rec, sim } = await setup();
      await sim.simulator.injectFault('sam-failure');
      const fault = await rec.waitFor(isStatus('fault'));
      expect(fault).toMatchObject({ status: { state: 'fault', detail: 'sam-failure', retryInMs: 50 } });
      await rec.waitFor(
        (e) => e.type === 'status' && e.status.state === 'fault' && e.status.retryInMs === 100,
      );
      // The driver tried a SAM reset (10 FF) before giving up.
      expect(sim.simulator.snapshot().recentCommands).toContain('resetSam');
      await sim.simulator.clearFaults();
      await rec.waitFor(isStatus('ready'));
      sim.simulator.insertCard(SAMPLE_CARDS.resident);
      await rec.waitFor(isPresent);
    });

    it('a card that cannot be read is reported once, then read after it is re-seated', async () => {
      const { rec, sim } = await setup();
      await rec.waitFor(isStatus('ready'));
      await sim.simulator.injectFault('card-read-failed');
      sim.simulator.insertCard(SAMPLE_CARDS.resident);
      expect(await rec.waitFor((e) => e.type === 'card-error')).toEqual({
        type: 'card-error',
        reason: 'read-failed',
      });
      await new Promise((r) => setTimeout(r, 200));
      expect(rec.count('card-error')).toBe(1);
      await sim.simulator.clearFaults();
      sim.simulator.removeCard();
      sim.simulator.insertCard(SAMPLE_CARDS.resident);
      await rec.waitFor(isPresent);
    });

    it('port vanishes → disconnected (card-removed first); plugged back → ready and reading', async () => {
      const { rec, sim } = await setup({ card: SAMPLE_CARDS.resident });
      await rec.waitFor(isPresent);
      await sim.simulator.injectFault('port-vanish');
      const gone = await rec.waitFor(isStatus('disconnected'));
      // The first retry after a working session starts again at the initial backoff.
      expect(gone).toMatchObject({ status: { state: 'disconnected', reason: 'port-closed', retryInMs: 50 } });
      const removedAt = rec.events.findIndex((e) => e.type === 'card-removed');
      expect(removedAt).toBeGreaterThan(-1);
      expect(removedAt).toBeLessThan(rec.events.indexOf(gone));
      // While unplugged, reopening fails and the delay grows.
      await rec.waitFor(
        (e) =>
          e.type === 'status' &&
          e.status.state === 'disconnected' &&
          e.status.reason === 'open-failed' &&
          e.status.retryInMs >= 100,
      );
      await sim.simulator.clearFaults();
      await rec.waitFor(isStatus('ready'));
      sim.simulator.removeCard();
      sim.simulator.insertCard(SAMPLE_CARDS.foreign2023);
      const again = await rec.waitFor(isPresent);
      expect(again.identity.cardType).toBe('foreign2023');
    });

    it('a throwing listener does not stop the reader', async () => {
      const { rec, sim, reader } = await setup();
      reader.subscribe(() => {
        throw new Error('consumer bug');
      });
      await rec.waitFor(isStatus('ready'));
      sim.simulator.insertCard(SAMPLE_CARDS.resident);
      await rec.waitFor(isPresent);
    });
  });

  it('stop() ends polling and closes the port', async () => {
    const { rec, sim, reader } = await setup();
    await rec.waitFor(isStatus('ready'));
    await reader.stop();
    expect(reader.status()).toEqual({ state: 'stopped' });
    // A request already in the pty when stop() was called may still arrive; nothing after that.
    await new Promise((r) => setTimeout(r, 50));
    const before = sim.simulator.snapshot().requests;
    await new Promise((r) => setTimeout(r, 150));
    expect(sim.simulator.snapshot().requests).toBe(before);
  });
});
