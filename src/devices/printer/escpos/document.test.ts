import { describe, expect, it } from 'vitest';
import { encodeDocument, layoutDocument, type PrintDocument } from './document.js';
import { textColumns } from './gb18030.js';

const buf = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.length);
const seq = (...bytes: number[]): Buffer => Buffer.from(bytes);

describe('encodeDocument', () => {
  it('starts with ESC @ and FS & (Chinese mode) and ends with the cut', () => {
    const bytes = buf(
      encodeDocument(
        {
          blocks: [
            { kind: 'text', text: 'hi' },
            { kind: 'cut', cut: 'partial', feedLines: 4 },
          ],
        },
        { paperWidth: 80 },
      ),
    );
    expect(bytes.subarray(0, 4)).toEqual(seq(0x1b, 0x40, 0x1c, 0x26));
    expect(bytes.subarray(4)).toEqual(seq(0x68, 0x69, 0x0a, 0x1d, 0x56, 0x42, 0x04));
  });

  it('prints ¥ as full-width ￥ (A3 A4), never the four-byte 81 30 84 36', () => {
    const bytes = buf(encodeDocument({ blocks: [{ kind: 'text', text: '收费 ¥0.00' }] }, { paperWidth: 58 }));
    expect(bytes.includes(seq(0xa3, 0xa4))).toBe(true);
    expect(bytes.includes(seq(0x81, 0x30, 0x84, 0x36))).toBe(false);
  });

  it('prints a line with a four-byte character (𠮷) as a full-width raster image, not text', () => {
    for (const [paperWidth, bytesPerRow] of [
      [80, 72],
      [58, 48],
    ] as const) {
      const bytes = buf(
        encodeDocument(
          {
            blocks: [
              { kind: 'text', text: '申请人 𠮷*三' },
              { kind: 'text', text: '普通行' },
            ],
          },
          { paperWidth },
        ),
      );
      const at = bytes.indexOf(seq(0x1d, 0x76, 0x30, 0x00));
      expect(at).toBeGreaterThan(0);
      // xL xH = bytes per row, yL yH = 30 dot rows (24-dot glyph band + 6 dots of line spacing)
      expect(bytes.subarray(at + 4, at + 8)).toEqual(seq(bytesPerRow, 0, 30, 0));
      const image = bytes.subarray(at + 8, at + 8 + bytesPerRow * 30);
      const black = image.reduce((n, b) => n + (b.toString(2).match(/1/g)?.length ?? 0), 0);
      expect(black).toBeGreaterThan(100); // the glyphs are really drawn
      expect(bytes.includes(seq(0x95, 0x34, 0xb2, 0x35))).toBe(false); // 𠮷 in GB18030
      expect(bytes.includes(Buffer.from('申请人', 'latin1'))).toBe(false);
      // the next, ordinary line is still text
      expect(bytes.includes(seq(0xc6, 0xd5, 0xcd, 0xa8, 0xd0, 0xd0, 0x0a))).toBe(true); // 普通行 LF
    }
  });

  it('sets size and bold only when they change, alignment at the start of lines', () => {
    const doc: PrintDocument = {
      blocks: [
        { kind: 'text', text: 'A005', align: 'center', bold: true, size: { width: 2, height: 2 } },
        { kind: 'text', text: 'next', align: 'center', bold: true, size: { width: 2, height: 2 } },
        { kind: 'text', text: 'plain' },
      ],
    };
    const bytes = buf(encodeDocument(doc, { paperWidth: 80 }));
    expect(bytes.subarray(4)).toEqual(
      Buffer.concat([
        seq(0x1b, 0x61, 0x01, 0x1d, 0x21, 0x11, 0x1b, 0x45, 0x01),
        Buffer.from('A005\n'),
        Buffer.from('next\n'),
        seq(0x1b, 0x61, 0x00, 0x1d, 0x21, 0x00, 0x1b, 0x45, 0x00),
        Buffer.from('plain\n'),
      ]),
    );
  });

  it('encodes a QR code with its store length and fits the module size to the paper', () => {
    const url = 'https://zwfw.example.gov.cn/progress/XA202611260001';
    const bytes = buf(
      encodeDocument({ blocks: [{ kind: 'qr', data: url, moduleSize: 16 }] }, { paperWidth: 58 }),
    );
    const store = bytes.indexOf(seq(0x1d, 0x28, 0x6b));
    expect(store).toBeGreaterThan(0);
    const storeAt = bytes.indexOf(seq(0x31, 0x50, 0x30));
    expect(bytes[storeAt - 2]! + bytes[storeAt - 1]! * 256).toBe(url.length + 3);
    expect(bytes.subarray(storeAt + 3, storeAt + 3 + url.length).toString()).toBe(url);
    const sizeAt = bytes.indexOf(seq(0x31, 0x43));
    // version 4 (33 modules) + 8 quiet modules in 384 dots → at most 9 dots per module
    expect(bytes[sizeAt + 2]).toBe(9);
  });

  it('refuses QR payloads no printer can hold (a bug, not a runtime condition)', () => {
    expect(() =>
      encodeDocument({ blocks: [{ kind: 'qr', data: 'x'.repeat(8000) }] }, { paperWidth: 80 }),
    ).toThrow(RangeError);
  });

  it('splits tall images into raster bands of at most 256 rows', () => {
    const image = { widthDots: 16, heightDots: 600, data: new Uint8Array(2 * 600) };
    const bytes = buf(encodeDocument({ blocks: [{ kind: 'image', image }] }, { paperWidth: 58 }));
    const headers: number[] = [];
    for (
      let at = bytes.indexOf(seq(0x1d, 0x76, 0x30));
      at >= 0;
      at = bytes.indexOf(seq(0x1d, 0x76, 0x30), at + 8)
    )
      headers.push(bytes[at + 6]! + bytes[at + 7]! * 256);
    expect(headers).toEqual([256, 256, 88]);
  });
});

describe('layoutDocument', () => {
  it('never produces a line wider than the paper, at any size', () => {
    const long =
      '企业设立登记（有限责任公司）及公章刻制、发票申领、社保登记、公积金缴存登记一件事 Enterprise registration';
    for (const paperWidth of [58, 80] as const) {
      const columns = paperWidth === 58 ? 32 : 48;
      const lines = layoutDocument(
        {
          blocks: [
            { kind: 'text', text: long },
            { kind: 'text', text: long, size: { width: 2, height: 2 } },
            { kind: 'pair', label: '事项名称', value: long },
            { kind: 'rule' },
          ],
        },
        paperWidth,
      );
      for (const l of lines)
        if (l.kind === 'text') expect(textColumns(l.text) * l.size.width).toBeLessThanOrEqual(columns);
    }
  });
});
