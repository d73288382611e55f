import { describe, expect, it } from 'vitest';
import { encodeDocument, type PrintDocument } from '../escpos/document.js';
import { SimulatorCore, simulatedStatusBytes } from './core.js';
import { decodeRealtimeStatus } from '../escpos/status.js';
import { PRINTER_STATUSES } from '../escpos/status.js';

const DOC: PrintDocument = {
  blocks: [
    { kind: 'text', text: '西咸新区政务服务中心', align: 'center', bold: true },
    { kind: 'text', text: 'A005', align: 'center', size: { width: 2, height: 2 } },
    { kind: 'pair', label: '金额', value: '¥12.00' },
    { kind: 'text', text: '申请人 𠮷*三' },
    { kind: 'qr', data: 'https://example.gov.cn/p/1?x=中文' },
    { kind: 'cut', cut: 'partial', feedLines: 3 },
  ],
};

function feedAll(core: SimulatorCore, bytes: Uint8Array, chunk: number): Uint8Array[] {
  const replies: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += chunk)
    core.receive(bytes.subarray(at, at + chunk), (r) => replies.push(r));
  return replies;
}

describe('simulator parser and receipt model', () => {
  it('reads back what the encoder wrote: text with style and alignment, QR payload, raster, cut', () => {
    const core = new SimulatorCore({ paperWidth: 80 });
    feedAll(core, encodeDocument(DOC, { paperWidth: 80 }), 1 << 20);
    const [receipt] = core.receipts();
    expect(receipt).toBeDefined();
    const m = receipt!.model;
    expect(m.cut).toBe('partial');
    expect(m.warnings).toEqual([]);
    expect(m.lines[0]).toMatchObject({
      kind: 'text',
      align: 'center',
      text: '西咸新区政务服务中心',
      runs: [{ bold: true, width: 1, height: 1 }],
    });
    expect(m.lines[1]).toMatchObject({
      kind: 'text',
      align: 'center',
      text: 'A005',
      runs: [{ bold: false, width: 2, height: 2 }],
    });
    expect(m.lines[2]).toMatchObject({ kind: 'text', align: 'left' });
    expect(m.lines[2]!.kind === 'text' && m.lines[2]!.text.endsWith('￥12.00')).toBe(true);
    expect(m.lines[3]).toMatchObject({ kind: 'raster', image: { widthDots: 576, heightDots: 30 } });
    expect(m.lines[4]).toMatchObject({
      kind: 'qr',
      data: 'https://example.gov.cn/p/1?x=中文',
      errorCorrection: 'M',
    });
    expect(m.lines.at(-1)).toEqual({ kind: 'feed', lines: 3 });
  });

  it('gives the same model however the bytes are chunked (1-byte chunks split GB18030 and raster data)', () => {
    const bytes = encodeDocument(DOC, { paperWidth: 80 });
    const whole = new SimulatorCore({ paperWidth: 80 });
    feedAll(whole, bytes, bytes.length);
    for (const chunk of [1, 3, 7, 64]) {
      const core = new SimulatorCore({ paperWidth: 80 });
      feedAll(core, bytes, chunk);
      expect(core.receipts()[0]!.model).toEqual(whole.receipts()[0]!.model);
    }
  });

  it('answers DLE EOT n with 0xx1xx10 bytes that decode back to the scripted status', () => {
    for (const status of PRINTER_STATUSES) {
      const core = new SimulatorCore({ paperWidth: 58 });
      core.setStatus(status);
      const replies = feedAll(
        core,
        Uint8Array.of(0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 3, 0x10, 0x04, 4),
        2,
      );
      const bytes = replies.map((r) => r[0]!);
      expect(bytes).toEqual(simulatedStatusBytes(status, 'overheat'));
      const [printer = 0, offlineCause = 0, error = 0, paper = 0] = bytes;
      expect(decodeRealtimeStatus({ printer, offlineCause, error, paper }).status).toBe(status);
    }
  });

  it('holds job data while out of paper and prints it when paper is loaded', () => {
    const core = new SimulatorCore({ paperWidth: 80 });
    core.setStatus('paper-out');
    const replies = feedAll(core, encodeDocument(DOC, { paperWidth: 80 }), 100);
    expect(replies).toEqual([]);
    expect(core.receipts()).toHaveLength(0);
    core.setStatus('ready');
    expect(core.receipts()).toHaveLength(1);
  });

  it('warns about what a real printer would misprint: four-byte sequences, mid-line alignment, unknown commands', () => {
    const core = new SimulatorCore({ paperWidth: 58 });
    const bad = Buffer.concat([
      Buffer.from([0x1b, 0x40, 0x1c, 0x26]),
      Buffer.from([0x81, 0x30, 0x84, 0x36]), // ¥ as four bytes
      Buffer.from('x'),
      Buffer.from([0x1b, 0x61, 0x01]), // align in mid-line
      Buffer.from([0x0a, 0x1b, 0x7e]), // unknown ESC ~
      Buffer.from([0x1d, 0x56, 0x00]),
    ]);
    feedAll(core, bad, bad.length);
    const m = core.receipts()[0]!.model;
    expect(m.cut).toBe('full');
    expect(m.lines[0]).toMatchObject({ kind: 'text', text: '\ufffdx' });
    expect(m.warnings.join('\n')).toMatch(/four-byte GB18030 sequence 81 30 84 36 \(U\+A5\)/);
    expect(m.warnings.join('\n')).toMatch(/middle of a line/);
    expect(m.warnings.join('\n')).toMatch(/unknown command bytes 1b 7e/);
  });

  it('warns when a text line is wider than the paper', () => {
    const core = new SimulatorCore({ paperWidth: 58 });
    feedAll(core, Buffer.from(`${'x'.repeat(33)}\n\x1dV\x01`, 'latin1'), 64);
    expect(core.receipts()[0]!.model.warnings[0]).toMatch(/wider than the paper/);
  });
});
