/**
 * The simulator speaks the bytes of the protocol reference (docs/devices-idcard.md, "Protocol
 * reference") over a real pty pair (socat). These tests talk to it the way a driver would — through
 * serialport — and compare against that reference's byte tables.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { encodeRequest, encodeResponse, wireTimeMs } from './protocol.js';
import { openSerialTransport } from './serial-transport.js';
import { encodeSimCard, SAMPLE_CARDS } from './sim-card.js';
import { startIdCardSimulator, type RunningIdCardSimulator } from './sim-runtime.js';
import type { ByteTransport } from './transport.js';

const hex = (s: string) => Uint8Array.from(s.split(' ').map((b) => parseInt(b, 16)));
const P = 'aa aa aa 96 69';
const REQ = {
  samStatus: hex(`${P} 00 03 11 ff ed`),
  samId: hex(`${P} 00 03 12 ff ee`),
  find: hex(`${P} 00 03 20 01 22`),
  select: hex(`${P} 00 03 20 02 21`),
  read: hex(`${P} 00 03 30 01 32`),
  extra: hex(`${P} 00 03 30 03 30`),
};

/** Everything the "reader" sends, with arrival times. */
class Wire {
  private bytes: number[] = [];
  lastAt = 0;
  constructor(readonly port: ByteTransport) {
    port.onData((chunk) => {
      this.bytes.push(...chunk);
      this.lastAt = performance.now();
    });
  }
  take(): Uint8Array {
    const out = Uint8Array.from(this.bytes);
    this.bytes = [];
    return out;
  }
  /** Waits until `count` bytes have arrived or `timeoutMs` passed, then lingers so extra bytes show. */
  async received(count: number, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (this.bytes.length < count && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 2));
    await new Promise((r) => setTimeout(r, 15));
  }
  async exchange(
    request: Uint8Array,
    expectBytes: number,
    timeoutMs = 2000,
  ): Promise<{ bytes: Uint8Array; ms: number }> {
    this.take();
    const t0 = performance.now();
    await this.port.write(request);
    const deadline = t0 + timeoutMs;
    while (this.bytes.length < expectBytes && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 2));
    // Linger briefly so an over-long answer would be noticed.
    await new Promise((r) => setTimeout(r, 15));
    return { bytes: this.take(), ms: this.lastAt - t0 };
  }
}

let sim: RunningIdCardSimulator | null = null;
let port: ByteTransport | null = null;

async function setup(
  options: Parameters<typeof startIdCardSimulator>[0] = {},
): Promise<{ sim: RunningIdCardSimulator; wire: Wire }> {
  const started = await startIdCardSimulator({ timing: 'fast', ...options });
  if (!started.ok) throw new Error(started.error);
  sim = started.value;
  const opened = await openSerialTransport({ path: sim.devicePath, baud: options.baud ?? 115200 });
  if (!opened.ok) throw new Error(opened.error);
  port = opened.value;
  return { sim, wire: new Wire(port) };
}

afterEach(async () => {
  await port?.close();
  await sim?.stop();
  port = null;
  sim = null;
});

describe('simulator over a socat pty pair', () => {
  it('creates two /dev/pts devices and a stable device path', async () => {
    const { sim } = await setup();
    const [a, b] = sim.ptyPaths();
    expect(a).toMatch(/^\/dev\/pts\/\d+$/);
    expect(b).toMatch(/^\/dev\/pts\/\d+$/);
    expect(a).not.toBe(b);
    expect(sim.devicePath).toMatch(/idcard-sim-.*\/reader$/);
  });

  it('answers SAM status and SAM id with the reference bytes', async () => {
    const { wire } = await setup();
    expect((await wire.exchange(REQ.samStatus, 11)).bytes).toEqual(hex(`${P} 00 04 00 00 90 94`));
    const id = (await wire.exchange(REQ.samId, 27)).bytes;
    expect(id.length).toBe(27);
    expect([id[5], id[6], id[9]]).toEqual([0x00, 0x14, 0x90]);
  });

  it('without a card: find answers 80 exactly as in the reference', async () => {
    const { wire } = await setup();
    expect((await wire.exchange(REQ.find, 11)).bytes).toEqual(hex(`${P} 00 04 00 00 80 84`));
  });

  it('find → select → read, then the card must leave the field before find succeeds again', async () => {
    const { sim, wire } = await setup({ card: SAMPLE_CARDS.resident });
    expect((await wire.exchange(REQ.find, 15)).bytes).toEqual(hex(`${P} 00 08 00 00 9f 00 00 00 00 97`));
    expect((await wire.exchange(REQ.select, 19)).bytes).toEqual(
      hex(`${P} 00 0c 00 00 90 00 00 00 00 00 00 00 00 9c`),
    );
    const read = (await wire.exchange(REQ.read, 1295)).bytes;
    expect(read.length).toBe(1295);
    expect([read[5], read[6], read[9], read[10], read[11], read[12], read[13]]).toEqual([
      0x05, 0x08, 0x90, 0x01, 0x00, 0x04, 0x00,
    ]);
    const encoded = encodeSimCard(SAMPLE_CARDS.resident);
    if (!encoded.ok) throw new Error(encoded.error);
    expect(read.subarray(14, 270)).toEqual(encoded.value.text);
    expect(read.subarray(270, 1294)).toEqual(encoded.value.photo);

    // Still on the reader: find fails, select fails, but it still answers reads (91: no extra address).
    expect((await wire.exchange(REQ.find, 11)).bytes[9]).toBe(0x80);
    expect((await wire.exchange(REQ.select, 11)).bytes[9]).toBe(0x81);
    expect((await wire.exchange(REQ.extra, 11)).bytes).toEqual(encodeResponse(0x91));
    expect(sim.simulator.snapshot().card).toBe('read');

    sim.simulator.removeCard();
    expect((await wire.exchange(REQ.extra, 11)).bytes[9]).toBe(0x41);
    expect(sim.simulator.insertCard(SAMPLE_CARDS.resident).ok).toBe(true);
    expect((await wire.exchange(REQ.find, 15)).bytes[9]).toBe(0x9f);
  });

  it('select before find fails; read before select fails', async () => {
    const { wire } = await setup({ card: SAMPLE_CARDS.hmt });
    expect((await wire.exchange(REQ.select, 11)).bytes[9]).toBe(0x81);
    expect((await wire.exchange(REQ.read, 11)).bytes[9]).toBe(0x41);
  });

  it('answers the extra-address read with 70 bytes of UCS-2', async () => {
    const { wire } = await setup({ card: SAMPLE_CARDS['resident-rare-name'] });
    await wire.exchange(REQ.find, 15);
    await wire.exchange(REQ.select, 19);
    const extra = (await wire.exchange(REQ.extra, 81)).bytes;
    expect(extra.length).toBe(81);
    expect(Buffer.from(extra.subarray(10, 80)).toString('utf16le').trimEnd()).toBe(
      SAMPLE_CARDS['resident-rare-name'].extraAddress,
    );
  });

  it('takes the wire time of every byte at the configured baud', async () => {
    const { wire } = await setup({ card: SAMPLE_CARDS.resident, baud: 9600 });
    // 10 request bytes + 15 answer bytes at 9600 baud = 26 ms at least.
    const find = await wire.exchange(REQ.find, 15);
    expect(find.ms).toBeGreaterThanOrEqual(wireTimeMs(25, 9600) - 1);
    await wire.exchange(REQ.select, 19);
    const read = await wire.exchange(REQ.read, 1295, 4000);
    expect(read.bytes.length).toBe(1295);
    expect(read.ms).toBeGreaterThanOrEqual(wireTimeMs(1305, 9600) - 1); // ≈ 1.36 s
  });

  it('adds the reader’s processing time with realistic timing', async () => {
    const { wire } = await setup({ card: SAMPLE_CARDS.resident, timing: 'realistic' });
    await wire.exchange(REQ.find, 15);
    await wire.exchange(REQ.select, 19);
    const read = await wire.exchange(REQ.read, 1295);
    expect(read.ms).toBeGreaterThanOrEqual(350 + wireTimeMs(1305, 115200) - 1);
  });

  it('assembles a request written one byte at a time', async () => {
    const { wire } = await setup();
    wire.take();
    for (const b of REQ.samStatus) {
      await wire.port.write(Uint8Array.of(b));
      await new Promise((r) => setTimeout(r, 2));
    }
    // Wait for the whole 11-byte answer (bounded), not a fixed 30 ms: under load the answer can come later.
    await wire.received(11, 2000);
    expect(wire.take()).toEqual(hex(`${P} 00 04 00 00 90 94`));
  });

  it('answers a request with a bad checksum with SW3 10', async () => {
    const { wire } = await setup();
    const bad = REQ.find.slice();
    bad[bad.length - 1] = bad.at(-1)! ^ 1;
    expect((await wire.exchange(bad, 11)).bytes).toEqual(encodeResponse(0x10));
  });

  describe('fault injection', () => {
    it('bad-checksum flips the answer’s CHK (once when asked once)', async () => {
      const { sim, wire } = await setup();
      await sim.simulator.injectFault('bad-checksum', { times: 1 });
      const bad = (await wire.exchange(REQ.samStatus, 11)).bytes;
      expect(bad.subarray(0, 10)).toEqual(hex(`${P} 00 04 00 00 90`));
      expect(bad[10]).not.toBe(0x94);
      expect((await wire.exchange(REQ.samStatus, 11)).bytes[10]).toBe(0x94);
    });

    it('truncated-frame sends half an answer', async () => {
      const { sim, wire } = await setup({ card: SAMPLE_CARDS.resident });
      await sim.simulator.injectFault('truncated-frame', { command: 'readBase' });
      await wire.exchange(REQ.find, 15);
      await wire.exchange(REQ.select, 19);
      expect((await wire.exchange(REQ.read, 1295, 400)).bytes.length).toBe(647);
    });

    it('garbage puts noise before a good answer', async () => {
      const { sim, wire } = await setup({ seed: 7 });
      await sim.simulator.injectFault('garbage');
      const got = (await wire.exchange(REQ.samStatus, 11 + 8, 300)).bytes;
      expect(got.length).toBeGreaterThan(11);
      expect(got.subarray(got.length - 11)).toEqual(hex(`${P} 00 04 00 00 90 94`));
    });

    it('no-response swallows requests until cleared', async () => {
      const { sim, wire } = await setup();
      await sim.simulator.injectFault('no-response');
      expect((await wire.exchange(REQ.samStatus, 1, 150)).bytes.length).toBe(0);
      await sim.simulator.clearFaults();
      expect((await wire.exchange(REQ.samStatus, 11)).bytes).toEqual(hex(`${P} 00 04 00 00 90 94`));
    });

    it('sam-failure answers SW3 60 to every command', async () => {
      const { sim, wire } = await setup({ card: SAMPLE_CARDS.resident });
      await sim.simulator.injectFault('sam-failure');
      for (const r of [REQ.samStatus, REQ.find, REQ.select, REQ.read])
        expect((await wire.exchange(r, 11)).bytes).toEqual(encodeResponse(0x60));
    });

    it('card-read-failed answers the base read with 41 and non-zero SW1/SW2', async () => {
      const { sim, wire } = await setup({ card: SAMPLE_CARDS.resident });
      await sim.simulator.injectFault('card-read-failed', { times: 1 });
      await wire.exchange(REQ.find, 15);
      await wire.exchange(REQ.select, 19);
      const r = (await wire.exchange(REQ.read, 11)).bytes;
      expect([r[7], r[9]]).toEqual([0x6f, 0x41]);
    });

    it('port-vanish kills the pty pair; clearFaults plugs it back under the same path', async () => {
      const { sim, wire } = await setup();
      await sim.simulator.injectFault('port-vanish');
      expect(sim.simulator.snapshot().plugged).toBe(false);
      expect((await wire.port.write(REQ.samStatus)).ok).toBe(false);
      await sim.simulator.clearFaults();
      expect(sim.simulator.snapshot().plugged).toBe(true);
      // (The kernel may hand out the same /dev/pts numbers again; the old port stays dead regardless.)
      expect((await wire.port.write(REQ.samStatus)).ok).toBe(false);
      const again = await openSerialTransport({ path: sim.devicePath, baud: 115200 });
      if (!again.ok) throw new Error(again.error);
      port = again.value;
      const wire2 = new Wire(again.value);
      expect((await wire2.exchange(REQ.samStatus, 11)).bytes).toEqual(hex(`${P} 00 04 00 00 90 94`));
    });
  });

  it('refuses a card whose fields do not fit', async () => {
    const { sim } = await setup();
    const r = sim.simulator.insertCard({ ...SAMPLE_CARDS.resident, name: '名'.repeat(16) });
    expect(r).toEqual({ ok: false, error: 'field name does not fit the card (too-long)' });
    expect(sim.simulator.snapshot().card).toBe('absent');
  });

  it('stop() removes the temporary directory and ends socat', async () => {
    const { sim: s } = await setup();
    const { existsSync } = await import('node:fs');
    const path = s.devicePath;
    await port?.close();
    port = null;
    await s.stop();
    sim = null;
    expect(existsSync(path)).toBe(false);
    expect(existsSync(path.replace(/\/reader$/, ''))).toBe(false);
  });
});

describe('request encoding used by the tests', () => {
  it('matches the driver’s encoder', () => {
    expect(encodeRequest(0x30, 0x03)).toEqual(REQ.extra);
  });
});
