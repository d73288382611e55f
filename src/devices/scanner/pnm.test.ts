import { describe, expect, it } from 'vitest';
import { decodePnm } from './pnm.js';
import { testPicture } from './test-kit.js';

function header(buf: Buffer): { magic: string; width: number; height: number } {
  const text = buf
    .subarray(0, 64)
    .toString('latin1')
    .replace(/#[^\n]*\n/g, '');
  const [magic = '', w = '0', h = '0'] = text.split(/\s+/);
  return { magic, width: Number(w), height: Number(h) };
}

describe('decodePnm (scanimage --format=pnm, test backend)', () => {
  it('decodes P5 greyscale with the SANE comment in the header', () => {
    const pnm = testPicture('Grid', { format: 'pnm' });
    expect(pnm.subarray(0, 64).toString('latin1')).toContain('# SANE');
    const h = header(pnm);
    expect(h.magic).toBe('P5');
    const r = decodePnm(pnm);
    if (!r.ok) throw new Error(r.error);
    expect(r.value).toMatchObject({ width: h.width, height: h.height, channels: 1 });
    expect(r.value.data.length).toBe(h.width * h.height);
    expect(r.value.data.includes(0)).toBe(true);
    expect(r.value.data.includes(255)).toBe(true);
  });

  it('decodes P6 colour', () => {
    const r = decodePnm(testPicture('Color pattern', { format: 'pnm', mode: 'Color' }));
    if (!r.ok) throw new Error(r.error);
    expect(r.value.channels).toBe(3);
    expect(r.value.data.length).toBe(r.value.width * r.value.height * 3);
  });

  it('decodes P4 (1 bit) to the same picture as P5', () => {
    const bits = decodePnm(testPicture('Grid', { format: 'pnm', depth: 1 }));
    const grey = decodePnm(testPicture('Grid', { format: 'pnm', depth: 8 }));
    if (!bits.ok || !grey.ok) throw new Error('decode failed');
    expect(header(testPicture('Grid', { format: 'pnm', depth: 1 })).magic).toBe('P4');
    expect([bits.value.width, bits.value.height]).toEqual([grey.value.width, grey.value.height]);
    expect(new Set(bits.value.data)).toEqual(new Set([0, 255]));
    let differ = 0;
    for (let i = 0; i < grey.value.data.length; i++)
      if ((grey.value.data[i]! < 128 ? 0 : 255) !== bits.value.data[i]) differ++;
    expect(differ / grey.value.data.length).toBeLessThan(0.01);
  });

  it('scales 16-bit samples (maxval 65535, big-endian) to 8 bits', () => {
    // The Grid is the same picture at every depth (the colour pattern is not).
    const wide = decodePnm(testPicture('Grid', { format: 'pnm', depth: 16 }));
    const narrow = decodePnm(testPicture('Grid', { format: 'pnm', depth: 8 }));
    if (!wide.ok || !narrow.ok) throw new Error('decode failed');
    expect(wide.value.data.length).toBe(narrow.value.data.length);
    let maxDiff = 0;
    for (let i = 0; i < wide.value.data.length; i++)
      maxDiff = Math.max(maxDiff, Math.abs(wide.value.data[i]! - narrow.value.data[i]!));
    expect(maxDiff).toBeLessThanOrEqual(1);
  });

  it('reads two-byte samples big-endian and scales by maxval', () => {
    const be = decodePnm(
      Buffer.concat([Buffer.from('P5\n2 1\n65535\n'), Buffer.from([0x12, 0x34, 0xff, 0x00])]),
    );
    if (!be.ok) throw new Error(be.error);
    expect([...be.value.data]).toEqual([
      Math.round((0x1234 * 255) / 65535),
      Math.round((0xff00 * 255) / 65535),
    ]);
    const tenBit = decodePnm(
      Buffer.concat([Buffer.from('P5\n2 1\n1023\n'), Buffer.from([0x03, 0xff, 0x02, 0x00])]),
    );
    if (!tenBit.ok) throw new Error(tenBit.error);
    expect([...tenBit.value.data]).toEqual([255, 128]);
  });

  it.each([
    ['truncated pixels', Buffer.concat([Buffer.from('P5\n10 10\n255\n'), Buffer.alloc(50)])],
    ['ASCII PNM', Buffer.from('P3\n1 1\n255\n0 0 0\n')],
    ['no size', Buffer.from('P5\nxx\n')],
    ['zero width', Buffer.from('P5\n0 10\n255\n')],
    ['maxval too big', Buffer.from('P5\n1 1\n70000\n\0\0')],
    ['not PNM', Buffer.from('hello')],
  ])('refuses %s with a message', (_name, buf) => {
    const r = decodePnm(buf);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/PNM/);
  });
});
