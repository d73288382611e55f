import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPtyPair, type PtyPair } from '../pty-pair.js';
import { createCodeReader, createLineDecoder, type CodeReaderEvent, type RawSource } from './reader.js';

const logger = pino({ level: 'silent' });
let dir: string;
let pair: PtyPair | null = null;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-code-'));
});
afterEach(async () => {
  await pair?.close();
  pair = null;
  rmSync(dir, { recursive: true, force: true });
});

async function waitFor<T>(get: () => T | undefined, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('line decoder', () => {
  it('splits on CR, LF and CRLF, across chunks, and drops control bytes', () => {
    const d = createLineDecoder();
    expect(d(Buffer.from('R2026-00'))).toEqual([]);
    expect(d(Buffer.from('01\r\nZZQ:abc\n\x00\x07\r'))).toEqual(['R2026-0001', 'ZZQ:abc']);
  });
});

describe('code reader', () => {
  it('reads codes from a serial-mode reader over a real pty and reconnects after an unplug', async () => {
    const links = [join(dir, 'reader'), join(dir, 'host')] as const;
    const opened = await openPtyPair(links);
    if (!opened.ok) throw new Error(opened.error);
    pair = opened.value;
    const r = await createCodeReader({
      uri: `serial:${links[1]}?baud=9600`,
      mode: 'production',
      logger,
      backoffMs: { initial: 100, max: 400 },
    });
    if (!r.ok) throw new Error(r.error);
    const events: CodeReaderEvent[] = [];
    r.value.subscribe((e) => events.push(e));
    await waitFor(() => (r.value.state().state === 'ready' ? true : undefined));
    writeFileSync(links[0], 'https://kiosk.local/p?r=R20261126-0001\r\n');
    const code = await waitFor(() => events.find((e) => e.type === 'code'));
    expect(code).toEqual({ type: 'code', code: 'https://kiosk.local/p?r=R20261126-0001' });

    await pair.close(); // the reader is unplugged
    pair = null;
    await waitFor(() => (r.value.state().state === 'disconnected' ? true : undefined));
    const again = await openPtyPair(links);
    if (!again.ok) throw new Error(again.error);
    pair = again.value;
    await waitFor(() => (r.value.state().state === 'ready' ? true : undefined));
    writeFileSync(links[0], 'ZZQ:second\n');
    await waitFor(() => events.find((e) => e.type === 'code' && e.code === 'ZZQ:second'));
    await r.value.close();
  });

  it('decodes HID boot-keyboard reports and survives the device going away', async () => {
    let dataCb: (c: Uint8Array) => void = () => undefined;
    let errorCb: (e: Error) => void = () => undefined;
    let opens = 0;
    const source: RawSource = {
      onData: (cb) => (dataCb = cb),
      onError: (cb) => (errorCb = cb),
      close: () => Promise.resolve(),
    };
    const r = await createCodeReader({
      uri: 'hid:0483:5750',
      mode: 'production',
      logger,
      openHid: (vid, pid) => {
        expect([vid, pid]).toEqual([0x0483, 0x5750]);
        opens++;
        return opens === 1 ? Promise.reject(new Error('no such device')) : Promise.resolve(source);
      },
      backoffMs: { initial: 20, max: 40 },
    });
    if (!r.ok) throw new Error(r.error);
    const codes: string[] = [];
    r.value.subscribe((e) => e.type === 'code' && codes.push(e.code));
    await waitFor(() => (r.value.state().state === 'ready' ? true : undefined));
    expect(opens).toBe(2);
    for (const key of [0x1e, 0x1f, 0x28]) {
      dataCb(Uint8Array.of(0, 0, key, 0, 0, 0, 0, 0));
      dataCb(new Uint8Array(8));
    }
    expect(codes).toEqual(['12']);
    errorCb(new Error('unplugged'));
    expect(r.value.state().state).toBe('disconnected');
    await waitFor(() => (r.value.state().state === 'ready' ? true : undefined));
    await r.value.close();
  });

  it('refuses the simulator in production and other schemes', async () => {
    expect((await createCodeReader({ uri: 'sim:', mode: 'production', logger })).ok).toBe(false);
    expect((await createCodeReader({ uri: 'tcp://127.0.0.1:1', mode: 'development', logger })).ok).toBe(
      false,
    );
    const sim = await createCodeReader({ uri: 'sim:', mode: 'development', logger });
    if (!sim.ok) throw new Error(sim.error);
    const codes: string[] = [];
    sim.value.subscribe((e) => e.type === 'code' && codes.push(e.code));
    sim.value.simulator?.scan('ZZQ:1');
    expect(codes).toEqual(['ZZQ:1']);
    expect(sim.value.state()).toEqual({ state: 'simulated' });
  });
});
