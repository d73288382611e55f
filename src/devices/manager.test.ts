/**
 * The device manager against the built-in simulators over their real transports (pty, TCP, HTTP):
 * the same path a kiosk started with defaults takes.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceStatus } from '../shared/index.js';
import * as idcard from './idcard/index.js';
import { createDeviceManager, printerDeviceState, type DeviceFault, type DeviceManager } from './manager.js';

const logger = pino({ level: 'silent' });
let manager: DeviceManager | null = null;
afterEach(async () => {
  await manager?.close();
  manager = null;
});

async function waitFor<T>(get: () => T | undefined, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const allSim = {
  idcard: 'sim:',
  printer: 'sim:',
  ticketPrinter: 'sim:',
  scanner: 'sim:',
  codeReader: 'sim:',
};
const state = (m: DeviceManager, kind: DeviceStatus['kind']) => m.statuses().find((s) => s.kind === kind)!;

describe('device manager', () => {
  it('opens every simulator, reports card events, printer faults and recovery', async () => {
    const m = (manager = createDeviceManager({
      uris: allSim,
      mode: 'development',
      logger,
      printerPollMs: 100,
    }));
    const faults: DeviceFault[] = [];
    m.onFault((f) => faults.push(f));
    const cards: string[] = [];
    m.onCard((e) => cards.push(e.type));
    await m.start();
    await waitFor(() => (m.statuses().every((s) => s.state === 'simulated') ? true : undefined));

    const sims = m.simulators();
    expect(sims.idcard && sims.printer && sims.ticketPrinter && sims.scanner && sims.codeReader).toBeTruthy();
    expect(sims.idcard!.insertCard(idcard.SAMPLE_CARDS.resident).ok).toBe(true);
    await waitFor(() => (cards.includes('card-present') ? true : undefined));
    sims.idcard!.removeCard();
    await waitFor(() => (cards.includes('card-removed') ? true : undefined));

    sims.printer!.setStatus('paper-out');
    await waitFor(() => (state(m, 'printer').state === 'fault' ? true : undefined));
    expect(state(m, 'printer')).toMatchObject({ state: 'fault', detail: 'paper-out' });
    expect(faults.map((f) => f.kind)).toContain('printer');
    expect(m.healthSummary()).toEqual([{ kind: 'printer', state: 'fault', detail: 'paper-out' }]);
    sims.printer!.setStatus('paper-near-end');
    await waitFor(() => (state(m, 'printer').state === 'warning' ? true : undefined));
    sims.printer!.setStatus('ready');
    await waitFor(() => (state(m, 'printer').state === 'simulated' ? true : undefined));

    const codes: string[] = [];
    m.onCode((c) => codes.push(c));
    sims.codeReader!.scan('ZZQ:abc');
    expect(codes).toEqual(['ZZQ:abc']);
  }, 30_000);

  it('reports bad addresses and refused simulators as faults, and reconfigures a device', async () => {
    const m = (manager = createDeviceManager({
      uris: {
        idcard: 'sim:',
        printer: 'tcp://127.0.0.1:1',
        ticketPrinter: 'none',
        scanner: 'bogus:x',
        codeReader: 'none',
      },
      mode: 'production',
      logger,
      printerPollMs: null,
    }));
    await m.start();
    expect(state(m, 'idcard')).toMatchObject({ state: 'fault' });
    expect(state(m, 'idcard')).toHaveProperty('detail', expect.stringMatching(/production/));
    expect(state(m, 'printer').state).toBe('disconnected');
    expect(state(m, 'ticketPrinter').state).toBe('not-configured');
    expect(state(m, 'scanner')).toMatchObject({ state: 'fault' });
    await m.reconfigure('scanner', 'none');
    expect(state(m, 'scanner')).toEqual({ kind: 'scanner', uri: 'none', state: 'not-configured' });
    expect(m.uri('scanner')).toBe('none');
  }, 20_000);

  it('maps printer reports to device states', () => {
    const at = new Date();
    expect(
      printerDeviceState({ source: 'printer', status: 'ready', detail: '', conditions: [], at }, false),
    ).toEqual({ state: 'ready' });
    expect(
      printerDeviceState({ source: 'printer', status: 'cover-open', detail: '', conditions: [], at }, true),
    ).toEqual({ state: 'fault', detail: 'cover-open' });
    expect(printerDeviceState({ source: 'unverified', status: 'ready', detail: '', at }, false)).toEqual({
      state: 'ready',
    });
    expect(
      printerDeviceState({ source: 'not-configured', status: 'offline', detail: '', at }, false),
    ).toEqual({ state: 'not-configured' });
  });
});

describe('device manager: card on the reader and reconfiguration', () => {
  it('remembers the card on the reader until it is removed, and announces an address change', async () => {
    const m = (manager = createDeviceManager({
      uris: {
        idcard: 'sim:?timing=fast',
        printer: 'none',
        ticketPrinter: 'none',
        scanner: 'none',
        codeReader: 'none',
      },
      mode: 'development',
      logger,
    }));
    await m.start();
    await waitFor(() => (state(m, 'idcard').state === 'simulated' ? true : undefined));
    m.simulators().idcard!.insertCard(idcard.SAMPLE_CARDS.resident);
    const card = await waitFor(() => m.currentCard() ?? undefined);
    expect(card.identity.cardType).toBe('resident');
    m.simulators().idcard!.removeCard();
    await waitFor(() => (m.currentCard() === null ? true : undefined));
    const seen: DeviceStatus[] = [];
    m.onStatus((s) => seen.push(s));
    await m.reconfigure('idcard', 'serial:/dev/does-not-exist');
    expect(seen[0]).toMatchObject({
      kind: 'idcard',
      uri: 'serial:/dev/does-not-exist',
      state: 'disconnected',
    });
  }, 20_000);
});
