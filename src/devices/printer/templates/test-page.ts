/**
 * Technician test page: identifies the kiosk and printer, prints every kind of content the receipts
 * use (Chinese, full-width ￥, a four-byte character as raster, sizes, bold, alignment, a column ruler,
 * a QR code) and the status read just before printing.
 */
import type { PrintDocument } from '../escpos/document.js';
import { PAPER, type PaperWidth } from '../escpos/layout.js';
import type { PrinterStatus } from '../escpos/status.js';
import { DEFAULT_TIME_ZONE, formatDateTime } from './format.js';

export type TestPageInput = {
  address: string;
  paperWidth: PaperWidth;
  status: { status: PrinterStatus; detail: string };
  printedAt: Date;
  kioskId?: string;
  timeZone?: string;
};

export function testPage(input: TestPageInput): PrintDocument {
  const paper = PAPER[input.paperWidth];
  const ruler = '1234567890'.repeat(Math.ceil(paper.columns / 10)).slice(0, paper.columns);
  const when = formatDateTime(input.printedAt, input.timeZone ?? DEFAULT_TIME_ZONE);
  return {
    blocks: [
      { kind: 'text', text: '政务服务自助终端', align: 'center', bold: true, size: { width: 2, height: 2 } },
      { kind: 'text', text: '打印机测试页 Printer test page', align: 'center' },
      { kind: 'rule', char: '=' },
      { kind: 'pair', label: '终端 Kiosk', value: input.kioskId ?? '-' },
      { kind: 'pair', label: '地址 Address', value: input.address },
      { kind: 'pair', label: '纸宽 Paper', value: `${paper.mm}mm ${paper.dots}dots ${paper.columns}cols` },
      { kind: 'pair', label: '状态 Status', value: input.status.status },
      { kind: 'text', text: input.status.detail },
      { kind: 'pair', label: '时间 Time', value: when },
      { kind: 'rule' },
      { kind: 'text', text: ruler },
      { kind: 'text', text: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789' },
      { kind: 'text', text: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~' },
      { kind: 'text', text: '中文：政务服务 一网通办 最多跑一次 好差评' },
      { kind: 'text', text: '全角：，。、；：？！（）【】《》“”……' },
      { kind: 'text', text: '人民币 RMB：¥128.00（印作全角 ¥）' },
      { kind: 'text', text: '生僻字（光栅打印）：𠮷 𠮷田 𡈽' },
      { kind: 'text', text: '倍宽 Wide', size: { width: 2, height: 1 } },
      { kind: 'text', text: '倍高 Tall', size: { width: 1, height: 2 } },
      { kind: 'text', text: '倍宽倍高 2x2', size: { width: 2, height: 2 } },
      { kind: 'text', text: '加粗 Bold', bold: true },
      { kind: 'text', text: '居左 Left', align: 'left' },
      { kind: 'text', text: '居中 Centre', align: 'center' },
      { kind: 'text', text: '居右 Right', align: 'right' },
      { kind: 'rule' },
      {
        kind: 'qr',
        data: `ZIZHU-PRINTER-TEST ${input.address} ${input.printedAt.toISOString()}`,
        moduleSize: 5,
        errorCorrection: 'M',
        align: 'center',
      },
      { kind: 'feed', lines: 1 }, // quiet zone below the symbol
      { kind: 'text', text: '扫码应显示打印机地址和时间 / scan: address and time', align: 'center' },
      { kind: 'cut', cut: 'partial', feedLines: 4 },
    ],
  };
}
