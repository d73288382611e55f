/**
 * Receipt printer encoding: bytes on the wire and encode time (median) for the standard application
 * receipt (80 mm, zh, native QR), side by side with `receiptline` producing the same receipt
 * (`transform(doc, { command: 'escpos', encoding: 'gb18030', cpl: 48 })`). Also: the cost of a line
 * with a four-byte character (raster), and how many four-byte sequences each one puts on the wire.
 */
import { transform } from 'receiptline';
import {
  applicationReceipt,
  encodeDocument,
  type ApplicationReceiptInput,
} from '../src/devices/printer/index.js';
import { sampleApplicationReceipt } from '../src/devices/printer/templates/fixtures.js';
import { median, timeMs, type BenchResult, type BenchSuite } from './harness.js';

const RUNS = 200;
const RECEIPTLINE = { command: 'escpos', encoding: 'gb18030', cpl: 48 } as const;

/** Escapes receiptline's special characters in text (its README, "Special characters in text"). */
function rl(text: string): string {
  return text.replace(/[\\|{}~_"`^]/g, '\\$&');
}

/** The same receipt in receiptline markup: centred title, label | value rows, QR, notice, cut. */
function receiptlineDoc(input: ApplicationReceiptInput): string {
  const materials = input.materials.map(
    (m, i) => `|${rl(`${i + 1}. ${m.name}`)} | ${m.kind === 'scanned' ? `${m.pages} 页` : '已调用电子证照'}|`,
  );
  const delivery =
    input.delivery.method === 'ems'
      ? ['取件方式 | EMS 免费邮寄', `邮寄地址 | ${rl(input.delivery.addressMasked)}`]
      : ['取件方式 | 窗口领取'];
  return [
    `"${rl(input.hallName)}"`,
    `^^^${rl('收件材料接收凭证')}`,
    '---',
    `"办件编号 | ${rl(input.receiptNo)}"`,
    `事项名称 | ${rl(input.itemName)}`,
    `申请人 | ${rl(input.applicantMasked)}`,
    '提交时间 | 2026-11-26 14:05',
    `承诺办结 | ${input.promisedDate}`,
    '---',
    `|"已收材料（共 ${input.materials.length} 项）"`,
    ...materials,
    '---',
    ...delivery,
    `咨询电话 | ${rl(input.hallPhone)}`,
    '',
    `{code:${input.progressQr.replace(/[\\|{};]/g, '\\$&')}; option:qrcode,6,m}`,
    '扫码查询办理进度',
    '---',
    '|请妥善保管本凭证。扫描二维码或凭办件编号可查询办理进度；如需补正材料，可在任一自助终端或网上办理，无需再跑一趟。',
    '=',
  ].join('\n');
}

function count(haystack: Buffer, needle: Buffer): number {
  let n = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) n++;
  return n;
}

/** GB18030 four-byte sequences of ¥ and 𠮷: each one is a misprinted character on a real printer. */
function fourByteSequences(bytes: Buffer): number {
  return (
    count(bytes, Buffer.from([0x81, 0x30, 0x84, 0x36])) + count(bytes, Buffer.from([0x95, 0x34, 0xb2, 0x35]))
  );
}

async function medianMs(fn: () => void): Promise<number> {
  for (let i = 0; i < 10; i++) fn(); // warm-up (JIT, caches)
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await timeMs(fn));
  return median(times);
}

export const printerSuite: BenchSuite = {
  name: 'printer',
  async run(): Promise<BenchResult[]> {
    const input = sampleApplicationReceipt();
    const doc = applicationReceipt(input);
    const markup = receiptlineDoc(input);
    const ours = Buffer.from(encodeDocument(doc, { paperWidth: 80 }));
    const theirs = Buffer.from(transform(markup, RECEIPTLINE), 'latin1');

    const rare = sampleApplicationReceipt({ applicantMasked: '𠮷*三', hallPhone: '029-12345678 (¥0 免费)' });
    const rareDoc = applicationReceipt(rare);
    const rareMarkup = receiptlineDoc(rare);
    let rareOurs = Buffer.alloc(0);
    const coldMs = await timeMs(() => {
      rareOurs = Buffer.from(encodeDocument(rareDoc, { paperWidth: 80 }));
    });
    const rareTheirs = Buffer.from(transform(rareMarkup, RECEIPTLINE), 'latin1');

    const note = 'standard application receipt, 80 mm, zh, QR';
    return [
      { name: 'printer receipt bytes (ours)', value: ours.length, unit: 'B', note },
      {
        name: 'printer receipt bytes (receiptline)',
        value: theirs.length,
        unit: 'B',
        note: `${note}; same content`,
      },
      {
        name: 'printer receipt encode (ours)',
        value: await medianMs(() => encodeDocument(doc, { paperWidth: 80 })),
        unit: 'ms',
        note: `median of ${RUNS}`,
      },
      {
        name: 'printer receipt encode (receiptline)',
        value: await medianMs(() => transform(markup, RECEIPTLINE)),
        unit: 'ms',
        note: `median of ${RUNS}`,
      },
      {
        name: 'printer rare-char receipt encode, first (ours)',
        value: coldMs,
        unit: 'ms',
        note: '𠮷 line → raster; includes drawing its glyphs once',
      },
      {
        name: 'printer rare-char receipt encode (ours)',
        value: await medianMs(() => encodeDocument(rareDoc, { paperWidth: 80 })),
        unit: 'ms',
        note: `median of ${RUNS}, glyphs cached; ${rareOurs.length} B`,
      },
      {
        name: 'printer four-byte sequences (ours)',
        value: fourByteSequences(rareOurs),
        unit: 'count',
        note: '¥ and 𠮷 on the wire = misprints',
      },
      {
        name: 'printer four-byte sequences (receiptline)',
        value: fourByteSequences(rareTheirs),
        unit: 'count',
        note: `same receipt; ${rareTheirs.length} B`,
      },
    ];
  },
};
