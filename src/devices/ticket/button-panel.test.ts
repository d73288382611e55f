import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { RawSource } from '../code-reader/index.js';
import { createButtonPanel, createPanelDecoder, parsePanelUri } from './button-panel.js';

describe('ticket button panel', () => {
  it('parses the address with its button mapping and refuses bad ones', () => {
    expect(parsePanelUri('hid:1a86:e026?buttons=zzlb,ylsb&reportId=2')).toEqual({
      ok: true,
      value: { vendorId: 0x1a86, productId: 0xe026, buttons: ['zzlb', 'ylsb'], reportId: 2 },
    });
    expect(parsePanelUri('hid:1a86:e026').ok).toBe(false);
    expect(parsePanelUri('hid:1a86:e026?buttons=zzlb,nope').ok).toBe(false);
    expect(parsePanelUri('serial:/dev/ttyS0?buttons=zzlb').ok).toBe(false);
  });

  it('reports each press once, on the edge, across bytes and with a report id', () => {
    const d = createPanelDecoder({
      buttons: ['zzlb', 'gcbj', 'swfw', 'bdcdj', 'ylsb', 'zzlb', 'gcbj', 'swfw', 'ylsb'],
      reportId: 1,
    });
    expect(d(Uint8Array.of(1, 0b0000_0010, 0))).toEqual(['gcbj']);
    expect(d(Uint8Array.of(1, 0b0000_0010, 0))).toEqual([]); // held
    expect(d(Uint8Array.of(1, 0b0001_0010, 0b1))).toEqual(['ylsb', 'ylsb']); // button 4 and button 8
    expect(d(Uint8Array.of(2, 0xff, 0xff))).toEqual([]); // another report id
    expect(d(Uint8Array.of(1, 0, 0))).toEqual([]);
    expect(d(Uint8Array.of(1, 0b10, 0))).toEqual(['gcbj']); // released and pressed again
    expect(d(new Uint8Array(0))).toEqual([]);
  });

  it('delivers presses from the HID source as window categories', async () => {
    let data: (c: Uint8Array) => void = () => undefined;
    const source: RawSource = {
      onData: (cb) => (data = cb),
      onError: () => undefined,
      close: () => Promise.resolve(),
    };
    const panel = createButtonPanel({
      uri: 'hid:1a86:e026?buttons=zzlb,ylsb',
      logger: pino({ level: 'silent' }),
      openHid: () => Promise.resolve(source),
    });
    if (!panel.ok) throw new Error(panel.error);
    const presses: string[] = [];
    panel.value.onPress((w) => presses.push(w));
    for (let i = 0; i < 50 && panel.value.handle.state().state !== 'ready'; i++)
      await new Promise((r) => setTimeout(r, 10));
    data(Uint8Array.of(0b10));
    data(Uint8Array.of(0));
    data(Uint8Array.of(0b01));
    expect(presses).toEqual(['ylsb', 'zzlb']);
    await panel.value.handle.close();
  });
});
