import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import {
  applicationPdfInputSchema,
  renderApplicationPdf,
  type ApplicationPdfInput,
} from './application-pdf.js';

const work = mkdtempSync(join(tmpdir(), 'application-pdf-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A grey page with a dark frame and stripes, so a rendered sample shows where the image went. */
async function scanPage(
  width: number,
  height: number,
  shade: number,
): Promise<ApplicationPdfInput['materials'][number]['pages'][number]> {
  const pixels = Buffer.alloc(width * height * 3, shade);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const edge = x < 8 || y < 8 || x >= width - 8 || y >= height - 8;
      if (edge || (x + y) % 97 < 3) pixels.fill(40, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  const jpeg = await sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 70 })
    .toBuffer();
  return { jpeg, width, height, sha256: createHash('sha256').update(jpeg).digest('hex') };
}

let pages: ApplicationPdfInput['materials'][number]['pages'] = [];
beforeAll(async () => {
  pages = [await scanPage(856, 540, 215), await scanPage(856, 540, 225), await scanPage(620, 877, 235)];
});

function sample(overrides: Partial<ApplicationPdfInput> = {}): ApplicationPdfInput {
  const [front, back, licence] = pages;
  if (front === undefined || back === undefined || licence === undefined)
    throw new Error('fixtures not ready');
  return {
    lang: 'zh',
    hallName: '西咸新区政务服务中心',
    receiptNo: 'R20260302-0007',
    itemName: '个体工商户设立登记',
    itemCode: '610100-XK-0042',
    department: '西咸新区行政审批与政务服务局',
    caseType: 'promised',
    submittedAt: new Date('2026-03-02T01:28:05Z'),
    promisedDate: '2026-03-09',
    timeZone: 'Asia/Shanghai',
    applicant: { name: '吉𠮷祥', idNumber: '61010419900307123X' },
    helper: { name: '王帮办', idNumber: '610104198501011234' },
    form: [
      { label: '个体工商户名称', value: '西咸新区沣东新城𠮷祥小吃店' },
      { label: '经营场所', value: '陕西省西咸新区沣东新城三桥街道天章大道 88 号 1 幢 1 层 101 室' },
      { label: '经营范围', value: '餐饮服务（不含网络食品销售）；食品销售（仅销售预包装食品）；'.repeat(4) },
      { label: '联系电话', value: '13800001234' },
      { label: '备注', value: '' },
    ],
    delivery: {
      method: 'ems',
      recipient: '吉𠮷祥',
      phone: '13800001234',
      address: '陕西省西安市未央区凤城八路 100 号',
      postcode: '710016',
    },
    materials: [
      { name: '居民身份证', kind: 'scanned', pages: [front, back] },
      { name: '经营场所使用证明', kind: 'scanned', pages: [licence] },
      { name: '营业执照（电子证照）', kind: 'e-licence', pages: [] },
      { name: '委托书', kind: 'missing', pages: [] },
    ],
    integrityAcknowledgedAt: new Date('2026-03-02T01:20:00Z'),
    progressUrl: 'https://hall.example.gov.cn/p/R20260302-0007?c=9f3a',
    kioskName: '一楼自助区 3 号机',
    ...overrides,
  };
}

function pdfToText(pdf: Buffer, name: string): string {
  const file = join(work, `${name}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

function pdfPages(pdf: Buffer, name: string): number {
  const file = join(work, `${name}.pdf`);
  writeFileSync(file, pdf);
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
}

const squash = (text: string): string => text.replace(/\s+/g, '');

/** Page objects in the file (`/Type /Page`, not `/Pages`), counted without a PDF library. */
function pageObjects(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}

describe('renderApplicationPdf', () => {
  it('produces a valid A4 PDF: the form pages, then one page per scanned page', async () => {
    const pdf = await renderApplicationPdf(sample());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
    // Two pages of form (the sample is a full one), two landscape ID-card scans, one portrait scan.
    expect(pageObjects(pdf)).toBe(5);
    expect(pdfPages(pdf, 'basic')).toBe(5);
    const info = execFileSync('pdfinfo', ['-f', '1', '-l', '5', join(work, 'basic.pdf')], {
      encoding: 'utf8',
    });
    expect(info).toMatch(/Page\s+1 size:\s+595\.28 x 841\.89/);
    expect(info).toMatch(/Page\s+2 size:\s+595\.28 x 841\.89/);
    expect(info).toMatch(/Page\s+3 size:\s+841\.89 x 595\.28/);
    expect(info).toMatch(/Page\s+4 size:\s+841\.89 x 595\.28/);
    expect(info).toMatch(/Page\s+5 size:\s+595\.28 x 841\.89/);
    const pageTexts = pdfToText(pdf, 'basic').split('\f');
    expect(pageTexts[2]).toContain('申请材料：居民身份证');
    expect(pageTexts[4]).toContain('申请材料：经营场所使用证明');
  });

  it('embeds the Noto CJK font', async () => {
    const pdf = await renderApplicationPdf(sample());
    expect(pdf.toString('latin1')).toContain('NotoSansCJK');
  });

  it('round-trips Chinese text, 4-byte characters and hall-zone times through pdftotext', async () => {
    // pdftotext guesses spaces from glyph gaps; compare without whitespace.
    const raw = pdfToText(await renderApplicationPdf(sample()), 'text');
    const text = squash(raw);
    for (const expected of [
      '申请表',
      'R20260302-0007',
      '个体工商户设立登记',
      '西咸新区沣东新城𠮷祥小吃店',
      '吉𠮷祥',
      '王帮办',
      '2026-03-02 09:28:05', // 01:28:05Z in Asia/Shanghai
      '已阅读并确认《廉洁告知书》',
      '2026-03-02 09:20:00',
      '已调用电子证照',
      '未提交',
      pages[0]?.sha256.slice(0, 12) ?? '?',
      '申请材料：居民身份证',
      '材料第 2 / 2 页',
      '第 1 页 / 共 5 页',
      '第 5 页 / 共 5 页',
      'EMS 免费邮寄',
    ]) {
      expect(text).toContain(squash(expected));
    }
    expect(raw).not.toContain(pages[0]?.sha256.slice(0, 13) ?? '?'); // only the first 12 digits
  });

  it('wraps a value longer than a page across pages without losing text', async () => {
    const long = Array.from({ length: 90 }, (_, i) => `第${i + 1}条：申请人承诺所填信息真实有效。`).join('');
    const pdf = await renderApplicationPdf(
      sample({ form: [{ label: '情况说明', value: long }], materials: [] }),
    );
    const count = pdfPages(pdf, 'long');
    expect(count).toBeGreaterThan(1);
    const text = squash(pdfToText(pdf, 'long'));
    expect(text).toContain('第1条：申请人承诺所填信息真实有效。');
    expect(text).toContain('第90条：申请人承诺所填信息真实有效。');
    expect(text).toContain('情况说明（续）');
    expect(text).toContain(`第${count}页/共${count}页`);
  });

  it('renders the English variant, pickup delivery, no helper and an immediate case', async () => {
    const pdf = await renderApplicationPdf(
      sample({
        lang: 'en',
        delivery: { method: 'pickup' },
        helper: null,
        caseType: 'immediate',
        promisedDate: null,
        materials: [],
      }),
    );
    expect(pdfPages(pdf, 'en')).toBe(1);
    const text = squash(pdfToText(pdf, 'en'));
    for (const expected of [
      'Application form',
      'Collect at the hall',
      'None (applied in person)',
      'On the spot',
      'Page 1 of 1',
    ]) {
      expect(text).toContain(squash(expected));
    }
  });

  it('is deterministic for the same input', async () => {
    const a = await renderApplicationPdf(sample());
    const b = await renderApplicationPdf(sample());
    expect(a.equals(b)).toBe(true);
  });

  it('rejects invalid input through the schema', async () => {
    const [front] = pages;
    if (front === undefined) throw new Error('fixtures not ready');
    const invalid: Partial<ApplicationPdfInput>[] = [
      { promisedDate: null }, // 承诺件 without a promised date
      { timeZone: 'Mars/Olympus' },
      { receiptNo: '' },
      { submittedAt: new Date('nope') },
      { materials: [{ name: '身份证', kind: 'scanned', pages: [] }] },
      { materials: [{ name: '营业执照', kind: 'e-licence', pages: [front] }] },
      {
        materials: [
          { name: '身份证', kind: 'scanned', pages: [{ ...front, jpeg: Buffer.from('not a jpeg') }] },
        ],
      },
      { materials: [{ name: '身份证', kind: 'scanned', pages: [{ ...front, sha256: 'abc' }] }] },
      { delivery: { method: 'ems', recipient: '吉𠮷祥', phone: '1', address: '西安', postcode: '71001' } },
    ];
    for (const overrides of invalid) {
      expect(applicationPdfInputSchema.safeParse(sample(overrides)).success).toBe(false);
      await expect(renderApplicationPdf(sample(overrides))).rejects.toBeInstanceOf(ZodError);
    }
  });

  it('refuses to render without the CJK font', async () => {
    await expect(renderApplicationPdf(sample(), { fontPath: join(work, 'missing.ttc') })).rejects.toThrow(
      /fonts-noto-cjk/,
    );
  });
});
