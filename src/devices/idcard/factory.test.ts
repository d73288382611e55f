import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createIdCardReader, readIdCardOnce, readOneCard, type IdCardReaderHandle } from './factory.js';
import { FakeIdCardReader } from './fake.js';
import { HID_UNSUPPORTED_MESSAGE } from './hid-transport.js';
import type { IdentityRecord } from './identity.js';
import { SAMPLE_CARDS } from './sim-card.js';
import type { IdCardEvent } from './types.js';

const logger = pino({ level: 'silent' });
let handle: IdCardReaderHandle | null = null;

afterEach(async () => {
  await handle?.close();
  handle = null;
});

describe('createIdCardReader: addresses', () => {
  it.each([
    ['none', 'not-configured'],
    ['bogus', 'bad-address'],
    ['serial:/dev/ttyS0?baud=1234', 'bad-address'],
    ['tcp://10.0.0.5:9100', 'wrong-transport'],
    ['sane:test', 'wrong-transport'],
    ['sim:?card=nobody', 'bad-address'],
    ['sim:?colour=red', 'bad-address'],
    ['sim:?timing=slow', 'bad-address'],
  ])('%s → %s', async (uri, kind) => {
    const r = await createIdCardReader({ uri, mode: 'development', logger });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe(kind);
      expect(r.error.message.length).toBeGreaterThan(10);
    }
  });

  it('refuses sim: in production mode', async () => {
    const r = await createIdCardReader({ uri: 'sim:?card=resident', mode: 'production', logger });
    expect(r).toMatchObject({ ok: false, error: { kind: 'refused' } });
  });

  it('hid: yields the unsupported-transport fault, not a fake reader', async () => {
    const r = await createIdCardReader({ uri: 'hid:0483:5750', mode: 'production', logger });
    if (!r.ok) throw new Error(r.error.message);
    handle = r.value;
    expect(r.value.reader.status()).toEqual({
      state: 'fault',
      detail: 'unsupported-transport',
      message: HID_UNSUPPORTED_MESSAGE,
      retryInMs: null,
    });
    expect(HID_UNSUPPORTED_MESSAGE).toBe(
      "HID readers are not supported: no public framing; use the reader's USB-serial mode",
    );
    expect(r.value.simulator).toBeNull();
  });

  it('sim: in development starts the simulator and connects the real driver over the pty', async () => {
    const r = await createIdCardReader({
      uri: 'sim:?timing=fast',
      mode: 'development',
      logger,
      timing: { pollIntervalMs: 30 },
    });
    if (!r.ok) throw new Error(r.error.message);
    handle = r.value;
    const { reader, simulator } = r.value;
    expect(simulator).not.toBeNull();
    const events: IdCardEvent[] = [];
    reader.subscribe((e) => events.push(e));
    reader.start();
    await vi.waitFor(() => expect(reader.status().state).toBe('ready'), { timeout: 3000 });
    expect(simulator!.insertCard(SAMPLE_CARDS.foreign2017).ok).toBe(true);
    await vi.waitFor(() => expect(events.some((e) => e.type === 'card-present')).toBe(true), {
      timeout: 3000,
    });
    // The driver really spoke the protocol to the simulator.
    expect(simulator!.snapshot().recentCommands).toEqual(
      expect.arrayContaining(['samStatus', 'findCard', 'selectCard', 'readBase']),
    );
    simulator!.removeCard();
    await vi.waitFor(() => expect(events.at(-1)).toEqual({ type: 'card-removed' }), { timeout: 3000 });
  });

  it('close() stops the reader and the simulator, and removes its device path', async () => {
    const r = await createIdCardReader({ uri: 'sim:', mode: 'development', logger });
    if (!r.ok) throw new Error(r.error.message);
    const path = r.value.simulator!.devicePath;
    expect(existsSync(path)).toBe(true);
    r.value.reader.start();
    await vi.waitFor(() => expect(r.value.reader.status().state).toBe('ready'), { timeout: 3000 });
    const snapshot = r.value.simulator!.snapshot();
    expect(snapshot.plugged).toBe(true);
    await r.value.close();
    await r.value.close(); // idempotent
    expect(r.value.reader.status()).toEqual({ state: 'stopped' });
    expect(r.value.simulator!.snapshot().plugged).toBe(false);
    expect(existsSync(path)).toBe(false);
    expect(existsSync(dirname(path))).toBe(false);
  });
});

describe('readIdCardOnce (CLI: idcard read --uri URI)', () => {
  it('reads one card from sim: with the default (realistic) timing and closes everything', async () => {
    const t0 = performance.now();
    const r = await readIdCardOnce({
      uri: 'sim:?card=resident',
      mode: 'development',
      timeoutMs: 5000,
      logger,
    });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const json = JSON.parse(JSON.stringify(r.value)) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining([
        'cardType',
        'name',
        'sex',
        'nation',
        'birthDate',
        'address',
        'idNumber',
        'authority',
        'validFrom',
        'validTo',
      ]),
    );
    expect(json).toMatchObject({
      cardType: 'resident',
      name: '李秀英',
      sex: 'female',
      nation: '汉',
      birthDate: '1949-12-31',
      validTo: '长期',
    });
    // Realistic processing delays: about half a second for find → select → read.
    expect(performance.now() - t0).toBeGreaterThan(350);
  });

  it('no card before the timeout → no-card', async () => {
    const r = await readIdCardOnce({ uri: 'sim:?timing=fast', mode: 'development', timeoutMs: 400, logger });
    expect(r).toMatchObject({ ok: false, error: { kind: 'no-card' } });
  });

  it('a missing serial port → disconnected, with the OS message', async () => {
    const r = await readIdCardOnce({
      uri: 'serial:/nonexistent-idcard-test/ttyUSB0',
      mode: 'production',
      timeoutMs: 300,
      logger,
    });
    expect(r).toMatchObject({ ok: false, error: { kind: 'disconnected' } });
    if (!r.ok) expect(r.error.message).toContain('/nonexistent-idcard-test/ttyUSB0');
  });

  it('hid: fails at once with the unsupported message', async () => {
    const t0 = performance.now();
    const r = await readIdCardOnce({ uri: 'hid:0483:5750', mode: 'production', timeoutMs: 10_000, logger });
    expect(r).toEqual({
      ok: false,
      error: { kind: 'reader-fault', detail: 'unsupported-transport', message: HID_UNSUPPORTED_MESSAGE },
    });
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('sim: in production is refused before anything starts', async () => {
    const r = await readIdCardOnce({
      uri: 'sim:?card=resident',
      mode: 'production',
      timeoutMs: 1000,
      logger,
    });
    expect(r).toMatchObject({ ok: false, error: { kind: 'refused' } });
  });
});

describe('readOneCard over the IdCardReader interface (in-memory fake)', () => {
  const identity: IdentityRecord = {
    cardType: 'resident',
    name: '李秀英',
    sex: 'female',
    nation: '汉',
    nationCode: '01',
    birthDate: '1949-12-31',
    address: '北京市朝阳区示例路1号院2号楼301',
    idNumber: '11010519491231002X',
    authority: '北京市公安局朝阳分局',
    validFrom: '2009-05-12',
    validTo: '长期',
  };

  it('resolves with the first card and starts the reader', async () => {
    const fake = new FakeIdCardReader();
    const pending = readOneCard(fake, { timeoutMs: 1000 });
    expect(fake.isRunning).toBe(true);
    fake.presentCard(identity, { extraAddress: null });
    const r = await pending;
    expect(r.ok && r.value.identity).toEqual(identity);
  });

  it('an invalid card ends the wait with its problems', async () => {
    const fake = new FakeIdCardReader();
    const pending = readOneCard(fake, { timeoutMs: 1000 });
    fake.presentInvalidCard({ cardType: 'resident', problems: [{ field: 'idNumber', problem: 'checksum' }] });
    expect(await pending).toMatchObject({
      ok: false,
      error: { kind: 'invalid-card', invalid: { problems: [{ field: 'idNumber', problem: 'checksum' }] } },
    });
  });

  it('a card error followed by silence reports the card error', async () => {
    const fake = new FakeIdCardReader();
    const pending = readOneCard(fake, { timeoutMs: 100 });
    fake.failCard('authentication-failed');
    expect(await pending).toMatchObject({
      ok: false,
      error: { kind: 'card-error', reason: 'authentication-failed' },
    });
  });

  it('a reader in fault at the timeout reports the fault', async () => {
    const fake = new FakeIdCardReader();
    const pending = readOneCard(fake, { timeoutMs: 100 });
    fake.setStatus({ state: 'fault', detail: 'sam-failure', message: 'SAM', retryInMs: 500 });
    expect(await pending).toMatchObject({
      ok: false,
      error: { kind: 'reader-fault', detail: 'sam-failure' },
    });
  });
});
